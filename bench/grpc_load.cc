// kgraph over gRPC: a verification pass, then a closed-loop load generator
// (N calls in flight on gRPC's completion-queue API, over a few HTTP/2
// connections)
// for a fixed duration, reported the way ghz does.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "bench/systems.h"
#include "kgraph/v1/graph.grpc.pb.h"
#include "model/ids.h"
#include "model/name_key.h"

namespace kgraph::bench {
namespace {

namespace fs = std::filesystem;
using v1::GraphService;

const char* CodeName(grpc::StatusCode c) {
  static const char* kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                                 "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                 "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                 "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int i = static_cast<int>(c);
  return i >= 0 && i < 17 ? kNames[i] : "?";
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
  args.SetInt("kgraph.bench.channel", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

void SetDeadline(grpc::ClientContext* ctx, double seconds) {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6)));
}

// The requests of the load test: 1-hop out-neighbors (server defaults for
// paging and fan-out) and directed unweighted shortest paths.
v1::GetNeighborsRequest NeighborsRequest(EntityId id, int hops) {
  v1::GetNeighborsRequest req;
  req.mutable_entity()->set_id(id);
  req.set_hops(hops);
  req.set_direction(v1::OUT);
  return req;
}

v1::FindPathsRequest PathRequest(EntityId a, EntityId b, int max_hops) {
  v1::FindPathsRequest req;
  req.mutable_source()->set_id(a);
  req.mutable_target()->set_id(b);
  req.set_mode(v1::SHORTEST);
  req.set_max_hops(max_hops);
  req.set_directed(true);
  return req;
}

// Distinct neighbors over every page, with the server's largest limits.
// -2: a budget truncated the answer; -3: RPC error.
int64_t CountNeighbors(GraphService::Stub* stub, EntityId id, int hops, std::string* error) {
  v1::GetNeighborsRequest req = NeighborsRequest(id, hops);
  req.set_page_size(1000);
  req.set_max_edges_per_node(100'000);
  req.mutable_limits()->set_max_visited_nodes(1'000'000);
  req.mutable_limits()->set_max_expanded_edges(20'000'000);
  req.mutable_limits()->set_max_memory_bytes(int64_t{1} << 40);  // capped at the server's maximum
  int64_t count = 0;
  for (;;) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, 60);
    v1::GetNeighborsResponse resp;
    grpc::Status s = stub->GetNeighbors(&ctx, req, &resp);
    if (!s.ok()) {
      *error = absl::StrCat(CodeName(s.error_code()), ": ", s.error_message());
      return -3;
    }
    if (resp.truncated() != v1::NOT_TRUNCATED) return -2;
    for (const v1::NeighborNode& n : resp.nodes()) count += n.hop() > 0 ? 1 : 0;
    if (resp.next_page_token().empty()) return count;
    req.set_page_token(resp.next_page_token());
  }
}

int64_t PathLength(GraphService::Stub* stub, EntityId a, EntityId b, int max_hops,
                   std::string* error) {
  v1::FindPathsRequest req = PathRequest(a, b, max_hops);
  req.mutable_limits()->set_max_visited_nodes(1'000'000);
  req.mutable_limits()->set_max_expanded_edges(20'000'000);
  req.mutable_limits()->set_max_memory_bytes(int64_t{1} << 40);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, 60);
  v1::FindPathsResponse resp;
  grpc::Status s = stub->FindPaths(&ctx, req, &resp);
  if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) return -2;
  if (!s.ok()) {
    *error = absl::StrCat(CodeName(s.error_code()), ": ", s.error_message());
    return -3;
  }
  if (resp.truncated() != v1::NOT_TRUNCATED && resp.paths().empty()) return -2;
  return resp.paths().empty() ? -1 : resp.paths(0).edges_size();
}

struct RunStats {
  std::vector<double> lat_us;  // calls that ended as expected (OK, unless said otherwise)
  std::map<std::string, int64_t> codes;
  double seconds = 0;
  double server_cpu_s = 0;     // kgraphd's CPU time over the run (0: pid unknown)
  double generator_cpu_s = 0;  // this process's
};

