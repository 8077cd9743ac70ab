// Shortest paths on FB15k-237 (a real graph shape) agree with an independent
// in-memory BFS over the same triples, for 200 seeded random pairs, directed
// and undirected. Skips if ../shared/datasets/fb15k237 is absent.
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "absl/container/flat_hash_map.h"
#include "model/name_key.h"
#include "query/path_query.h"
#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"
#include "tools/triple_file_reader.h"

namespace kgraph::query {
namespace {

// Hop distance from `from` to `to` over `adj`, or -1; stops past max_hops.
int BfsDistance(const std::vector<std::vector<int>>& adj, int from, int to, int max_hops) {
  if (from == to) return 0;
  std::vector<int> dist(adj.size(), -1);
  std::deque<int> queue{from};
  dist[from] = 0;
  while (!queue.empty()) {
    int n = queue.front();
    queue.pop_front();
    if (dist[n] >= max_hops) continue;
    for (int m : adj[n]) {
      if (dist[m] != -1) continue;
      dist[m] = dist[n] + 1;
      if (m == to) return dist[m];
      queue.push_back(m);
    }
  }
  return -1;
}

TEST(query_fb15k_paths, ShortestPathLengthsMatchIndependentBfs) {
  const char* shared = std::getenv("KGRAPH_SHARED");
  const std::string dir = std::string(shared ? shared : "") + "/datasets/fb15k237";
  if (!std::filesystem::exists(dir + "/train2id.txt")) GTEST_SKIP() << "no FB15k-237 at " << dir;

  admin::TripleFileContents contents;
  ASSERT_TRUE(admin::ReadTripleFile(dir, admin::TripleFormat::kFb15k, 0, &contents).ok());
  testing::TempDir tmp;
  auto store = storage::GraphStore::Open(tmp.path() + "/db", storage::StoreOptions{});
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->BulkLoad(contents.triples, "fb15k", contents.content_hash).ok());

  // The reference graph, built from the triples alone (not from the store).
  absl::flat_hash_map<std::string, int> index;
  std::vector<std::string> names;
  auto node = [&](const std::string& name) {
    auto [it, fresh] = index.emplace(name, static_cast<int>(names.size()));
    if (fresh) names.push_back(name);
    return it->second;
  };
  std::vector<std::pair<int, int>> arcs;
  for (const auto& t : contents.triples) arcs.emplace_back(node(t.subject), node(t.object));
  std::vector<std::vector<int>> out(names.size()), both(names.size());
  for (auto [a, b] : arcs) {
    out[a].push_back(b);
    both[a].push_back(b);
    both[b].push_back(a);
  }

  std::mt19937 rng(237);
  std::uniform_int_distribution<int> pick(0, static_cast<int>(names.size()) - 1);
  QueryBudget budget;
  budget.max_hops = 6;
  budget.max_visited_nodes = 10'000'000;
  budget.max_expanded_edges = 100'000'000;
  const int kMaxHops = 4;
  int reachable = 0;
  for (int i = 0; i < 200; ++i) {
    int a = pick(rng), b = pick(rng);
    for (bool directed : {true, false}) {
      PathSpec spec;
      spec.source = EntityIdForKey(IdentityKey(names[a]));
      spec.target = EntityIdForKey(IdentityKey(names[b]));
      spec.directed = directed;
      spec.max_hops = kMaxHops;
      auto result = PathQuery(**store, budget).Run(spec);
      ASSERT_TRUE(result.ok()) << result.status();
      int expected = BfsDistance(directed ? out : both, a, b, kMaxHops);
      int got = result->paths.empty() ? -1 : static_cast<int>(result->paths[0].edges.size());
      if (a == b) continue;  // a path to oneself is not asked of either side
      ASSERT_EQ(got, expected) << names[a] << " -> " << names[b] << (directed ? " directed" : " undirected");
      if (got > 0) ++reachable;
    }
  }
  // Most random undirected pairs of FB15k-237 are within 4 hops; make sure the
  // comparison was not vacuous.
  EXPECT_GT(reachable, 150);
}

}  // namespace
}  // namespace kgraph::query
