// Bounded reads in the query engine: the memory and CPU budgets of
// QueryControl, path searches and neighborhoods held to their memory budget
// over a 100k-edge supernode, weighted k-shortest paths that stay exact
// under an edge budget (cheapest first), and the traversal cache.
#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "query/neighborhood_query.h"
#include "query/path_query.h"
#include "query/query_budget.h"
#include "query/traversal_cache.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::query {
namespace {

std::unique_ptr<storage::GraphStore> OpenStore(const testing::TempDir& dir) {
  auto store = storage::GraphStore::Open(dir.Sub("db"), storage::StoreOptions());
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

EntityId IdOf(const storage::GraphStore& store, const std::string& name) {
  auto ids = store.FindByName(name);
  EXPECT_TRUE(ids.ok() && ids->size() == 1) << name;
  return ids.ok() && !ids->empty() ? ids->front() : 0;
}

TEST(query_control, MemoryBudgetRefusesAndReleases) {
  QueryBudget budget;
  budget.max_memory_bytes = 1000;
  QueryControl control(budget);
  EXPECT_TRUE(control.ChargeMemory(600));
  EXPECT_TRUE(control.ChargeMemory(400));
  control.ReleaseMemory(500);
  EXPECT_TRUE(control.ChargeMemory(500));
  EXPECT_EQ(control.cost().memory_bytes, 1000);  // the peak
  EXPECT_FALSE(control.ChargeMemory(1));
  EXPECT_EQ(control.truncation(), Truncation::kMaxMemory);
  EXPECT_TRUE(control.stopped());
  EXPECT_TRUE(control.status().ok());  // a truncation, not an error
  EXPECT_EQ(control.cost().memory_bytes, 1000);
}

TEST(query_control, CpuBudgetTruncates) {
  QueryBudget budget;
  budget.max_cpu = absl::Microseconds(1);
  QueryControl control(budget);
  // Spin until the thread has used more than the budget, then charge past a
  // poll interval: the control must notice.
  const absl::Duration start = ThreadCpuTime();
  while (ThreadCpuTime() - start < absl::Milliseconds(2)) {
  }
  int charged = 0;
  while (control.ChargeEdge() && charged < 100'000) ++charged;
  EXPECT_LT(charged, 100'000);
  EXPECT_EQ(control.truncation(), Truncation::kMaxCpu);
  EXPECT_TRUE(control.status().ok());
}

// Hub -links-> leafN for 100k leaves, and Island -links-> Islet.
class query_supernode : public ::testing::Test {
 protected:
  static constexpr int kLeaves = 100'000;
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    store_ = OpenStore(*dir_).release();
    std::vector<storage::BulkTriple> triples;
    for (int i = 0; i < kLeaves; ++i) {
      triples.push_back({"Hub", "links", absl::StrFormat("leaf%06d", i), 0.5 + (i % 5) * 0.1});
    }
    triples.push_back({"Island", "links", "Islet", 1.0});
    auto loaded = store_->BulkLoad(triples, "hub", 11);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static storage::GraphStore* store_;
};
testing::TempDir* query_supernode::dir_ = nullptr;
storage::GraphStore* query_supernode::store_ = nullptr;

TEST_F(query_supernode, WeightedShortestPathHeldToItsMemoryBudget) {
  PathSpec spec;
  spec.source = IdOf(*store_, "leaf000001");
  spec.target = IdOf(*store_, "leaf099999");
  spec.weight = PathWeight::kNegativeLogConfidence;
  QueryBudget budget;
  budget.max_hops = spec.max_hops;
  budget.max_memory_bytes = 1 << 20;  // the hub's adjacency alone needs ~3 MB
  auto small = PathQuery(*store_, budget).Run(spec);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(small.status().message().find("max_memory"), std::string::npos) << small.status();

  budget.max_memory_bytes = 64 << 20;
  auto big = PathQuery(*store_, budget).Run(spec);
  ASSERT_TRUE(big.ok()) << big.status();
  ASSERT_EQ(big->paths.size(), 1u);
  EXPECT_EQ(big->paths[0].edges.size(), 2u);
  EXPECT_GT(big->cost.memory_bytes, kLeaves * static_cast<int64_t>(sizeof(storage::EdgeKey)));
  EXPECT_LE(big->cost.memory_bytes, budget.max_memory_bytes);
}

TEST_F(query_supernode, PathModesStayWithinMemoryBudget) {
  for (PathMode mode : {PathMode::kKShortest, PathMode::kAllSimple}) {
    for (PathWeight weight : {PathWeight::kHops, PathWeight::kInverseConfidence}) {
      PathSpec spec;
      spec.source = IdOf(*store_, "leaf000001");
      spec.target = IdOf(*store_, "leaf099999");
      spec.mode = mode;
      spec.weight = weight;
      spec.k = 5;
      QueryBudget budget;
      budget.max_hops = spec.max_hops;
      budget.max_memory_bytes = 4 << 20;
      auto r = PathQuery(*store_, budget).Run(spec);
      if (r.ok()) {
        EXPECT_LE(r->cost.memory_bytes, budget.max_memory_bytes);
      } else {
        EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted) << r.status();
      }
    }
  }
}

TEST_F(query_supernode, NeighborhoodHeldToItsMemoryBudget) {
  NeighborhoodSpec spec;
  spec.seeds = {IdOf(*store_, "Hub")};
  QueryBudget budget;
  budget.max_memory_bytes = 1 << 20;
  auto r = NeighborhoodQuery(*store_, budget).Run(spec);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->truncation, Truncation::kMaxMemory);
  EXPECT_GT(r->nodes.size(), 100u);
  EXPECT_LT(r->nodes.size(), static_cast<size_t>(kLeaves));
  EXPECT_LE(r->cost.memory_bytes, budget.max_memory_bytes);

  // With a fan-out cap only the kept edges stay charged (the scan's heap is
  // scratch), so a 2-hop expansion through the hub fits the same budget.
  spec.seeds = {IdOf(*store_, "leaf000007")};
  spec.hops = 2;
  spec.max_edges_per_node = 1000;
  auto capped = NeighborhoodQuery(*store_, budget).Run(spec);
  ASSERT_TRUE(capped.ok()) << capped.status();
  EXPECT_EQ(capped->truncation, Truncation::kNone);
  EXPECT_GE(capped->nodes.size(), 1u + 1u + 999u);  // the seed may be among the hub's top 1000
  EXPECT_LE(capped->nodes.size(), 1u + 1u + 1000u);
  EXPECT_LE(capped->cost.memory_bytes, budget.max_memory_bytes);
}

// ---- Weighted k shortest under an edge budget: the cheapest come first ----

struct SmallGraph {
  std::unique_ptr<storage::GraphStore> store;
  std::vector<EntityId> ids;
  std::vector<storage::Edge> edges;
};

SmallGraph MakeGraph(const testing::TempDir& dir, uint64_t seed, int nodes, int edges) {
  SmallGraph g;
  g.store = OpenStore(dir);
  std::mt19937_64 rng(seed);
  std::set<std::tuple<int, int, int>> used;
  std::vector<storage::BulkTriple> triples;
  while (static_cast<int>(triples.size()) < edges) {
    const int u = static_cast<int>(rng() % nodes), v = static_cast<int>(rng() % nodes);
    const int r = static_cast<int>(rng() % 2);
    if (u == v || !used.insert({u, r, v}).second) continue;
    triples.push_back({"n" + std::to_string(u), "r" + std::to_string(r), "n" + std::to_string(v),
                       0.1 + 0.1 * static_cast<double>(rng() % 10)});
  }
  EXPECT_TRUE(g.store->BulkLoad(triples, "g", seed).ok());
  for (int i = 0; i < nodes; ++i) {
    auto found = g.store->FindByName("n" + std::to_string(i));
    g.ids.push_back(found.ok() && !found->empty() ? found->front() : 0);
  }
  EXPECT_TRUE(g.store->ScanAllOutEdges([&](const storage::Edge& e) {
                       g.edges.push_back(e);
                       return true;
                     }).ok());
  return g;
}

// Costs of every simple undirected path s -> t of at most `max_hops` edges.
std::vector<double> AllCosts(const SmallGraph& g, EntityId s, EntityId t, int max_hops,
                             PathWeight w) {
  std::vector<double> out;
  std::set<EntityId> on_path{s};
  std::function<void(EntityId, int, double)> dfs = [&](EntityId u, int depth, double cost) {
    if (u == t) {
      out.push_back(cost);
      return;
    }
    if (depth == max_hops) return;
    for (const storage::Edge& e : g.edges) {
      EntityId v = e.key.src == u ? e.key.dst : e.key.dst == u ? e.key.src : 0;
      if (v == 0 || on_path.count(v)) continue;
      on_path.insert(v);
      dfs(v, depth + 1, cost + EdgeCost(w, e.stats));
      on_path.erase(v);
    }
  };
  dfs(s, 0, 0);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(query_k_shortest, EdgeBudgetStopStillReturnsTheCheapest) {
  testing::TempDir dir;
  SmallGraph g = MakeGraph(dir, 5, 14, 45);
  std::mt19937_64 rng(3);
  int truncated_with_paths = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const EntityId s = g.ids[rng() % g.ids.size()], t = g.ids[rng() % g.ids.size()];
    if (s == 0 || t == 0 || s == t) continue;
    for (PathWeight w : {PathWeight::kInverseConfidence, PathWeight::kNegativeLogConfidence}) {
      const std::vector<double> all = AllCosts(g, s, t, 4, w);
      for (int64_t edges_budget : {40, 120, 400}) {
        PathSpec spec;
        spec.source = s;
        spec.target = t;
        spec.mode = PathMode::kKShortest;
        spec.weight = w;
        spec.k = 25;
        spec.max_hops = 4;
        QueryBudget budget;
        budget.max_hops = 4;
        budget.max_expanded_edges = edges_budget;
        auto r = PathQuery(*g.store, budget).Run(spec);
        if (!r.ok()) {
          EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted) << r.status();
          continue;
        }
        SCOPED_TRACE(::testing::Message() << "trial " << trial << " budget " << edges_budget);
        ASSERT_LE(r->paths.size(), all.size());
        if (r->truncation == Truncation::kNone) {
          EXPECT_EQ(r->paths.size(), std::min<size_t>(25, all.size()));
        } else if (!r->paths.empty()) {
          ++truncated_with_paths;
        }
        // Whatever was found are the cheapest paths there are.
        for (size_t i = 0; i < r->paths.size(); ++i) {
          EXPECT_NEAR(r->paths[i].cost, all[i], 1e-9) << "path " << i;
        }
      }
    }
  }
  EXPECT_GT(truncated_with_paths, 0) << "the budgets never cut a search short";
}

// ---- TraversalCache ----

std::shared_ptr<const NeighborhoodResult> ResultOf(int nodes) {
  auto r = std::make_shared<NeighborhoodResult>();
  for (int i = 0; i < nodes; ++i) r->nodes.push_back({static_cast<EntityId>(i + 1), 1, 1});
  return r;
}

TEST(query_traversal_cache, ServesOnlyTheSameVersion) {
  TraversalCache cache(1 << 20);
  cache.Insert("a", 7, ResultOf(10));
  auto hit = cache.Lookup("a", 7);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->nodes.size(), 10u);
  EXPECT_EQ(cache.Lookup("b", 7), nullptr);
  // A write committed since: the entry is stale and dropped.
  EXPECT_EQ(cache.Lookup("a", 8), nullptr);
  EXPECT_EQ(cache.Lookup("a", 7), nullptr);
  EXPECT_EQ(cache.counts().entries, 0);
  EXPECT_EQ(cache.counts().bytes, 0);
}

TEST(query_traversal_cache, EvictsLeastRecentlyUsedWithinItsBytes) {
  const int64_t one = ResultBytes(*ResultOf(1000)) + 200;
  TraversalCache cache(4 * one + one / 2);
  for (const char* key : {"a", "b", "c", "d"}) cache.Insert(key, 1, ResultOf(1000));
  ASSERT_NE(cache.Lookup("a", 1), nullptr);  // a is now the most recent
  cache.Insert("e", 1, ResultOf(1000));      // evicts b
  EXPECT_EQ(cache.Lookup("b", 1), nullptr);
  for (const char* key : {"a", "c", "d", "e"}) EXPECT_NE(cache.Lookup(key, 1), nullptr) << key;
  EXPECT_LE(cache.counts().bytes, 4 * one + one / 2);
  // No single entry may take more than a quarter of the cache.
  cache.Insert("huge", 1, ResultOf(10'000));
  EXPECT_EQ(cache.Lookup("huge", 1), nullptr);
  TraversalCache off(0);
  off.Insert("a", 1, ResultOf(1));
  EXPECT_EQ(off.Lookup("a", 1), nullptr);
}

}  // namespace
}  // namespace kgraph::query