// One closed-loop slot's call in flight: what gRPC needs to outlive the
// call, recreated for every call (a ClientContext is single-use).
template <typename Request, typename Response>
struct InFlight {
  int slot = 0;
  int64_t i = 0;
  double start = 0;
  std::unique_ptr<grpc::ClientContext> ctx;
  Request req;
  Response resp;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

// Starts call number `i` of a load run on `cq`: fills the request and
// returns the prepared reader.
template <typename Request, typename Response>
using StartCall = std::function<std::unique_ptr<grpc::ClientAsyncResponseReader<Response>>(
    int64_t i, grpc::ClientContext* ctx, Request* req, grpc::CompletionQueue* cq)>;

// Closed loop, as ghz runs it: `concurrency` calls are in flight at all
// times; each completion records its latency and starts the next call,
// until the deadline. Calls run on gRPC's completion-queue API with one
// queue per generator thread (the pattern of gRPC's own QPS benchmark): the
// generator spends far less CPU per call than on the callback API, which in
// this gRPC version hops through extra "nexting" threads, and so leaves more
// of the two cores to the server it measures.
// Latencies are kept for calls that end with `expected`.
template <typename Request, typename Response>
RunStats Load(int concurrency, double duration_s, int threads, int server_pid,
              const StartCall<Request, Response>& start_call,
              grpc::StatusCode expected = grpc::StatusCode::OK) {
  using Call = InFlight<Request, Response>;
  threads = std::max(1, std::min(threads, concurrency));
  std::vector<RunStats> per(threads);
  std::vector<grpc::CompletionQueue> cqs(threads);
  std::atomic<bool> stop{false};
  auto issue = [&](Call* call, int64_t i, grpc::CompletionQueue* cq) {
    call->i = i;
    call->ctx = std::make_unique<grpc::ClientContext>();
    SetDeadline(call->ctx.get(), 5);
    call->start = NowSeconds();
    call->reader = start_call(i, call->ctx.get(), &call->req, cq);
    call->reader->StartCall();
    call->reader->Finish(&call->resp, &call->status, call);
  };
  std::vector<std::unique_ptr<Call>> calls;
  for (int slot = 0; slot < concurrency; ++slot) {
    calls.push_back(std::make_unique<Call>());
    calls.back()->slot = slot;
  }
  const double server_cpu0 = server_pid > 0 ? CpuSeconds(server_pid) : 0;
  const double generator_cpu0 = CpuSeconds();
  const double t0 = NowSeconds();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      grpc::CompletionQueue* cq = &cqs[t];
      int in_flight = 0;
      for (int slot = t; slot < concurrency; slot += threads, ++in_flight) {
        issue(calls[slot].get(), slot, cq);
      }
      RunStats& st = per[t];
      void* tag = nullptr;
      bool ok = false;
      while (in_flight > 0 && cq->Next(&tag, &ok)) {
        auto* call = static_cast<Call*>(tag);
        const double us = (NowSeconds() - call->start) * 1e6;
        st.codes[CodeName(call->status.error_code())]++;
        if (call->status.error_code() == expected) st.lat_us.push_back(us);
        if (stop.load(std::memory_order_relaxed)) {
          --in_flight;
          continue;
        }
        call->resp.Clear();
        issue(call, call->i + concurrency, cq);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(duration_s * 1e6)));
  stop = true;
  for (std::thread& w : workers) w.join();
  RunStats all;
  all.seconds = NowSeconds() - t0;
  if (server_pid > 0) all.server_cpu_s = CpuSeconds(server_pid) - server_cpu0;
  all.generator_cpu_s = CpuSeconds() - generator_cpu0;
  for (grpc::CompletionQueue& cq : cqs) {
    cq.Shutdown();
    void* tag;
    bool ok;
    while (cq.Next(&tag, &ok)) {
    }
  }
  for (RunStats& st : per) {
    all.lat_us.insert(all.lat_us.end(), st.lat_us.begin(), st.lat_us.end());
    for (auto& [k, v] : st.codes) all.codes[k] += v;
  }
  return all;
}

