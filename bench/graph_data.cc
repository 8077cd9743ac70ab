#include "bench/graph_data.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <tuple>

#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kgraph::bench {
namespace fs = std::filesystem;

namespace {

// splitmix64: small, fast, good enough for sampling.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t s_;
};

constexpr int kRelBits = 5;
constexpr uint64_t kRelMask = (1u << kRelBits) - 1;
uint64_t Pack(uint64_t src, uint64_t dst, uint64_t rel) {
  return (src << 32) | (dst << kRelBits) | rel;
}

// Keeps only nodes that have an edge, renumbering them densely.
void CompactNodes(Graph* g, size_t raw_nodes, const std::vector<std::string>& names_by_raw) {
  std::vector<uint32_t> remap(raw_nodes, std::numeric_limits<uint32_t>::max());
  for (const EdgeRec& e : g->edges) remap[e.src] = remap[e.dst] = 0;
  g->nodes.clear();
  for (size_t i = 0; i < remap.size(); ++i) {
    if (remap[i] == 0) {
      remap[i] = static_cast<uint32_t>(g->nodes.size());
      g->nodes.push_back(names_by_raw.empty() ? std::string() : names_by_raw[i]);
    }
  }
  for (EdgeRec& e : g->edges) {
    e.src = remap[e.src];
    e.dst = remap[e.dst];
  }
}

absl::Status WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return absl::InternalError(absl::StrCat("cannot write ", path));
  for (const std::string& l : lines) {
    std::fwrite(l.data(), 1, l.size(), f);
    std::fputc('\n', f);
  }
  return std::fclose(f) == 0 ? absl::OkStatus() : absl::InternalError("write " + path);
}

absl::Status ReadLines(const std::string& path, std::vector<std::string>* lines) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::string line;
  while (std::getline(in, line)) lines->push_back(line);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Graph> ReadFb15k(const std::string& dir) {
  Graph g;
  g.name = "fb15k237";
  std::vector<std::string> entities;
  for (auto [file, out] : {std::pair<const char*, std::vector<std::string>*>{"entity2id.txt", &entities},
                           {"relation2id.txt", &g.relations}}) {
    std::vector<std::string> lines;
    absl::Status s = ReadLines((fs::path(dir) / file).string(), &lines);
    if (!s.ok()) return s;
    int64_t n = 0;
    if (lines.empty() || !absl::SimpleAtoi(lines[0], &n)) {
      return absl::DataLossError(absl::StrCat(dir, "/", file, ": expected a count"));
    }
    out->resize(n);
    for (size_t i = 1; i < lines.size(); ++i) {
      std::vector<std::string> f = absl::StrSplit(lines[i], '\t');
      int64_t id = 0;
      if (f.size() != 2 || !absl::SimpleAtoi(f[1], &id) || id < 0 || id >= n) {
        return absl::DataLossError(absl::StrCat(dir, "/", file, ":", i + 1, ": bad line"));
      }
      (*out)[id] = f[0];
    }
  }
  std::vector<std::string> lines;
  absl::Status s = ReadLines((fs::path(dir) / "train2id.txt").string(), &lines);
  if (!s.ok()) return s;
  std::vector<EdgeRec> recs;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (f.empty()) continue;
    EdgeRec e;
    if (f.size() != 3 || !absl::SimpleAtoi(f[0], &e.src) || !absl::SimpleAtoi(f[1], &e.dst) ||
        !absl::SimpleAtoi(f[2], &e.rel) || e.src >= entities.size() || e.dst >= entities.size() ||
        e.rel >= g.relations.size()) {
      return absl::DataLossError(absl::StrCat(dir, "/train2id.txt:", i + 1, ": bad triple"));
    }
    recs.push_back(e);
  }
  auto key = [](const EdgeRec& e) { return std::make_tuple(e.src, e.rel, e.dst); };
  std::sort(recs.begin(), recs.end(),
            [&](const EdgeRec& a, const EdgeRec& b) { return key(a) < key(b); });
  recs.erase(std::unique(recs.begin(), recs.end(),
                         [&](const EdgeRec& a, const EdgeRec& b) { return key(a) == key(b); }),
             recs.end());
  g.edges = std::move(recs);
  CompactNodes(&g, entities.size(), entities);
  return g;
}

