// Dependency paths and dependency patterns on hand-built trees (no models):
// the notation the pattern file is written in, and the rules' matching.
#include "ingest/dependency_path.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "ingest/dependency_patterns.h"
#include "ingest/relation_vocabulary.h"

namespace kgraph::ingest {
namespace {

// "form/lemma/UPOS/head/deprel" per word, heads 1-based (0 = root).
nlp::Sentence Tree(const std::vector<std::string>& words) {
  nlp::Sentence s;
  for (const std::string& spec : words) {
    std::vector<std::string> f = absl::StrSplit(spec, '/');
    EXPECT_EQ(f.size(), 5u) << spec;
    nlp::Word w;
    w.form = f[0];
    w.lemma = f[1];
    w.upos = f[2];
    w.head = std::stoi(f[3]);
    w.deprel = f[4];
    s.words.push_back(w);
  }
  return s;
}

TEST(ingest_dependency_path, WordsOverlappingPlacesByteSpansOnWords) {
  // "Orion's unit  bought it." with "Orion's" one token of two words that
  // share its bytes, and two spaces before "bought".
  nlp::Sentence s;
  for (const auto& [start, end] : std::vector<std::pair<size_t, size_t>>{
           {0, 7}, {0, 7}, {8, 12}, {14, 20}, {21, 23}, {23, 24}}) {
    nlp::Word w;
    w.start = start;
    w.end = end;
    s.words.push_back(w);
  }
  using Range = std::pair<size_t, size_t>;
  EXPECT_EQ(WordsOverlapping(s, 0, 5), Range(0, 2));    // inside the shared token
  EXPECT_EQ(WordsOverlapping(s, 8, 12), Range(2, 3));   // one word exactly
  EXPECT_EQ(WordsOverlapping(s, 10, 16), Range(2, 4));  // across the gap
  EXPECT_EQ(WordsOverlapping(s, 0, 24), Range(0, 6));   // all
  EXPECT_EQ(WordsOverlapping(s, 21, 24), Range(4, 6));
  for (const Range& none : {Range(12, 14), Range(24, 30), Range(7, 8)}) {
    const auto [first, last] = WordsOverlapping(s, none.first, none.second);
    EXPECT_GE(first, last) << none.first << "-" << none.second;
  }
  const auto [first, last] = WordsOverlapping(nlp::Sentence{}, 0, 3);
  EXPECT_GE(first, last);
}

TEST(ingest_dependency_path, ControlChainsPassivesAndPrepositions) {
  // Orion agreed to buy Lark
  const nlp::Sentence control = Tree({"Orion/Orion/PROPN/2/nsubj", "agreed/agree/VERB/0/root",
                                      "to/to/PART/4/mark", "buy/buy/VERB/2/xcomp",
                                      "Lark/Lark/PROPN/4/obj"});
  EXPECT_EQ(PathBetween(control, 0, 4).text, "^nsubj agree >xcomp buy >obj");
  EXPECT_EQ(PathBetween(control, 4, 0).text, "^obj buy ^xcomp agree >nsubj");
  // Lark was bought by Orion: from the agent, the preposition rides on obl.
  const nlp::Sentence passive = Tree({"Lark/Lark/PROPN/3/nsubj:pass", "was/be/AUX/3/aux:pass",
                                      "bought/buy/VERB/0/root", "by/by/ADP/5/case",
                                      "Orion/Orion/PROPN/3/obl:agent"});
  const DependencyPath p = PathBetween(passive, 4, 0);
  EXPECT_EQ(p.text, "^obl:agent/by buy >nsubj:pass");
  EXPECT_EQ(p.inner, std::vector<size_t>{2});
  // A word that heads the other end: only up-edges.
  const nlp::Sentence appos = Tree({"Lumora/Lumora/PROPN/0/root", ",/,/PUNCT/4/punct",
                                    "a/a/DET/4/det", "unit/unit/NOUN/1/appos", "of/of/ADP/6/case",
                                    "Castellan/Castellan/PROPN/4/nmod"});
  EXPECT_EQ(PathBetween(appos, 0, 5).text, ">appos unit >nmod/of");
  EXPECT_EQ(PathBetween(appos, 5, 0).text, "^nmod/of unit ^appos");
}

TEST(ingest_dependency_path, ConjunctsShareTheirFirstConjunctsRole) {
  // Orion bought Lark and Wren; Orion and Wren merged.
  const nlp::Sentence objs = Tree({"Orion/Orion/PROPN/2/nsubj", "bought/buy/VERB/0/root",
                                   "Lark/Lark/PROPN/2/obj", "and/and/CCONJ/5/cc",
                                   "Wren/Wren/PROPN/3/conj"});
  EXPECT_EQ(PathBetween(objs, 0, 4).text, "^nsubj buy >obj");
  const nlp::Sentence subjs = Tree({"Orion/Orion/PROPN/4/nsubj", "and/and/CCONJ/3/cc",
                                    "Wren/Wren/PROPN/1/conj", "merged/merge/VERB/0/root"});
  EXPECT_EQ(PathBetween(subjs, 0, 2).text, "=conj ^nsubj merge");
}

TEST(ingest_dependency_path, RolesRideOnTheirVerbAndNoun) {
  // Pine named Ann president and chief executive officer.
  const nlp::Sentence named = Tree(
      {"Pine/Pine/PROPN/2/nsubj", "named/name/VERB/0/root", "Ann/Ann/PROPN/2/obj",
       "president/president/NOUN/2/xcomp", "and/and/CCONJ/8/cc", "chief/chief/ADJ/8/amod",
       "executive/executive/ADJ/8/amod", "officer/officer/NOUN/4/conj"});
  EXPECT_EQ(PathBetween(named, 2, 0).text,
            "^obj name[president_and_chief_executive_officer] >nsubj");
  // The same read as one noun phrase: the conjunct rides on "president".
  const nlp::Sentence np = Tree(
      {"Pine/Pine/PROPN/2/nsubj", "named/name/VERB/0/root", "Ann/Ann/PROPN/4/compound",
       "president/president/NOUN/2/xcomp", "and/and/CCONJ/8/cc", "chief/chief/ADJ/8/amod",
       "executive/executive/ADJ/8/amod", "officer/officer/NOUN/4/conj"});
  EXPECT_EQ(PathBetween(np, 2, 0).text,
            "^compound president+and_chief_executive_officer ^xcomp name >nsubj");
}

TEST(ingest_dependency_path, UnparsedUnconnectedAndLongPathsAreEmpty) {
  nlp::Sentence unparsed = Tree({"A/a/X/0/root", "B/b/X/1/dep"});
  unparsed.words[1].head = -1;
  EXPECT_EQ(PathBetween(unparsed, 0, 1).text, "");
  EXPECT_EQ(PathBetween(unparsed, 0, 0).text, "");
  EXPECT_EQ(PathBetween(unparsed, 0, 7).text, "");
  // Two roots (a chunked parse): not connected.
  const nlp::Sentence two = Tree({"A/a/X/0/root", "B/b/X/0/root"});
  EXPECT_EQ(PathBetween(two, 0, 1).text, "");
  // A chain of 12 words: 11 edges, more than kMaxPathEdges.
  std::vector<std::string> chain = {"w0/w0/X/0/root"};
  for (int i = 1; i < 12; ++i) chain.push_back("w/w/X/" + std::to_string(i) + "/dep");
  const nlp::Sentence longer = Tree(chain);
  EXPECT_EQ(PathBetween(longer, 11, 0).text, "");
  EXPECT_EQ(PathBetween(longer, 3, 0).text, "^dep w ^dep w ^dep");
  EXPECT_EQ(SpanHead(longer, 2, 5), 2u);
}

// A directory of this test's own: ctest runs the tests of this file in
// parallel processes, and two of them writing one relations.tsv raced.
std::string OwnTempDir() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir = testing::TempDir() + "/" + info->test_suite_name() + "." + info->name();
  std::filesystem::create_directories(dir);
  return dir;
}

// Each (line, message): a file whose second line is `line` fails to load
// with an error naming bad.txt:2 and saying `message`.
void ExpectBadLinesNamed(const std::string& dir,
                         const std::vector<std::pair<std::string, std::string>>& bad,
                         const RelationVocabulary& vocab) {
  for (const auto& [line, message] : bad) {
    {
      std::ofstream out(dir + "/bad.txt");
      out << "# first line\n" << line;
    }
    auto r = DependencyPatternSet::Load({dir + "/bad.txt"}, vocab);
    ASSERT_FALSE(r.ok()) << line;
    EXPECT_NE(r.status().message().find("bad.txt:2"), std::string::npos) << r.status();
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status();
  }
}

TEST(ingest_dependency_patterns, MatchesWholePathsWithTypesAndReportsBadLines) {
  const std::string dir = OwnTempDir();
  {
    std::ofstream out(dir + "/relations.tsv");
    out << "acquires\tORG|PERSON\tORG|PRODUCT\t-\tno\tbuys\n";
  }
  auto vocab = RelationVocabulary::Load({dir + "/relations.tsv"});
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  {
    std::ofstream out(dir + "/good.txt");
    out << "# comment\ndefine BUY = acquire|buy\n"
        << "a1\tacquires\t0.8\t*\tORG\t\\^nsubj (?:agree >xcomp )?(?:{BUY}) >obj\n";
  }
  auto set = DependencyPatternSet::Load({dir + "/good.txt"}, *vocab);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ((*set)->Match("^nsubj agree >xcomp buy >obj", "ORG", "ORG").size(), 1u);
  EXPECT_EQ((*set)->Match("^nsubj buy >obj", "PERSON", "ORG").size(), 1u);
  // Whole paths only, and the rule's own object types.
  EXPECT_TRUE((*set)->Match("^nsubj buy >obj >nmod/of", "ORG", "ORG").empty());
  EXPECT_TRUE((*set)->Match("^nsubj buy >obj", "ORG", "PRODUCT").empty());
  EXPECT_TRUE((*set)->Match("", "ORG", "ORG").empty());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"a\tacquires\t0.8\t*\tORG\n", "6 tab-separated columns"},
      {"a\tbuys\t0.8\t*\t*\tx\n", "unknown relation"},
      {"a\tacquires\t1.5\t*\t*\tx\n", "confidence"},
      {"a\tacquires\t0.8\tGPE\t*\tx\n", "subject type 'GPE'"},
      {"a\tacquires\t0.8\t*\t*\t{NOPE}\n", "unknown macro {NOPE}"},
      {"a\tacquires\t0.8\t*\t*\t(unclosed\n", "bad regex"},
  };
  ExpectBadLinesNamed(dir, bad, *vocab);
}

