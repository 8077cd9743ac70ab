// The committed models (data/models) against the floors of issue #11 on the
// measuring files in ../shared/nlp: EWT dev with gold tokens, and its raw
// "# text" through the tokenizer. Skips, saying why, when ../shared is
// absent. The floors sit just under the figures measured when the models
// were committed (data/models/README.md), so a regression shows.
#include <gtest/gtest.h>

#include <filesystem>

#include "nlp/conllu.h"
#include "nlp/evaluation.h"
#include "nlp/pipeline.h"

namespace kgraph::nlp {
namespace {

const std::string kModels = std::string(KGRAPH_TEST_SOURCE_DIR) + "/data/models";
const std::string kEwtDev =
    std::string(KGRAPH_TEST_SHARED_DIR) + "/nlp/ud-ewt/en_ewt-ud-dev.conllu";

class NlpQuality : public testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kEwtDev)) {
      GTEST_SKIP() << kEwtDev << " not found: the measuring files of ../shared/nlp are absent";
    }
    auto p = NlpPipeline::Load({});
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = *std::move(p);
    auto gold = ReadConllu(kEwtDev);
    ASSERT_TRUE(gold.ok()) << gold.status();
    gold_ = *std::move(gold);
  }
  std::unique_ptr<NlpPipeline> pipeline_;
  std::vector<Sentence> gold_;
};

TEST_F(NlpQuality, EwtDevGoldTokensReachTheFloors) {
  const GoldTokenScores g = EvaluateGoldTokens(*pipeline_, gold_);
  std::cout << "EWT dev, gold tokens: UPOS " << g.Rate(g.upos) << " LEMMA " << g.Rate(g.lemma)
            << " UAS " << g.Rate(g.uas) << " LAS " << g.Rate(g.las) << "\n";
  // Issue #11's targets; the committed models measure 0.953 / 0.969 / 0.861 /
  // 0.832 (data/models/README.md).
  EXPECT_GE(g.Rate(g.upos), 0.95);
  EXPECT_GE(g.Rate(g.lemma), 0.96);
  EXPECT_GE(g.Rate(g.uas), 0.86);
  EXPECT_GE(g.Rate(g.las), 0.82);
  // Words training never saw (1801 in EWT dev): the committed tagger gets
  // 0.773 of them right, where giving every training word an ambiguity
  // class got 0.692.
  EXPECT_GT(g.unseen_words, 1000u);
  EXPECT_LE(g.unseen_capitalized, g.unseen_words);
  EXPECT_GE(double(g.unseen_upos) / g.unseen_words, 0.75);
  // The error tables account for every error, and only errors.
  size_t mistagged = 0, wrong_heads = 0, words = 0;
  for (const auto& [pair, count] : g.upos_confusions) {
    EXPECT_NE(pair.first, pair.second);
    mistagged += count;
  }
  for (const auto& [relation, counts] : g.head_errors_by_relation) {
    EXPECT_EQ(relation.find(':'), std::string::npos) << relation;
    EXPECT_LE(counts.second, counts.first);
    words += counts.first;
    wrong_heads += counts.second;
  }
  EXPECT_EQ(mistagged, g.words - g.upos);
  EXPECT_EQ(wrong_heads, g.words - g.uas);
  EXPECT_EQ(words, g.words);
}

TEST_F(NlpQuality, EwtDevRawTextIsTokenizedAsUdDoes) {
  auto r = EvaluateRawText(*pipeline_, gold_);
  ASSERT_TRUE(r.ok()) << r.status();
  std::cout << "EWT dev, raw text: words F1 " << r->alignment.WordF1() << " UPOS F1 "
            << r->F1(r->upos) << "\n";
  EXPECT_GE(r->alignment.WordF1(), 0.99);
  EXPECT_GE(r->F1(r->upos), 0.94);
}

}  // namespace
}  // namespace kgraph::nlp
