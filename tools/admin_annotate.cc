// `kgraph-admin annotate FILES --out FILE [--threads N]`: runs the nlp/
// pipeline (tokenizer, tagger, parser) over documents (JSON lines, pages,
// HTML) and writes one JSON line per document with its sentences, words
// (form, lemma, upos, xpos, head, deprel, UTF-8 byte offsets) and entities.
// Output is identical for any --threads: documents are annotated in batches
// and written in input order. Prints a throughput line for bench/nlp.sh.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "ingest/document_reader.h"
#include "nlp/pipeline.h"
#include "tools/admin_commands.h"
#include "tools/document_lines.h"

namespace kgraph::admin {
namespace {

struct AnnotateOptions {
  std::vector<std::string> inputs;
  std::string out;
  std::string models = nlp::DefaultModelsDir();
  int threads = 1;
  bool no_parse = false;
  bool no_ner = false;
  std::string parse = "all";
};

constexpr size_t kBatchDocuments = 256;

std::string ToJsonLine(const ingest::SourceDocument& doc,
                       const std::vector<nlp::Sentence>& sentences) {
  nlohmann::json j;
  j["doc"] = doc.id;
  j["offset_unit"] = "utf8_bytes";
  nlohmann::json& out = j["sentences"] = nlohmann::json::array();
  for (const nlp::Sentence& s : sentences) {
    nlohmann::json js;
    js["start"] = s.start;
    js["text"] = s.text;
    nlohmann::json& words = js["words"] = nlohmann::json::array();
    for (const nlp::Word& w : s.words) {
      words.push_back({{"form", w.form}, {"lemma", w.lemma}, {"upos", w.upos},
                       {"xpos", w.xpos}, {"head", w.head}, {"deprel", w.deprel},
                       {"start", w.start}, {"end", w.end}});
    }
    nlohmann::json& entities = js["entities"] = nlohmann::json::array();
    for (const nlp::EntitySpan& e : s.entities) {
      entities.push_back({{"type", e.type}, {"first_word", e.begin}, {"end_word", e.end},
                          {"start", s.words[e.begin].start}, {"end", s.words[e.end - 1].end}});
    }
    out.push_back(std::move(js));
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int RunAnnotate(const AnnotateOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  nlp::PipelineOptions options;
  options.models_dir = o.models;
  options.ner = !o.no_ner;
  if (o.no_parse || o.parse == "none") {
    options.parse = nlp::PipelineOptions::Parse::kNone;
  } else if (o.parse == "entities") {
    options.parse = nlp::PipelineOptions::Parse::kWithEntities;
  } else if (o.parse != "all") {
    std::cerr << "annotate: --parse must be all, entities or none, not '" << o.parse << "'\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<nlp::NlpPipeline>> nlp = nlp::NlpPipeline::Load(options);
  if (!nlp.ok()) {
    std::cerr << "annotate: " << nlp.status().message() << "\n";
    return 1;
  }
  const double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ofstream out(o.out, std::ios::binary);
  if (!out) {
    std::cerr << "annotate: cannot write " << o.out << "\n";
    return 1;
  }
  const int threads = std::max(1, o.threads);
  std::atomic<size_t> words{0};
  const DocumentLineTotals totals = WriteDocumentLines(
      o.inputs, kBatchDocuments, threads, "annotate",
      [&](const ingest::SourceDocument& doc) {
        const std::vector<nlp::Sentence> sentences = (*nlp)->Annotate(doc.text);
        size_t n = 0;
        for (const nlp::Sentence& s : sentences) n += s.words.size();
        words += n;
        return ToJsonLine(doc, sentences);
      },
      out);
  const size_t documents = totals.documents, errors = totals.errors,
               text_bytes = totals.text_bytes;
  out.flush();
  if (!out) {
    std::cerr << "annotate: write failed: " << o.out << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cerr << "annotate: " << documents << " documents written to " << o.out << ", " << errors
            << " skipped\n";
  std::fprintf(stderr,
               "annotate: throughput: threads=%d documents=%zu text_bytes=%zu words=%zu "
               "seconds=%.3f load_seconds=%.3f mb_per_s=%.3f words_per_s=%.0f peak_rss_mb=%.0f\n",
               threads, documents, text_bytes, words.load(), seconds, load_seconds,
               text_bytes / 1e6 / seconds, words.load() / seconds, usage.ru_maxrss / 1024.0);
  return errors == 0 ? 0 : 3;
}

}  // namespace

void RegisterAnnotateCommand(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<AnnotateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "annotate", "Tokenize, tag and parse documents with the nlp/ models (JSON lines out)");
  cmd->add_option("inputs", opts->inputs, "Input files (JSON lines, pages, HTML)")->required();
  cmd->add_option("--out", opts->out, "Output JSON-lines file")->required();
  cmd->add_option("--models", opts->models, "Models directory (default data/models)");
  cmd->add_option("--threads", opts->threads, "Worker threads (output is identical for any)");
  cmd->add_flag("--no-parse", opts->no_parse, "No dependency parse (same as --parse none)");
  cmd->add_option("--parse", opts->parse,
                  "Which sentences to parse: all (default), entities (those with two or more "
                  "entity mentions) or none");
  cmd->add_flag("--no-ner", opts->no_ner, "No named-entity recognition");
  cmd->callback([opts, exit_code] { *exit_code = RunAnnotate(*opts); });
}

}  // namespace kgraph::admin
