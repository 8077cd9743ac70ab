// WorkPool: the fixed set of threads that run queries, so gRPC's callback
// threads only dispatch and never block on a long scan. The queue is bounded:
// an overloaded server refuses work (RESOURCE_EXHAUSTED) rather than queueing
// without limit.
//
// Thread safety: all methods are safe to call concurrently.
#pragma once

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kgraph::server {

class WorkPool {
 public:
  WorkPool(int threads, int max_queued);
  ~WorkPool();  // Stop()s
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Queues `work`; false iff the pool is stopping or the queue is full (the
  // caller then fails the call itself; `work` is not run).
  bool Submit(std::function<void()> work);

  // Runs what is queued, then joins the threads. Idempotent.
  void Stop();

 private:
  void Loop();

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace kgraph::server
