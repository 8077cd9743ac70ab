// Co-mentions (two entities named in one sentence) are kept apart from typed
// relations: one edge per pair whose weight counts documents, no confidence,
// left out of neighbors, paths and subgraphs unless asked for, and never a
// free hop in a weighted path.
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/document_conversion.h"
#include "query/edge_filter.h"
#include "query/neighborhood_query.h"
#include "query/path_query.h"
#include "storage/relation_kind.h"
#include "tests/testing/store_test.h"

namespace kgraph::testing {
namespace {

storage::TripleInput Triple(const std::string& s, const std::string& rel, const std::string& o,
                            double confidence) {
  storage::TripleInput t;
  t.subject = s;
  t.relation = rel;
  t.object = o;
  t.confidence = confidence;
  t.rule = rel == storage::kCoMentionRelation ? "co_mention" : "test";
  t.sentence = s + " and " + o;
  return t;
}

storage::DocumentInput Doc(const std::string& id, std::vector<storage::TripleInput> triples) {
  storage::DocumentInput d;
  d.doc_id = id;
  d.date = "2024-01-02";
  for (const char* name : {"Alpha Corp", "Beta Corp", "Gamma Corp", "Delta Corp"}) {
    storage::EntityInput e;
    e.name = name;
    e.type = "ORG";
    d.entities.push_back(e);
  }
  d.triples = std::move(triples);
  return d;
}

constexpr char kCo[] = "co_mentioned";

// Alpha -acquired-> Beta (typed); Alpha and Gamma named together in three
// documents (in both orders, and twice in the first); Alpha and Delta in one.
class query_co_mention : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    // Confidence 1.0 is what the old pipeline sent; storage must not keep it.
    Ingest(Doc("d1", {Triple("Alpha Corp", "acquired", "Beta Corp", 0.9),
                      Triple("Alpha Corp", kCo, "Gamma Corp", 1.0),
                      Triple("Gamma Corp", kCo, "Alpha Corp", 1.0)}));
    Ingest(Doc("d2", {Triple("Gamma Corp", kCo, "Alpha Corp", 1.0),
                      Triple("Alpha Corp", kCo, "Delta Corp", 1.0)}));
    Ingest(Doc("d3", {Triple("Alpha Corp", kCo, "Gamma Corp", 0.0)}));
    a_ = IdOf("Alpha Corp");
    b_ = IdOf("Beta Corp");
    c_ = IdOf("Gamma Corp");
    d_ = IdOf("Delta Corp");
  }
  void Ingest(const storage::DocumentInput& doc) {
    auto r = store_->IngestDocument(doc);
    ASSERT_TRUE(r.ok()) << r.status();
  }
  query::EdgeFilter Filter(bool include_co_mentions,
                           std::vector<std::string> include_relations = {}) {
    query::EdgeFilterSpec spec;
    spec.include_co_mentions = include_co_mentions;
    spec.include_relations = std::move(include_relations);
    auto f = query::ResolveEdgeFilter(*store_, spec);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *f : query::EdgeFilter();
  }
  std::set<EntityId> Neighbors(const query::EdgeFilter& filter, int64_t fan_out = 0) {
    query::NeighborhoodSpec spec;
    spec.seeds = {a_};
    spec.filter = filter;
    spec.max_edges_per_node = fan_out;
    auto r = query::NeighborhoodQuery(*store_, query::QueryBudget()).Run(spec);
    EXPECT_TRUE(r.ok()) << r.status();
    std::set<EntityId> out;
    if (r.ok()) {
      for (const auto& n : r->nodes) {
        if (n.hop == 1) out.insert(n.id);
      }
    }
    return out;
  }
  EntityId a_ = 0, b_ = 0, c_ = 0, d_ = 0;
};