Graph GenerateRmat(int64_t edges, uint64_t seed) {
  Graph g;
  g.name = edges % 1000000 == 0 ? absl::StrCat("rmat-", edges / 1000000, "M")
                                : absl::StrCat("rmat-", edges);
  int scale = 1;
  while ((int64_t{1} << scale) * 8 < edges) ++scale;
  const uint64_t n = uint64_t{1} << scale;
  Rng rng(seed);
  std::vector<uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  for (uint64_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.Below(i + 1)]);

  constexpr int kRelations = 16;
  for (int r = 0; r < kRelations; ++r) g.relations.push_back(absl::StrCat("rel_", r < 10 ? "0" : "", r));
  g.relations.push_back("located_in");  // the supernodes' relation
  std::vector<double> cdf(kRelations);
  double total = 0;
  for (int r = 0; r < kRelations; ++r) cdf[r] = (total += 1.0 / (r + 1));
  for (double& c : cdf) c /= total;
  uint32_t hubs[4];
  for (uint32_t& h : hubs) h = static_cast<uint32_t>(rng.Below(n));
  const int64_t hub_edges = edges / 100;  // 1% of all edges, 0.25% per hub

  const double a = 0.57, b = 0.19, c = 0.19;
  std::vector<uint64_t> keys;
  keys.reserve(static_cast<size_t>(edges * 1.15));
  auto draw = [&](int64_t count) {
    for (int64_t i = 0; i < count; ++i) {
      uint64_t src = 0, dst = 0;
      for (int level = 0; level < scale; ++level) {
        const double p = rng.Uniform();
        const uint64_t bit = uint64_t{1} << level;
        if (p < a) {
        } else if (p < a + b) {
          dst |= bit;
        } else if (p < a + b + c) {
          src |= bit;
        } else {
          src |= bit;
          dst |= bit;
        }
      }
      src = perm[src];
      dst = perm[dst];
      if (src == dst) continue;
      const double u = rng.Uniform();
      const uint64_t rel = std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
      keys.push_back(Pack(src, dst, std::min<uint64_t>(rel, kRelations - 1)));
    }
  };
  for (int64_t i = 0; i < hub_edges; ++i) {
    const uint64_t src = rng.Below(n);
    const uint32_t hub = hubs[i % 4];
    if (src != hub) keys.push_back(Pack(src, hub, kRelations));
  }
  draw(edges - static_cast<int64_t>(keys.size()));
  for (;;) {
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (static_cast<int64_t>(keys.size()) >= edges) break;
    draw(static_cast<int64_t>((edges - static_cast<int64_t>(keys.size())) * 1.1) + 1000);
  }
  if (static_cast<int64_t>(keys.size()) > edges) {
    for (size_t i = keys.size() - 1; i > 0; --i) std::swap(keys[i], keys[rng.Below(i + 1)]);
    keys.resize(edges);
    std::sort(keys.begin(), keys.end());
  }
  g.edges.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    g.edges[i] = EdgeRec{static_cast<uint32_t>(keys[i] >> 32),
                         static_cast<uint32_t>((keys[i] & 0xffffffffu) >> kRelBits),
                         static_cast<uint32_t>(keys[i] & kRelMask)};
  }
  keys = {};
  CompactNodes(&g, n, {});
  for (size_t i = 0; i < g.nodes.size(); ++i) g.nodes[i] = absl::StrCat("n", i);
  return g;
}

absl::Status WriteGraph(const Graph& g, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const std::string& s : g.nodes) {
    if (s.find_first_of(",\"\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("node name needs CSV quoting: ", s));
    }
  }
  absl::Status s = WriteLines((fs::path(dir) / "nodes.csv").string(), g.nodes);
  if (s.ok()) s = WriteLines((fs::path(dir) / "relations.txt").string(), g.relations);
  if (!s.ok()) return s;
  {
    const std::string path = (fs::path(dir) / "edges.csv").string();
    FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return absl::InternalError("cannot write " + path);
    std::string buf;
    for (const EdgeRec& e : g.edges) {
      absl::StrAppend(&buf, g.nodes[e.src], ",", g.nodes[e.dst], ",", g.relations[e.rel], "\n");
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), f);
        buf.clear();
      }
    }
    std::fwrite(buf.data(), 1, buf.size(), f);
    if (std::fclose(f) != 0) return absl::InternalError("write " + path);
  }
  const std::string path = (fs::path(dir) / "graph.bin").string();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return absl::InternalError("cannot write " + path);
  const uint32_t n = static_cast<uint32_t>(g.nodes.size());
  const uint32_t r = static_cast<uint32_t>(g.relations.size());
  const uint64_t m = g.edges.size();
  std::fwrite("KGB1", 1, 4, f);
  std::fwrite(&n, 4, 1, f);
  std::fwrite(&r, 4, 1, f);
  std::fwrite(&m, 8, 1, f);
  std::fwrite(g.edges.data(), sizeof(EdgeRec), m, f);
  if (std::fclose(f) != 0) return absl::InternalError("write " + path);
  std::ofstream meta(fs::path(dir) / "meta.json");
  meta << "{\"dataset\": \"" << g.name << "\", \"nodes\": " << n << ", \"edges\": " << m
       << ", \"relations\": " << r << "}\n";
  return absl::OkStatus();
}

