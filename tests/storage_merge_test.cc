// Tests of storage/merge_operators.h, called directly and through a store.
#include "storage/merge_operators.h"

#include <string>

#include <gtest/gtest.h>
#include <rocksdb/slice.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "storage/graph_store.h"
#include "storage/key_format.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

int64_t Day(int y, int m, int d) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone()));
}

std::string MergeInt(const std::string* existing, const std::string& operand) {
  Int64AddOperator op;
  rocksdb::Slice ex = existing ? rocksdb::Slice(*existing) : rocksdb::Slice();
  std::string out;
  EXPECT_TRUE(op.Merge("k", existing ? &ex : nullptr, operand, &out, nullptr));
  return out;
}

TEST(storage_merge_int64_add, SumsExistingAndOperand) {
  std::string base = EncodeInt64(40);
  EXPECT_EQ(DecodeInt64(MergeInt(&base, EncodeInt64(2))), 42);
  std::string neg = EncodeInt64(5);
  EXPECT_EQ(DecodeInt64(MergeInt(&neg, EncodeInt64(-7))), -2);
}

TEST(storage_merge_int64_add, MissingExistingCountsAsZero) {
  EXPECT_EQ(DecodeInt64(MergeInt(nullptr, EncodeInt64(17))), 17);
}

TEST(storage_merge_int64_add, MalformedOperandFailsTheMerge) {
  // Corruption must surface as a read error, never as a silently wrong count.
  Int64AddOperator op;
  std::string out;
  std::string base_bytes = EncodeInt64(9);
  rocksdb::Slice ex(base_bytes);
  EXPECT_FALSE(op.Merge("k", &ex, "abc", &out, nullptr));
  rocksdb::Slice bad("xyz");
  EXPECT_FALSE(op.Merge("k", &bad, EncodeInt64(4), &out, nullptr));
}

TEST(storage_merge_int64_add, AddsVectorsComponentwisePaddingTheShorter) {
  std::string stats = EncodeEntityStats({5, 2, 1});
  EntityStats sum = DecodeEntityStats(MergeInt(&stats, EncodeEntityStats({-1, 3, 0})));
  EXPECT_EQ(sum.mentions, 4);
  EXPECT_EQ(sum.out_degree, 5);
  EXPECT_EQ(sum.in_degree, 1);
  // A one-component operand only touches the first component.
  EntityStats padded = DecodeEntityStats(MergeInt(&stats, EncodeInt64(10)));
  EXPECT_EQ(padded.mentions, 15);
  EXPECT_EQ(padded.out_degree, 2);
  EXPECT_EQ(padded.in_degree, 1);
}

TEST(storage_merge_int64_add, IsAssociative) {
  // (a + b) + c == a + (b + c), as RocksDB may combine operands either way.
  std::string a = EncodeInt64(3), b = EncodeInt64(-10), c = EncodeInt64(1000);
  std::string ab = MergeInt(&a, b);
  std::string bc = MergeInt(&b, c);
  EXPECT_EQ(DecodeInt64(MergeInt(&ab, c)), DecodeInt64(MergeInt(&a, bc)));
  EXPECT_EQ(DecodeInt64(MergeInt(&ab, c)), 993);
}

EdgeStats Stats(int64_t mentions, int64_t bulk, double sum, double max, int64_t first,
                int64_t last) {
  EdgeStats s;
  s.mentions = mentions;
  s.bulk_count = bulk;
  s.confidence_sum = sum;
  s.confidence_max = max;
  s.first_seen = first;
  s.last_seen = last;
  return s;
}

EdgeStats MergeEdge(const EdgeStats* existing, const EdgeStats& operand) {
  EdgeStatsMergeOperator op;
  std::string ex = existing ? EncodeEdgeStats(*existing) : "";
  rocksdb::Slice exs(ex);
  std::string out;
  EXPECT_TRUE(op.Merge("k", existing ? &exs : nullptr, EncodeEdgeStats(operand), &out, nullptr));
  EdgeStats r;
  EXPECT_TRUE(DecodeEdgeStats(out, &r));
  return r;
}

TEST(storage_merge_edge_stats, SumsCountsAndConfidence) {
  EdgeStats a = Stats(2, 1, 1.5, 0.8, 100, 200);
  EdgeStats r = MergeEdge(&a, Stats(1, 3, 2.0, 0.6, 150, 180));
  EXPECT_EQ(r.mentions, 3);
  EXPECT_EQ(r.bulk_count, 4);
  EXPECT_DOUBLE_EQ(r.confidence_sum, 3.5);
}

TEST(storage_merge_edge_stats, TakesMaxConfidence) {
  EdgeStats a = Stats(1, 0, 0.3, 0.3, 0, 0);
  EXPECT_DOUBLE_EQ(MergeEdge(&a, Stats(1, 0, 0.9, 0.9, 0, 0)).confidence_max, 0.9);
  EdgeStats b = Stats(1, 0, 0.9, 0.9, 0, 0);
  EXPECT_DOUBLE_EQ(MergeEdge(&b, Stats(1, 0, 0.3, 0.3, 0, 0)).confidence_max, 0.9);
}

TEST(storage_merge_edge_stats, FirstSeenIsMinimumIgnoringUnknown) {
  EdgeStats a = Stats(1, 0, 1, 1, 500, 500);
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 300, 300)).first_seen, 300);
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 900, 900)).first_seen, 500);
  // 0 means "unknown" and must never win the minimum.
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 0, 0)).first_seen, 500);
  EdgeStats unknown = Stats(1, 0, 1, 1, 0, 0);
  EXPECT_EQ(MergeEdge(&unknown, Stats(1, 0, 1, 1, 700, 700)).first_seen, 700);
}