TEST_F(query_co_mention, WeightCountsDocumentsAndThereIsNoConfidence) {
  const RelationId co = Rel(kCo);
  // Both orders of the pair folded into one edge, lower id first.
  const storage::EdgeKey key{std::min(a_, c_), co, std::max(a_, c_)};
  auto stats = store_->GetEdge(key);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->weight(), 3);  // d1 (named twice there), d2, d3
  EXPECT_EQ(stats->mentions, 3);
  EXPECT_EQ(stats->confidence_sum, 0);
  EXPECT_EQ(stats->confidence_max, 0);
  EXPECT_FALSE(store_->GetEdge({std::max(a_, c_), co, std::min(a_, c_)}).ok());
  std::set<std::string> docs;
  ASSERT_TRUE(store_->ScanEvidence(key, "", [&](const storage::Evidence& ev) {
                       docs.insert(ev.doc_id);
                       EXPECT_EQ(ev.confidence, 0);
                       return true;
                     }).ok());
  EXPECT_EQ(docs, (std::set<std::string>{"d1", "d2", "d3"}));
  // The typed edge keeps its confidence.
  auto typed = store_->GetEdge({a_, Rel("acquired"), b_});
  ASSERT_TRUE(typed.ok());
  EXPECT_DOUBLE_EQ(typed->confidence_mean(), 0.9);
  ExpectVerifyOk();
}

TEST_F(query_co_mention, RetractionKeepsTheDocumentCount) {
  ASSERT_TRUE(store_->DeleteDocument("d2").ok());
  auto stats = store_->GetEdge({std::min(a_, c_), Rel(kCo), std::max(a_, c_)});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->weight(), 2);
  ExpectVerifyOk();
  ASSERT_TRUE(store_->DeleteDocument("d1").ok());
  ASSERT_TRUE(store_->DeleteDocument("d3").ok());
  ExpectVerifyOk();
  ExpectTotals(0, 0, 0, 0);
}

TEST_F(query_co_mention, NeighborsLeaveThemOutUnlessAsked) {
  EXPECT_EQ(Neighbors(Filter(false)), (std::set<EntityId>{b_}));
  EXPECT_EQ(Neighbors(Filter(true)), (std::set<EntityId>{b_, c_, d_}));
  // Naming the relation asks for it too.
  EXPECT_EQ(Neighbors(Filter(false, {kCo})), (std::set<EntityId>{c_, d_}));
  // The heaviest edge of Alpha is the co-mention (3 documents): by default
  // it must not push the typed neighbor out of a fan-out of one.
  EXPECT_EQ(Neighbors(Filter(false), 1), (std::set<EntityId>{b_}));
  EXPECT_EQ(Neighbors(Filter(true), 1), (std::set<EntityId>{c_}));
}

TEST_F(query_co_mention, MinConfidenceDoesNotDropAskedForCoMentions) {
  query::EdgeFilterSpec spec;
  spec.include_co_mentions = true;
  spec.min_confidence = 0.5;
  auto filter = query::ResolveEdgeFilter(*store_, spec);
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(Neighbors(*filter), (std::set<EntityId>{b_, c_, d_}));
}

TEST_F(query_co_mention, SubgraphsLeaveThemOutUnlessAsked) {
  for (bool include : {false, true}) {
    query::NeighborhoodSpec spec;
    spec.seeds = {a_, c_, d_};
    spec.hops = 0;
    spec.induced = true;
    spec.filter = Filter(include);
    auto r = query::NeighborhoodQuery(*store_, query::QueryBudget()).Run(spec);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->edges.size(), include ? 2u : 0u) << "include " << include;
  }
}

TEST_F(query_co_mention, PathsLeaveThemOutUnlessAsked) {
  query::QueryBudget budget;
  budget.max_hops = 4;
  for (query::PathMode mode :
       {query::PathMode::kShortest, query::PathMode::kKShortest, query::PathMode::kAllSimple}) {
    for (query::PathWeight weight :
         {query::PathWeight::kHops, query::PathWeight::kNegativeLogConfidence}) {
      SCOPED_TRACE(::testing::Message() << "mode " << static_cast<int>(mode) << " weight "
                                        << static_cast<int>(weight));
      query::PathSpec spec;
      spec.source = b_;
      spec.target = c_;
      spec.mode = mode;
      spec.weight = weight;
      spec.filter = Filter(false);
      auto none = query::PathQuery(*store_, budget).Run(spec);
      ASSERT_TRUE(none.ok()) << none.status();
      EXPECT_TRUE(none->paths.empty());
      spec.filter = Filter(true);
      auto some = query::PathQuery(*store_, budget).Run(spec);
      ASSERT_TRUE(some.ok()) << some.status();
      ASSERT_FALSE(some->paths.empty());
      EXPECT_EQ(some->paths[0].edges.size(), 2u);
    }
  }
}

