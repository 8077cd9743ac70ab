#include "query/query_budget.h"

namespace kgraph::query {

const char* TruncationName(Truncation t) {
  switch (t) {
    case Truncation::kNone: return "none";
    case Truncation::kMaxVisitedNodes: return "max_visited_nodes";
    case Truncation::kMaxExpandedEdges: return "max_expanded_edges";
    case Truncation::kMaxResults: return "max_results";
  }
  return "unknown";
}

bool QueryControl::Poll() {
  if (!status_.ok()) return false;
  if (++charges_since_poll_ < kPollInterval) return true;
  charges_since_poll_ = 0;
  if (budget_.cancelled != nullptr && budget_.cancelled->load(std::memory_order_relaxed)) {
    status_ = absl::CancelledError("query cancelled");
    stopped_ = true;
    return false;
  }
  if (absl::Now() >= budget_.deadline) {
    status_ = absl::DeadlineExceededError("query deadline exceeded");
    stopped_ = true;
    return false;
  }
  return true;
}

bool QueryControl::ChargeEdge() {
  if (stopped_ || !Poll()) return false;
  if (cost_.edges_scanned >= budget_.max_expanded_edges) {
    Truncate(Truncation::kMaxExpandedEdges);
    return false;
  }
  ++cost_.edges_scanned;
  return true;
}

bool QueryControl::ChargeNode() {
  if (!Poll()) return false;
  if (cost_.nodes_visited >= budget_.max_visited_nodes) {
    Truncate(Truncation::kMaxVisitedNodes);
    return false;
  }
  ++cost_.nodes_visited;
  return true;
}

void QueryControl::Truncate(Truncation why) {
  if (truncation_ == Truncation::kNone) truncation_ = why;
  stopped_ = true;
}

}  // namespace kgraph::query