absl::StatusOr<Graph> ReadGraph(const std::string& dir) {
  Graph g;
  absl::Status s = ReadLines((fs::path(dir) / "nodes.csv").string(), &g.nodes);
  if (s.ok()) s = ReadLines((fs::path(dir) / "relations.txt").string(), &g.relations);
  if (!s.ok()) return s;
  const std::string path = (fs::path(dir) / "graph.bin").string();
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return absl::NotFoundError(path + ": cannot open");
  char magic[4];
  uint32_t n = 0, r = 0;
  uint64_t m = 0;
  bool ok = std::fread(magic, 1, 4, f) == 4 && std::memcmp(magic, "KGB1", 4) == 0 &&
            std::fread(&n, 4, 1, f) == 1 && std::fread(&r, 4, 1, f) == 1 &&
            std::fread(&m, 8, 1, f) == 1;
  if (ok) {
    g.edges.resize(m);
    ok = std::fread(g.edges.data(), sizeof(EdgeRec), m, f) == m;
  }
  std::fclose(f);
  if (!ok || n != g.nodes.size() || r != g.relations.size()) {
    return absl::DataLossError(path + ": truncated or inconsistent with nodes.csv");
  }
  std::ifstream meta(fs::path(dir) / "meta.json");
  std::string text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
  const size_t p = text.find("\"dataset\": \"");
  if (p != std::string::npos) {
    const size_t b = p + 12;
    g.name = text.substr(b, text.find('"', b) - b);
  }
  return g;
}

