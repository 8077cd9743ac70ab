#include "server/rpc_metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/status_util.h"

namespace kgraph::server {
namespace {

// "kgraph.v1.GraphService/GetNeighbors" -> service and method labels.
std::string Labels(const std::string& full_method) {
  const size_t slash = full_method.rfind('/');
  const std::string service = slash == std::string::npos ? "" : full_method.substr(0, slash);
  const std::string method =
      slash == std::string::npos ? full_method : full_method.substr(slash + 1);
  return absl::StrCat("grpc_service=\"", service, "\",grpc_method=\"", method, "\"");
}

}  // namespace

void RpcMetrics::Record(const std::string& method, grpc::StatusCode code, double seconds) {
  absl::MutexLock lock(&mu_);
  ++handled_[{method, code}];
  Histogram& h = latency_[method];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBucketBounds.size(); ++i) {
    if (seconds <= kBucketBounds[i]) {
      ++h.buckets[i];
      break;
    }
  }
}

std::string RpcMetrics::RenderText() const {
  absl::MutexLock lock(&mu_);
  std::string out;
  absl::StrAppend(&out,
                  "# HELP grpc_server_handled_total Total number of RPCs completed on the "
                  "server, regardless of success or failure.\n"
                  "# TYPE grpc_server_handled_total counter\n");
  for (const auto& [key, count] : handled_) {
    absl::StrAppend(&out, "grpc_server_handled_total{", Labels(key.first), ",grpc_code=\"",
                    GrpcCodeName(key.second), "\"} ", count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP grpc_server_handling_seconds Histogram of response latency "
                  "(seconds) of RPCs handled by the server.\n"
                  "# TYPE grpc_server_handling_seconds histogram\n");
  for (const auto& [method, h] : latency_) {
    const std::string labels = Labels(method);
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBucketBounds.size(); ++i) {
      cumulative += h.buckets[i];
      absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels, ",le=\"",
                      absl::StrFormat("%g", kBucketBounds[i]), "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&out, "grpc_server_handling_seconds_bucket{", labels, ",le=\"+Inf\"} ",
                    h.count, "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_sum{", labels, "} ",
                    absl::StrFormat("%.6f", h.sum), "\n");
    absl::StrAppend(&out, "grpc_server_handling_seconds_count{", labels, "} ", h.count, "\n");
  }
  return out;
}

}  // namespace kgraph::server
