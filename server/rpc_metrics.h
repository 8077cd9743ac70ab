// Per-method RPC counters and latency histograms in the Prometheus text
// exposition format (grpc_server_handled_total, grpc_server_handling_seconds),
// written by hand because prometheus-cpp is not packaged in Debian 12.
//
// Thread safety: all methods are safe to call concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include <grpcpp/support/status.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kgraph::server {

class RpcMetrics {
 public:
  // `method` is "<service>/<Method>", e.g. "kgraph.v1.GraphService/GetNeighbors".
  void Record(const std::string& method, grpc::StatusCode code, double seconds);
  // The whole registry in text exposition format 0.0.4.
  std::string RenderText() const;

 private:
  static constexpr std::array<double, 14> kBucketBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  struct Histogram {
    std::array<int64_t, kBucketBounds.size()> buckets{};  // non-cumulative
    int64_t count = 0;
    double sum = 0;
  };

  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, grpc::StatusCode>, int64_t> handled_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Histogram> latency_ ABSL_GUARDED_BY(mu_);
};

}  // namespace kgraph::server
