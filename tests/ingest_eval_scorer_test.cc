// Eval scorer, per /work/shared/eval/FORMAT.md: name keys, lenient suffix
// match (shorter key at least 4 characters), broader relations, symmetric
// relations, required:false triples, micro-averaging over documents. Gold and
// predictions are hand-made.
#include "ingest/eval_scorer.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace kgraph::ingest {
namespace {

constexpr char kRelations[] =
    "acquires\tORG|PERSON\tORG|PRODUCT\t-\tno\tbuys\n"
    "merges_with\tORG\tORG\t-\tyes\tcombines\n"
    "works_for\tPERSON\tORG|GPE\t-\tno\temployed by\n"
    "ceo_of\tPERSON\tORG\tworks_for\tno\truns\n";

class EvalScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vocab =
        RelationVocabulary::Load({dir_.WriteFile("relations.tsv", kRelations)});
    ASSERT_TRUE(vocab.ok()) << vocab.status();
    vocab_ = std::move(*vocab);
  }

  EvalReport ScoreOne(const GoldDocument& gold,
                      const ExtractedDocument& predicted) {
    return Score({gold}, {predicted}, vocab_);
  }

  testing::TempDir dir_;
  RelationVocabulary vocab_;
};

ExtractedEntity Entity(const std::string& name, const std::string& type,
                       std::vector<std::string> aliases = {}) {
  ExtractedEntity e;
  e.name = name;
  e.type = type;
  e.aliases = std::move(aliases);
  return e;
}

ExtractedTriple Triple(const std::string& s, const std::string& r,
                       const std::string& o) {
  ExtractedTriple t;
  t.subject = s;
  t.relation = r;
  t.object = o;
  t.confidence = 0.8;
  t.rule = "test";
  return t;
}

void ExpectCounts(const Counts& c, int tp, int fp, int found, int gold) {
  EXPECT_EQ(c.tp, tp);
  EXPECT_EQ(c.fp, fp);
  EXPECT_EQ(c.found, found);
  EXPECT_EQ(c.gold, gold);
}

TEST(KeysMatchTest, StrictNeedsEqualKeys) {
  EXPECT_TRUE(KeysMatch({"acmefoods"}, {"acmefoods"}, false));
  EXPECT_TRUE(KeysMatch({"x", "acmefoods"}, {"acmefoods", "y"}, false));
  EXPECT_FALSE(KeysMatch({"acmefoods"}, {"acme"}, false));
  EXPECT_FALSE(KeysMatch({}, {"acme"}, true));
}

TEST(KeysMatchTest, LenientSuffixOfAtLeastFourCharacters) {
  EXPECT_TRUE(KeysMatch({"governormiller"}, {"miller"}, true));
  EXPECT_TRUE(KeysMatch({"miller"}, {"governormiller"}, true));
  EXPECT_TRUE(KeysMatch({"bigfoot"}, {"foot"}, true));  // Exactly four.
  EXPECT_FALSE(KeysMatch({"bigfox"}, {"fox"}, true));   // Three: too short.
  // A prefix is not a suffix.
  EXPECT_FALSE(KeysMatch({"governormiller"}, {"governor"}, true));
  EXPECT_FALSE(KeysMatch({"governormiller"}, {"miller"}, false));
}

TEST_F(EvalScorerTest, EntityNamesCompareByNameKeyAndAliases) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Orchid Bros. Logistics", "ORG", {}},
                {"Maria O'Neill-Ruiz", "PERSON", {}},
                {"Tallinn", "GPE", {"Reval"}}};
  ExtractedDocument p;
  p.entities = {Entity("orchid bros logistics", "ORG"),
                Entity("Maria O Neill Ruiz", "PERSON"),
                Entity("Old Reval", "GPE", {"REVAL"})};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.entities_strict, 3, 0, 3, 3);
  EXPECT_TRUE(r.false_positives.empty());
  EXPECT_TRUE(r.misses.empty());
}

TEST_F(EvalScorerTest, EntityTypeMustMatch) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Harrow Dynamics", "ORG", {}}};
  ExtractedDocument p;
  p.entities = {Entity("Harrow Dynamics", "PERSON")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.entities_strict, 0, 1, 0, 1);
  ASSERT_EQ(r.false_positives.size(), 1u);
  EXPECT_NE(r.false_positives[0].find("Harrow Dynamics (PERSON)"),
            std::string::npos);
  ASSERT_EQ(r.misses.size(), 1u);
  EXPECT_EQ(r.entity_type_strict["ORG"].gold, 1);
  EXPECT_EQ(r.entity_type_strict["PERSON"].fp, 1);
}

