// Tests of nlp/ner_corpus: the corpus table, the IOB1/IOB2/SpERT/GUM
// readers on small inline inputs (edge cases and errors naming file:line),
// span normalization, and a plausibility pass over the real corpora in
// ../shared, skipped when they are absent.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlp/ner_corpus.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::nlp {
namespace {

const std::string kTable = std::string(KGRAPH_TEST_SOURCE_DIR) + "/data/nlp/ner_corpora.tsv";
const std::string kShared = KGRAPH_TEST_SHARED_DIR;

NerCorpusSpec Spec(const std::string& corpus) {
  absl::StatusOr<NerCorpusSpec> spec = LoadNerCorpusSpec(kTable, corpus);
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.ok() ? *spec : NerCorpusSpec{};
}

// "begin-end:TYPE" for each span, for readable comparisons.
std::vector<std::string> Spans(const Sentence& s) {
  std::vector<std::string> out;
  for (const EntitySpan& e : s.entities) out.push_back(absl::StrCat(e.begin, "-", e.end, ":", e.type));
  return out;
}

using Strings = std::vector<std::string>;

// ---- the corpus table ----

TEST(NerCorpusSpecTest, LoadsEveryCorpusOfTheTable) {
  for (const char* name : {"wikigold", "sec", "uner", "conll04", "gum"}) {
    NerCorpusSpec spec = Spec(name);
    EXPECT_EQ(spec.name, name);
    EXPECT_FALSE(spec.format.empty()) << name;
    EXPECT_FALSE(spec.type_map.empty()) << name;
    EXPECT_TRUE(spec.titles.count("president")) << name;
  }
  NerCorpusSpec uner = Spec("uner");
  EXPECT_EQ(uner.annotated_types, (std::set<std::string>{"PERSON", "ORG", "GPE"}));
  EXPECT_EQ(uner.type_map.at("LOC"), "GPE");
  NerCorpusSpec gum = Spec("gum");
  EXPECT_EQ(gum.type_map.at("time"), "");
  EXPECT_EQ(gum.type_map.at("place"), "GPE");
  EXPECT_TRUE(gum.leading_determiners.count("the"));
  EXPECT_TRUE(Spec("sec").role_words.count("borrower"));
  EXPECT_TRUE(Spec("wikigold").role_words.empty());
  EXPECT_TRUE(Spec("wikigold").leading_determiners.empty());
}

TEST(NerCorpusSpecTest, DefaultTableIsTheSourceTreesOwn) {
  EXPECT_EQ(std::filesystem::path(DefaultNerCorpusTable()).lexically_normal(),
            std::filesystem::path(kTable).lexically_normal());
}

TEST(NerCorpusSpecTest, UnknownCorpusAndMissingFileAreNotFound) {
  absl::StatusOr<NerCorpusSpec> spec = LoadNerCorpusSpec(kTable, "conll03");
  ASSERT_EQ(spec.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(spec.status().message().find("ner_corpora.tsv: no rows for corpus 'conll03'"), std::string::npos)
      << spec.status();
  EXPECT_EQ(LoadNerCorpusSpec("/nonexistent/ner.tsv", "gum").status().code(), absl::StatusCode::kNotFound);
}

TEST(NerCorpusSpecTest, MalformedRowsNameFileAndLine) {
  testing::TempDir dir;
  const std::string ok = "# comment\nx\tformat\tiob1\nx\tannotates\tPERSON\n";
  struct Case {
    std::string extra;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"x\tmap\tPER\tPEOPLE\n", "t.tsv:4: label 'PEOPLE'"},
      {"x\tmap\tPER\n", "t.tsv:4: key 'map' takes 2 value(s), found 1"},
      {"x\tcolour\tred\n", "t.tsv:4: unknown key 'colour'"},
      {"x\tformat\tiob2\n", "t.tsv:4: key 'format' given twice"},
      {"x only spaces\n", "t.tsv:4: expected corpus, key and value"},
      {"x\tannotates2\tPERSON\n", "t.tsv:4: unknown key"},
      {"x\tmap\tORG\tORG\n", "t.tsv:2: corpus 'x' maps 'ORG' to ORG, which its annotates row leaves out"},
      {"x\ttitles\tmissing.txt\n", "t.tsv:4: " + dir.path() + "/missing.txt: cannot open"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.WriteFile("t.tsv", ok + c.extra);
    absl::StatusOr<NerCorpusSpec> spec = LoadNerCorpusSpec(path, "x");
    ASSERT_FALSE(spec.ok()) << c.extra;
    EXPECT_NE(spec.status().message().find(c.want), std::string::npos) << spec.status() << "\nwant: " << c.want;
  }
  const std::string path = dir.WriteFile("t.tsv", "x\tformat\tiob1\n");
  EXPECT_NE(LoadNerCorpusSpec(path, "x").status().message().find("t.tsv:1: corpus 'x' has no annotates row"),
            std::string::npos);
}

// ---- IOB1 (WikiGold, SEC filings) ----

TEST(IobNerTest, Iob1SpansOpenAtIAfterOAndBSplitsSameType) {
  const std::string text =
      "-DOCSTART- O\n"
      "\n"
      "John I-PER\n"    // I- after O (line start) opens a span
      "Smith I-PER\n"
      "met O\n"
      "Mary I-PER\n"
      "Ann B-PER\n"     // B- separates two adjacent PER spans
      "in O\n"
      "New I-LOC\n"
      "York I-LOC\n"
      "Times I-ORG\n"   // I- of another type opens a new span
      ". O\n"
      "\n"
      "-DOCSTART- O\n"
      "Paris I-LOC\n";
  absl::StatusOr<std::vector<Sentence>> got = ParseIobNer(text, "w.conll", Spec("wikigold"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  const Sentence& s = (*got)[0];
  EXPECT_EQ(s.text, "John Smith met Mary Ann in New York Times .");
  EXPECT_EQ(Spans(s), (Strings{"0-2:PERSON", "3-4:PERSON", "4-5:PERSON", "6-8:GPE", "8-9:ORG"}));
  EXPECT_EQ(s.words[3].form, "Mary");
  EXPECT_EQ(s.words[3].start, 15u);
  EXPECT_EQ(s.words[3].end, 19u);
  EXPECT_EQ(s.id, "doc1:3");
  EXPECT_EQ((*got)[1].id, "doc2:15");  // the last sentence needs no blank line
  EXPECT_EQ(Spans((*got)[1]), (Strings{"0-1:GPE"}));
}

TEST(IobNerTest, Iob1TagIsTheLastOfFourColumns) {
  const std::string text =
      "-DOCSTART- -X- O O\n\n"
      "between IN - O\n"
      "SILICON NNP - I-ORG\n"
      "VALLEY NNP - I-ORG\n"
      "and CC - O\n"
      "Borrower NNP - I-PER\n";
  absl::StatusOr<std::vector<Sentence>> got = ParseIobNer(text, "f.conll", Spec("sec"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(Spans((*got)[0]), (Strings{"1-3:ORG", "4-5:PERSON"}));
}

TEST(IobNerTest, MalformedLinesNameFileAndLine) {
  const NerCorpusSpec spec = Spec("wikigold");
  struct Case {
    std::string text, want;
  };
  for (const Case& c : std::vector<Case>{
           {"a O\nb\n", "w.conll:2: expected a form and a tag"},
           {"a O\n\nb X-PER\n", "w.conll:3: tag 'X-PER' is not O, B-TYPE or I-TYPE"},
           {"a I-\n", "w.conll:1: tag 'I-' is not"},
           {"a O\nb I-PEOPLE\n", "w.conll:2: entity type 'PEOPLE' has no map row for corpus 'wikigold'"},
       }) {
    absl::StatusOr<std::vector<Sentence>> got = ParseIobNer(c.text, "w.conll", spec);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.status().message().find(c.want), std::string::npos) << got.status() << "\nwant: " << c.want;
  }
}

// ---- IOB2 (UniversalNER) ----

TEST(IobNerTest, Iob2ReadsTabbedColumnsCommentsAndSentIds) {
  const std::string text =
      "# newdoc id = d1\n"
      "# sent_id = d1-0001\n"
      "# text = in tampa bay , Bob Ray\n"
      "1\tin\tO\t-\t-\n"
      "2\ttampa\tB-LOC\t-\tstephen\n"
      "3\tbay\tI-LOC\t-\tstephen\n"
      "4\t,\tO\t-\t-\n"
      "5\tBob\tB-PER\t-\t-\n"
      "6\tRay\tB-PER\t-\t-\n"
      "\n"
      "# sent_id = d1-0002\n"
      "1\tIBM\tI-ORG\t-\t-\n"   // invalid IOB2 (I- after nothing), read as conlleval does
      "\n";
  absl::StatusOr<std::vector<Sentence>> got = ParseIobNer(text, "u.iob2", Spec("uner"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].id, "d1-0001");
  EXPECT_EQ((*got)[0].text, "in tampa bay , Bob Ray");
  EXPECT_EQ(Spans((*got)[0]), (Strings{"1-3:GPE", "4-5:PERSON", "5-6:PERSON"}));
  EXPECT_EQ((*got)[1].id, "d1-0002");
  EXPECT_EQ(Spans((*got)[1]), (Strings{"0-1:ORG"}));
}

TEST(IobNerTest, Iob2ErrorsNameFileAndLine) {
  absl::StatusOr<std::vector<Sentence>> got =
      ParseIobNer("# c\n1\ta\tO\n2 b O\n", "u.iob2", Spec("uner"));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("u.iob2:3: expected ID, FORM and TAG separated by tabs"),
            std::string::npos)
      << got.status();
  got = ParseIobNer("1\ta\tB-MISC\n", "u.iob2", Spec("uner"));  // UNER has no MISC row
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("u.iob2:1: entity type 'MISC'"), std::string::npos) << got.status();
}

// ---- SpERT JSON (CoNLL04) ----

TEST(SpertNerTest, ReadsTokensAndExclusiveEnds) {
  const std::string json = R"([
    {"tokens": ["John", "Wilkes", "Booth", ",", "who", "assassinated", "President", "Lincoln", "."],
     "entities": [{"type": "Peop", "start": 6, "end": 8}, {"type": "Peop", "start": 0, "end": 3}],
     "relations": [{"type": "Kill", "head": 1, "tail": 0}], "orig_id": 5178},
    {"tokens": ["In", "June", "30", "Paris"],
     "entities": [{"type": "Other", "start": 1, "end": 3}, {"type": "Loc", "start": 3, "end": 4}]}
  ])";
  absl::StatusOr<std::vector<Sentence>> got = ParseSpertNer(json, "c.json", Spec("conll04"));
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].id, "5178");
  EXPECT_EQ(Spans((*got)[0]), (Strings{"0-3:PERSON", "6-8:PERSON"}));
  EXPECT_EQ(Spans((*got)[1]), (Strings{"1-3:MISC", "3-4:GPE"}));
}

