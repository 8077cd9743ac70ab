// PatternSet: pattern-file parsing (errors name file:line), marker expansion,
// matching with captures and placeholder type constraints, and the literal
// prefilter never changing what matches. Sentences are hand-made.
#include "ingest/pattern_set.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::ingest {
namespace {

constexpr char kRelations[] =
    "# relation\tsubject_types\tobject_types\tbroader\tsymmetric\tmeaning\n"
    "acquires\tORG|PERSON\tORG|PRODUCT\t-\tno\tbuys\n"
    "ceo_of\tPERSON\tORG\tworks_for\tno\truns\n"
    "works_for\tPERSON\tORG|GPE\t-\tno\temployed by\n"
    "located_in\tGPE\tGPE\t-\tno\tlies in\n";

class PatternSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto vocab =
        RelationVocabulary::Load({dir_.WriteFile("relations.tsv", kRelations)});
    ASSERT_TRUE(vocab.ok()) << vocab.status();
    vocab_ = std::move(*vocab);
  }

  absl::StatusOr<std::unique_ptr<PatternSet>> LoadText(
      const std::string& name, const std::string& text) {
    return PatternSet::Load({dir_.WriteFile(name, text)}, vocab_);
  }

  std::unique_ptr<PatternSet> MustLoad(const std::string& text) {
    auto set = LoadText("patterns.txt", text);
    EXPECT_TRUE(set.ok()) << set.status();
    return set.ok() ? std::move(*set) : nullptr;
  }

  // The error message of loading `text` from a file called `name`.
  std::string LoadError(const std::string& name, const std::string& text) {
    auto set = LoadText(name, text);
    EXPECT_FALSE(set.ok());
    return set.ok() ? "" : std::string(set.status().message());
  }

  testing::TempDir dir_;
  RelationVocabulary vocab_;
};

// The placeholder at `offset` in `s`, e.g. "<ORG:0>".
std::string PlaceholderAt(const std::string& s, size_t offset) {
  size_t end = s.find('>', offset);
  return end == std::string::npos ? "" : s.substr(offset, end - offset + 1);
}

TEST_F(PatternSetTest, ParsesRulesMacrosAndComments) {
  auto set = MustLoad(
      "# a comment\n"
      "\n"
      "define CEO = ceo|chief executive\n"
      "define BOSS = (?:{CEO}|boss)\n"
      "ceo_title\tceo_of\t0.9\t{O:ORG} (?:{BOSS}) {S:PERSON}\r\n"
      "buy\tacquires\t0.8\t{S:ORG} (?:buys|bought) {O:ORG}\n");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->size(), 2u);
  auto matches = set->Match("<ORG:0> chief executive <PERSON:1> said");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].rule->id, "ceo_title");
  EXPECT_EQ(matches[0].rule->relation, "ceo_of");
  EXPECT_DOUBLE_EQ(matches[0].rule->confidence, 0.9);
  EXPECT_EQ(matches[0].rule->source, "{O:ORG} (?:{BOSS}) {S:PERSON}");
}

TEST_F(PatternSetTest, ErrorsNameFileAndLine) {
  struct Case {
    std::string text;
    int line;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"# ok\nr1\tno_such_relation\t0.8\t{S} x {O}\n", 2, "unknown relation"},
      {"r1\tacquires\t1.5\t{S} x {O}\n", 1, "confidence"},
      {"r1\tacquires\tabc\t{S} x {O}\n", 1, "confidence"},
      {"r1\tacquires\t0\t{S} x {O}\n", 1, "confidence"},
      {"\n\nr1\tacquires\t0.8\t{S} buys\n", 3, "{S} and {O}"},
      {"r1\tacquires\t0.8\t{S} buys {S} {O}\n", 1, "twice"},
      {"r1\tacquires\t0.8\t{S} (?:buys {O}\n", 1, "bad regex"},
      {"r1\tacquires\t0.8\t{S} {NOPE} {O}\n", 1, "unknown macro"},
      {"r1\tacquires\t0.8\t{S} {O\n", 1, "unclosed"},
      {"r1 acquires 0.8 {S} buys {O}\n", 1, "expected id<TAB>"},
      {"define BROKEN ceo\n", 1, "define NAME = regex"},
      {"define A = {B}\n", 1, "unknown macro"},
  };
  for (const Case& c : cases) {
    std::string message = LoadError("rules.txt", c.text);
    EXPECT_NE(message.find(absl::StrCat("rules.txt:", c.line, ":")),
              std::string::npos)
        << c.text << " -> " << message;
    EXPECT_NE(message.find(c.says), std::string::npos)
        << c.text << " -> " << message;
  }
}

