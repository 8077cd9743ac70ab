// Path and neighborhood queries checked against brute force on random small
// multigraphs (several relations, both directions, random confidences).
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "query/neighborhood_query.h"
#include "query/path_query.h"
#include <stdlib.h>

#include <filesystem>

#include "storage/graph_store.h"

namespace kgraph::query {
namespace {

namespace testing_util {
std::string MakeTempDir(const std::string& tag) {
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("kgraph-" + tag + "-XXXXXX")).string();
  EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}
std::unique_ptr<storage::GraphStore> OpenStore(const std::string& dir) {
  auto store = storage::GraphStore::Open(dir + "/db", storage::StoreOptions());
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}
}  // namespace testing_util

using EdgeSeq = std::vector<std::tuple<EntityId, RelationId, EntityId>>;

struct RandomGraph {
  std::unique_ptr<storage::GraphStore> store;
  std::vector<EntityId> ids;               // node index -> id
  std::vector<storage::Edge> edges;        // as stored
  std::map<storage::EdgeKey, double> confidence;
};

RandomGraph MakeGraph(const std::string& dir, uint64_t seed, int nodes, int edges) {
  RandomGraph g;
  g.store = testing_util::OpenStore(dir);
  std::mt19937_64 rng(seed);
  std::set<std::tuple<int, int, int>> used;
  std::vector<storage::BulkTriple> triples;
  while (static_cast<int>(triples.size()) < edges) {
    const int u = static_cast<int>(rng() % nodes), v = static_cast<int>(rng() % nodes);
    const int r = static_cast<int>(rng() % 3);
    if (u == v || !used.insert({u, r, v}).second) continue;
    const double conf = 0.1 + 0.1 * static_cast<double>(rng() % 10);
    triples.push_back({"node" + std::to_string(u), "rel" + std::to_string(r),
                       "node" + std::to_string(v), conf});
  }
  // Nodes without edges are not in the store; their id stays 0 and they are skipped.
  auto loaded = g.store->BulkLoad(triples, "random", seed);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  for (int i = 0; i < nodes; ++i) {
    auto found = g.store->FindByName("node" + std::to_string(i));
    g.ids.push_back(found.ok() && !found->empty() ? found->front() : 0);
  }
  for (const auto& t : triples) {
    storage::EdgeKey key{(*g.store->FindByName(t.subject))[0], *g.store->FindRelation(t.relation),
                         (*g.store->FindByName(t.object))[0]};
    auto stats = g.store->GetEdge(key);
    EXPECT_TRUE(stats.ok());
    g.edges.push_back({key, *stats});
    g.confidence[key] = t.confidence;
  }
  return g;
}

// Every simple path s -> t with at most max_hops edges, by brute force.
std::vector<std::pair<EdgeSeq, double>> AllPaths(const RandomGraph& g, EntityId s, EntityId t,
                                                 int max_hops, bool directed, PathWeight w) {
  std::vector<std::pair<EdgeSeq, double>> out;
  EdgeSeq cur;
  std::set<EntityId> on_path{s};
  std::function<void(EntityId, double)> dfs = [&](EntityId u, double cost) {
    if (u == t) {
      out.push_back({cur, cost});
      return;
    }
    if (static_cast<int>(cur.size()) == max_hops) return;
    for (const storage::Edge& e : g.edges) {
      EntityId v = 0;
      if (e.key.src == u) v = e.key.dst;
      else if (!directed && e.key.dst == u) v = e.key.src;
      else continue;
      if (on_path.count(v)) continue;
      on_path.insert(v);
      cur.push_back({e.key.src, e.key.rel, e.key.dst});
      dfs(v, cost + EdgeCost(w, e.stats));
      cur.pop_back();
      on_path.erase(v);
    }
  };
  dfs(s, 0);
  return out;
}

EdgeSeq Seq(const FoundPath& p) {
  EdgeSeq seq;
  for (const auto& e : p.edges) seq.push_back({e.key.src, e.key.rel, e.key.dst});
  return seq;
}

// The path is a walk from source to target over its edges, visiting no node twice.
void ExpectValidWalk(const FoundPath& p, EntityId s, EntityId t, bool directed) {
  ASSERT_EQ(p.nodes.size(), p.edges.size() + 1);
  EXPECT_EQ(p.nodes.front(), s);
  EXPECT_EQ(p.nodes.back(), t);
  EXPECT_EQ(std::set<EntityId>(p.nodes.begin(), p.nodes.end()).size(), p.nodes.size());
  for (size_t i = 0; i < p.edges.size(); ++i) {
    const auto& k = p.edges[i].key;
    const bool fwd = k.src == p.nodes[i] && k.dst == p.nodes[i + 1];
    const bool back = k.dst == p.nodes[i] && k.src == p.nodes[i + 1];
    EXPECT_TRUE(fwd || (!directed && back));
  }
}

class query_random_graph : public ::testing::TestWithParam<int> {};

TEST_P(query_random_graph, PathsMatchBruteForce) {
  const uint64_t seed = static_cast<uint64_t>(GetParam());
  const std::string dir = testing_util::MakeTempDir("paths");
  RandomGraph g = MakeGraph(dir, seed, 12, 26);
  QueryBudget budget;
  budget.max_hops = 6;
  PathQuery query(*g.store, budget);
  std::mt19937_64 rng(seed * 7 + 1);
  for (int trial = 0; trial < 12; ++trial) {
    const EntityId s = g.ids[rng() % g.ids.size()], t = g.ids[rng() % g.ids.size()];
    if (s == 0 || t == 0 || s == t) continue;
    for (bool directed : {true, false}) {
      const int max_hops = 4;
      auto brute = AllPaths(g, s, t, max_hops, directed, PathWeight::kHops);
      std::vector<size_t> lengths;
      for (const auto& [seq, cost] : brute) lengths.push_back(seq.size());
      std::sort(lengths.begin(), lengths.end());
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " trial " << trial << " directed " << directed);

      PathSpec spec;
      spec.source = s;
      spec.target = t;
      spec.max_hops = max_hops;
      spec.directed = directed;
      auto shortest = query.Run(spec);
      ASSERT_TRUE(shortest.ok()) << shortest.status();
      if (lengths.empty()) {
        EXPECT_TRUE(shortest->paths.empty());
      } else {
        ASSERT_EQ(shortest->paths.size(), 1u);
        EXPECT_EQ(shortest->paths[0].edges.size(), lengths[0]);
        ExpectValidWalk(shortest->paths[0], s, t, directed);
      }

      spec.mode = PathMode::kKShortest;
      spec.k = 4;
      auto k_shortest = query.Run(spec);
      ASSERT_TRUE(k_shortest.ok()) << k_shortest.status();
      ASSERT_EQ(k_shortest->paths.size(), std::min<size_t>(4, lengths.size()));
      std::set<EdgeSeq> distinct;
      for (size_t i = 0; i < k_shortest->paths.size(); ++i) {
        EXPECT_EQ(k_shortest->paths[i].edges.size(), lengths[i]);
        ExpectValidWalk(k_shortest->paths[i], s, t, directed);
        distinct.insert(Seq(k_shortest->paths[i]));
      }
      EXPECT_EQ(distinct.size(), k_shortest->paths.size());

      spec.mode = PathMode::kAllSimple;
      spec.limit = 100000;
      auto all = query.Run(spec);
      ASSERT_TRUE(all.ok()) << all.status();
      std::set<EdgeSeq> got, want;
      for (const auto& p : all->paths) got.insert(Seq(p));
      for (const auto& [seq, cost] : brute) want.insert(seq);
      EXPECT_EQ(got, want);
      EXPECT_EQ(all->paths.size(), brute.size());

      for (PathWeight w : {PathWeight::kInverseConfidence, PathWeight::kNegativeLogConfidence}) {
        auto weighted_brute = AllPaths(g, s, t, max_hops, directed, w);
        std::vector<double> costs;
        for (const auto& [seq, cost] : weighted_brute) costs.push_back(cost);
        std::sort(costs.begin(), costs.end());
        spec.weight = w;
        spec.mode = PathMode::kShortest;
        auto best = query.Run(spec);
        ASSERT_TRUE(best.ok()) << best.status();
        if (costs.empty()) {
          EXPECT_TRUE(best->paths.empty());
        } else {
          ASSERT_EQ(best->paths.size(), 1u);
          EXPECT_NEAR(best->paths[0].cost, costs[0], 1e-9);
          ExpectValidWalk(best->paths[0], s, t, directed);
        }
        spec.mode = PathMode::kKShortest;
        spec.k = 3;
        auto k_best = query.Run(spec);
        ASSERT_TRUE(k_best.ok()) << k_best.status();
        ASSERT_EQ(k_best->paths.size(), std::min<size_t>(3, costs.size()));
        for (size_t i = 0; i < k_best->paths.size(); ++i) {
          EXPECT_NEAR(k_best->paths[i].cost, costs[i], 1e-9);
        }
        spec.weight = PathWeight::kHops;
      }
    }
  }
  g.store.reset();
  std::filesystem::remove_all(dir);
}

