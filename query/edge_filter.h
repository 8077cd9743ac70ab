// Edge filters and the one adjacency scan every traversal uses. Scans go
// straight to GraphStore::ScanEdges (RocksDB prefix iterators): no query ever
// copies the graph into memory, and every scanned edge is charged to the
// query's QueryControl, filtered or not, because scanning is what costs.
// Co-mention edges (storage/relation_kind.h) are filtered out unless the
// request asks for them.
//
// Thread safety: EdgeFilter is an immutable value after construction;
// ScanAdjacent may be called from many threads, each with its own reader.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "model/ids.h"
#include "query/query_budget.h"
#include "storage/graph_store.h"

namespace kgraph::query {

enum class TraversalDirection { kOut, kIn, kBoth };

struct EdgeFilter {
  std::vector<RelationId> include;  // empty: every relation
  absl::flat_hash_set<RelationId> exclude;
  double min_confidence = 0;  // on EdgeStats::confidence_mean()
  int64_t min_weight = 0;     // on EdgeStats::weight()
  // Time window in unix seconds, 0 = open. With either bound set, edges of
  // unknown time (first_seen == 0) are rejected.
  int64_t seen_after = 0;
  int64_t seen_before = 0;
  // True iff include listed relations but none of them exists: nothing can match.
  bool matches_nothing = false;
  // The store's co-mention relations (at most a few). Unless asked for, they
  // are in `exclude` too.
  std::vector<RelationId> co_mention_relations;

  bool Accepts(RelationId rel, const storage::EdgeStats& stats) const;
  bool IsCoMention(RelationId rel) const {
    for (RelationId r : co_mention_relations) {
      if (r == rel) return true;
    }
    return false;
  }
};

// Relation names as the user gave them, resolved into an EdgeFilter.
struct EdgeFilterSpec {
  std::vector<std::string> include_relations;
  std::vector<std::string> exclude_relations;
  double min_confidence = 0;
  int64_t min_weight = 0;
  int64_t seen_after = 0;
  int64_t seen_before = 0;
  // Follow co-mention edges too. Naming a co-mention relation in
  // include_relations asks for it as well.
  bool include_co_mentions = false;
};

// Unknown relation names are skipped (they match no stored edge); if every
// included name is unknown the filter matches nothing. InvalidArgument for
// a confidence outside [0, 1], a negative weight or an empty time window.
// min_confidence never rejects a co-mention edge: it has no confidence.
absl::StatusOr<EdgeFilter> ResolveEdgeFilter(const storage::GraphStore& store,
                                             const EdgeFilterSpec& spec);

// One edge seen from the node being expanded.
struct Step {
  storage::Edge edge;  // key is always src -> dst as stored
  EntityId neighbor = 0;
  bool forward = true;  // true iff walked src -> dst
};

// Visits the edges of `node` in `dir` that `filter` accepts, charging every
// scanned edge to `control`. Self-loops are visited once. Stops when `fn`
// returns false or `control` stops. Returns storage errors only; budget and
// deadline stops are reported by `control`.
absl::Status ScanAdjacent(storage::AdjacencyReader& reader, EntityId node,
                          TraversalDirection dir, const EdgeFilter& filter, QueryControl* control,
                          const std::function<bool(const Step&)>& fn);

}  // namespace kgraph::query