TEST(SpertNerTest, ErrorsNameFileAndLineOrSentence) {
  const NerCorpusSpec spec = Spec("conll04");
  absl::StatusOr<std::vector<Sentence>> got = ParseSpertNer("[\n{\"tokens\": [\"a\"],\n oops}]", "c.json", spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("c.json:3: bad JSON"), std::string::npos) << got.status();
  got = ParseSpertNer(R"([{"tokens": ["a"]}, {"tokens": ["a", "b"], "entities": [{"type": "Org", "start": 1, "end": 3}]}])",
                      "c.json", spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("c.json: sentence 1: entity [1, 3) is not inside its 2 tokens"),
            std::string::npos)
      << got.status();
  got = ParseSpertNer(R"([{"tokens": ["a"], "entities": [{"type": "Person", "start": 0, "end": 1}]}])", "c.json",
                      spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("c.json: sentence 0: entity type 'Person'"), std::string::npos)
      << got.status();
}

// ---- GUM (CoNLL-U Entity= in MISC) ----

// Words as "form upos head deprel misc", one per element.
Sentence Conllu(const std::vector<std::string>& rows, const std::string& id = "s1") {
  Sentence s;
  s.id = id;
  for (const std::string& r : rows) {
    std::vector<std::string> c = absl::StrSplit(r, ' ');
    Word w;
    w.form = c[0];
    w.upos = c[1];
    w.head = std::stoi(c[2]);
    w.deprel = c[3];
    w.misc = c[4];
    s.words.push_back(w);
  }
  return s;
}

