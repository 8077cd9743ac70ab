// kgraph over gRPC: a verification pass, then a closed-loop load generator
// (N calls in flight on gRPC's callback API, over a few HTTP/2 connections)
// for a fixed duration, reported the way ghz does.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
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
  std::vector<double> lat_us;  // successful calls only
  std::map<std::string, int64_t> codes;
  double seconds = 0;
};

// Starts call number `i` with `ctx`; `done` runs once it completes.
using AsyncCall = std::function<void(int64_t i, grpc::ClientContext* ctx,
                                     std::function<void(grpc::Status)> done)>;

// Closed loop, as ghz runs it: `concurrency` calls are in flight at all
// times; each completion records its latency and starts the next call,
// until the deadline. Calls go through gRPC's callback API, so the
// generator needs a few threads rather than one per client, and leaves more
// of the two cores to the server it measures.
RunStats Load(int concurrency, double duration_s, const AsyncCall& call) {
  std::vector<RunStats> per(concurrency);  // a slot's calls complete one at a time
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable idle;
  int active = concurrency;
  std::function<void(int, int64_t)> issue = [&](int slot, int64_t i) {
    auto ctx = std::make_shared<grpc::ClientContext>();
    SetDeadline(ctx.get(), 5);
    const double start = NowSeconds();
    call(i, ctx.get(), [&, slot, i, ctx, start](grpc::Status status) {
      const double us = (NowSeconds() - start) * 1e6;
      RunStats& st = per[slot];
      st.codes[CodeName(status.error_code())]++;
      if (status.ok()) st.lat_us.push_back(us);
      if (stop.load(std::memory_order_relaxed)) {
        std::lock_guard<std::mutex> lock(mu);
        if (--active == 0) idle.notify_all();
        return;
      }
      issue(slot, i + concurrency);
    });
  };
  const double t0 = NowSeconds();
  for (int slot = 0; slot < concurrency; ++slot) issue(slot, slot);
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(duration_s * 1e6)));
  stop = true;
  {
    std::unique_lock<std::mutex> lock(mu);
    idle.wait(lock, [&] { return active == 0; });
  }
  RunStats all;
  all.seconds = NowSeconds() - t0;
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
  // Each call owns its request and response until its callback has run;
  // calls are spread over the connections.
  for (int c : options.concurrency) {
    const int nstubs = std::min(c, conns);
    RunStats st = Load(c, options.duration_s, [&](int64_t i, grpc::ClientContext* ctx, auto done) {
      struct Call {
        v1::GetNeighborsRequest req;
        v1::GetNeighborsResponse resp;
      };
      auto rpc = std::make_shared<Call>();
      rpc->req = NeighborsRequest(h1[i % h1.size()], 1);
      stubs[i % nstubs]->async()->GetNeighbors(ctx, &rpc->req, &rpc->resp,
                                               [rpc, done](grpc::Status s) { done(s); });
    });
    r["runs"].push_back(Summarize("GetNeighbors 1-hop", c, st));
  }
  for (int c : options.concurrency) {
    const int nstubs = std::min(c, conns);
    RunStats st = Load(c, options.duration_s, [&](int64_t i, grpc::ClientContext* ctx, auto done) {
      struct Call {
        v1::FindPathsRequest req;
        v1::FindPathsResponse resp;
      };
      auto rpc = std::make_shared<Call>();
      const size_t k = i % a.size();
      rpc->req = PathRequest(a[k], b[k], w->max_hops);
      stubs[i % nstubs]->async()->FindPaths(ctx, &rpc->req, &rpc->resp,
                                            [rpc, done](grpc::Status s) { done(s); });
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
