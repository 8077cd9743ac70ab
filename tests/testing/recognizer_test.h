// RecognizerTest: a GoogleTest fixture that loads the repo's gazetteers once
// per suite and runs the first extraction stages (tokenize, split sentences,
// recognize names) on hand-made text. For tests only; not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/entity_recognizer.h"
#include "ingest/gazetteer.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"

namespace kgraph::testing {

class RecognizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ingest::GazetteerPaths paths;
    paths.data_dir = std::string(KGRAPH_TEST_SOURCE_DIR) + "/data";
    auto g = ingest::Gazetteer::Load(paths);
    ASSERT_TRUE(g.ok()) << g.status();
    gazetteer_ = std::move(*g).release();
  }
  static void TearDownTestSuite() {
    delete gazetteer_;
    gazetteer_ = nullptr;
  }

  // The name mentions of `text`; text_ and tokens_ hold what they index.
  std::vector<ingest::NameMention> Recognize(const std::string& text) {
    text_ = text;
    tokens_ = ingest::Tokenize(text_, gazetteer_->List(ingest::WordList::kAbbreviation));
    auto sentences =
        ingest::SplitSentences(tokens_, gazetteer_->List(ingest::WordList::kSentenceStarter));
    ingest::EntityRecognizer recognizer(*gazetteer_);
    return recognizer.Recognize(text_, tokens_, sentences);
  }

  static inline ingest::Gazetteer* gazetteer_ = nullptr;
  std::string text_;
  std::vector<ingest::Token> tokens_;
};

}  // namespace kgraph::testing