TEST(GumNerTest, StackedMentionsKeepTheOutermostName) {
  // From GUM_bio_byron-2: "his ... education at Aberdeen Grammar School".
  Sentence s = Conllu({
      "Byron PROPN 2 nsubj Entity=(3-person-new-sssss-cf1-1-coref-Lord_Byron)",
      "received VERB 0 root _",
      "his PRON 4 nmod:poss Entity=(1-abstract-giv:act-snnns-cf2*-4,6,7-coref(3-person-giv:act-sssss-cf1-1-ana-Lord_Byron)",
      "education NOUN 2 obj _",
      "at ADP 8 case _",
      "Aberdeen PROPN 8 compound Entity=(4-organization-new-snnnn-cf5-1,2,3-coref-Aberdeen_Grammar_School(5-place-new-snnnn-cf10-1-sgl-Aberdeen)",
      "Grammar PROPN 8 compound _",
      "School PROPN 4 nmod Entity=4)1)|SpaceAfter=No",
      "in ADP 10 case _",
      "August PROPN 2 obl Entity=(6-time-new-nnnnn-cf6-1-sgl|XML=<date>",
      "1799 NUM 10 nmod Entity=(7-time-new-nnnnn-cf8-1-sgl)6)",
  });
  absl::StatusOr<std::vector<Sentence>> got = GumNerSentences({s}, Spec("gum"));
  ASSERT_TRUE(got.ok()) << got.status();
  // "his" is a PRON-headed person mention, "his ... School" is headed by the
  // NOUN "education", "Aberdeen" is inside the ORG, "August 1799" is time.
  EXPECT_EQ(Spans((*got)[0]), (Strings{"0-1:PERSON", "5-8:ORG"}));
}