TEST_P(query_random_graph, NeighborhoodMatchesBfs) {
  const uint64_t seed = static_cast<uint64_t>(GetParam());
  const std::string dir = testing_util::MakeTempDir("nbr");
  RandomGraph g = MakeGraph(dir, seed + 100, 15, 30);
  QueryBudget budget;
  NeighborhoodQuery query(*g.store, budget);
  for (TraversalDirection dir_kind :
       {TraversalDirection::kOut, TraversalDirection::kIn, TraversalDirection::kBoth}) {
    for (EntityId start : g.ids) {
      if (start == 0) continue;
      // Brute-force BFS distances up to 2 hops.
      std::map<EntityId, int> dist{{start, 0}};
      std::vector<EntityId> frontier{start};
      for (int h = 1; h <= 2; ++h) {
        std::vector<EntityId> next;
        for (EntityId u : frontier) {
          for (const auto& e : g.edges) {
            std::vector<EntityId> vs;
            if (dir_kind != TraversalDirection::kIn && e.key.src == u) vs.push_back(e.key.dst);
            if (dir_kind != TraversalDirection::kOut && e.key.dst == u) vs.push_back(e.key.src);
            for (EntityId v : vs) {
              if (dist.emplace(v, h).second) next.push_back(v);
            }
          }
        }
        frontier = next;
      }
      NeighborhoodSpec spec;
      spec.seeds = {start};
      spec.hops = 2;
      spec.direction = dir_kind;
      auto result = query.Run(spec);
      ASSERT_TRUE(result.ok()) << result.status();
      std::map<EntityId, int> got;
      for (const auto& n : result->nodes) got[n.id] = n.hop;
      EXPECT_EQ(got, dist);
      for (const auto& e : result->edges) {
        EXPECT_TRUE(got.count(e.key.src) && got.count(e.key.dst));
      }
      // Paging cuts the same result into pieces with no duplicate and no gap.
      std::vector<EntityId> paged;
      std::set<storage::EdgeKey> paged_edges;
      std::string cursor;
      do {
        auto page = PageNeighborhood(*result, cursor, 3);
        ASSERT_TRUE(page.ok());
        for (const auto& n : page->nodes) paged.push_back(n.id);
        for (const auto& e : page->edges) EXPECT_TRUE(paged_edges.insert(e.key).second);
        cursor = page->next_cursor;
      } while (!cursor.empty());
      EXPECT_EQ(paged.size(), result->nodes.size());
      EXPECT_EQ(std::set<EntityId>(paged.begin(), paged.end()).size(), paged.size());
      EXPECT_EQ(paged_edges.size(), result->edges.size());
    }
  }
  g.store.reset();
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(seeds, query_random_graph, ::testing::Range(1, 9));

TEST(query_budget, DeadlineStopsScan) {
  QueryBudget budget;
  budget.deadline = absl::Now() - absl::Seconds(1);
  QueryControl control(budget);
  bool stopped = false;
  for (int i = 0; i < 1000 && !stopped; ++i) stopped = !control.ChargeEdge();
  EXPECT_TRUE(stopped);
  EXPECT_EQ(control.status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(query_budget, EdgeBudgetTruncates) {
  QueryBudget budget;
  budget.max_expanded_edges = 10;
  QueryControl control(budget);
  int charged = 0;
  while (control.ChargeEdge()) ++charged;
  EXPECT_EQ(charged, 10);
  EXPECT_TRUE(control.status().ok());
  EXPECT_EQ(control.truncation(), Truncation::kMaxExpandedEdges);
}

}  // namespace
}  // namespace kgraph::query
