// Tests of nlp/span_scorer: exact-span-and-type matching, per-type and
// micro counts checked against hand-computed precision, recall and F1,
// type restriction, masked ranges and the printed table.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nlp/span_scorer.h"

namespace kgraph::nlp {
namespace {

EntitySpan E(size_t b, size_t e, const std::string& t) { return {b, e, t}; }

TEST(SpanScorerTest, CountsPerTypeAndMicroOverall) {
  SpanScorer sc;
  // Sentence 1: PERSON correct, ORG with a wrong boundary (one FP, one FN),
  // GPE predicted as MISC (FP MISC, FN GPE).
  sc.Add({E(0, 2, "PERSON"), E(3, 5, "ORG"), E(6, 7, "GPE")},
         {E(0, 2, "PERSON"), E(3, 4, "ORG"), E(6, 7, "MISC")});
  // Sentence 2: two PERSON correct, one PERSON missed, one GPE correct.
  sc.Add({E(0, 1, "PERSON"), E(2, 3, "PERSON"), E(4, 5, "PERSON"), E(6, 8, "GPE")},
         {E(0, 1, "PERSON"), E(2, 3, "PERSON"), E(6, 8, "GPE")});
  const auto& t = sc.per_type();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t.at("PERSON").gold, 4u);
  EXPECT_EQ(t.at("PERSON").predicted, 3u);
  EXPECT_EQ(t.at("PERSON").correct, 3u);
  EXPECT_DOUBLE_EQ(t.at("PERSON").Precision(), 1.0);
  EXPECT_DOUBLE_EQ(t.at("PERSON").Recall(), 0.75);
  EXPECT_DOUBLE_EQ(t.at("PERSON").F1(), 2 * 0.75 / 1.75);  // 6/7
  EXPECT_EQ(t.at("ORG").correct, 0u);
  EXPECT_DOUBLE_EQ(t.at("ORG").F1(), 0.0);
  EXPECT_EQ(t.at("GPE").gold, 2u);
  EXPECT_EQ(t.at("GPE").correct, 1u);
  EXPECT_DOUBLE_EQ(t.at("GPE").Recall(), 0.5);
  EXPECT_EQ(t.at("MISC").gold, 0u);
  EXPECT_EQ(t.at("MISC").predicted, 1u);
  EXPECT_DOUBLE_EQ(t.at("MISC").Recall(), 0.0);  // no gold: 0, not NaN

  // Micro: gold 7, predicted 6, correct 4: P 2/3, R 4/7, F1 8/13.
  const SpanCounts all = sc.Overall();
  EXPECT_EQ(all.gold, 7u);
  EXPECT_EQ(all.predicted, 6u);
  EXPECT_EQ(all.correct, 4u);
  EXPECT_DOUBLE_EQ(all.Precision(), 4.0 / 6);
  EXPECT_DOUBLE_EQ(all.Recall(), 4.0 / 7);
  EXPECT_NEAR(all.F1(), 8.0 / 13, 1e-12);
}

TEST(SpanScorerTest, RestrictedTypesIgnoreOthersAndStillGetRows) {
  SpanScorer sc({"PERSON", "ORG", "GPE"});
  sc.Add({E(0, 1, "PERSON"), E(2, 3, "MISC")}, {E(0, 1, "PERSON"), E(4, 5, "MISC")});
  ASSERT_EQ(sc.per_type().size(), 3u);  // MISC left out; ORG and GPE rows with zeros
  EXPECT_EQ(sc.per_type().at("ORG").gold, 0u);
  const SpanCounts all = sc.Overall();
  EXPECT_EQ(all.gold, 1u);
  EXPECT_EQ(all.predicted, 1u);
  EXPECT_EQ(all.correct, 1u);
  EXPECT_DOUBLE_EQ(all.F1(), 1.0);
}

TEST(SpanScorerTest, DuplicatePredictionsCountOnceAndMaskedSpansNotAtAll) {
  SpanScorer sc;
  // The predicted "Borrower" (words 3-4) lies in a masked range.
  sc.Add({E(0, 2, "ORG")}, {E(0, 2, "ORG"), E(0, 2, "ORG"), E(3, 4, "PERSON")}, {{3, 4}});
  EXPECT_EQ(sc.per_type().at("ORG").predicted, 2u);
  EXPECT_EQ(sc.per_type().at("ORG").correct, 1u);
  EXPECT_EQ(sc.per_type().count("PERSON"), 0u);
  EXPECT_DOUBLE_EQ(sc.Overall().Precision(), 0.5);
}

TEST(SpanScorerTest, MergeAddsCountsAndFormatPrintsATable) {
  SpanScorer a, b;
  a.Add({E(0, 1, "PERSON")}, {E(0, 1, "PERSON")});
  b.Add({E(0, 1, "PERSON"), E(1, 2, "GPE")}, {E(1, 2, "GPE"), E(2, 3, "GPE")});
  a.Merge(b);
  EXPECT_EQ(a.per_type().at("PERSON").gold, 2u);
  EXPECT_EQ(a.per_type().at("GPE").predicted, 2u);
  const std::string table = a.Format();
  EXPECT_EQ(table,
            "type            gold predicted   correct precision  recall      F1\n"
            "GPE                1         2         1     50.00  100.00   66.67\n"
            "PERSON             2         1         1    100.00   50.00   66.67\n"
            "overall            3         3         2     66.67   66.67   66.67\n")
      << table;
}

TEST(SpanScorerTest, EmptyScorerIsZeroNotNan) {
  SpanScorer sc;
  EXPECT_DOUBLE_EQ(sc.Overall().F1(), 0.0);
  EXPECT_NE(sc.Format().find("overall"), std::string::npos);
}

}  // namespace
}  // namespace kgraph::nlp