TEST(GumNerTest, CommonNounHeadsAreNotNamesAndClausesLeaveTheName) {
  Sentence s = Conllu({
      "the DET 2 det Entity=(8-organization-new-nnsnn-cf3-2,4,6-coref",
      "school NOUN 0 root _",
      "of ADP 5 case _",
      "Dr. PROPN 5 nmod:desc Entity=(9-person-new-nnnnn-cf4-1,2,3-sgl-William_Glennie",
      "William PROPN 2 nmod _",
      "Glennie PROPN 5 flat Entity=9)|SpaceAfter=No",
      ", PUNCT 9 punct _",
      "who PRON 9 nsubj _",
      "taught VERB 2 acl:relcl Entity=8)",
      "John PROPN 0 root Entity=(20-person-new-x-x-1-sgl",
      "Smith PROPN 10 flat _",
      ", PUNCT 14 punct _",
      "who PRON 14 nsubj _",
      "lived VERB 10 acl:relcl Entity=20)",
  });
  absl::StatusOr<std::vector<Sentence>> got = GumNerSentences({s}, Spec("gum"));
  ASSERT_TRUE(got.ok()) << got.status();
  // The school mention is headed by a NOUN; Glennie's mention keeps its
  // title here (NormalizeNerSentences drops it); John Smith's mention loses
  // its relative clause and the comma before it.
  EXPECT_EQ(Spans((*got)[0]), (Strings{"3-6:PERSON", "9-11:PERSON"}));
}

TEST(GumNerTest, PossessorsCommaPhrasesAndForeignPrepositionsLeaveTheName) {
  Sentence s = Conllu({
      "Newton PROPN 3 nmod:poss Entity=(1-object-new-x-x-1-sgl(2-person-new-x-x-1-sgl)",
      "'s PART 1 case _",
      "Principia PROPN 0 root Entity=1)",
      "City PROPN 5 compound Entity=(3-place-new-x-x-1-sgl",
      "Hall PROPN 3 conj _",
      "in ADP 8 case _",
      "New PROPN 8 compound Entity=(4-place-new-x-x-1-sgl",
      "York PROPN 5 nmod Entity=4)",
      ", PUNCT 11 punct _",
      "South PROPN 11 compound _",
      "Carolina PROPN 8 nmod:unmarked Entity=3)",
      "Bank PROPN 3 conj Entity=(5-organization-new-x-x-1-sgl",
      "of ADP 14 case _",
      "America PROPN 12 nmod _",
      "( PUNCT 16 punct _",
      "BofA PROPN 12 appos _",
      ") PUNCT 16 punct Entity=5)",
  });
  absl::StatusOr<std::vector<Sentence>> got = GumNerSentences({s}, Spec("gum"));
  ASSERT_TRUE(got.ok()) << got.status();
  // "Newton 's Principia" -> PERSON Newton (without 's) and MISC Principia;
  // "City Hall in New York, South Carolina" -> "City Hall" and the inner
  // "New York"; the bracketed apposition leaves "Bank of America".
  EXPECT_EQ(Spans((*got)[0]), (Strings{"0-1:PERSON", "2-3:MISC", "3-5:GPE", "6-8:GPE", "11-14:ORG"}));
}