TEST_F(PatternSetTest, LaterFileErrorNamesThatFile) {
  std::string good = dir_.WriteFile("good.txt", "r1\tacquires\t0.8\t{S} buys {O}\n");
  std::string bad = dir_.WriteFile("bad.txt", "# x\nr2\tacquires\t2\t{S} buys {O}\n");
  auto set = PatternSet::Load({good, bad}, vocab_);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("bad.txt:2:"), absl::string_view::npos)
      << set.status();
}

TEST_F(PatternSetTest, MissingFileIsNotFound) {
  auto set = PatternSet::Load({dir_.Sub("absent.txt")}, vocab_);
  ASSERT_FALSE(set.ok());
  EXPECT_TRUE(absl::IsNotFound(set.status()));
  EXPECT_NE(set.status().message().find("absent.txt"), absl::string_view::npos);
}

TEST_F(PatternSetTest, ExpandPatternMarkers) {
  const std::vector<std::pair<std::string, std::string>> macros = {
      {"DET", "a|the"}};
  auto e = ExpandPattern("{S:ORG} {W} {E} (?:{DET} )?x{1,2} {O:COUNTRY}", macros);
  ASSERT_TRUE(e.ok()) << e.status();
  RE2 re(*e);
  ASSERT_TRUE(re.ok()) << re.error();
  EXPECT_TRUE(RE2::FullMatch("<ORG:0> word <PERSON:4> the xx <GPE:2:c>", re));
  // {W} is one plain word, never an entity.
  EXPECT_FALSE(RE2::FullMatch("<ORG:0> <ORG:7> <PERSON:4> the xx <GPE:2:c>", re));
  // COUNTRY needs the :c mark.
  EXPECT_FALSE(RE2::FullMatch("<ORG:0> word <PERSON:4> the xx <GPE:2>", re));
  EXPECT_FALSE(ExpandPattern("{S} {O} {S}", {}).ok());
  EXPECT_FALSE(ExpandPattern("{S} only", {}).ok());
  EXPECT_FALSE(ExpandPattern("{S} {MISSING} {O}", {}).ok());
}

TEST_F(PatternSetTest, CapturesSubjectObjectAndMatchBounds) {
  auto set = MustLoad(
      "ceo_title\tceo_of\t0.9\t{O:ORG} (?:'s )?ceo {S:PERSON}\n");
  ASSERT_NE(set, nullptr);
  const std::string s = "shares of <ORG:0> 's ceo <PERSON:1> fell";
  auto matches = set->Match(s);
  ASSERT_EQ(matches.size(), 1u);
  const RuleMatch& m = matches[0];
  EXPECT_EQ(PlaceholderAt(s, m.subject_offset), "<PERSON:1>");
  EXPECT_EQ(PlaceholderAt(s, m.object_offset), "<ORG:0>");
  EXPECT_EQ(s.substr(m.match_begin, m.match_end - m.match_begin),
            "<ORG:0> 's ceo <PERSON:1>");
}

