// `kgraph-admin extract IN... --out FILE.jsonl [--threads N]`: runs the
// extraction pipeline over input files and writes one JSON line per document
// in input order, identical for any thread count.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "ingest/document_reader.h"
#include "ingest/extracted_json.h"
#include "ingest/extractor.h"
#include "tools/admin_commands.h"
#include "tools/document_lines.h"

namespace kgraph::admin {
namespace {

// Documents extracted per parallel batch; bounds memory on large inputs.
constexpr size_t kBatchDocuments = 4096;

struct ExtractOptions {
  std::vector<std::string> inputs;
  std::string out;
  int threads = 1;
  std::string data_dir;
  std::vector<std::string> patterns;
  double min_confidence = ingest::ExtractorConfig().min_confidence;
  std::string models;
  bool no_nlp = false;
  bool no_ner = false;
};

int RunExtract(const ExtractOptions& o) {
  // The throughput line's wall time includes loading the gazetteers,
  // patterns and models: that is what a user waits for.
  const auto start = std::chrono::steady_clock::now();
  ingest::ExtractorConfig config;
  config.data_dir = o.data_dir;
  config.extra_pattern_files = o.patterns;
  config.min_confidence = o.min_confidence;
  config.models_dir = o.models;
  config.use_nlp = !o.no_nlp;
  config.use_ner = !o.no_ner;
  auto extractor = ingest::Extractor::Create(config);
  if (!extractor.ok()) {
    std::cerr << "extract: " << extractor.status().message() << "\n";
    return 1;
  }
  std::ofstream out(o.out, std::ios::binary);
  if (!out) {
    std::cerr << "extract: cannot write " << o.out << "\n";
    return 1;
  }
  const int threads = std::max(1, o.threads);
  const double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const DocumentLineTotals totals = WriteDocumentLines(
      o.inputs, kBatchDocuments, threads, "extract",
      [&](const ingest::SourceDocument& doc) {
        return ingest::ToJsonLine((*extractor)->Extract(doc));
      },
      out);
  const size_t documents = totals.documents, errors = totals.errors,
               text_bytes = totals.text_bytes;
  out.flush();
  if (!out) {
    std::cerr << "extract: write failed: " << o.out << "\n";
    return 1;
  }
  std::cerr << "extract: " << documents << " documents written to " << o.out
            << ", " << errors << " skipped\n";
  // One machine-readable line for bench/extract.sh: wall time covers
  // loading, reading, extraction and writing, and MB/s counts the
  // documents' raw text.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr,
               "extract: throughput: threads=%d documents=%zu text_bytes=%zu seconds=%.3f "
               "load_seconds=%.3f mb_per_s=%.2f docs_per_s=%.0f peak_rss_mb=%.0f\n",
               threads, documents, text_bytes, seconds, load_seconds, text_bytes / 1e6 / seconds,
               documents / seconds, usage.ru_maxrss / 1024.0);
  return errors == 0 ? 0 : 3;
}

}  // namespace

void RegisterExtractCommand(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<ExtractOptions>();
  CLI::App* cmd = app.add_subcommand(
      "extract", "Extract entities and triples from text, JSONL or HTML files");
  cmd->add_option("inputs", opts->inputs, "Input files")->required();
  cmd->add_option("--out", opts->out, "Output JSON lines file")->required();
  cmd->add_option("--threads", opts->threads, "Worker threads (output is identical for any N)");
  cmd->add_option("--data-dir", opts->data_dir, "Data directory (default: $KGRAPH_DATA_DIR or the source tree's data/)");
  cmd->add_option("--patterns", opts->patterns, "Extra pattern files");
  cmd->add_option("--min-confidence", opts->min_confidence, "Drop triples below this confidence");
  cmd->add_option("--models", opts->models, "nlp/ models directory (default: the source tree's data/models)");
  cmd->add_flag("--no-nlp", opts->no_nlp, "Surface patterns only: no parsing, no dependency patterns");
  cmd->add_flag("--no-ner", opts->no_ner, "Entities from the rules alone, not the NER model");
  cmd->callback([opts, exit_code] { *exit_code = RunExtract(*opts); });
}

}  // namespace kgraph::admin
