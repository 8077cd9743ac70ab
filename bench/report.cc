// `kgraph-bench report`: checks every system's answers against the CSR's and
// prints one markdown table (with ratios) plus the target verdicts.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/systems.h"

namespace kgraph::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<json> Load(const std::string& dir, const char* file) {
  absl::StatusOr<json> j = ReadJson((fs::path(dir) / file).string());
  if (!j.ok()) return std::nullopt;
  return *j;
}

double Median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median over passes of the `pct` latency (µs) of the queries `keep` selects.
double PassPercentile(const json& block, double pct, const std::function<bool(size_t)>& keep) {
  std::vector<double> per_pass;
  for (const json& pass : block["passes"]) {
    std::vector<double> lat;
    const auto& all = pass["lat_us"];
    for (size_t i = 0; i < all.size(); ++i) {
      if (keep(i)) lat.push_back(all[i].get<double>());
    }
    if (!lat.empty()) per_pass.push_back(Percentile(lat, pct));
  }
  return Median(per_pass);
}

double PassQps(const json& block) {
  std::vector<double> v;
  for (const json& pass : block["passes"]) {
    v.push_back(pass["lat_us"].size() / pass["wall_s"].get<double>());
  }
  return Median(v);
}

std::string Num(double v, const char* unit = "") {
  if (std::isnan(v)) return "n/a";
  if (v >= 100) return absl::StrFormat("%.0f%s", v, unit);
  if (v >= 10) return absl::StrFormat("%.1f%s", v, unit);
  return absl::StrFormat("%.2f%s", v, unit);
}

// ", CPU per call: kgraphd X µs, generator Y µs" for a gRPC run that
// measured it (older results files did not).
std::string CpuPerCall(const json& run) {
  const double server = run.value("server_cpu_us_per_call", 0.0);
  const double generator = run.value("generator_cpu_us_per_call", 0.0);
  if (generator <= 0) return "";
  std::string out = ", CPU per call:";
  if (server > 0) absl::StrAppend(&out, absl::StrFormat(" kgraphd %.0f µs,", server));
  absl::StrAppend(&out, absl::StrFormat(" generator %.0f µs", generator));
  return out;
}

std::string Ratio(double a, double b) {
  if (std::isnan(a) || std::isnan(b) || b == 0) return "n/a";
  return absl::StrFormat("%.2f×", a / b);
}

struct Row {
  explicit Row(std::string m) : metric(std::move(m)) {}
  std::string metric;
  double csr = NAN, kgraph = NAN, kuzu = NAN;
};

}  // namespace

