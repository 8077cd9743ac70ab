// kgraph-admin stats: totals, per-relation counts, degree summary, disk size.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "storage/graph_store.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

int RunStats(const std::string& db) {
  storage::StoreOptions opts;
  opts.read_only = true;
  auto store = storage::GraphStore::Open(db, opts);
  if (!store.ok()) {
    std::cerr << "kgraph-admin stats: " << store.status().message() << "\n";
    return 1;
  }
  auto st = (*store)->GetStats();
  if (!st.ok()) {
    std::cerr << "kgraph-admin stats: " << st.status().message() << "\n";
    return 1;
  }
  std::printf("entities   %lld\nedges      %lld\nevidence   %lld\ndocuments  %lld\nrelations  %zu\n",
              static_cast<long long>(st->entities), static_cast<long long>(st->edges),
              static_cast<long long>(st->evidence), static_cast<long long>(st->documents),
              st->relations.size());
  std::printf("disk       %.1f MB\n", static_cast<double>(st->disk_bytes) / 1e6);

  // Degree distribution from a scan of the out-edge family, by source.
  std::vector<int64_t> degrees;
  int64_t current = 0;
  kgraph::EntityId last = 0;
  bool any = false;
  absl::Status s = (*store)->ScanAllOutEdges([&](const storage::Edge& e) {
    if (any && e.key.src != last) {
      degrees.push_back(current);
      current = 0;
    }
    any = true;
    last = e.key.src;
    ++current;
    return true;
  });
  if (any) degrees.push_back(current);
  if (!s.ok()) {
    std::cerr << "kgraph-admin stats: " << s.message() << "\n";
    return 1;
  }
  if (!degrees.empty()) {
    std::sort(degrees.begin(), degrees.end());
    auto pct = [&](double p) {
      return static_cast<long long>(degrees[std::min(degrees.size() - 1,
                                                     static_cast<size_t>(p * degrees.size()))]);
    };
    double sum = 0;
    for (auto d : degrees) sum += static_cast<double>(d);
    std::printf("out-degree over %zu source entities: mean %.2f  p50 %lld  p90 %lld  p99 %lld  max %lld\n",
                degrees.size(), sum / static_cast<double>(degrees.size()), pct(0.5), pct(0.9),
                pct(0.99), static_cast<long long>(degrees.back()));
  }
  std::printf("\n%-60s %10s\n", "relation", "edges");
  for (const auto& r : st->relations) {
    std::printf("%-60s %10lld\n", r.name.c_str(), static_cast<long long>(r.edges));
  }
  return 0;
}

}  // namespace

void RegisterStatsCommand(CLI::App& app, int* exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("stats", "Entity and edge totals, relations, degrees, disk size");
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->callback([db, exit_code] { *exit_code = RunStats(*db); });
}

}  // namespace kgraph::admin