TEST_F(PatternSetTest, PlaceholderTypesConstrainMatches) {
  auto set = MustLoad(
      "ceo\tceo_of\t0.9\t{O:ORG} ceo {S:PERSON}\n"
      "in_country\tlocated_in\t0.8\t{S:PLACE} , {O:COUNTRY}\n"
      "any\tworks_for\t0.6\t{S} works at {O:ORG|GPE}\n");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->Match("<ORG:0> ceo <ORG:1>").size(), 0u);
  EXPECT_EQ(set->Match("<PERSON:0> ceo <PERSON:1>").size(), 0u);
  EXPECT_EQ(set->Match("<ORG:0> ceo <PERSON:1>").size(), 1u);
  // PLACE is a GPE that is not a country; COUNTRY one that is.
  EXPECT_EQ(set->Match("<GPE:0> , <GPE:1:c>").size(), 1u);
  EXPECT_EQ(set->Match("<GPE:0:c> , <GPE:1:c>").size(), 0u);
  EXPECT_EQ(set->Match("<GPE:0> , <GPE:1>").size(), 0u);
  // An untyped {S} takes any type; a typed list takes any of its types.
  EXPECT_EQ(set->Match("<PRODUCT:3> works at <GPE:1:c>").size(), 1u);
  EXPECT_EQ(set->Match("<MISC:3> works at <PERSON:1>").size(), 0u);
}

TEST_F(PatternSetTest, RulesInFileOrderAndOverlappingMatches) {
  auto set = MustLoad(
      "general\tacquires\t0.6\t{S:ORG} (?:\\S+ ){0,3}?buys {O:ORG}\n"
      "specific\tacquires\t0.8\tdeal : {S:ORG} buys {O:ORG}\n");
  ASSERT_NE(set, nullptr);
  const std::string s = "deal : <ORG:0> and <ORG:1> buys <ORG:2>";
  auto matches = set->Match(s);
  ASSERT_EQ(matches.size(), 2u);
  // Rule order, then match order: the first rule matches twice, from
  // <ORG:0> and again from the next word on.
  EXPECT_EQ(matches[0].rule->id, "general");
  EXPECT_EQ(PlaceholderAt(s, matches[0].subject_offset), "<ORG:0>");
  EXPECT_EQ(matches[1].rule->id, "general");
  EXPECT_EQ(PlaceholderAt(s, matches[1].subject_offset), "<ORG:1>");
  for (const RuleMatch& m : matches) {
    EXPECT_EQ(PlaceholderAt(s, m.object_offset), "<ORG:2>");
  }
  // Without "deal :" only the general rule could match; with the exact
  // words the specific one does too.
  auto exact = set->Match("deal : <ORG:0> buys <ORG:2>");
  ASSERT_EQ(exact.size(), 2u);
  EXPECT_EQ(exact[0].rule->id, "general");
  EXPECT_EQ(exact[1].rule->id, "specific");
}

TEST_F(PatternSetTest, NoMatchWithoutTheKeyword) {
  auto set = MustLoad("buy\tacquires\t0.8\t{S:ORG} (?:buys|acquires) {O:ORG}\n");
  ASSERT_NE(set, nullptr);
  EXPECT_TRUE(set->Match("<ORG:0> sells <ORG:1>").empty());
  EXPECT_TRUE(set->Match("").empty());
  EXPECT_EQ(set->Match("<ORG:0> acquires <ORG:1>").size(), 1u);
}

// The prefilter works on lowercased literals; rules whose literals are
// uppercase, non-ASCII or case-insensitive must still match.
TEST_F(PatternSetTest, PrefilterKeepsCaseAndUnicodeMatches) {
  auto set = MustLoad(
      "upper\tacquires\t0.8\t{S:ORG} BUYS {O:ORG}\n"
      "caseless\tacquires\t0.8\t{S:ORG} (?i:snaps up) {O:ORG}\n"
      "umlaut\tacquires\t0.8\t{S:ORG} übernimmt {O:ORG}\n"
      "umlaut_upper\tacquires\t0.8\t{S:ORG} ÜBERNAHME VON {O:ORG}\n"
      "escaped\tacquires\t0.8\t{S:ORG} \\xE9tablit {O:ORG}\n");
  ASSERT_NE(set, nullptr);
  auto ids = [&](const std::string& s) {
    std::vector<std::string> out;
    for (const RuleMatch& m : set->Match(s)) out.push_back(m.rule->id);
    return absl::StrJoin(out, ",");
  };
  EXPECT_EQ(ids("<ORG:0> BUYS <ORG:1>"), "upper");
  EXPECT_EQ(ids("<ORG:0> buys <ORG:1>"), "");
  EXPECT_EQ(ids("<ORG:0> SNAPS Up <ORG:1>"), "caseless");
  EXPECT_EQ(ids("<ORG:0> übernimmt <ORG:1>"), "umlaut");
  EXPECT_EQ(ids("<ORG:0> ÜBERNAHME VON <ORG:1>"), "umlaut_upper");
  EXPECT_EQ(ids("<ORG:0> établit <ORG:1>"), "escaped");
}

