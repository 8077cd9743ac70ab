// kgraph-worst-case: hostile read load against a real kgraphd. Builds two
// stores (FB15k-237, if present, and a star with a 1M-edge supernode), starts
// kgraphd on each (loopback, free port), and runs phases of N concurrent
// clients issuing one kind of worst-case call each: weighted k-shortest and
// all-simple paths with the largest limits the server allows, weighted
// shortest paths, and pages of the supernode's neighbor listing. For each
// phase it prints kgraphd's CPU per call (from /proc/PID/stat), latencies,
// status codes and truncations, and kgraphd's resident memory; at the end the
// peak (VmHWM). Exits 1 if kgraphd's peak RSS reached --max_rss_mb or a
// phase's CPU per call exceeded --max_cpu_ms. See docs/RELIABILITY.md,
// "Bounded reads".
//
// Usage: kgraph-worst-case --kgraphd PATH [--fb15k DIR] [--scratch DIR]
//          [--clients 16] [--seconds 10] [--supernode_edges 1000000]
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/graph_data.h"
#include "kgraph/v1/graph.grpc.pb.h"
#include "model/ids.h"
#include "model/name_key.h"
#include "storage/graph_store.h"

namespace kgraph::bench {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string kgraphd;
  std::string fb15k;
  std::string scratch = "build-bench/worst-case";
  int clients = 16;
  double seconds = 10;
  int64_t supernode_edges = 1'000'000;
  double max_rss_mb = 512;
  double max_cpu_ms = 1000;
  std::vector<std::string> kgraphd_args;
};

const char* CodeName(grpc::StatusCode c) {
  static const char* kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                                 "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
                                 "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                 "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  const int i = static_cast<int>(c);
  return i >= 0 && i < 17 ? kNames[i] : "?";
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A kgraphd child process serving `db` on a loopback port; stopped (SIGTERM,
// then waited for) when destroyed.
class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const Options& o, const std::string& db) {
    auto s = std::unique_ptr<Server>(new Server());
    s->port_ = FreePort();
    std::vector<std::string> args = {o.kgraphd, "--db", db, "--listen",
                                     absl::StrCat("127.0.0.1:", s->port_), "--quiet",
                                     "--read_only"};
    args.insert(args.end(), o.kgraphd_args.begin(), o.kgraphd_args.end());
    s->pid_ = fork();
    if (s->pid_ < 0) return absl::InternalError("fork failed");
    if (s->pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    s->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", s->port_),
                                      grpc::InsecureChannelCredentials());
    auto stub = v1::GraphService::NewStub(s->channel_);
    for (int i = 0; i < 300; ++i) {  // up to 30 s to open the store
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(100));
      v1::GetStatsResponse stats;
      if (stub->GetStats(&ctx, v1::GetStatsRequest(), &stats).ok()) return s;
      int status = 0;
      if (waitpid(s->pid_, &status, WNOHANG) == s->pid_) {
        s->pid_ = -1;
        return absl::UnavailableError("kgraphd exited at start; run it by hand to see why");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return absl::DeadlineExceededError("kgraphd did not answer within 30 s");
  }
  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  int pid() const { return pid_; }
  std::shared_ptr<grpc::Channel> NewChannel(int index) const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel
    args.SetInt("kgraph.worst_case.channel", index);
    args.SetMaxReceiveMessageSize(64 << 20);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                     grpc::InsecureChannelCredentials(), args);
  }

 private:
  Server() = default;
  int pid_ = -1;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

// What one call did, as the client saw it.
struct CallResult {
  grpc::StatusCode code = grpc::StatusCode::OK;
  v1::TruncationReason truncated = v1::NOT_TRUNCATED;
  double seconds = 0;
};

// One client's worst-case call; `rng` and `state` are the client's own.
using Call = std::function<CallResult(v1::GraphService::Stub* stub, std::mt19937_64* rng,
                                      std::string* state)>;

struct PhaseReport {
  std::string store;
  std::string call;
  int64_t calls = 0;
  std::map<std::string, int64_t> outcomes;  // status code or truncation reason
  double cpu_per_call_ms = 0;
  double p50_ms = 0;
  double max_ms = 0;
  double peak_rss_mb = 0;  // highest VmRSS sampled during the phase
};