TEST_F(EvalScorerTest, LenientEntityMatchBySuffix) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Mayor Ilse Brandt", "PERSON", {}}, {"Kew Ox", "ORG", {}}};
  ExtractedDocument p;
  p.entities = {Entity("Ilse Brandt", "PERSON"), Entity("Ox", "ORG")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.entities_strict, 0, 2, 0, 2);
  // "ilsebrandt" is a suffix of "mayorilsebrandt"; "ox" is too short.
  ExpectCounts(r.entities_lenient, 1, 1, 1, 2);
}

TEST_F(EvalScorerTest, TripleNeedsSubjectObjectAndRelation) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Pell Mining", "ORG", {}}, {"Corvo Metals", "ORG", {}}};
  g.triples = {{"Pell Mining", "acquires", "Corvo Metals", true}};
  ExtractedDocument p;
  p.entities = {Entity("Pell Mining", "ORG"), Entity("Corvo Metals", "ORG")};
  p.triples = {Triple("Pell Mining", "acquires", "Corvo Metals"),
               Triple("Corvo Metals", "acquires", "Pell Mining"),
               Triple("Pell Mining", "merges_with", "Corvo Metals")};
  EvalReport r = ScoreOne(g, p);
  // acquires is not symmetric: the reversed triple is wrong, and so is the
  // wrong relation.
  ExpectCounts(r.triples_strict, 1, 2, 1, 1);
  EXPECT_EQ(r.relation_strict["acquires"].tp, 1);
  EXPECT_EQ(r.relation_strict["acquires"].fp, 1);
  EXPECT_EQ(r.relation_strict["merges_with"].fp, 1);
}

// Each miss says why, as far as the extraction shows: a name not found, the
// dependency path between the two names (with a cue that dropped a match),
// or no path recorded for the pair.
TEST_F(EvalScorerTest, MissesSayWhy) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Pell Mining", "ORG", {}},  {"Corvo Metals", "ORG", {}}, {"Tarn Oil", "ORG", {}},
                {"Ruel Gas", "ORG", {}},     {"Ivo Salt", "ORG", {}},     {"Ansel Ore", "ORG", {}},
                {"Brisk Tin", "ORG", {}}};
  g.triples = {{"Pell Mining", "acquires", "Corvo Metals", true},
               {"Pell Mining", "acquires", "Tarn Oil", true},
               {"Pell Mining", "acquires", "Ruel Gas", true},
               {"Ivo Salt", "acquires", "Ruel Gas", true},
               {"Ivo Salt", "acquires", "Tarn Oil", true},
               {"Pell Mining", "acquires", "Ansel Ore", true},
               {"Pell Mining", "acquires", "Brisk Tin", true}};
  ExtractedDocument p;
  p.entities = {Entity("Pell Mining Corp", "ORG", {"Pell Mining"}), Entity("Corvo Metals", "ORG"),
                Entity("Ruel Gas", "ORG"), Entity("Ansel Ore", "ORG"), Entity("Brisk Tin", "ORG")};
  p.paths_recorded = true;
  // The pair met twice: the real path is shown, not the empty one.
  p.paths = {{"Pell Mining Corp", "Corvo Metals", "", ""},
             {"Pell Mining Corp", "Corvo Metals", "^nsubj complete >obl:unmarked", ""},
             {"Corvo Metals", "Pell Mining Corp", "^obl:unmarked complete >nsubj", ""},
             {"Pell Mining Corp", "Ansel Ore", "", ""},
             {"Pell Mining Corp", "Brisk Tin", "^nsubj deny >ccomp buy >obj", "negated"}};
  auto triple_misses = [](const EvalReport& report) {
    std::vector<std::string> out;
    for (const std::string& m : report.misses) {
      if (m.find("  triple  ") != std::string::npos) out.push_back(m);
    }
    return out;
  };
  std::vector<std::string> misses = triple_misses(ScoreOne(g, p));
  ASSERT_EQ(misses.size(), 7u);
  EXPECT_NE(misses[0].find("(Pell Mining, acquires, Corvo Metals)  [path ^nsubj complete >obl:unmarked]"),
            std::string::npos)
      << misses[0];
  EXPECT_NE(misses[1].find("[object not found]"), std::string::npos) << misses[1];
  EXPECT_NE(misses[2].find("[no path recorded for the pair]"), std::string::npos) << misses[2];
  EXPECT_NE(misses[3].find("[subject not found]"), std::string::npos) << misses[3];
  EXPECT_NE(misses[4].find("[neither name found]"), std::string::npos) << misses[4];
  EXPECT_NE(misses[5].find("[no dependency path"), std::string::npos) << misses[5];
  EXPECT_NE(misses[6].find("[path ^nsubj deny >ccomp buy >obj, negated]"), std::string::npos)
      << misses[6];
  // Without recorded paths (a --pred file), only what the names show.
  p.paths_recorded = false;
  p.paths.clear();
  misses = triple_misses(ScoreOne(g, p));
  ASSERT_EQ(misses.size(), 7u);
  EXPECT_EQ(misses[0].find('['), std::string::npos) << misses[0];
  EXPECT_NE(misses[1].find("[object not found]"), std::string::npos) << misses[1];
}

