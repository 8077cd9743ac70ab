// Budgets and run control for graph queries: every traversal charges its work
// (visited nodes, scanned edges, bytes of search state) to a QueryControl,
// which also polls the deadline, the thread's CPU time and a cancellation
// flag, so that a query over a supernode with a million edges stops early
// instead of hanging a server thread or growing the server's memory.
//
// Thread safety: QueryBudget is a value. A QueryControl belongs to one running
// query (one thread); only the cancellation flag it points to is shared.
#pragma once

#include <atomic>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace kgraph::query {

struct QueryBudget {
  int max_hops = 3;
  int64_t max_visited_nodes = 100'000;
  int64_t max_expanded_edges = 1'000'000;
  int64_t max_results = 1'000;
  // Bytes of search state (adjacency caches, frontiers, path states, result
  // nodes and edges) one query may hold; an estimate charged as it grows.
  int64_t max_memory_bytes = int64_t{256} << 20;
  // CPU time of the query's thread; a truncation, like the counting budgets,
  // so the work done so far is returned. Infinite: no limit.
  absl::Duration max_cpu = absl::InfiniteDuration();
  absl::Time deadline = absl::InfiniteFuture();
  // Set by another thread (e.g. the RPC was cancelled); not owned; may be null.
  const std::atomic<bool>* cancelled = nullptr;
};

// Why a result is partial; mirrors kgraph.v1.TruncationReason.
enum class Truncation {
  kNone,
  kMaxVisitedNodes,
  kMaxExpandedEdges,
  kMaxResults,
  kMaxMemory,
  kMaxCpu,
};

const char* TruncationName(Truncation t);

struct QueryCost {
  int64_t nodes_visited = 0;
  int64_t edges_scanned = 0;
  int64_t memory_bytes = 0;  // peak search state charged (ChargeMemory), bytes
};

class QueryControl {
 public:
  explicit QueryControl(const QueryBudget& budget);

  // Charges one scanned (or walked) edge. Returns true iff the query may go
  // on; otherwise status() is DeadlineExceeded/Cancelled or truncation() says
  // which budget ran out.
  bool ChargeEdge();
  // Charges one newly visited node. Unlike ChargeEdge() it still succeeds
  // after an edge-budget stop, so edges already scanned (e.g. a fan-out
  // heap's best ones) can become the partial result; false iff the node
  // budget ran out or the query must abort (deadline, cancellation).
  bool ChargeNode();
  // Charges `bytes` of search state the caller is about to keep. Returns true
  // iff it fits the memory budget; otherwise truncates (kMaxMemory) and the
  // caller must not keep it. Like ChargeNode(), it is not refused merely
  // because an edge budget stopped the scan.
  bool ChargeMemory(int64_t bytes);
  // Returns bytes charged earlier whose state is freed (a scratch heap).
  void ReleaseMemory(int64_t bytes) { memory_in_use_ -= bytes; }

  // Records that the result is partial; the first reason wins. Stops the query.
  void Truncate(Truncation why);

  bool stopped() const { return stopped_; }
  const absl::Status& status() const { return status_; }
  Truncation truncation() const { return truncation_; }
  const QueryCost& cost() const { return cost_; }
  const QueryBudget& budget() const { return budget_; }

 private:
  // The clocks are read once per kPollInterval charges: cheap, yet a stuck
  // query notices its deadline within microseconds.
  static constexpr int64_t kPollInterval = 256;
  bool Poll();

  const QueryBudget budget_;
  // The thread's CPU clock when the query started (only with a CPU budget).
  const absl::Duration cpu_start_;
  QueryCost cost_;
  int64_t memory_in_use_ = 0;
  int64_t charges_since_poll_ = 0;
  bool stopped_ = false;
  absl::Status status_;
  Truncation truncation_ = Truncation::kNone;
};

// CPU time used so far by the calling thread.
absl::Duration ThreadCpuTime();

}  // namespace kgraph::query