Csr BuildCsr(const Graph& g, bool reverse) {
  const size_t n = g.nodes.size();
  std::vector<uint64_t> pairs;
  pairs.reserve(g.edges.size());
  for (const EdgeRec& e : g.edges) {
    const uint64_t a = reverse ? e.dst : e.src;
    const uint64_t b = reverse ? e.src : e.dst;
    pairs.push_back((a << 32) | b);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  Csr csr;
  csr.offsets.assign(n + 1, 0);
  csr.targets.resize(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    csr.offsets[(pairs[i] >> 32) + 1]++;
    csr.targets[i] = static_cast<uint32_t>(pairs[i]);
  }
  for (size_t i = 0; i < n; ++i) csr.offsets[i + 1] += csr.offsets[i];
  return csr;
}

CsrSearch::CsrSearch(const Csr& out, const Csr& in)
    : out_(out), in_(in), mark_f_(out.nodes(), 0), mark_b_(out.nodes(), 0),
      dist_f_(out.nodes(), 0), dist_b_(out.nodes(), 0) {}

int64_t CsrSearch::Neighborhood(uint32_t start, int hops) {
  const uint32_t epoch = ++epoch_;
  mark_f_[start] = epoch;
  std::vector<uint32_t> frontier{start}, next;
  int64_t found = 0;
  for (int h = 0; h < hops && !frontier.empty(); ++h) {
    next.clear();
    for (uint32_t u : frontier) {
      for (uint64_t i = out_.offsets[u]; i < out_.offsets[u + 1]; ++i) {
        const uint32_t v = out_.targets[i];
        if (mark_f_[v] == epoch) continue;
        mark_f_[v] = epoch;
        next.push_back(v);
      }
    }
    found += static_cast<int64_t>(next.size());
    frontier.swap(next);
  }
  return found;
}

int CsrSearch::ShortestPath(uint32_t src, uint32_t dst, int max_hops) {
  if (src == dst) return 0;
  const uint32_t epoch = ++epoch_;
  mark_f_[src] = epoch;
  dist_f_[src] = 0;
  mark_b_[dst] = epoch;
  dist_b_[dst] = 0;
  std::vector<uint32_t> ff{src}, fb{dst}, next;
  int df = 0, db = 0;
  while (!ff.empty() && !fb.empty() && df + db < max_hops) {
    const bool fwd = ff.size() <= fb.size();
    const Csr& csr = fwd ? out_ : in_;
    std::vector<uint32_t>& mark = fwd ? mark_f_ : mark_b_;
    std::vector<uint8_t>& dist = fwd ? dist_f_ : dist_b_;
    const std::vector<uint32_t>& other_mark = fwd ? mark_b_ : mark_f_;
    const std::vector<uint8_t>& other_dist = fwd ? dist_b_ : dist_f_;
    std::vector<uint32_t>& frontier = fwd ? ff : fb;
    int& d = fwd ? df : db;
    int best = std::numeric_limits<int>::max();
    next.clear();
    for (uint32_t u : frontier) {
      for (uint64_t i = csr.offsets[u]; i < csr.offsets[u + 1]; ++i) {
        const uint32_t v = csr.targets[i];
        if (mark[v] == epoch) continue;
        mark[v] = epoch;
        dist[v] = static_cast<uint8_t>(d + 1);
        next.push_back(v);
        if (other_mark[v] == epoch) best = std::min(best, d + 1 + other_dist[v]);
      }
    }
    ++d;
    if (best != std::numeric_limits<int>::max()) return best;
    frontier.swap(next);
  }
  return -1;
}

Workload SampleWorkload(const Graph& g, const Csr& out, const Csr& in, int n1, int n2,
                        int npairs, int max_hops, uint64_t seed) {
  Workload w;
  w.max_hops = max_hops;
  Rng rng(seed);
  std::vector<uint32_t> sources, sinks;
  for (uint32_t v = 0; v < out.nodes(); ++v) {
    if (out.degree(v) > 0) sources.push_back(v);
    if (in.degree(v) > 0) sinks.push_back(v);
  }
  for (int i = 0; i < n1; ++i) w.hop1.push_back(sources[rng.Below(sources.size())]);
  for (int i = 0; i < n2; ++i) w.hop2.push_back(sources[rng.Below(sources.size())]);
  CsrSearch search(out, in);
  int reachable = 0, unreachable = 0;
  const int want_r = npairs / 2, want_u = npairs - npairs / 2;
  for (int64_t draws = 0; draws < int64_t{200} * npairs && reachable + unreachable < npairs;
       ++draws) {
    const uint32_t a = sources[rng.Below(sources.size())];
    const uint32_t b = sinks[rng.Below(sinks.size())];
    if (a == b) continue;
    const int d = search.ShortestPath(a, b, max_hops);
    if (d >= 0 && reachable < want_r) {
      ++reachable;
      w.pairs.push_back({a, b});
    } else if (d < 0 && unreachable < want_u) {
      ++unreachable;
      w.pairs.push_back({a, b});
    }
  }
  return w;
}

absl::Status WriteWorkload(const Workload& w, const std::string& dir) {
  std::ofstream out(fs::path(dir) / "workload.txt");
  out << "max_hops " << w.max_hops << "\n";
  for (uint32_t v : w.hop1) out << "h1 " << v << "\n";
  for (uint32_t v : w.hop2) out << "h2 " << v << "\n";
  for (auto [a, b] : w.pairs) out << "sp " << a << " " << b << "\n";
  out.close();
  return out ? absl::OkStatus() : absl::InternalError("cannot write workload.txt");
}

absl::StatusOr<Workload> ReadWorkload(const std::string& dir) {
  std::ifstream in(fs::path(dir) / "workload.txt");
  if (!in) return absl::NotFoundError(dir + "/workload.txt: cannot open");
  Workload w;
  std::string kind;
  while (in >> kind) {
    if (kind == "max_hops") {
      in >> w.max_hops;
    } else if (kind == "h1" || kind == "h2") {
      uint32_t v;
      in >> v;
      (kind == "h1" ? w.hop1 : w.hop2).push_back(v);
    } else if (kind == "sp") {
      uint32_t a, b;
      in >> a >> b;
      w.pairs.push_back({a, b});
    } else {
      return absl::DataLossError("workload.txt: unknown line kind " + kind);
    }
  }
  return w;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {
// /proc/<pid>/<file>, or this process's when pid is 0.
std::string ProcFile(int pid, const char* file) {
  return pid ? absl::StrCat("/proc/", pid, "/", file) : absl::StrCat("/proc/self/", file);
}

int64_t StatusField(int pid, const char* field) {
  std::ifstream in(ProcFile(pid, "status"));
  std::string line;
  const size_t len = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, len, field) == 0) {
      return std::strtoll(line.c_str() + len + 1, nullptr, 10) * 1024;  // "kB"
    }
  }
  return 0;
}
}  // namespace

int64_t PeakRssBytes(int pid) { return StatusField(pid, "VmHWM"); }
int64_t CurrentRssBytes(int pid) { return StatusField(pid, "VmRSS"); }

double CpuSeconds(int pid) {
  std::ifstream in(ProcFile(pid, "stat"));
  std::string stat;
  std::getline(in, stat);
  // The command name (field 2) may hold spaces; fields count from its ')'.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt
  long long utime = 0, stime = 0;
  fields >> utime >> stime;
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

uint64_t DiskBytes(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

double Percentile(std::vector<double> v, double pct) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(pct / 100.0 * v.size()));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

}  // namespace kgraph::bench
