// kgraph-admin ingest: extract documents and write them to a store, in
// parallel over documents, with the same result for any --threads.
// Exit status: 0 all committed; 3 some input failed (listed), the rest is
// committed; 1 nothing could be done (store or data files unusable).
#include <cstdio>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ingest/extractor.h"
#include "pipeline/corpus_ingester.h"
#include "storage/graph_store.h"
#include "tools/admin_commands.h"
#include "tools/progress_meter.h"

namespace kgraph::admin {
namespace {

struct IngestArgs {
  std::string db;
  std::vector<std::string> inputs;
  int threads = 0;
  std::string data_dir;
  std::vector<std::string> patterns;
  std::vector<std::string> relations;
  int max_error_lines = 20;
  std::string models;
  bool no_nlp = false;
  bool no_ner = false;
};

int RunIngest(const IngestArgs& args) {
  ingest::ExtractorConfig config;
  config.data_dir = args.data_dir;
  config.extra_pattern_files = args.patterns;
  config.extra_relation_files = args.relations;
  config.models_dir = args.models;
  config.use_nlp = !args.no_nlp;
  config.use_ner = !args.no_ner;
  auto extractor = ingest::Extractor::Create(config);
  if (!extractor.ok()) {
    std::cerr << "kgraph-admin ingest: " << extractor.status().message() << "\n";
    return 1;
  }
  auto store = storage::GraphStore::Open(args.db, storage::StoreOptions{});
  if (!store.ok()) {
    std::cerr << "kgraph-admin ingest: " << store.status().message() << "\n";
    return 1;
  }
  int threads = args.threads > 0 ? args.threads
                                 : std::max(1u, std::thread::hardware_concurrency());
  pipeline::CorpusIngester ingester(extractor->get(), store->get(), threads);
  pipeline::CorpusIngestStats stats;
  ProgressMeter meter("ingesting");
  absl::Status s = ingester.IngestFiles(args.inputs, &stats, [&](const pipeline::CorpusIngestStats& st) {
    meter.Update(st.documents, -1,
                 st.last_committed_id.empty()
                     ? std::string("nothing committed yet")
                     : absl::StrCat("committed through ", st.last_committed_id, " (",
                                    st.last_committed_source, ")"));
  });
  meter.Done();
  double secs = meter.Seconds();
  auto show = [&](const std::vector<std::string>& lines, const char* what) {
    int shown = 0;
    for (const auto& e : lines) {
      if (shown++ >= args.max_error_lines) {
        std::cerr << "... and " << lines.size() - args.max_error_lines << " more " << what
                  << "(s)\n";
        break;
      }
      std::cerr << what << ": " << e << "\n";
    }
  };
  show(stats.errors, "error");
  show(stats.warnings, "warning");
  if (!s.ok()) {
    std::cerr << "kgraph-admin ingest: " << s.message() << "\n";
    return 1;
  }
  std::printf("ingested into %s with %d thread(s)\n", args.db.c_str(), threads);
  std::printf("  input files        %zu (%lld could not be read)\n", args.inputs.size(),
              static_cast<long long>(stats.files_failed));
  std::printf("  documents          %lld (%lld written, %lld unchanged, %lld duplicate, %lld failed: "
              "%lld unreadable, %lld not stored)\n",
              static_cast<long long>(stats.documents), static_cast<long long>(stats.written),
              static_cast<long long>(stats.unchanged), static_cast<long long>(stats.duplicates),
              static_cast<long long>(stats.failed), static_cast<long long>(stats.unreadable),
              static_cast<long long>(stats.failed - stats.unreadable));
  std::printf("  retracted          %lld (stored documents no longer in their re-read source)\n",
              static_cast<long long>(stats.retracted));
  std::printf("  warnings           %zu\n", stats.warnings.size());
  std::printf("  last committed     %s\n",
              stats.last_committed_id.empty()
                  ? "(none)"
                  : absl::StrCat(stats.last_committed_id, " (", stats.last_committed_source, ")")
                        .c_str());
  std::printf("  typed triples      %lld\n", static_cast<long long>(stats.triples));
  std::printf("  co-mention pairs   %lld\n", static_cast<long long>(stats.co_mentions));
  std::printf("  new entities       %lld\n", static_cast<long long>(stats.entities_created));
  std::printf("  new edges          %lld\n", static_cast<long long>(stats.edges_created));
  std::printf("  text               %.2f MB\n", static_cast<double>(stats.bytes) / 1e6);
  std::printf("  seconds            %.2f (%.2f MB/s, %.0f docs/s)\n", secs,
              secs > 0 ? static_cast<double>(stats.bytes) / 1e6 / secs : 0.0,
              secs > 0 ? static_cast<double>(stats.documents) / secs : 0.0);
  // 3: some input failed, everything else is committed (re-running after a
  // fix is safe: re-ingesting an unchanged document is a no-op).
  if (stats.failed > 0 || stats.files_failed > 0) return 3;
  return 0;
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand("ingest", "Extract documents (text pages, JSONL, HTML) into a store");
  cmd->add_option("--db", args->db, "Store directory (created if missing)")->required();
  cmd->add_option("inputs", args->inputs, "Input files")->required();
  cmd->add_option("--threads", args->threads, "Extraction threads (default: all cores)");
  cmd->add_option("--data-dir", args->data_dir, "Gazetteers and patterns (default: built-in data/)");
  cmd->add_option("--patterns", args->patterns, "Extra relation pattern files");
  cmd->add_option("--relations", args->relations, "Extra relation vocabulary files");
  cmd->add_option("--models", args->models, "nlp/ models directory (default: the source tree's data/models)");
  cmd->add_flag("--no-nlp", args->no_nlp, "Surface patterns only: no parsing, no dependency patterns");
  cmd->add_flag("--no-ner", args->no_ner, "Entities from the rules alone, not the NER model");
  cmd->callback([args, exit_code] { *exit_code = RunIngest(*args); });
}

}  // namespace kgraph::admin
