#include "query/query_budget.h"

#include <time.h>

#include <algorithm>

namespace kgraph::query {

const char* TruncationName(Truncation t) {
  switch (t) {
    case Truncation::kNone: return "none";
    case Truncation::kMaxVisitedNodes: return "max_visited_nodes";
    case Truncation::kMaxExpandedEdges: return "max_expanded_edges";
    case Truncation::kMaxResults: return "max_results";
    case Truncation::kMaxMemory: return "max_memory";
    case Truncation::kMaxCpu: return "max_cpu";
  }
  return "unknown";
}

absl::Duration ThreadCpuTime() {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return absl::ZeroDuration();
  return absl::DurationFromTimespec(ts);
}

QueryControl::QueryControl(const QueryBudget& budget)
    : budget_(budget),
      cpu_start_(budget.max_cpu == absl::InfiniteDuration() ? absl::ZeroDuration()
                                                            : ThreadCpuTime()) {}

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
  if (budget_.max_cpu != absl::InfiniteDuration() &&
      ThreadCpuTime() - cpu_start_ >= budget_.max_cpu) {
    Truncate(Truncation::kMaxCpu);
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

bool QueryControl::ChargeMemory(int64_t bytes) {
  if (!status_.ok()) return false;
  if (memory_in_use_ + bytes > budget_.max_memory_bytes) {
    Truncate(Truncation::kMaxMemory);
    return false;
  }
  memory_in_use_ += bytes;
  cost_.memory_bytes = std::max(cost_.memory_bytes, memory_in_use_);
  return true;
}

void QueryControl::Truncate(Truncation why) {
  if (truncation_ == Truncation::kNone) truncation_ = why;
  stopped_ = true;
}

}  // namespace kgraph::query
