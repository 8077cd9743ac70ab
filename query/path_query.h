// PathQuery: paths between two entities. SHORTEST (unweighted) is a
// bidirectional BFS; weighted SHORTEST is Dijkstra over (node, hops) states so
// the max_hops bound stays exact; weighted K_SHORTEST is a best-first search
// over partial simple paths, which yields paths cheapest first (so a budget
// stop still returns the true cheapest ones found); unweighted K_SHORTEST and
// ALL_SIMPLE enumerate simple paths depth-first. All are pruned by a BFS
// distance-to-target map. Paths run over the multigraph: two relations
// between the same pair make two paths. Adjacency lists are cached per query
// only; every cached step and search state is charged to the memory budget.
//
// Thread safety: one PathQuery per thread; the store is shared.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "model/ids.h"
#include "query/edge_filter.h"
#include "query/query_budget.h"
#include "storage/graph_store.h"

namespace kgraph::query {

enum class PathMode { kShortest, kKShortest, kAllSimple };
enum class PathWeight { kHops, kInverseConfidence, kNegativeLogConfidence };

struct PathSpec {
  EntityId source = 0;
  EntityId target = 0;
  PathMode mode = PathMode::kShortest;
  int64_t k = 3;     // kKShortest
  int max_hops = 4;  // REQUIRES: 1 <= max_hops <= budget.max_hops
  bool directed = false;
  EdgeFilter filter;
  PathWeight weight = PathWeight::kHops;
  int64_t limit = 100;  // kAllSimple: at most this many paths
};

// A co-mention edge has no confidence; weighted paths price it as this one,
// whatever its weight, so it is never a free hop (-ln 0.5 = 0.69, 1/0.5 = 2):
// a typed edge of confidence above 0.5 is always cheaper.
inline constexpr double kCoMentionConfidence = 0.5;

// The cost of walking one edge under `weight`; always >= 0, and > 0 for a
// co-mention edge (`co_mention`).
double EdgeCost(PathWeight weight, const storage::EdgeStats& stats, bool co_mention = false);

struct FoundPath {
  std::vector<storage::Edge> edges;  // walk order; keys keep their stored direction
  std::vector<EntityId> nodes;       // source ... target; edges.size() + 1 entries
  double cost = 0;
};

struct PathResult {
  std::vector<FoundPath> paths;  // by cost, then hop count
  Truncation truncation = Truncation::kNone;
  QueryCost cost;
};

class PathQuery {
 public:
  PathQuery(const storage::GraphStore& store, const QueryBudget& budget)
      : store_(store), budget_(budget) {}

  // No path within max_hops is an empty result, not an error. When a budget
  // runs out: the paths found so far with `truncation` set, or
  // ResourceExhausted if none was found. DeadlineExceeded/Cancelled per the
  // budget; InvalidArgument on a bad spec.
  absl::StatusOr<PathResult> Run(const PathSpec& spec) const;

 private:
  const storage::GraphStore& store_;
  const QueryBudget budget_;
};

}  // namespace kgraph::query