TEST(storage_merge_edge_stats, LastSeenIsMaximum) {
  EdgeStats a = Stats(1, 0, 1, 1, 100, 500);
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 100, 300)).last_seen, 500);
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 100, 900)).last_seen, 900);
  EXPECT_EQ(MergeEdge(&a, Stats(1, 0, 1, 1, 0, 0)).last_seen, 500);
}

TEST(storage_merge_edge_stats, NoExistingValueYieldsOperand) {
  EdgeStats r = MergeEdge(nullptr, Stats(1, 0, 0.4, 0.4, 10, 20));
  EXPECT_EQ(r.mentions, 1);
  EXPECT_DOUBLE_EQ(r.confidence_max, 0.4);
  EXPECT_EQ(r.first_seen, 10);
  EXPECT_EQ(r.last_seen, 20);
}

TEST(storage_merge_edge_stats, RejectsMalformedExistingOrOperand) {
  EdgeStatsMergeOperator op;
  std::string out;
  rocksdb::Slice bad("short");
  std::string good = EncodeEdgeStats(Stats(1, 0, 1, 1, 0, 0));
  rocksdb::Slice goods(good);
  EXPECT_FALSE(op.Merge("k", &bad, good, &out, nullptr));
  EXPECT_FALSE(op.Merge("k", &goods, "short", &out, nullptr));
}

// ---- Through a real store: the same edge asserted by three documents ----

DocumentInput Doc(const std::string& id, const std::string& date, double confidence) {
  DocumentInput d;
  d.doc_id = id;
  d.date = date;
  d.entities = {{"Ada Lovelace", "PERSON", {}, 1, {}}, {"London", "GPE", {}, 1, {}}};
  TripleInput t;
  t.subject = "Ada Lovelace";
  t.relation = "born_in";
  t.object = "London";
  t.confidence = confidence;
  t.sentence = "Ada Lovelace was born in London (" + id + ").";
  d.triples = {t};
  return d;
}

TEST(storage_merge_through_store, SameEdgeFromThreeDocumentsAggregates) {
  testing::TempDir dir;
  auto store = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_TRUE(store.ok()) << store.status();
  GraphStore& g = **store;
  ASSERT_TRUE(g.IngestDocument(Doc("d1", "2020-05-01", 0.5)).ok());
  ASSERT_TRUE(g.IngestDocument(Doc("d2", "2019-01-15", 0.9)).ok());
  ASSERT_TRUE(g.IngestDocument(Doc("d3", "2021-12-31", 0.7)).ok());

  auto ada = g.FindByName("Ada Lovelace");
  auto london = g.FindByName("london");
  ASSERT_TRUE(ada.ok() && london.ok());
  ASSERT_EQ(ada->size(), 1u);
  ASSERT_EQ(london->size(), 1u);
  auto rel = g.FindRelation("born_in");
  ASSERT_TRUE(rel.ok()) << rel.status();
  auto stats = g.GetEdge({ada->front(), *rel, london->front()});
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->mentions, 3);
  EXPECT_EQ(stats->bulk_count, 0);
  EXPECT_NEAR(stats->confidence_mean(), (0.5 + 0.9 + 0.7) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(stats->confidence_max, 0.9);
  EXPECT_EQ(stats->first_seen, Day(2019, 1, 15));
  EXPECT_EQ(stats->last_seen, Day(2021, 12, 31));

  // The in-edge twin carries identical properties.
  std::vector<Edge> in;
  ASSERT_TRUE(g.ScanEdges(london->front(), Direction::kIn, nullptr, [&](const Edge& e) {
                 in.push_back(e);
                 return true;
               }).ok());
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].key, (EdgeKey{ada->front(), *rel, london->front()}));
  EXPECT_EQ(in[0].stats.mentions, 3);
  EXPECT_EQ(in[0].stats.first_seen, Day(2019, 1, 15));

  // Still right after a flush (merge operands folded by compaction/flush).
  ASSERT_TRUE(g.Flush().ok());
  auto flushed = g.GetEdge({ada->front(), *rel, london->front()});
  ASSERT_TRUE(flushed.ok());
  EXPECT_EQ(flushed->mentions, 3);
  EXPECT_DOUBLE_EQ(flushed->confidence_sum, 2.1);

  auto st = g.GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->edges, 1);
  EXPECT_EQ(st->evidence, 3);
  EXPECT_EQ(st->documents, 3);
  EXPECT_EQ(g.Degree(ada->front(), Direction::kOut), 1);
  EXPECT_EQ(g.Degree(london->front(), Direction::kIn), 1);
  auto report = g.Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
}

TEST(storage_merge_through_store, UndatedDocumentDoesNotResetFirstSeen) {
  testing::TempDir dir;
  auto store = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_TRUE(store.ok()) << store.status();
  GraphStore& g = **store;
  ASSERT_TRUE(g.IngestDocument(Doc("d1", "2020-05-01", 0.5)).ok());
  ASSERT_TRUE(g.IngestDocument(Doc("d2", "", 0.5)).ok());
  auto ada = g.FindByName("Ada Lovelace");
  auto london = g.FindByName("London");
  auto rel = g.FindRelation("born_in");
  ASSERT_TRUE(ada.ok() && london.ok() && rel.ok());
  auto stats = g.GetEdge({ada->front(), *rel, london->front()});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->mentions, 2);
  EXPECT_EQ(stats->first_seen, Day(2020, 5, 1));
  EXPECT_EQ(stats->last_seen, Day(2020, 5, 1));
}

}  // namespace
}  // namespace kgraph::storage