TEST(NormalizeNerTest, TitleBeforeALowerCaseWordIsARoleAndStays) {
  absl::StatusOr<std::vector<Sentence>> read = ParseSpertNer(
      R"([{"tokens": ["Professor", "of", "Linguistics", "Prof.", "Lakoff"],
           "entities": [{"type": "Peop", "start": 0, "end": 3}, {"type": "Peop", "start": 3, "end": 5}]}])",
      "c.json", Spec("conll04"));
  ASSERT_TRUE(read.ok()) << read.status();
  std::vector<NerSentence> got = NormalizeNerSentences(*read, Spec("conll04"));
  EXPECT_EQ(Spans(got[0].sentence), (Strings{"0-3:PERSON", "4-5:PERSON"}));
}

TEST(GumNerTest, MalformedMentionsNameSentenceAndWord) {
  const NerCorpusSpec spec = Spec("gum");
  absl::StatusOr<std::vector<Sentence>> got =
      GumNerSentences({Conllu({"a PROPN 0 root Entity=(1-person-x", "b PROPN 1 flat _"}, "doc-7")}, spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("sentence doc-7: mention 1 opened at word 1 is not closed"),
            std::string::npos)
      << got.status();
  got = GumNerSentences({Conllu({"a PROPN 0 root _", "b PROPN 1 flat Entity=2)"}, "doc-8")}, spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("sentence doc-8 word 2: mention 2 closed but not open"), std::string::npos)
      << got.status();
  got = GumNerSentences({Conllu({"a PROPN 0 root Entity=(3-robot-new)"}, "doc-9")}, spec);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("sentence doc-9 word 1: entity type 'robot'"), std::string::npos)
      << got.status();
}

// ---- normalization ----

TEST(NormalizeNerTest, DropsDeterminersAndTitles) {
  Sentence s = Conllu({
      "the DET 2 det Entity=(1-place-new-x-x-1-sgl",
      "United PROPN 3 amod _",
      "States PROPN 0 root Entity=1)",
      "President PROPN 5 compound Entity=(2-person-new-x-x-1-sgl",
      "Lincoln PROPN 3 appos Entity=2)",
      "Dr. PROPN 7 compound Entity=(3-person-new-x-x-1-sgl",
      "King PROPN 3 appos Entity=3)",  // the last word is never dropped
      "The DET 9 det Entity=(4-organization-new-x-x-1-sgl",
      "Beatles PROPN 3 appos Entity=4)",
  });
  absl::StatusOr<std::vector<Sentence>> gum = GumNerSentences({s}, Spec("gum"));
  ASSERT_TRUE(gum.ok()) << gum.status();
  std::vector<NerSentence> got = NormalizeNerSentences(*gum, Spec("gum"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Spans(got[0].sentence), (Strings{"1-3:GPE", "4-5:PERSON", "6-7:PERSON", "8-9:ORG"}));
  EXPECT_TRUE(got[0].masked.empty());

  // CoNLL04 keeps determiners (no determiners row) but drops titles, and
  // only from PERSON spans.
  absl::StatusOr<std::vector<Sentence>> c04 = ParseSpertNer(
      R"([{"tokens": ["the", "President", "Lincoln", "King", "Corp"],
           "entities": [{"type": "Peop", "start": 1, "end": 3}, {"type": "Org", "start": 3, "end": 5},
                        {"type": "Loc", "start": 0, "end": 1}]}])",
      "c.json", Spec("conll04"));
  ASSERT_TRUE(c04.ok()) << c04.status();
  got = NormalizeNerSentences(*c04, Spec("conll04"));
  EXPECT_EQ(Spans(got[0].sentence), (Strings{"0-1:GPE", "2-3:PERSON", "3-5:ORG"}));
}

