#include "ingest/tokenizer.h"

#include <gtest/gtest.h>

#include "ingest/sentence_splitter.h"

namespace kgraph::ingest {
namespace {

const AbbreviationSet kAbbrev = {"corp", "bros", "mr", "inc"};

std::vector<std::string> Norms(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(t.norm);
  return out;
}

TEST(TokenizerTest, PluralPossessiveKeepsItsApostropheInTheNorm) {
  const std::string text = "the Farmers' Union and Dow's index";
  const auto tokens = Tokenize(text, kAbbrev);
  ASSERT_GE(tokens.size(), 7u);
  EXPECT_EQ(tokens[2].kind, TokenKind::kPossessive);
  EXPECT_EQ(tokens[2].norm, "'");     // what the text wrote
  EXPECT_EQ(tokens[2].folded, "'s");  // what patterns match
  EXPECT_EQ(TokenSurface(tokens, 1, 4), "Farmers' Union");
  EXPECT_EQ(tokens[6].norm, "'s");
  EXPECT_EQ(TokenSurface(tokens, 5, 7), "Dow's");
}

TEST(TokenizerTest, OffsetsPointIntoOriginalUtf8) {
  std::string text = "Økonom Lars Sløk’s “view” — done.";
  auto tokens = Tokenize(text, kAbbrev);
  for (const Token& t : tokens) {
    ASSERT_LE(t.end, text.size());
    ASSERT_LT(t.start, t.end);
  }
  EXPECT_EQ(text.substr(tokens[2].start, tokens[2].end - tokens[2].start), "Sløk");
  EXPECT_EQ(tokens[3].kind, TokenKind::kPossessive);
  EXPECT_EQ(tokens[3].norm, "'s");
  EXPECT_EQ(tokens[4].norm, "\"");
  EXPECT_TRUE(tokens[0].cap);
}

TEST(TokenizerTest, AbbreviationsDecimalsAndHyphens) {
  auto tokens = Tokenize("Acme Corp. rose 3.5% in the U.S. on Mid-Year plans.", kAbbrev);
  EXPECT_EQ(Norms(tokens),
            (std::vector<std::string>{"Acme", "Corp.", "rose", "3.5", "%", "in",
                                      "the", "U.S.", "on", "Mid-Year", "plans",
                                      "."}));
  EXPECT_EQ(tokens[3].kind, TokenKind::kNumber);
}

TEST(TokenizerTest, MarkupBracketsAreSeparateTokens) {
  auto tokens = Tokenize("Zeta Foods Inc <ZFI> said", kAbbrev);
  EXPECT_EQ(tokens[3].kind, TokenKind::kMarkupOpen);
  EXPECT_EQ(tokens[4].norm, "ZFI");
  EXPECT_TRUE(tokens[4].all_caps);
  EXPECT_EQ(tokens[5].kind, TokenKind::kMarkupClose);
}

TEST(TokenizerTest, InvalidBytesDoNotCrash) {
  std::string text = "ab\xff\xfe cd \xc3";
  auto tokens = Tokenize(text, kAbbrev);
  EXPECT_FALSE(tokens.empty());
}

TEST(SentenceSplitterTest, SurvivesAbbreviationsAndQuotes) {
  const absl::flat_hash_set<std::string> starters = {"the", "he"};
  std::string text =
      "Mr. Lane met Grove Bros. executives in the U.S. on Monday. \"We agreed,\" "
      "he said. Shares rose 2.5 percent.\n\nNext Headline Here";
  auto tokens = Tokenize(text, {"mr", "bros"});
  auto sentences = SplitSentences(tokens, starters);
  ASSERT_EQ(sentences.size(), 4u);
  EXPECT_EQ(tokens[sentences[1].begin].norm, "\"");
  EXPECT_EQ(tokens[sentences[2].begin].norm, "Shares");
  EXPECT_EQ(tokens[sentences[3].begin].norm, "Next");
}

// A company named by its web domain is one word; a sentence's period is not.
TEST(TokenizerTest, WebDomainIsOneWord) {
  auto tokens = Tokenize("Shares of Overstock.com rose. Comment was sought.", kAbbrev);
  ASSERT_GE(tokens.size(), 5u);
  EXPECT_EQ(tokens[2].norm, "Overstock.com");
  EXPECT_EQ(tokens[3].norm, "rose");
  EXPECT_EQ(tokens[4].norm, ".");
}

// Wire copy starts a paragraph on an indented line, with no blank line: an
// abbreviation ending the line before it ends the sentence. A wrapped line
// that is not indented goes on with the sentence.
TEST(SentenceSplitterTest, IndentedLineAfterAbbreviationStartsASentence) {
  const absl::flat_hash_set<std::string> starters = {"the"};
  std::string text =
      "It was led by the principal shareholder of Pesch and Co.\n"
      "    Alpha recently said it bought Grove Bros.\nShares of Grove rose.";
  auto tokens = Tokenize(text, {"co", "bros"});
  auto sentences = SplitSentences(tokens, starters);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(tokens[sentences[1].begin].norm, "Alpha");
  EXPECT_EQ(tokens[sentences[1].end - 1].norm, ".");
  // Every line indented alike: the lines are wrapped, not paragraphs.
  const std::string wrapped = "    It was said by Sen.\n    Robert Dole on Monday.";
  auto wrapped_tokens = Tokenize(wrapped, {"sen"});
  EXPECT_EQ(SplitSentences(wrapped_tokens, starters).size(), 1u);
}

}  // namespace
}  // namespace kgraph::ingest