TEST(ingest_dependency_patterns, TypingRulesMatchNameAndWordAnchors) {
  const std::string dir = OwnTempDir();
  {
    std::ofstream out(dir + "/relations.tsv");
    out << "develops\tORG|PERSON\tPRODUCT\t-\tno\tmakes\n";
  }
  auto vocab = RelationVocabulary::Load({dir + "/relations.tsv"});
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  {
    std::ofstream out(dir + "/typing.txt");
    out << "define LAUNCH = launch|unveil\n"
        << "retype\tlaunched\tPRODUCT\tPERSON|ORG\tORG\t\\^obj (?:{LAUNCH}) >nsubj\n"
        << "retype\tappos\tPRODUCT\tPERSON\tword\t\\^appos @drug\n"
        << "phrase\tmade\tPRODUCT\tORG\t\\^obj (?:{LAUNCH}) >nsubj\n";
  }
  auto set = DependencyPatternSet::Load({dir + "/typing.txt"}, *vocab);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set.value()->size(), 0u);  // no relation rules
  ASSERT_EQ(set.value()->typing_rules().size(), 2u);
  ASSERT_EQ(set.value()->phrase_rules().size(), 1u);
  const TypingRule* phrase = set.value()->MatchPhrase("^obj unveil >nsubj", "ORG");
  ASSERT_NE(phrase, nullptr);
  EXPECT_EQ(phrase->id, "made");
  EXPECT_EQ(set.value()->MatchPhrase("^obj unveil >nsubj", "PERSON"), nullptr);
  EXPECT_EQ(set.value()->MatchPhrase("^nsubj unveil >obj", "ORG"), nullptr);
  const TypingRule* r = set.value()->MatchTyping("^obj launch >nsubj", "PERSON", "ORG");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "launched");
  EXPECT_EQ(r->new_type, "PRODUCT");
  // The from-type, the anchor's type and the kind of anchor all count.
  EXPECT_EQ(set.value()->MatchTyping("^obj launch >nsubj", "GPE", "ORG"), nullptr);
  EXPECT_EQ(set.value()->MatchTyping("^obj launch >nsubj", "PERSON", "PERSON"), nullptr);
  EXPECT_EQ(set.value()->MatchTyping("^obj launch >nsubj", "PERSON", ""), nullptr);
  ASSERT_NE(set.value()->MatchTyping("^appos @drug", "PERSON", ""), nullptr);
  EXPECT_EQ(set.value()->MatchTyping("^appos @drug", "PERSON", "ORG"), nullptr);
  EXPECT_EQ(set.value()->MatchTyping("^appos @drug", "ORG", ""), nullptr);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"retype\ta\tPRODUCT\tORG\tword\n", "6 tab-separated columns"},
      {"retype\ta\tTHING\tORG\tword\tx\n", "unknown entity type 'THING'"},
      {"retype\ta\tPRODUCT\tORG|CAT\tword\tx\n", "from type 'CAT'"},
      {"retype\ta\tPRODUCT\tORG\tDOG\tx\n", "anchor type 'DOG'"},
      {"retype\ta\tPRODUCT\tORG\tword\t(unclosed\n", "bad regex"},
      {"phrase\ta\tPRODUCT\tORG\tword\tx\n", "5 tab-separated columns"},
      {"phrase\ta\tPRODUCT\tword\tx\n", "anchor type 'word'"},
  };
  ExpectBadLinesNamed(dir, bad, *vocab);
}

}  // namespace
}  // namespace kgraph::ingest
