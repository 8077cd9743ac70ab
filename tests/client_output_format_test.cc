// How the kgraph client prints evidence: the arguments' mentions bracketed
// inside the sentence where the reply locates them, the plain sentence where
// it does not or where the offsets do not fit.
#include "tools/client/output_format.h"

#include <gtest/gtest.h>

namespace kgraph::client {
namespace {

v1::Evidence Sentence(const std::string& text, uint64_t start) {
  v1::Evidence e;
  e.set_sentence(text);
  e.set_start(start);
  e.set_end(start + text.size());
  return e;
}

void Mention(v1::MentionSpan* m, uint64_t start, uint64_t end) {
  m->set_start(start);
  m->set_end(end);
}

TEST(client_output_format, MarkedSentenceBracketsBothMentions) {
  // The sentence starts at byte 49 of its document.
  v1::Evidence e = Sentence("The company said it agreed to buy Lark Brands Inc.", 49);
  Mention(e.mutable_subject_mention(), 49, 60);
  Mention(e.mutable_object_mention(), 83, 98);
  EXPECT_EQ(MarkedSentence(e), "[The company] said it agreed to buy [Lark Brands Inc].");
  // The object before the subject: still both, in text order.
  v1::Evidence passive = Sentence("Lark was bought by Orion.", 0);
  Mention(passive.mutable_subject_mention(), 19, 24);
  Mention(passive.mutable_object_mention(), 0, 4);
  EXPECT_EQ(MarkedSentence(passive), "[Lark] was bought by [Orion].");
}

TEST(client_output_format, MarkedSentenceLeavesOutWhatDoesNotFit) {
  const std::string text = "Orion bought Lark.";
  v1::Evidence none = Sentence(text, 10);
  EXPECT_EQ(MarkedSentence(none), text);  // an older store: no mentions
  v1::Evidence before = Sentence(text, 10);
  Mention(before.mutable_subject_mention(), 5, 15);  // starts before the sentence
  Mention(before.mutable_object_mention(), 23, 27);
  EXPECT_EQ(MarkedSentence(before), "Orion bought [Lark].");
  v1::Evidence past = Sentence(text, 10);
  Mention(past.mutable_object_mention(), 23, 40);  // ends after it
  EXPECT_EQ(MarkedSentence(past), text);
  v1::Evidence overlapping = Sentence(text, 10);
  Mention(overlapping.mutable_subject_mention(), 10, 15);
  Mention(overlapping.mutable_object_mention(), 12, 17);
  EXPECT_EQ(MarkedSentence(overlapping), "[Orion] bought Lark.");
}

}  // namespace
}  // namespace kgraph::client
