// NeighborhoodQuery: breadth-first expansion from one or more seeds, used by
// GetNeighbors (one seed) and GetSubgraph (several seeds, induced edges).
// Works hop by hop over GraphStore::ScanEdges; a per-node fan-out cap keeps
// only the k heaviest edges of a supernode (bounded heap), and the budget in
// QueryBudget bounds nodes, scanned edges, time and cancellation.
//
// Thread safety: one NeighborhoodQuery per thread; the store is shared.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/ids.h"
#include "query/edge_filter.h"
#include "query/query_budget.h"
#include "storage/graph_store.h"

namespace kgraph::query {

struct NeighborhoodSpec {
  std::vector<EntityId> seeds;  // REQUIRES: non-empty, existing entities
  int hops = 1;                 // REQUIRES: 0 <= hops <= budget.max_hops
  TraversalDirection direction = TraversalDirection::kBoth;
  EdgeFilter filter;
  int64_t max_edges_per_node = 0;  // 0 = no cap
  // Also scan the last hop's nodes for edges among result nodes (subgraphs).
  bool induced = false;
};

struct NeighborhoodNode {
  EntityId id = 0;
  int hop = 0;
  int64_t score = 0;  // weight of the heaviest edge that reached it
};

struct NeighborhoodResult {
  // Sorted by (hop, score descending, id): a stable order pages can cut.
  std::vector<NeighborhoodNode> nodes;
  std::vector<storage::Edge> edges;  // each edge once, both ends in `nodes`
  Truncation truncation = Truncation::kNone;
  QueryCost cost;
};

class NeighborhoodQuery {
 public:
  NeighborhoodQuery(const storage::GraphStore& store, const QueryBudget& budget)
      : store_(store), budget_(budget) {}

  // The partial result when a budget ran out (truncation says which);
  // ResourceExhausted if it ran out before finding any neighbor;
  // DeadlineExceeded/Cancelled per the budget; InvalidArgument on a bad spec.
  absl::StatusOr<NeighborhoodResult> Run(const NeighborhoodSpec& spec) const;

 private:
  const storage::GraphStore& store_;
  const QueryBudget budget_;
};

// One page of a NeighborhoodResult.
struct NeighborhoodPage {
  std::vector<NeighborhoodNode> nodes;
  // The edges whose later endpoint (in node order) is on this page, so each
  // edge is on exactly one page.
  std::vector<storage::Edge> edges;
  std::string next_cursor;  // "" iff last page
};

// Cuts the page after `after_cursor` ("" = first page). InvalidArgument if
// the cursor is malformed.
absl::StatusOr<NeighborhoodPage> PageNeighborhood(const NeighborhoodResult& result,
                                                  const std::string& after_cursor,
                                                  int64_t page_size);

}  // namespace kgraph::query
