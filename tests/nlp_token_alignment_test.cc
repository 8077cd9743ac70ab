#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nlp/token_alignment.h"

namespace kgraph::nlp {
namespace {

Sentence S(std::vector<std::string> forms) {
  Sentence s;
  for (std::string& f : forms) {
    Word w;
    w.form = std::move(f);
    s.words.push_back(std::move(w));
  }
  return s;
}

TEST(NlpTokenAlignment, IdenticalTokenizationMatchesEverything) {
  const std::vector<Sentence> g = {S({"I", "do", "n't", "know", "."}),
                                   S({"Fine", "."})};
  auto a = AlignTokens(g, g);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->gold_words, 7u);
  EXPECT_EQ(a->system_words, 7u);
  EXPECT_EQ(a->matched_words, 7u);
  EXPECT_DOUBLE_EQ(a->WordF1(), 1.0);
  EXPECT_EQ(a->matched_sentences, 2u);
  EXPECT_DOUBLE_EQ(a->SentenceF1(), 1.0);
  ASSERT_EQ(a->pairs.size(), 7u);
  EXPECT_EQ(a->pairs[5].first, (WordRef{1, 0}));
  EXPECT_EQ(a->pairs[5].second, (WordRef{1, 0}));
}

TEST(NlpTokenAlignment, WordsMatchOnlyWithIdenticalSpans) {
  // Gold: "do" "n't" (2 words); system: "don't" (1 word) and a split "e -
  // mail".
  const std::vector<Sentence> gold = {S({"I", "do", "n't", "like", "e-mail"})};
  const std::vector<Sentence> sys = {
      S({"I", "don't", "like", "e", "-", "mail"})};
  auto a = AlignTokens(sys, gold);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->gold_words, 5u);
  EXPECT_EQ(a->system_words, 6u);
  EXPECT_EQ(a->matched_words, 2u);  // "I", "like"
  ASSERT_EQ(a->pairs.size(), 2u);
  EXPECT_EQ(a->pairs[0].first, (WordRef{0, 0}));
  EXPECT_EQ(a->pairs[0].second, (WordRef{0, 0}));
  EXPECT_EQ(a->pairs[1].first, (WordRef{0, 2}));   // system "like"
  EXPECT_EQ(a->pairs[1].second, (WordRef{0, 3}));  // gold "like"
  EXPECT_DOUBLE_EQ(a->WordPrecision(), 2.0 / 6);
  EXPECT_DOUBLE_EQ(a->WordRecall(), 2.0 / 5);
  EXPECT_DOUBLE_EQ(a->WordF1(), 2.0 * 2 / (6 + 5));
}

TEST(NlpTokenAlignment, WhitespaceIsIgnoredAndSentencesAreScoredBySpan) {
  // Gold has a form with a space inside ("(713) 853"); system splits it.
  const std::vector<Sentence> gold = {S({"Call", "(713) 853", "."}),
                                      S({"Now", "."}), S({"Bye"})};
  const std::vector<Sentence> sys = {S({"Call", "(", "713", ")", "853", "."}),
                                     S({"Now", ".", "Bye"})};
  auto a = AlignTokens(sys, gold);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->matched_words, 5u);  // Call . Now . Bye
  EXPECT_EQ(a->gold_sentences, 3u);
  EXPECT_EQ(a->system_sentences, 2u);
  EXPECT_EQ(a->matched_sentences, 1u);
  EXPECT_DOUBLE_EQ(a->SentenceF1(), 2.0 * 1 / 5);
  // Pairs refer to words across sentences.
  EXPECT_EQ(a->pairs.back().first, (WordRef{1, 2}));
  EXPECT_EQ(a->pairs.back().second, (WordRef{2, 0}));
}

TEST(NlpTokenAlignment, DifferentTextsAreAnError) {
  auto a = AlignTokens({S({"a", "b", "c"})}, {S({"a", "b", "d"})});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("byte 2"), std::string::npos)
      << a.status();
  EXPECT_FALSE(AlignTokens({S({"ab"})}, {S({"abc"})}).ok());
}

TEST(NlpTokenAlignment, EmptyInputs) {
  auto a = AlignTokens({}, {});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->matched_words, 0u);
  EXPECT_DOUBLE_EQ(a->WordF1(), 0.0);
  EXPECT_DOUBLE_EQ(F1(0, 0, 0), 0.0);
  // An empty sentence never matches but is counted.
  auto b = AlignTokens({S({"x"}), Sentence()}, {S({"x"})});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->system_sentences, 2u);
  EXPECT_EQ(b->matched_sentences, 1u);
  // A whitespace-only form has an empty span and never matches.
  auto c = AlignTokens({S({"x", " ", "y"})}, {S({"x", "y"})});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->matched_words, 2u);
  EXPECT_EQ(c->system_words, 3u);
}

}  // namespace
}  // namespace kgraph::nlp