TEST_F(query_co_mention, NeverAFreeHop) {
  query::QueryBudget budget;
  budget.max_hops = 4;
  for (query::PathMode mode : {query::PathMode::kShortest, query::PathMode::kKShortest}) {
    query::PathSpec spec;
    spec.source = b_;
    spec.target = c_;
    spec.mode = mode;
    spec.weight = query::PathWeight::kNegativeLogConfidence;
    spec.filter = Filter(true);
    auto r = query::PathQuery(*store_, budget).Run(spec);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(r->paths.empty());
    // acquired (0.9) then the co-mention, priced as confidence 0.5.
    EXPECT_NEAR(r->paths[0].cost, -std::log(0.9) + std::log(2.0), 1e-9);
    spec.weight = query::PathWeight::kInverseConfidence;
    r = query::PathQuery(*store_, budget).Run(spec);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(r->paths.empty());
    EXPECT_NEAR(r->paths[0].cost, 1 / 0.9 + 2.0, 1e-9);
  }
}

TEST(query_co_mention_cost, OldStoresConfidenceOneStillCosts) {
  // Stores written before co-mentions lost their confidence hold 1.0, which
  // made -ln(c) = 0: a free hop.
  storage::EdgeStats stats;
  stats.mentions = 5;
  stats.confidence_sum = 5;
  stats.confidence_max = 1;
  EXPECT_EQ(query::EdgeCost(query::PathWeight::kNegativeLogConfidence, stats), 0.0);
  EXPECT_NEAR(query::EdgeCost(query::PathWeight::kNegativeLogConfidence, stats, true),
              std::log(2.0), 1e-12);
  EXPECT_GT(query::EdgeCost(query::PathWeight::kInverseConfidence, stats, true),
            query::EdgeCost(query::PathWeight::kInverseConfidence, stats));
  EXPECT_EQ(query::EdgeCost(query::PathWeight::kHops, stats, true), 1.0);
}

TEST(query_co_mention_pipeline, ConversionGivesNoConfidence) {
  ingest::ExtractedDocument doc;
  doc.doc_id = "x";
  doc.entities.push_back({"Alpha Corp", "ORG", {}, {{0, 5}}, {}});
  doc.entities.push_back({"Beta Corp", "ORG", {}, {{10, 15}}, {}});
  doc.co_mentions.push_back({"Alpha Corp", "Beta Corp", 2});
  storage::DocumentInput in = pipeline::ToDocumentInput(doc, "Alpha Corp and Beta Corp.");
  ASSERT_EQ(in.triples.size(), 1u);
  EXPECT_EQ(in.triples[0].relation, storage::kCoMentionRelation);
  EXPECT_EQ(in.triples[0].confidence, 0.0);
  EXPECT_EQ(storage::RelationKindForName(in.triples[0].relation),
            storage::RelationKind::kCoMention);
}

TEST(query_co_mention_pipeline, DatesAndMeasuresAreNoNodes) {
  ingest::ExtractedDocument doc;
  doc.doc_id = "x";
  doc.entities.push_back({"Alpha Corp", "ORG", {}, {{0, 10}}, {}});
  doc.entities.push_back({"12 May", "MISC", {}, {{14, 20}}, {}});
  storage::DocumentInput in = pipeline::ToDocumentInput(doc, "Alpha Corp on 12 May.");
  ASSERT_EQ(in.entities.size(), 1u);
  EXPECT_EQ(in.entities[0].name, "Alpha Corp");
}

}  // namespace
}  // namespace kgraph::testing