TEST(NormalizeNerTest, SecRoleWordSpansAreRemovedAndMasked) {
  const std::string text =
      "the O\n"
      "Borrower I-PER\n"
      "and O\n"
      "the O\n"
      "Lender I-PER\n"
      "Lenders I-PER\n"  // one span of two role words
      ", O\n"
      "Mr. I-PER\n"
      "Zhang I-PER\n"
      "Jilun I-PER\n"
      "Borrower I-ORG\n";  // role words are masked in PERSON spans only
  absl::StatusOr<std::vector<Sentence>> read = ParseIobNer(text, "f.conll", Spec("sec"));
  ASSERT_TRUE(read.ok()) << read.status();
  std::vector<NerSentence> got = NormalizeNerSentences(*read, Spec("sec"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Spans(got[0].sentence), (Strings{"8-10:PERSON", "10-11:ORG"}));
  const std::vector<std::pair<size_t, size_t>> want = {{1, 2}, {4, 6}};
  EXPECT_EQ(got[0].masked, want);
}

// ---- the real corpora ----

void CheckAndReport(const std::string& label, const NerCorpusSpec& spec, const std::vector<Sentence>& read) {
  std::vector<NerSentence> norm = NormalizeNerSentences(read, spec);
  std::map<std::string, size_t> raw, kept;
  size_t words = 0, masked_spans = 0, masked_words = 0, trimmed = 0;
  for (const Sentence& s : read) {
    words += s.words.size();
    for (const EntitySpan& e : s.entities) {
      ++raw[e.type];
      EXPECT_LT(e.begin, e.end) << label << " " << s.id;
      EXPECT_LE(e.end, s.words.size()) << label << " " << s.id;
      EXPECT_TRUE(spec.annotated_types.count(e.type)) << label << " " << e.type;
    }
  }
  for (size_t n = 0; n < norm.size(); ++n) {
    const NerSentence& ns = norm[n];
    for (const EntitySpan& e : ns.sentence.entities) ++kept[e.type];
    for (const EntitySpan& e : read[n].entities) {
      bool same = false;
      for (const EntitySpan& k : ns.sentence.entities) same |= k.begin == e.begin && k.end == e.end;
      bool masked = false;
      for (const auto& [b, end] : ns.masked) masked |= e.end == end;
      trimmed += !same && !masked;
    }
    for (const auto& [b, e] : ns.masked) {
      ++masked_spans;
      masked_words += e - b;
    }
  }
  EXPECT_GT(read.size(), 0u) << label;
  EXPECT_FALSE(raw.empty()) << label;
  std::string report = absl::StrCat(label, ": ", read.size(), " sentences, ", words, " words; spans read");
  for (const auto& [t, n] : raw) absl::StrAppend(&report, " ", t, "=", n);
  absl::StrAppend(&report, "; after normalization");
  for (const auto& [t, n] : kept) absl::StrAppend(&report, " ", t, "=", n);
  absl::StrAppend(&report, " (", trimmed, " trimmed); masked ", masked_spans, " spans (", masked_words, " words)");
  std::printf("%s\n", report.c_str());
  ::testing::Test::RecordProperty(label, report);
}

TEST(NerCorpusRealFilesTest, ReadsTheSharedCorporaWithPlausibleCounts) {
  if (!std::filesystem::exists(kShared + "/nlp/ner") || !std::filesystem::exists(kShared + "/eval/conll04")) {
    GTEST_SKIP() << kShared << "/nlp/ner or /eval/conll04 is absent: the real corpora are not on this machine";
  }
  struct File {
    std::string corpus, path;
  };
  for (const File& f : std::vector<File>{
           {"wikigold", "/nlp/ner/wikigold/wikigold.conll"},
           {"sec", "/nlp/ner/sec-filings/FIN5.conll"},
           {"sec", "/nlp/ner/sec-filings/FIN3.conll"},
           {"uner", "/nlp/ner/uner-ewt/en_ewt-ud-dev.iob2"},
           {"conll04", "/eval/conll04/conll04_train.json"},
           {"conll04", "/eval/conll04/conll04_dev.json"},
       }) {
    const NerCorpusSpec spec = Spec(f.corpus);
    absl::StatusOr<std::vector<Sentence>> read = ReadNerCorpus(kShared + f.path, spec);
    ASSERT_TRUE(read.ok()) << read.status();
    CheckAndReport(f.path, spec, *read);
  }
  for (const char* path : {"/nlp/ud-gum/en_gum-ud-train.conllu", "/nlp/ud-gum/en_gum-ud-dev.conllu"}) {
    if (!std::filesystem::exists(kShared + path)) continue;
    const NerCorpusSpec spec = Spec("gum");
    absl::StatusOr<std::vector<Sentence>> read = ReadNerCorpus(kShared + path, spec);
    ASSERT_TRUE(read.ok()) << read.status();
    CheckAndReport(path, spec, *read);
  }
}

}  // namespace
}  // namespace kgraph::nlp