nlohmann::json Summarize(const std::string& method, int concurrency, const RunStats& st) {
  int64_t total = 0;
  for (auto& [k, v] : st.codes) total += v;
  std::vector<double> lat = st.lat_us;
  std::sort(lat.begin(), lat.end());
  double sum = 0;
  for (double x : lat) sum += x;
  const double rps = total / st.seconds;
  std::printf("\n%s, %d concurrent client(s):\nSummary:\n", method.c_str(), concurrency);
  std::printf("  Count:        %lld\n  Total:        %.2f s\n", static_cast<long long>(total),
              st.seconds);
  if (!lat.empty()) {
    std::printf("  Slowest:      %.2f ms\n  Fastest:      %.2f ms\n  Average:      %.2f ms\n",
                lat.back() / 1e3, lat.front() / 1e3, sum / lat.size() / 1e3);
  }
  std::printf("  Requests/sec: %.2f\n\nLatency distribution:\n", rps);
  for (double p : {10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0}) {
    std::printf("  %g %% in %.2f ms\n", p, Percentile(lat, p) / 1e3);
  }
  if (total > 0) {
    std::printf("\nCPU per call:\n");
    if (st.server_cpu_s > 0) std::printf("  kgraphd:      %.1f us\n", st.server_cpu_s * 1e6 / total);
    std::printf("  generator:    %.1f us\n", st.generator_cpu_s * 1e6 / total);
  }
  std::printf("\nStatus code distribution:\n");
  for (auto& [k, v] : st.codes) std::printf("  [%s]   %lld responses\n", k.c_str(), static_cast<long long>(v));
  std::fflush(stdout);
  return {{"method", method},
          {"concurrency", concurrency},
          {"seconds", st.seconds},
          {"total", total},
          {"rps", rps},
          {"ok_rps", lat.size() / st.seconds},
          {"p50_us", Percentile(lat, 50)},
          {"p90_us", Percentile(lat, 90)},
          {"p99_us", Percentile(lat, 99)},
          {"server_cpu_us_per_call", total > 0 ? st.server_cpu_s * 1e6 / total : 0},
          {"generator_cpu_us_per_call", total > 0 ? st.generator_cpu_s * 1e6 / total : 0},
          {"codes", st.codes}};
}

}  // namespace

