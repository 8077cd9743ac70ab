// Benchmark data: the graphs every system loads (FB15k-237 or a seeded R-MAT
// power-law graph), the files they are exchanged through, the in-memory CSR
// that serves as the physical-limit reference, and the fixed query workload.
//
// On-disk layout of a data directory (written by `kgraph-bench gen`):
//   nodes.csv      one entity name per line; line i (0-based) is node i
//   edges.csv      "src_name,dst_name,relation" per line (Kùzu COPY FROM, kgraph load)
//   graph.bin      the same edges as binary (u32 src, u32 dst, u32 rel) after a
//                  header "KGB1" u32 nodes u32 relations u64 edges
//   relations.txt  one relation name per line; line i is relation i
//   workload.txt   "h1 <node>", "h2 <node>", "sp <src> <dst>" lines (node indices)
//   meta.json      dataset name, counts, max_hops
//
// Semantics shared by every system (docs/BENCHMARKS.md):
//   1-hop / 2-hop: the number of distinct entities reachable from the start by
//   following 1..1 / 1..2 out-edges (any relation), not counting the start.
//   shortest path: the number of edges of a shortest directed path (unweighted,
//   any relation) from src to dst of at most max_hops edges, or -1 if none.
//
// Thread safety: Csr is immutable after construction and may be shared; one
// CsrSearch per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kgraph::bench {

struct EdgeRec {
  uint32_t src = 0;
  uint32_t dst = 0;
  uint32_t rel = 0;
};

struct Graph {
  std::string name;  // "fb15k237", "rmat-1M", ...
  std::vector<std::string> nodes;
  std::vector<std::string> relations;
  std::vector<EdgeRec> edges;  // unique (src, rel, dst)
};

// FB15k-237 train split from `dir` (train2id.txt: "head tail relation").
absl::StatusOr<Graph> ReadFb15k(const std::string& dir);

// R-MAT (a, b, c) = (0.57, 0.19, 0.19) over 2^scale nodes with avg out-degree
// ~8, ids randomly permuted, Zipf-distributed relation types (16), plus 4
// explicit supernodes that receive ~0.25% of all edges each; exactly `edges`
// unique triples, no self-loops. Deterministic in (edges, seed).
Graph GenerateRmat(int64_t edges, uint64_t seed);

absl::Status WriteGraph(const Graph& g, const std::string& dir);
// Reads graph.bin, nodes.csv and relations.txt.
absl::StatusOr<Graph> ReadGraph(const std::string& dir);

// Compressed sparse rows of distinct out-neighbors (and in-neighbors).
struct Csr {
  std::vector<uint64_t> offsets;  // nodes + 1
  std::vector<uint32_t> targets;
  uint32_t nodes() const { return static_cast<uint32_t>(offsets.size() - 1); }
  uint64_t degree(uint32_t v) const { return offsets[v + 1] - offsets[v]; }
};
Csr BuildCsr(const Graph& g, bool reverse);

class CsrSearch {
 public:
  CsrSearch(const Csr& out, const Csr& in);
  // Distinct nodes within `hops` out-hops of `start`, start excluded.
  int64_t Neighborhood(uint32_t start, int hops);
  // Bidirectional BFS; shortest directed path length <= max_hops, or -1.
  int ShortestPath(uint32_t src, uint32_t dst, int max_hops);

 private:
  const Csr& out_;
  const Csr& in_;
  std::vector<uint32_t> mark_f_, mark_b_;
  std::vector<uint8_t> dist_f_, dist_b_;
  uint32_t epoch_ = 0;
};

struct Workload {
  int max_hops = 5;
  std::vector<uint32_t> hop1;
  std::vector<uint32_t> hop2;
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
};

// Seeded sample: starts uniform over nodes with out-degree >= 1; pairs drawn
// until half are reachable within max_hops and half are not (as far as
// possible within a bounded number of draws).
Workload SampleWorkload(const Graph& g, const Csr& out, const Csr& in, int n1, int n2,
                        int npairs, int max_hops, uint64_t seed);
absl::Status WriteWorkload(const Workload& w, const std::string& dir);
absl::StatusOr<Workload> ReadWorkload(const std::string& dir);

// ---- Measurement helpers ----
double NowSeconds();
// Peak and current resident set of this process (or `pid`), bytes; 0 if unknown.
int64_t PeakRssBytes(int pid = 0);
int64_t CurrentRssBytes(int pid = 0);
// CPU time (user + system) used so far by this process (or `pid`), seconds;
// 0 if unknown.
double CpuSeconds(int pid = 0);
// Total size of the files under `path`.
uint64_t DiskBytes(const std::string& path);
// Percentile (0..100) of `v` (sorted copy); 0 if empty.
double Percentile(std::vector<double> v, double pct);

}  // namespace kgraph::bench