bool Report(const std::vector<std::string>& data_dirs, const std::string& machine) {
  bool agree = true;
  std::vector<std::string> verdicts;
  std::string table =
      "| dataset | metric | CSR limit | kgraph in-process | kgraph gRPC | Kùzu | kgraph ÷ Kùzu | "
      "kgraph ÷ CSR |\n|---|---|---:|---:|---|---:|---:|---:|\n";
  for (const std::string& dir : data_dirs) {
    std::optional<json> meta = Load(dir, "meta.json");
    std::optional<json> csr = Load(dir, "csr.json");
    if (!meta || !csr) {
      std::fprintf(stderr, "report: %s has no meta.json/csr.json; skipped\n", dir.c_str());
      continue;
    }
    const std::string ds = absl::StrCat((*meta)["dataset"].get<std::string>(), " (",
                                        (*meta)["nodes"].get<int64_t>(), " nodes, ",
                                        (*meta)["edges"].get<int64_t>(), " edges)");
    std::optional<json> kg = Load(dir, "kgraph.json");
    std::optional<json> kz = Load(dir, "kuzu.json");
    std::optional<json> grpc = Load(dir, "grpc.json");

    // Agreement with the reference answers.
    for (auto [name, sys] : {std::pair<const char*, std::optional<json>*>{"kgraph", &kg}, {"kuzu", &kz}}) {
      if (!*sys) {
        std::fprintf(stderr, "report: %s: no %s results\n", ds.c_str(), name);
        continue;
      }
      for (const char* kind : {"h1", "h2", "sp"}) {
        const auto& want = (*csr)[kind]["answers"];
        const auto& got = (**sys)[kind]["answers"];
        int bad = 0;
        for (size_t i = 0; i < want.size(); ++i) {
          if (i >= got.size() || got[i] != want[i]) {
            if (++bad <= 5) {
              std::fprintf(stderr, "MISMATCH %s %s %s[%zu]: got %s, CSR says %s\n", ds.c_str(), name,
                           kind, i, i < got.size() ? got[i].dump().c_str() : "nothing",
                           want[i].dump().c_str());
            }
          }
        }
        if (bad > 0) {
          agree = false;
          std::fprintf(stderr, "MISMATCH %s %s %s: %d of %zu answers differ\n", ds.c_str(), name,
                       kind, bad, want.size());
        }
      }
    }
    if (grpc && !grpc->contains("verify")) {
      agree = false;
      std::fprintf(stderr, "MISMATCH %s grpc: answers were not verified (--no_verify)\n", ds.c_str());
    } else if (grpc) {
      const json& v = (*grpc)["verify"];
      if (!v["mismatches"].empty() || !v["errors"].empty()) {
        agree = false;
        for (const auto& m : v["mismatches"]) std::fprintf(stderr, "MISMATCH %s grpc %s\n", ds.c_str(), m.get<std::string>().c_str());
        for (const auto& m : v["errors"]) std::fprintf(stderr, "MISMATCH %s grpc error %s\n", ds.c_str(), m.get<std::string>().c_str());
      }
    }

    const auto& sp_want = (*csr)["sp"]["answers"];
    auto reach = [&](size_t i) { return sp_want[i].get<int64_t>() >= 0; };
    auto unreach = [&](size_t i) { return sp_want[i].get<int64_t>() < 0; };
    auto all = [](size_t) { return true; };
    std::vector<Row> rows;
    auto load_row = [&](const char* metric, const std::function<double(const json&)>& f) {
      Row r(metric);
      r.csr = f((*csr)["load"]);
      if (kg) r.kgraph = f((*kg)["load"]);
      if (kz) r.kuzu = f((*kz)["load"]);
      rows.push_back(r);
    };
    load_row("load: seconds (CSR: build in memory)", [](const json& l) { return l["seconds"].get<double>(); });
    load_row("load: edges/s", [](const json& l) { return l["edges"].get<double>() / l["seconds"].get<double>(); });
    load_row("load: size MB (disk; CSR: arrays)", [](const json& l) { return l["disk_bytes"].get<double>() / 1e6; });
    load_row("load: peak RSS MB", [](const json& l) { return l["peak_rss_bytes"].get<double>() / 1e6; });
    if (kg) {
      Row r(absl::StrFormat("load: BulkLoad call only, s (kgraph's CSV parse: %.2f s)",
                            (*kg)["load"]["parse_seconds"].get<double>()));
      r.kgraph = (*kg)["load"]["engine_seconds"].get<double>();
      rows.push_back(r);
    }
    auto query_row = [&](const std::string& metric, const char* kind,
                         const std::function<double(const json&)>& f) {
      Row r(metric);
      r.csr = f((*csr)[kind]);
      if (kg) r.kgraph = f((*kg)[kind]);
      if (kz) r.kuzu = f((*kz)[kind]);
      rows.push_back(r);
    };
    for (auto [kind, label] : {std::pair<const char*, const char*>{"h1", "1-hop"}, {"h2", "2-hop"}}) {
      query_row(absl::StrCat(label, " p50 µs"), kind, [&](const json& b) { return PassPercentile(b, 50, all); });
      query_row(absl::StrCat(label, " p99 µs"), kind, [&](const json& b) { return PassPercentile(b, 99, all); });
      query_row(absl::StrCat(label, " queries/s (1 client)"), kind, [&](const json& b) { return PassQps(b); });
    }
    query_row("shortest path, all pairs p50 µs", "sp", [&](const json& b) { return PassPercentile(b, 50, all); });
    query_row("shortest path, reachable p50 µs", "sp", [&](const json& b) { return PassPercentile(b, 50, reach); });
    query_row("shortest path, reachable p99 µs", "sp", [&](const json& b) { return PassPercentile(b, 99, reach); });
    query_row("shortest path, unreachable p50 µs", "sp", [&](const json& b) { return PassPercentile(b, 50, unreach); });
    query_row("shortest path, unreachable p99 µs", "sp", [&](const json& b) { return PassPercentile(b, 99, unreach); });
    for (const Row& r : rows) {
      table += absl::StrCat("| ", ds, " | ", r.metric, " | ", Num(r.csr), " | ", Num(r.kgraph),
                            " | | ", Num(r.kuzu), " | ", Ratio(r.kgraph, r.kuzu), " | ",
                            Ratio(r.kgraph, r.csr), " |\n");
    }
    double rps16 = NAN, p99_16 = NAN, server_rss = NAN;
    if (grpc) {
      for (const json& run : (*grpc)["runs"]) {
        std::string errors;
        for (auto& [code, n] : run["codes"].items()) {
          if (code != "OK") absl::StrAppend(&errors, errors.empty() ? "" : ", ", code, " ", n.get<int64_t>());
        }
        table += absl::StrCat(
            "| ", ds, " | gRPC ", run["method"].get<std::string>(), ", ", run["concurrency"].get<int>(),
            " clients | | | ",
            absl::StrFormat("%lld calls, %.0f RPS, p50 %.2f / p90 %.2f / p99 %.2f ms, errors: %s",
                            static_cast<long long>(run["total"].get<int64_t>()), run["rps"].get<double>(),
                            run["p50_us"].get<double>() / 1e3, run["p90_us"].get<double>() / 1e3,
                            run["p99_us"].get<double>() / 1e3, errors.empty() ? "none" : errors),
            CpuPerCall(run), " | | | |\n");
        if (run["method"] == "GetNeighbors 1-hop" && run["concurrency"] == 16) {
          rps16 = run["ok_rps"].get<double>();
          p99_16 = run["p99_us"].get<double>();
        }
      }
      if (grpc->contains("server_rss_bytes")) {
        server_rss = (*grpc)["server_rss_bytes"].get<double>();
        table += absl::StrCat("| ", ds, " | kgraphd RSS after the load test (peak) | | | ",
                              absl::StrFormat("%.0f MB (peak %.0f MB)", server_rss / 1e6,
                                              (*grpc)["server_peak_rss_bytes"].get<double>() / 1e6),
                              " | | | |\n");
      }
      const json& v = grpc->contains("verify") ? (*grpc)["verify"] : json{{"checked", 0}, {"mismatches", json::array()}, {"budget_limited", 0}};
      table += absl::StrCat("| ", ds, " | gRPC answers checked against CSR | | | ",
                            v["checked"].get<int64_t>(), " agree, ", v["mismatches"].size(),
                            " differ, ", v["budget_limited"].get<int64_t>(), " budget-limited | | | |\n");
    }

    // Targets (the issue's, on this machine).
    const std::string name = (*meta)["dataset"].get<std::string>();
    const int64_t m = (*meta)["edges"].get<int64_t>();
    auto verdict = [&](bool ok, const std::string& what) {
      verdicts.push_back(absl::StrCat(ok ? "PASS" : "MISS", "  ", name, ": ", what));
    };
    if (kg) {
      const double eps = m / (*kg)["load"]["seconds"].get<double>();
      const double eps_engine = m / (*kg)["load"]["engine_seconds"].get<double>();
      if (m >= 10'000'000) {
        verdict(eps >= 1e6, absl::StrFormat("bulk load >= 1M edges/s: %.0f edges/s incl. CSV parse "
                                            "(%.0f edges/s BulkLoad alone)", eps, eps_engine));
      }
      if (kz) {
        verdict((*kg)["load"]["seconds"].get<double>() < (*kz)["load"]["seconds"].get<double>(),
                absl::StrFormat("bulk load faster than Kùzu COPY FROM: %.2f s vs %.2f s",
                                (*kg)["load"]["seconds"].get<double>(), (*kz)["load"]["seconds"].get<double>()));
        const double k2 = PassPercentile((*kg)["h2"], 50, all), z2 = PassPercentile((*kz)["h2"], 50, all);
        verdict(k2 <= z2, absl::StrFormat("2-hop p50 <= Kùzu: %.0f µs vs %.0f µs (CSR %.1f µs, %.0f× the limit)",
                                          k2, z2, PassPercentile((*csr)["h2"], 50, all),
                                          k2 / PassPercentile((*csr)["h2"], 50, all)));
        const double ks = PassPercentile((*kg)["sp"], 50, all), zs = PassPercentile((*kz)["sp"], 50, all);
        verdict(ks <= zs, absl::StrFormat("shortest-path p50 <= Kùzu: %.0f µs vs %.0f µs (CSR %.1f µs, %.0f× the limit)",
                                          ks, zs, PassPercentile((*csr)["sp"], 50, all),
                                          ks / PassPercentile((*csr)["sp"], 50, all)));
      }
    }
    if (grpc && !std::isnan(rps16)) {
      verdict(rps16 >= 20000 && p99_16 < 5000,
              absl::StrFormat("gRPC 1-hop, 16 clients: >= 20000 RPS and p99 < 5 ms: %.0f RPS, p99 %.2f ms",
                              rps16, p99_16 / 1e3));
    }
    if (grpc && !std::isnan(server_rss) && m >= 50'000'000) {
      verdict(server_rss < 1024.0 * 1024 * 1024,
              absl::StrFormat("kgraphd RSS < 1 GiB serving %lld edges: %.0f MB",
                              static_cast<long long>(m), server_rss / 1e6));
    }
  }
  std::printf("\n## kgraph benchmark (%s)\n\n", machine.c_str());
  std::printf("Times are medians over the timed passes; ratios are kgraph ÷ other (for times "
              "below 1 is better, for rates above 1 is better).\n\n%s\n", table.c_str());
  std::printf("### Targets\n\n");
  for (const std::string& v : verdicts) std::printf("- %s\n", v.c_str());
  std::printf("\nAnswers (1-hop/2-hop distinct-neighbor counts, shortest-path lengths): %s\n",
              agree ? "every system agrees with the CSR reference" : "MISMATCH (see stderr)");
  return agree;
}

}  // namespace kgraph::bench
