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
#include <thread>

#include <nlohmann/json.hpp>

#include "ingest/document_reader.h"
#include "nlp/pipeline.h"
#include "tools/admin_commands.h"

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

size_t AnnotateBatch(const nlp::NlpPipeline& nlp, const std::vector<ingest::SourceDocument>& batch,
                     int threads, std::vector<std::string>& lines) {
  lines.assign(batch.size(), "");
  std::atomic<size_t> next{0}, words{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < batch.size();) {
      const std::vector<nlp::Sentence> sentences = nlp.Annotate(batch[i].text);
      size_t n = 0;
      for (const nlp::Sentence& s : sentences) n += s.words.size();
      words += n;
      lines[i] = ToJsonLine(batch[i], sentences);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return words.load();
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
  size_t documents = 0, errors = 0, text_bytes = 0, words = 0;
  std::vector<ingest::SourceDocument> batch;
  std::vector<std::string> lines;
  auto flush = [&] {
    words += AnnotateBatch(**nlp, batch, threads, lines);
    for (const std::string& l : lines) out << l << '\n';
    documents += batch.size();
    batch.clear();
  };
  for (const std::string& in : o.inputs) {
    absl::Status s = ingest::ReadDocuments(in, [&](absl::StatusOr<ingest::SourceDocument> doc) {
      if (!doc.ok()) {
        ++errors;
        std::cerr << "annotate: skipped: " << doc.status().message() << "\n";
        return;
      }
      text_bytes += doc->text.size();
      batch.push_back(std::move(*doc));
      if (batch.size() >= kBatchDocuments) flush();
    });
    if (!s.ok()) {
      ++errors;
      std::cerr << "annotate: " << s.message() << "\n";
    }
  }
  flush();
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
               threads, documents, text_bytes, words, seconds, load_seconds,
               text_bytes / 1e6 / seconds, words / seconds, usage.ru_maxrss / 1024.0);
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
