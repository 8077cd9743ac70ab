// kgraph-admin load: bulk-loads triple files through sorted SST files.
#include <cstdio>
#include <iostream>

#include "absl/strings/str_format.h"
#include "storage/graph_store.h"
#include "tools/admin_commands.h"
#include "tools/progress_meter.h"
#include "tools/triple_file_reader.h"

namespace kgraph::admin {
namespace {

struct LoadArgs {
  std::string db;
  std::vector<std::string> files;
  std::string format = "auto";
  int64_t max_errors = 0;
};

int RunLoad(const LoadArgs& args) {
  auto format = ParseTripleFormat(args.format);
  if (!format.ok()) {
    std::cerr << "kgraph-admin load: " << format.status().message() << "\n";
    return 2;
  }
  ProgressMeter meter("reading");
  TripleFileContents contents;
  for (const auto& f : args.files) {
    absl::Status s = ReadTripleFile(f, *format, args.max_errors, &contents);
    meter.Update(static_cast<int64_t>(contents.triples.size()));
    if (!s.ok()) {
      meter.Done();
      std::cerr << "kgraph-admin load: " << s.message() << "\n";
      return 1;
    }
  }
  meter.Done();
  for (const auto& e : contents.errors) std::cerr << "rejected: " << e.ToString() << "\n";

  auto store = storage::GraphStore::Open(args.db, storage::StoreOptions{});
  if (!store.ok()) {
    std::cerr << "kgraph-admin load: " << store.status().message() << "\n";
    return 1;
  }
  std::string source;
  for (const auto& f : args.files) source += (source.empty() ? "" : " ") + f;
  std::fprintf(stderr, "loading %zu triples...\n", contents.triples.size());
  auto result = (*store)->BulkLoad(contents.triples, source, contents.content_hash);
  if (!result.ok()) {
    std::cerr << "kgraph-admin load: " << result.status().message()
              << " (the store is unchanged)\n";
    return 1;
  }
  double secs = meter.Seconds();
  if (result->already_loaded) {
    std::printf("already loaded: this exact input was loaded before; nothing changed\n");
    return contents.errors.empty() ? 0 : 3;
  }
  std::printf("loaded %s\n", source.c_str());
  std::printf("  triples read       %lld (%.1f MB)\n", static_cast<long long>(result->triples),
              static_cast<double>(contents.bytes) / 1e6);
  std::printf("  rejected lines     %zu\n", contents.errors.size());
  std::printf("  unique edges       %lld", static_cast<long long>(result->unique_edges));
  if (result->unique_edges != result->triples) {
    std::printf("  (%lld duplicate triple(s) folded into existing edges' counts)",
                static_cast<long long>(result->triples - result->unique_edges));
  }
  std::printf("\n  new edges          %lld\n", static_cast<long long>(result->new_edges));
  std::printf("  entities           %lld (%lld new)\n", static_cast<long long>(result->entities),
              static_cast<long long>(result->new_entities));
  std::printf("  relations          %lld\n", static_cast<long long>(result->relations));
  std::printf("  seconds            %.2f (resolve %.2f, edges %.2f, entities %.2f, ingest %.2f)\n",
              secs, result->resolve_s, result->edges_s, result->entities_s, result->ingest_s);
  std::printf("  triples/second     %.0f\n", secs > 0 ? static_cast<double>(result->triples) / secs : 0.0);
  // 3: lines were rejected (under --max-errors); the rest is loaded.
  return contents.errors.empty() ? 0 : 3;
}

}  // namespace

void RegisterLoadCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<LoadArgs>();
  CLI::App* cmd = app.add_subcommand("load", "Bulk-load triple files (TSV, CSV, JSONL, N-Triples, FB15k)");
  cmd->add_option("--db", args->db, "Store directory (created if missing)")->required();
  cmd->add_option("files", args->files, "Input files; a directory or train2id.txt is read as FB15k")
      ->required();
  cmd->add_option("--format", args->format, "auto, tsv, csv, jsonl, nt or fb15k");
  cmd->add_option("--max-errors", args->max_errors,
                  "Malformed lines to skip before aborting (the store is then unchanged)");
  cmd->callback([args, exit_code] { *exit_code = RunLoad(*args); });
}

}  // namespace kgraph::admin