absl::Status RunGrpc(const std::string& data_dir, const GrpcLoadOptions& options,
                     const std::string& out) {
  absl::StatusOr<Workload> w = ReadWorkload(data_dir);
  if (!w.ok()) return w.status();
  std::vector<std::string> names;
  {
    std::ifstream in(fs::path(data_dir) / "nodes.csv");
    std::string line;
    while (std::getline(in, line)) names.push_back(line);
  }
  auto id_of = [&](uint32_t node) { return EntityIdForKey(IdentityKey(names[node])); };
  std::vector<EntityId> h1, a, b;
  for (uint32_t v : w->hop1) h1.push_back(id_of(v));
  for (auto [x, y] : w->pairs) {
    a.push_back(id_of(x));
    b.push_back(id_of(y));
  }
  const int conns = std::max(1, options.connections);
  std::vector<std::unique_ptr<GraphService::Stub>> stubs;
  for (int i = 0; i < conns; ++i) {
    auto channel = MakeChannel(options.target, i);
    if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
      return absl::UnavailableError("cannot connect to kgraphd at " + options.target);
    }
    stubs.push_back(GraphService::NewStub(channel));
  }

  nlohmann::json r;
  r["system"] = "kgraph-grpc";
  // Verification: the same answers as the reference, over the public API.
  if (!options.no_verify) {
    nlohmann::json verify = {{"checked", 0}, {"mismatches", nlohmann::json::array()},
                             {"budget_limited", 0}, {"errors", nlohmann::json::array()}};
    absl::StatusOr<nlohmann::json> expect = ReadJson(options.expect);
    if (!expect.ok()) return expect.status();
    auto check = [&](const char* kind, size_t i, int64_t got, int64_t want, const std::string& err) {
      if (got == -2) {
        verify["budget_limited"] = verify["budget_limited"].get<int64_t>() + 1;
      } else if (got == -3) {
        verify["errors"].push_back(absl::StrCat(kind, "[", i, "]: ", err));
      } else {
        verify["checked"] = verify["checked"].get<int64_t>() + 1;
        if (got != want) {
          verify["mismatches"].push_back(absl::StrCat(kind, "[", i, "]: got ", got, ", want ", want));
        }
      }
    };
    const auto& want1 = (*expect)["h1"]["answers"];
    for (size_t i = 0; i < h1.size(); ++i) {
      std::string err;
      check("h1", i, CountNeighbors(stubs[0].get(), h1[i], 1, &err), want1[i].get<int64_t>(), err);
    }
    const auto& want2 = (*expect)["h2"]["answers"];
    for (size_t i = 0; i < w->hop2.size(); ++i) {
      if (want2[i].get<int64_t>() > 20'000) continue;  // paging a huge result is slow
      std::string err;
      check("h2", i, CountNeighbors(stubs[0].get(), id_of(w->hop2[i]), 2, &err),
            want2[i].get<int64_t>(), err);
    }
    const auto& wantp = (*expect)["sp"]["answers"];
    for (size_t i = 0; i < a.size(); ++i) {
      std::string err;
      check("sp", i, PathLength(stubs[0].get(), a[i], b[i], w->max_hops, &err),
            wantp[i].get<int64_t>(), err);
    }
    std::fprintf(stderr, "grpc verify: %lld checked, %zu mismatches, %lld budget-limited, %zu errors\n",
                 static_cast<long long>(verify["checked"].get<int64_t>()), verify["mismatches"].size(),
                 static_cast<long long>(verify["budget_limited"].get<int64_t>()), verify["errors"].size());
    r["verify"] = verify;
  }

  r["runs"] = nlohmann::json::array();
  // 1-hop runs at every concurrency; call i asks for the neighbors of
  // id_of_call(i). Calls are spread over the connections.
  auto neighbor_runs = [&](const char* label, const std::function<EntityId(int64_t)>& id_of_call,
                           grpc::StatusCode expected) {
    for (int c : options.concurrency) {
      const int nstubs = std::min(c, conns);
      RunStats st = Load<v1::GetNeighborsRequest, v1::GetNeighborsResponse>(
          c, options.duration_s, options.client_threads, options.server_pid,
          [&](int64_t i, grpc::ClientContext* ctx, v1::GetNeighborsRequest* req,
              grpc::CompletionQueue* cq) {
            *req = NeighborsRequest(id_of_call(i), 1);
            return stubs[i % nstubs]->PrepareAsyncGetNeighbors(ctx, *req, cq);
          },
          expected);
      r["runs"].push_back(Summarize(label, c, st));
    }
  };
  neighbor_runs("GetNeighbors 1-hop", [&](int64_t i) { return h1[i % h1.size()]; },
                grpc::StatusCode::OK);
  if (options.floor) {
    // The stack's floor: the same call for an id the store lacks is answered
    // NOT_FOUND after one point read, so what it costs is gRPC, the server's
    // call handling and this generator.
    const EntityId missing = EntityIdForKey(IdentityKey("kgraph-bench: no such entity"));
    neighbor_runs("GetNeighbors missing entity (stack floor)", [&](int64_t) { return missing; },
                  grpc::StatusCode::NOT_FOUND);
  }
  for (int c : options.concurrency) {
    const int nstubs = std::min(c, conns);
    RunStats st = Load<v1::FindPathsRequest, v1::FindPathsResponse>(
        c, options.duration_s, options.client_threads, options.server_pid,
        [&](int64_t i, grpc::ClientContext* ctx, v1::FindPathsRequest* req,
            grpc::CompletionQueue* cq) {
          const size_t k = i % a.size();
          *req = PathRequest(a[k], b[k], w->max_hops);
          return stubs[i % nstubs]->PrepareAsyncFindPaths(ctx, *req, cq);
        });
    r["runs"].push_back(Summarize("FindPaths shortest", c, st));
  }
  if (options.server_pid > 0) {
    r["server_rss_bytes"] = CurrentRssBytes(options.server_pid);
    r["server_peak_rss_bytes"] = PeakRssBytes(options.server_pid);
  }
  return WriteJson(r, out);
}

}  // namespace kgraph::bench