TEST_F(EvalScorerTest, TripleNamesResolveThroughAliases) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Dana Whitlow", "PERSON", {}},
                {"Lumen Robotics Inc", "ORG", {"Lumen"}}};
  g.triples = {{"Dana Whitlow", "works_for", "Lumen", true}};
  ExtractedDocument p;
  p.entities = {Entity("Dana Whitlow", "PERSON"),
                Entity("Lumen Robotics", "ORG", {"Lumen"})};
  p.triples = {Triple("Dana Whitlow", "works_for", "Lumen Robotics")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.triples_strict, 1, 0, 1, 1);
}

TEST_F(EvalScorerTest, OnlyAnnotatedRelationsAndTypesAreScored) {
  // A FIRE-style line: it annotates works_for and ORG/PERSON only.
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Dana Whitlow", "PERSON", {}}, {"Lumen Robotics", "ORG", {}}};
  g.triples = {{"Dana Whitlow", "works_for", "Lumen Robotics", true}};
  g.annotated_relations = {"works_for"};
  g.annotated_entity_types = {"ORG", "PERSON"};
  ExtractedDocument p;
  p.entities = {Entity("Dana Whitlow", "PERSON"), Entity("Lumen Robotics", "ORG"),
                Entity("Oslo", "GPE"), Entity("Fenwick Tools", "ORG")};
  // ceo_of counts (its broader relation is annotated) and is wrong here;
  // acquires is not annotated, so it is neither right nor wrong.
  p.triples = {Triple("Dana Whitlow", "works_for", "Lumen Robotics"),
               Triple("Dana Whitlow", "ceo_of", "Fenwick Tools"),
               Triple("Lumen Robotics", "acquires", "Fenwick Tools")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.triples_strict, 1, 1, 1, 1);
  // Oslo (GPE) is not scored; Fenwick Tools (ORG) is a false positive.
  ExpectCounts(r.entities_strict, 2, 1, 2, 2);
}

TEST_F(EvalScorerTest, BroaderRelationCountsOneWayOnly) {
  GoldDocument g;
  g.doc = "d1";
  g.triples = {{"Dana Whitlow", "works_for", "Lumen Robotics", true},
               {"Oskar Lind", "ceo_of", "Fenwick Tools", true}};
  ExtractedDocument p;
  // ceo_of's broader relation is works_for: it satisfies a works_for gold
  // triple. The reverse does not hold.
  p.triples = {Triple("Dana Whitlow", "ceo_of", "Lumen Robotics"),
               Triple("Oskar Lind", "works_for", "Fenwick Tools")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.triples_strict, 1, 1, 1, 2);
  EXPECT_EQ(r.relation_strict["works_for"].found, 1);
  EXPECT_EQ(r.relation_strict["ceo_of"].tp, 1);
  EXPECT_EQ(r.relation_strict["works_for"].fp, 1);
  EXPECT_EQ(r.relation_strict["ceo_of"].found, 0);
}

TEST_F(EvalScorerTest, SymmetricRelationMatchesEitherDirection) {
  GoldDocument g;
  g.doc = "d1";
  g.triples = {{"Pell Mining", "merges_with", "Corvo Metals", true}};
  ExtractedDocument p;
  p.triples = {Triple("Corvo Metals", "merges_with", "Pell Mining")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.triples_strict, 1, 0, 1, 1);
}

TEST_F(EvalScorerTest, OptionalTriplesNeitherMissedNorFalsePositive) {
  GoldDocument g;
  g.doc = "d1";
  g.triples = {{"Pell Mining", "acquires", "Corvo Metals", true},
               {"Oskar Lind", "works_for", "Pell Mining", false},
               {"Oskar Lind", "works_for", "Fenwick Tools", false}};
  ExtractedDocument p;
  p.triples = {Triple("Oskar Lind", "works_for", "Pell Mining")};
  EvalReport r = ScoreOne(g, p);
  // Only the required triple counts as gold; it was missed. The optional one
  // produced is not a false positive, and the optional one missed is not a
  // miss.
  ExpectCounts(r.triples_strict, 0, 0, 0, 1);
  ASSERT_EQ(r.misses.size(), 1u);
  EXPECT_NE(r.misses[0].find("(Pell Mining, acquires, Corvo Metals)"),
            std::string::npos);
  EXPECT_TRUE(r.false_positives.empty());
}

TEST_F(EvalScorerTest, LenientTripleMatch) {
  GoldDocument g;
  g.doc = "d1";
  g.triples = {{"Senator Ada Quill", "works_for", "Harbor Party", true}};
  ExtractedDocument p;
  p.triples = {Triple("Ada Quill", "works_for", "Harbor Party")};
  EvalReport r = ScoreOne(g, p);
  ExpectCounts(r.triples_strict, 0, 1, 0, 1);
  ExpectCounts(r.triples_lenient, 1, 0, 1, 1);
}

