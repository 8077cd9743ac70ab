// kgraph-loadgen: measures kgraphd latency and throughput. N client threads,
// each with its own connection, issue one kind of query in a closed loop
// against random entities for a fixed time, then p50/p99/QPS are printed.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kgraph/v1/graph.grpc.pb.h"
#include "tools/client/client_connection.h"

namespace kgraph::client {
namespace {

struct Result {
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  int64_t results = 0;
};

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

}  // namespace

int Main(int argc, char** argv) {
  ConnectionOptions connection;
  std::string names_file;
  std::string query = "neighbors1";
  int clients = 16;
  double seconds = 10;
  int sample = 2000;
  int fan_out = 0;
  int page_size = 100;
  CLI::App app{"kgraph-loadgen: closed-loop load against kgraphd"};
  app.add_option("--server", connection.server)->capture_default_str();
  app.add_option("--token", connection.token);
  app.add_option("--names", names_file,
                 "entity names, one per line (first tab-separated column; a lone count line is skipped)")
      ->required();
  app.add_option("--query", query, "neighbors1|neighbors2|path")->capture_default_str();
  app.add_option("--clients", clients)->capture_default_str();
  app.add_option("--seconds", seconds)->capture_default_str();
  app.add_option("--sample", sample, "distinct entities to draw from")->capture_default_str();
  app.add_option("--fanout", fan_out, "max_edges_per_node (0: server default)");
  app.add_option("--page_size", page_size)->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> names;
  {
    std::ifstream in(names_file);
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      if (cols.size() >= 2 || !std::all_of(line.begin(), line.end(), ::isdigit)) {
        if (!cols[0].empty()) names.push_back(cols[0]);
      }
    }
  }
  if (names.empty()) {
    std::fprintf(stderr, "kgraph-loadgen: no names in %s\n", names_file.c_str());
    return 1;
  }
  std::mt19937_64 rng(42);
  std::shuffle(names.begin(), names.end(), rng);

  // Resolve a sample of names to ids once, so the timed loop measures queries only.
  absl::StatusOr<std::unique_ptr<ClientConnection>> setup = ClientConnection::Connect(connection);
  if (!setup.ok()) return 1;
  auto setup_stub = v1::GraphService::NewStub((*setup)->channel());
  std::vector<uint64_t> ids;
  for (const std::string& name : names) {
    if (static_cast<int>(ids.size()) >= sample) break;
    v1::GetEntityRequest request;
    request.mutable_entity()->set_name(name);
    v1::GetEntityResponse response;
    if (setup_stub->GetEntity((*setup)->NewContext().get(), request, &response).ok()) {
      ids.push_back(response.entity().id());
    }
  }
  if (ids.empty()) {
    std::fprintf(stderr, "kgraph-loadgen: none of the names resolved\n");
    return 1;
  }

  connection.own_subchannel = true;
  std::vector<Result> results(clients);
  std::vector<std::thread> threads;
  std::atomic<bool> stop{false};
  const absl::Time start = absl::Now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto conn = ClientConnection::Connect(connection);
      if (!conn.ok()) return;
      auto stub = v1::GraphService::NewStub((*conn)->channel());
      std::mt19937_64 local_rng(1000 + c);
      std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
      Result& r = results[c];
      while (!stop.load(std::memory_order_relaxed)) {
        const absl::Time t0 = absl::Now();
        grpc::Status status;
        if (query == "path") {
          v1::FindPathsRequest request;
          request.mutable_source()->set_id(ids[pick(local_rng)]);
          request.mutable_target()->set_id(ids[pick(local_rng)]);
          v1::FindPathsResponse response;
          status = stub->FindPaths((*conn)->NewContext().get(), request, &response);
          r.results += response.paths_size();
        } else {
          v1::GetNeighborsRequest request;
          request.mutable_entity()->set_id(ids[pick(local_rng)]);
          request.set_hops(query == "neighbors2" ? 2 : 1);
          request.set_max_edges_per_node(fan_out);
          request.set_page_size(page_size);
          v1::GetNeighborsResponse response;
          status = stub->GetNeighbors((*conn)->NewContext().get(), request, &response);
          r.results += response.nodes_size();
        }
        if (!status.ok()) ++r.errors;
        r.latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);

  Result all;
  for (Result& r : results) {
    all.latencies_ms.insert(all.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    all.errors += r.errors;
    all.results += r.results;
  }
  const size_t n = all.latencies_ms.size();
  std::printf("query=%s clients=%d calls=%zu errors=%lld elapsed=%.1fs qps=%.0f "
              "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f avg_results=%.1f\n",
              query.c_str(), clients, n, static_cast<long long>(all.errors), elapsed,
              static_cast<double>(n) / elapsed, Percentile(all.latencies_ms, 0.50),
              Percentile(all.latencies_ms, 0.90), Percentile(all.latencies_ms, 0.99),
              n ? static_cast<double>(all.results) / static_cast<double>(n) : 0.0);
  return all.errors == 0 ? 0 : 2;
}

}  // namespace kgraph::client

int main(int argc, char** argv) { return kgraph::client::Main(argc, argv); }