PhaseReport RunPhase(const Options& o, const Server& server, const std::string& store,
                     const std::string& name, const Call& call) {
  PhaseReport report;
  report.store = store;
  report.call = name;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < 4; ++i) channels.push_back(server.NewChannel(i));
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<int64_t> peak_rss{0};
  std::thread monitor([&] {
    while (!stop.load()) {
      peak_rss = std::max<int64_t>(peak_rss.load(), CurrentRssBytes(server.pid()));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const double cpu0 = CpuSeconds(server.pid());
  const double t0 = NowSeconds();
  std::vector<std::thread> clients;
  for (int c = 0; c < o.clients; ++c) {
    clients.emplace_back([&, c] {
      auto stub = v1::GraphService::NewStub(channels[c % channels.size()]);
      std::mt19937_64 rng(1000 + c);
      std::string state;
      while (!stop.load()) {
        CallResult r = call(stub.get(), &rng, &state);
        std::lock_guard<std::mutex> lock(mu);
        latencies.push_back(r.seconds);
        if (r.code != grpc::StatusCode::OK) {
          report.outcomes[CodeName(r.code)]++;
        } else {
          report.outcomes[r.truncated == v1::NOT_TRUNCATED
                              ? "OK"
                              : absl::StrCat("OK ", v1::TruncationReason_Name(r.truncated))]++;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(o.seconds * 1e6)));
  stop = true;
  for (auto& t : clients) t.join();
  const double cpu = CpuSeconds(server.pid()) - cpu0;
  monitor.join();
  (void)t0;
  report.calls = static_cast<int64_t>(latencies.size());
  report.cpu_per_call_ms = report.calls > 0 ? cpu * 1e3 / static_cast<double>(report.calls) : 0;
  report.p50_ms = Percentile(latencies, 50) * 1e3;
  report.max_ms = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end()) * 1e3;
  report.peak_rss_mb = static_cast<double>(peak_rss.load()) / (1 << 20);
  return report;
}

template <typename Request, typename Response>
CallResult Timed(const Request& request,
                 grpc::Status (v1::GraphService::Stub::*method)(grpc::ClientContext*,
                                                                const Request&, Response*),
                 v1::GraphService::Stub* stub, Response* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  const double t0 = NowSeconds();
  grpc::Status status = (stub->*method)(&ctx, request, response);
  CallResult r;
  r.seconds = NowSeconds() - t0;
  r.code = status.error_code();
  r.truncated = status.ok() ? response->truncated() : v1::NOT_TRUNCATED;
  return r;
}

// The largest limits a hostile client can ask for; the server caps them.
void MaxLimits(v1::QueryLimits* limits) {
  limits->set_max_expanded_edges(int64_t{1} << 40);
  limits->set_max_visited_nodes(int64_t{1} << 40);
  limits->set_max_memory_bytes(int64_t{1} << 40);
}

Call PathCall(std::vector<EntityId> nodes, v1::PathMode mode, v1::PathWeight weight, int k,
              bool max_limits) {
  return [nodes = std::move(nodes), mode, weight, k, max_limits](
             v1::GraphService::Stub* stub, std::mt19937_64* rng, std::string*) {
    v1::FindPathsRequest request;
    request.mutable_source()->set_id(nodes[(*rng)() % nodes.size()]);
    request.mutable_target()->set_id(nodes[(*rng)() % nodes.size()]);
    request.set_mode(mode);
    request.set_weight(weight);
    request.set_k(k);
    request.set_limit(1000);
    request.set_max_hops(4);
    if (max_limits) MaxLimits(request.mutable_limits());
    v1::FindPathsResponse response;
    return Timed(request, &v1::GraphService::Stub::FindPaths, stub, &response);
  };
}

// Pages through the hub's listing, 1000 nodes at a time with the largest
// fan-out, starting over at the end; `state` holds the client's page token.
Call PagesCall(EntityId hub) {
  return [hub](v1::GraphService::Stub* stub, std::mt19937_64*, std::string* token) {
    v1::GetNeighborsRequest request;
    request.mutable_entity()->set_id(hub);
    request.set_page_size(1000);
    request.set_max_edges_per_node(100'000);
    MaxLimits(request.mutable_limits());
    request.set_page_token(*token);
    v1::GetNeighborsResponse response;
    CallResult r = Timed(request, &v1::GraphService::Stub::GetNeighbors, stub, &response);
    *token = r.code == grpc::StatusCode::OK ? response.next_page_token() : "";
    return r;
  };
}

EntityId IdOf(const std::string& name) { return EntityIdForKey(IdentityKey(name)); }

absl::Status LoadStore(const std::string& db, const std::vector<storage::BulkTriple>& triples) {
  fs::remove_all(db);
  auto store = storage::GraphStore::Open(db, storage::StoreOptions());
  if (!store.ok()) return store.status();
  auto loaded = (*store)->BulkLoad(triples, db, 1);
  return loaded.ok() ? absl::OkStatus() : loaded.status();
}

std::string Outcomes(const std::map<std::string, int64_t>& m) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : m) parts.push_back(absl::StrCat(k, " ", v));
  return absl::StrJoin(parts, ", ");
}

int Run(const Options& o) {
  fs::create_directories(o.scratch);
  struct Dataset {
    std::string name;
    std::string db;
    std::vector<std::pair<std::string, Call>> calls;
  };
  std::vector<Dataset> datasets;

  if (!o.fb15k.empty() && fs::exists(fs::path(o.fb15k) / "train2id.txt")) {
    absl::StatusOr<Graph> g = ReadFb15k(o.fb15k);
    if (!g.ok()) {
      std::fprintf(stderr, "worst-case: %s\n", g.status().ToString().c_str());
      return 2;
    }
    std::vector<storage::BulkTriple> triples;
    std::mt19937_64 rng(7);
    for (const EdgeRec& e : g->edges) {
      // FB15k-237 has no confidences; varied ones make weighted paths differ.
      triples.push_back({g->nodes[e.src], g->relations[e.rel], g->nodes[e.dst],
                         0.3 + 0.7 * static_cast<double>(rng() % 1000) / 1000.0});
    }
    Dataset d{"FB15k-237", (fs::path(o.scratch) / "fb15k237").string(), {}};
    std::fprintf(stderr, "worst-case: loading FB15k-237 (%zu triples)\n", triples.size());
    if (absl::Status s = LoadStore(d.db, triples); !s.ok()) {
      std::fprintf(stderr, "worst-case: %s\n", s.ToString().c_str());
      return 2;
    }
    std::vector<EntityId> nodes;
    for (const std::string& n : g->nodes) {
      if (!n.empty()) nodes.push_back(IdOf(n));
    }
    d.calls.push_back({"weighted k-shortest (k=10, default limits)",
                       PathCall(nodes, v1::K_SHORTEST, v1::NEGATIVE_LOG_CONFIDENCE, 10, false)});
    d.calls.push_back({"weighted k-shortest (k=1000, max limits)",
                       PathCall(nodes, v1::K_SHORTEST, v1::INVERSE_CONFIDENCE, 1000, true)});
    d.calls.push_back({"all simple paths (limit 1000, max limits)",
                       PathCall(nodes, v1::ALL_SIMPLE, v1::HOPS, 0, true)});
    d.calls.push_back({"weighted shortest (max limits)",
                       PathCall(nodes, v1::SHORTEST, v1::NEGATIVE_LOG_CONFIDENCE, 0, true)});
    datasets.push_back(std::move(d));
  } else {
    std::fprintf(stderr, "worst-case: FB15k-237 not found at '%s'; skipping it\n",
                 o.fb15k.c_str());
  }

  {
    // Hub -links-> leaf_i for every leaf; Hub2 -links-> the first tenth of
    // them, so two leaves of that tenth have 2-hop paths both ways and
    // 4-hop paths through every other leaf of it.
    std::vector<storage::BulkTriple> triples;
    std::mt19937_64 rng(9);
    const int64_t leaves = o.supernode_edges;
    triples.reserve(static_cast<size_t>(leaves + leaves / 10));
    auto leaf = [](int64_t i) { return absl::StrFormat("leaf%07d", i); };
    for (int64_t i = 0; i < leaves; ++i) {
      triples.push_back({"Hub", "links", leaf(i), 0.3 + 0.7 * static_cast<double>(rng() % 1000) / 1000.0});
    }
    for (int64_t i = 0; i < leaves / 10; ++i) {
      triples.push_back({"Hub2", "links", leaf(i), 0.3 + 0.7 * static_cast<double>(rng() % 1000) / 1000.0});
    }
    Dataset d{absl::StrCat("supernode ", leaves / 1000, "k"),
              (fs::path(o.scratch) / "supernode").string(), {}};
    std::fprintf(stderr, "worst-case: loading the supernode store (%zu triples)\n", triples.size());
    if (absl::Status s = LoadStore(d.db, triples); !s.ok()) {
      std::fprintf(stderr, "worst-case: %s\n", s.ToString().c_str());
      return 2;
    }
    std::vector<EntityId> nodes;
    for (int64_t i = 0; i < leaves / 10; i += 97) nodes.push_back(IdOf(leaf(i)));
    d.calls.push_back({"weighted k-shortest (k=1000, max limits)",
                       PathCall(nodes, v1::K_SHORTEST, v1::INVERSE_CONFIDENCE, 1000, true)});
    d.calls.push_back({"all simple paths (limit 1000, max limits)",
                       PathCall(nodes, v1::ALL_SIMPLE, v1::HOPS, 0, true)});
    d.calls.push_back({"weighted shortest (max limits)",
                       PathCall(nodes, v1::SHORTEST, v1::NEGATIVE_LOG_CONFIDENCE, 0, true)});
    d.calls.push_back({"hub neighbor pages (1000/page, fan-out 100k)", PagesCall(IdOf("Hub"))});
    datasets.push_back(std::move(d));
  }

  std::vector<PhaseReport> reports;
  int64_t peak = 0;
  for (const Dataset& d : datasets) {
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(o, d.db);
    if (!server.ok()) {
      std::fprintf(stderr, "worst-case: %s\n", server.status().ToString().c_str());
      return 2;
    }
    for (const auto& [name, call] : d.calls) {
      std::fprintf(stderr, "worst-case: %s: %s, %d clients, %.0f s\n", d.name.c_str(),
                   name.c_str(), o.clients, o.seconds);
      reports.push_back(RunPhase(o, **server, d.name, name, call));
    }
    peak = std::max(peak, PeakRssBytes((*server)->pid()));
  }

  std::printf("| store | call (%d clients) | calls | outcomes | kgraphd CPU per call | p50 latency | "
              "max latency | kgraphd RSS (max sampled) |\n|---|---|---|---|---|---|---|---|\n",
              o.clients);
  bool ok = true;
  for (const PhaseReport& r : reports) {
    std::printf("| %s | %s | %lld | %s | %.0f ms | %.0f ms | %.0f ms | %.0f MB |\n", r.store.c_str(),
                r.call.c_str(), static_cast<long long>(r.calls), Outcomes(r.outcomes).c_str(),
                r.cpu_per_call_ms, r.p50_ms, r.max_ms, r.peak_rss_mb);
    if (r.cpu_per_call_ms > o.max_cpu_ms) ok = false;
  }
  const double peak_mb = static_cast<double>(peak) / (1 << 20);
  std::printf("\nkgraphd peak RSS (VmHWM, largest over the servers): %.0f MB (target < %.0f MB)\n",
              peak_mb, o.max_rss_mb);
  if (peak_mb >= o.max_rss_mb) ok = false;
  if (!ok) std::printf("TARGET MISSED: CPU per call above %.0f ms or RSS above %.0f MB\n",
                       o.max_cpu_ms, o.max_rss_mb);
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace kgraph::bench

int main(int argc, char** argv) {
  kgraph::bench::Options o;
  CLI::App app{"kgraph-worst-case: hostile read load against kgraphd"};
  app.add_option("--kgraphd", o.kgraphd, "kgraphd binary")->required();
  app.add_option("--fb15k", o.fb15k, "FB15k-237 directory (skipped if absent)");
  app.add_option("--scratch", o.scratch, "where the stores are built")->capture_default_str();
  app.add_option("--clients", o.clients)->capture_default_str();
  app.add_option("--seconds", o.seconds, "per phase")->capture_default_str();
  app.add_option("--supernode_edges", o.supernode_edges)->capture_default_str();
  app.add_option("--max_rss_mb", o.max_rss_mb, "target for kgraphd's peak RSS")
      ->capture_default_str();
  app.add_option("--max_cpu_ms", o.max_cpu_ms, "target for kgraphd's CPU per call")
      ->capture_default_str();
  app.add_option("--kgraphd_arg", o.kgraphd_args, "extra kgraphd flag (repeatable)");
  CLI11_PARSE(app, argc, argv);
  return kgraph::bench::Run(o);
}