TEST_F(EvalScorerTest, MicroAveragesOverDocuments) {
  GoldDocument a;
  a.doc = "a";
  a.triples = {{"Pell Mining", "acquires", "Corvo Metals", true}};
  GoldDocument b;
  b.doc = "b";
  b.triples = {{"Ira Moss", "works_for", "Kestrel Bank", true},
               {"Lu Feng", "works_for", "Kestrel Bank", true},
               {"Tom Achebe", "works_for", "Kestrel Bank", true}};
  ExtractedDocument pa;
  pa.triples = {Triple("Pell Mining", "acquires", "Corvo Metals")};
  ExtractedDocument pb;
  pb.triples = {Triple("Ira Moss", "works_for", "Harbor Party")};
  EvalReport r = Score({a, b}, {pa, pb}, vocab_);
  ExpectCounts(r.triples_strict, 1, 1, 1, 4);
  // Micro: 1 of 4 found, not the mean of 1/1 and 0/3.
  EXPECT_DOUBLE_EQ(r.triples_strict.Recall(), 0.25);
  EXPECT_DOUBLE_EQ(r.triples_strict.Precision(), 0.5);
  EXPECT_NEAR(r.triples_strict.F1(), 2 * 0.5 * 0.25 / 0.75, 1e-12);
}

TEST_F(EvalScorerTest, MissingPredictionMissesEverything) {
  GoldDocument g;
  g.doc = "d1";
  g.entities = {{"Pell Mining", "ORG", {}}};
  g.triples = {{"Pell Mining", "acquires", "Corvo Metals", true}};
  EvalReport r = Score({g}, {}, vocab_);
  ExpectCounts(r.entities_strict, 0, 0, 0, 1);
  ExpectCounts(r.triples_strict, 0, 0, 0, 1);
  EXPECT_EQ(r.triples_strict.F1(), 0.0);
  EXPECT_EQ(r.triples_strict.Precision(), 0.0);
}

TEST_F(EvalScorerTest, LoadGoldReadsFieldsAndNamesBadLines) {
  std::string path = dir_.WriteFile(
      "gold.jsonl",
      "{\"doc\": \"page.txt\", \"article\": 2, \"title\": \"T\", "
      "\"entities\": [{\"name\": \"Pell Mining\", \"type\": \"ORG\", "
      "\"aliases\": [\"Pell\"]}], \"triples\": [{\"subject\": \"a\", "
      "\"relation\": \"acquires\", \"object\": \"b\"}, {\"subject\": \"c\", "
      "\"relation\": \"acquires\", \"object\": \"d\", \"required\": false}]}\n"
      "\n");
  auto gold = LoadGold(path);
  ASSERT_TRUE(gold.ok()) << gold.status();
  ASSERT_EQ(gold->size(), 1u);
  const GoldDocument& g = (*gold)[0];
  EXPECT_EQ(g.doc, "page.txt");
  EXPECT_EQ(g.article, 2);
  EXPECT_EQ(g.entities[0].aliases, std::vector<std::string>{"Pell"});
  ASSERT_EQ(g.triples.size(), 2u);
  EXPECT_TRUE(g.triples[0].required);  // Default.
  EXPECT_FALSE(g.triples[1].required);

  std::string bad = dir_.WriteFile("bad.jsonl", "{\"doc\": \"x\"}\n{\"doc\": \n");
  auto broken = LoadGold(bad);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("bad.jsonl:2:"),
            absl::string_view::npos)
      << broken.status();
  EXPECT_TRUE(absl::IsNotFound(LoadGold(dir_.Sub("none.jsonl")).status()));
}

TEST_F(EvalScorerTest, AlignsPredictionsByIdThenTitle) {
  GoldDocument by_id;
  by_id.doc = "page.txt";
  by_id.article = 1;
  GoldDocument by_title;
  by_title.doc = "page.txt";
  by_title.article = 7;
  by_title.title = "Pell Mining Buys Corvo";
  ExtractedDocument p1;
  p1.doc_id = "/some/dir/page.txt#1";
  ExtractedDocument p2;
  p2.doc_id = "elsewhere#3";
  p2.title = "Pell Mining buys Corvo!";
  auto aligned = AlignPredictions({by_id, by_title, GoldDocument{}}, {p2, p1});
  ASSERT_EQ(aligned.size(), 3u);
  EXPECT_EQ(aligned[0].doc_id, "/some/dir/page.txt#1");
  EXPECT_EQ(aligned[1].doc_id, "elsewhere#3");
  EXPECT_EQ(aligned[2].doc_id, "");
}

}  // namespace
}  // namespace kgraph::ingest
