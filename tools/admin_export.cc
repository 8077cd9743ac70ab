// kgraph-admin export: every edge as a triple with entity names, in a format
// `kgraph-admin load` reads back (TSV with mean confidence, or JSON lines with
// all edge properties).
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "storage/graph_store.h"
#include "tools/admin_commands.h"
#include "tools/progress_meter.h"

namespace kgraph::admin {
namespace {

struct ExportArgs {
  std::string db;
  std::string format = "tsv";
  std::string out = "-";
  std::vector<std::string> relations;
};

constexpr size_t kBatch = 4096;

// TSV fields cannot hold tabs or line breaks; they become spaces.
std::string TsvField(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

int RunExport(const ExportArgs& args) {
  if (args.format != "tsv" && args.format != "jsonl") {
    std::cerr << "kgraph-admin export: --format: unknown format '" << args.format
              << "' (tsv, jsonl)\n";
    return 2;
  }
  storage::StoreOptions opts;
  opts.read_only = true;
  auto store = storage::GraphStore::Open(args.db, opts);
  if (!store.ok()) {
    std::cerr << "kgraph-admin export: " << store.status().message() << "\n";
    return 1;
  }
  absl::flat_hash_map<RelationId, bool> wanted;
  for (const auto& name : args.relations) {
    auto rel = (*store)->FindRelation(name);
    if (!rel.ok()) {
      std::cerr << "kgraph-admin export: --relation: " << rel.status().message() << "\n";
      return 2;
    }
    wanted[*rel] = true;
  }
  std::ofstream file;
  if (args.out != "-") {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "kgraph-admin export: cannot write " << args.out << "\n";
      return 1;
    }
  }
  std::ostream& out = args.out == "-" ? std::cout : file;

  absl::flat_hash_map<EntityId, std::string> names;
  std::vector<storage::Edge> batch;
  int64_t written = 0;
  ProgressMeter meter("exporting");
  absl::Status failure;
  auto flush = [&]() -> bool {
    std::vector<EntityId> missing;
    for (const auto& e : batch) {
      for (EntityId id : {e.key.src, e.key.dst}) {
        if (names.emplace(id, std::string()).second) missing.push_back(id);
      }
    }
    auto entities = (*store)->GetEntities(missing);
    if (!entities.ok()) {
      failure = entities.status();
      return false;
    }
    for (size_t i = 0; i < missing.size(); ++i) {
      if ((*entities)[i]) names[missing[i]] = (*entities)[i]->name;
    }
    for (const auto& e : batch) {
      const std::string rel = (*store)->RelationName(e.key.rel);
      if (args.format == "tsv") {
        out << TsvField(names[e.key.src]) << '\t' << TsvField(rel) << '\t'
            << TsvField(names[e.key.dst]) << '\t' << e.stats.confidence_mean() << '\n';
      } else {
        nlohmann::json j = {{"subject", names[e.key.src]},
                            {"relation", rel},
                            {"object", names[e.key.dst]},
                            {"confidence", e.stats.confidence_mean()},
                            {"confidence_max", e.stats.confidence_max},
                            {"mentions", e.stats.mentions},
                            {"bulk_count", e.stats.bulk_count},
                            {"first_seen", e.stats.first_seen},
                            {"last_seen", e.stats.last_seen}};
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      }
      ++written;
    }
    batch.clear();
    meter.Update(written);
    return static_cast<bool>(out);
  };
  absl::Status scan = (*store)->ScanAllOutEdges([&](const storage::Edge& e) {
    if (!wanted.empty() && !wanted.contains(e.key.rel)) return true;
    batch.push_back(e);
    return batch.size() < kBatch || flush();
  });
  if (scan.ok() && failure.ok() && !batch.empty()) flush();
  meter.Done();
  out.flush();
  if (!scan.ok() || !failure.ok() || !out) {
    std::cerr << "kgraph-admin export: "
              << (!scan.ok() ? scan.message() : !failure.ok() ? failure.message() : "write failed")
              << "\n";
    return 1;
  }
  std::fprintf(stderr, "exported %lld edges\n", static_cast<long long>(written));
  return 0;
}

}  // namespace

void RegisterExportCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "Write every edge as a triple (TSV or JSON lines)");
  cmd->add_option("--db", args->db, "Store directory")->required();
  cmd->add_option("--format", args->format, "tsv (loadable by `load`) or jsonl (all properties)");
  cmd->add_option("--out", args->out, "Output file ('-' = standard output)");
  cmd->add_option("--relation", args->relations, "Only these relations (repeatable)");
  cmd->callback([args, exit_code] { *exit_code = RunExport(*args); });
}

}  // namespace kgraph::admin
