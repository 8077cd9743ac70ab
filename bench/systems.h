// The systems `kgraph-bench` drives and the results file they all write.
//
// Results JSON (one file per system and data directory; kuzu_driver.js writes
// the same schema):
//   {"system": "...",
//    "load": {"seconds": s, "edges": m, "disk_bytes": b, "peak_rss_bytes": r, ...},
//    "h1" | "h2" | "sp": {"answers": [int...],                 // pass 1
//                         "passes": [{"lat_us": [..], "wall_s": s}, ...]}}
// Answers are distinct-neighbor counts (h1, h2) or path lengths / -1 (sp),
// in workload order; `kgraph-bench report` checks them against the CSR's.
//
// Thread safety: each function runs one benchmark on the calling thread(s).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/graph_data.h"

namespace kgraph::bench {

// Runs query(i) for i in [0, n): a warm-up of the first min(n, 50), then
// `passes` timed passes. Answers come from the first timed pass.
inline nlohmann::json MeasureQueries(size_t n, int passes,
                                     const std::function<int64_t(size_t)>& query) {
  for (size_t i = 0; i < std::min<size_t>(n, 50); ++i) query(i);
  nlohmann::json out;
  std::vector<int64_t> answers;
  out["passes"] = nlohmann::json::array();
  for (int p = 0; p < passes; ++p) {
    std::vector<double> lat;
    lat.reserve(n);
    const double t0 = NowSeconds();
    for (size_t i = 0; i < n; ++i) {
      const double s = NowSeconds();
      const int64_t a = query(i);
      lat.push_back((NowSeconds() - s) * 1e6);
      if (p == 0) answers.push_back(a);
    }
    out["passes"].push_back({{"lat_us", lat}, {"wall_s", NowSeconds() - t0}});
  }
  out["answers"] = answers;
  return out;
}

absl::Status WriteJson(const nlohmann::json& j, const std::string& path);
absl::StatusOr<nlohmann::json> ReadJson(const std::string& path);

// In-memory CSR: "load" = reading graph.bin and building both CSRs.
absl::Status RunCsr(const std::string& data_dir, int passes, const std::string& out);

// kgraph in process: CSV parse + GraphStore::BulkLoad into `db_dir` (wiped
// first, `load_repeats` times, median reported; 0 reuses the store), then NeighborhoodQuery /
// PathQuery over the reopened store.
absl::Status RunKgraph(const std::string& data_dir, const std::string& db_dir, int passes,
                       int load_repeats, const std::string& out);

struct GrpcLoadOptions {
  std::string target = "127.0.0.1:50051";
  std::vector<int> concurrency = {1, 16, 64};
  double duration_s = 10;
  int connections = 4;  // HTTP/2 connections, capped at the concurrency
  int client_threads = 2;  // generator threads, one completion queue each
  int server_pid = 0;   // for RSS; 0 = unknown
  std::string expect;   // csr.json whose answers the verification pass checks
  bool no_verify = false;
  bool floor = false;   // also run 1-hop calls for a missing id (the stack's floor)
};
// Verifies answers over gRPC, then runs the fixed-duration load for 1-hop
// GetNeighbors and shortest-path FindPaths at each concurrency, printing a
// ghz-style summary per run.
absl::Status RunGrpc(const std::string& data_dir, const GrpcLoadOptions& options,
                     const std::string& out);

// Prints the markdown table over `data_dirs` (results files inside each);
// returns false if any system disagreed with the CSR answers.
bool Report(const std::vector<std::string>& data_dirs, const std::string& machine);

}  // namespace kgraph::bench
