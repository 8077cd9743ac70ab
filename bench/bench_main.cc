// kgraph-bench: kgraph against Kùzu and an in-memory CSR limit; driven by
// bench/run.sh (see docs/BENCHMARKS.md). Subcommands:
//   gen     write a data directory (FB15k-237 or R-MAT) and its seeded workload
//   csr     the in-memory CSR reference (also the expected answers)
//   kgraph  kgraph in process: BulkLoad + NeighborhoodQuery/PathQuery
//   grpc    verification + load generator against a running kgraphd
//   report  the markdown table over data directories; exit 1 on disagreement
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>

#include "bench/systems.h"

namespace {

int Fail(const absl::Status& s, const char* what) {
  std::fprintf(stderr, "kgraph-bench %s: %s\n", what, s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kgraph::bench;
  CLI::App app{"kgraph-bench: kgraph vs Kùzu vs in-memory CSR"};
  app.require_subcommand(1);

  std::string source, data, db, out, machine = "unknown machine";
  int64_t edges = 1'000'000;
  uint64_t seed = 42;
  int n1 = 2000, n2 = 500, npairs = 200, max_hops = 5, passes = 3, load_repeats = 1;
  GrpcLoadOptions grpc;
  std::vector<std::string> dirs;

  auto* gen = app.add_subcommand("gen", "write graph files and the workload");
  gen->add_option("--source", source, "fb15k:DIR or rmat")->required();
  gen->add_option("--edges", edges, "R-MAT edge count")->capture_default_str();
  gen->add_option("--seed", seed)->capture_default_str();
  gen->add_option("--out", data, "data directory")->required();
  gen->add_option("--hop1", n1)->capture_default_str();
  gen->add_option("--hop2", n2)->capture_default_str();
  gen->add_option("--pairs", npairs)->capture_default_str();
  gen->add_option("--max_hops", max_hops)->capture_default_str();

  auto* csr = app.add_subcommand("csr", "in-memory CSR reference");
  csr->add_option("--data", data)->required();
  csr->add_option("--passes", passes)->capture_default_str();
  csr->add_option("--out", out)->required();

  auto* kg = app.add_subcommand("kgraph", "kgraph in process");
  kg->add_option("--data", data)->required();
  kg->add_option("--db", db, "store directory (wiped)")->required();
  kg->add_option("--passes", passes)->capture_default_str();
  kg->add_option("--load_repeats", load_repeats)->capture_default_str();
  kg->add_option("--out", out)->required();

  auto* gr = app.add_subcommand("grpc", "kgraphd load generator");
  gr->add_option("--data", data)->required();
  gr->add_option("--target", grpc.target)->capture_default_str();
  gr->add_option("--concurrency", grpc.concurrency)->delimiter(',')->capture_default_str();
  gr->add_option("--duration", grpc.duration_s, "seconds per run")->capture_default_str();
  gr->add_option("--connections", grpc.connections)->capture_default_str();
  gr->add_flag("--floor", grpc.floor, "also measure 1-hop calls for a missing id (stack floor)");
  gr->add_option("--client_threads", grpc.client_threads, "generator threads")
      ->capture_default_str();
  gr->add_option("--server_pid", grpc.server_pid);
  gr->add_option("--expect", grpc.expect, "csr.json with the expected answers")->required();
  gr->add_option("--out", out)->required();
  gr->add_flag("--no_verify", grpc.no_verify, "skip the answer check (profiling, huge graphs)");

  auto* rep = app.add_subcommand("report", "markdown table over data directories");
  rep->add_option("dirs", dirs)->required();
  rep->add_option("--machine", machine);

  CLI11_PARSE(app, argc, argv);

  if (*gen) {
    absl::StatusOr<Graph> g;
    if (source.rfind("fb15k:", 0) == 0) {
      g = ReadFb15k(source.substr(6));
    } else if (source == "rmat") {
      g = GenerateRmat(edges, seed);
    } else {
      return Fail(absl::InvalidArgumentError("--source: fb15k:DIR or rmat"), "gen");
    }
    if (!g.ok()) return Fail(g.status(), "gen");
    absl::Status s = WriteGraph(*g, data);
    if (!s.ok()) return Fail(s, "gen");
    const Csr fwd = BuildCsr(*g, false), bwd = BuildCsr(*g, true);
    uint64_t max_out = 0, max_in = 0;
    for (uint32_t v = 0; v < fwd.nodes(); ++v) {
      max_out = std::max(max_out, fwd.degree(v));
      max_in = std::max(max_in, bwd.degree(v));
    }
    Workload w = SampleWorkload(*g, fwd, bwd, n1, n2, npairs, max_hops, seed ^ 0x5eed);
    s = WriteWorkload(w, data);
    if (!s.ok()) return Fail(s, "gen");
    std::fprintf(stderr,
                 "gen %s: %zu nodes, %zu edges, %zu relations, max out-degree %llu, max "
                 "in-degree %llu; workload %zu/%zu/%zu\n",
                 g->name.c_str(), g->nodes.size(), g->edges.size(), g->relations.size(),
                 static_cast<unsigned long long>(max_out), static_cast<unsigned long long>(max_in),
                 w.hop1.size(), w.hop2.size(), w.pairs.size());
    return 0;
  }
  absl::Status s;
  if (*csr) s = RunCsr(data, passes, out);
  if (*kg) s = RunKgraph(data, db, passes, load_repeats, out);
  if (*gr) s = RunGrpc(data, grpc, out);
  if (*rep) return Report(dirs, machine) ? 0 : 1;
  if (!s.ok()) return Fail(s, app.get_subcommands()[0]->get_name().c_str());
  return 0;
}