// Whatever the prefilter skips, Match must equal running every rule's regex
// with the same "next word after the match start" loop.
TEST_F(PatternSetTest, PrefilterNeverChangesMatches) {
  const std::vector<std::string> patterns = {
      "{S:ORG} (?:has |will )?(?:buys|bought|acquires) (?:{W} ){0,2}?{O:ORG}",
      "{O:ORG} (?:was|is) (?:bought|acquired) by {S:ORG|PERSON}",
      "{S:PERSON} , (?:ceo|chief executive) of {O:ORG}",
      "{O:ORG} 's (?:chief executive|ceo) {S:PERSON}",
      "{S:PERSON} (?:\\S+ ){0,4}?works (?:at|for) {O}",
      "{S:GPE} (?:in|of) {O:COUNTRY}",
      "(?:merger|deal) (?:of|between) {S:ORG} and {O:ORG}",
      "{S} {E} {O}",
  };
  const std::vector<std::string> relations = {
      "acquires", "acquires", "ceo_of", "ceo_of",
      "works_for", "located_in", "acquires", "works_for"};
  std::string file;
  for (size_t i = 0; i < patterns.size(); ++i) {
    absl::StrAppend(&file, "r", i, "\t", relations[i], "\t0.7\t", patterns[i],
                    "\n");
  }
  auto set = MustLoad(file);
  ASSERT_NE(set, nullptr);
  std::vector<std::unique_ptr<RE2>> regexes;
  for (const std::string& p : patterns) {
    auto expanded = ExpandPattern(p, {});
    ASSERT_TRUE(expanded.ok());
    regexes.push_back(std::make_unique<RE2>(*expanded));
  }
  const std::vector<std::string> words = {
      "<ORG:0>", "<ORG:1>", "<PERSON:2>", "<GPE:3>", "<GPE:4:c>", "buys",
      "bought", "acquires", "was", "is", "by", "ceo", "chief", "executive",
      "of", ",", "'s", "works", "at", "for", "in", "merger", "deal",
      "between", "and", "has", "will", "the", "Buys", "WORKS"};
  std::mt19937 rng(20240601);
  int nonempty = 0;
  for (int n = 0; n < 6000; ++n) {
    std::vector<std::string> sentence;
    const int length = 2 + static_cast<int>(rng() % 12);
    for (int w = 0; w < length; ++w) sentence.push_back(words[rng() % words.size()]);
    const std::string s = absl::StrJoin(sentence, " ");
    std::vector<std::string> expected;
    for (size_t r = 0; r < regexes.size(); ++r) {
      re2::StringPiece text(s), group;
      size_t pos = 0;
      while (pos <= s.size() && regexes[r]->Match(text, pos, s.size(),
                                                  RE2::UNANCHORED, &group, 1)) {
        size_t begin = group.data() - s.data();
        expected.push_back(absl::StrCat("r", r, "@", begin));
        size_t next = s.find(' ', begin);
        if (next == std::string::npos) break;
        pos = next + 1;
      }
    }
    std::vector<std::string> got;
    for (const RuleMatch& m : set->Match(s)) {
      got.push_back(absl::StrCat(m.rule->id, "@", m.match_begin));
    }
    ASSERT_EQ(got, expected) << s;
    nonempty += !got.empty();
  }
  EXPECT_GT(nonempty, 100);  // The sentences do exercise the rules.
}

}  // namespace
}  // namespace kgraph::ingest
