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

#include "absl/strings/str_cat.h"
#include "ingest/document_reader.h"
#include "model/json_text.h"
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

// Written directly rather than through nlohmann::json, which took a third
// of the time of a run without parsing; keys are in nlohmann's (sorted)
// order, so the bytes are the same as dump() gave.
std::string ToJsonLine(const ingest::SourceDocument& doc,
                       const std::vector<nlp::Sentence>& sentences) {
  std::string out;
  out.reserve(256 + doc.text.size() * 8);
  // `sep` ("" or ",") before "key":value.
  auto str = [&](const char* sep, const char* key, const std::string& value) {
    absl::StrAppend(&out, sep, "\"", key, "\":");
    model::AppendJsonString(value, &out);
  };
  auto num = [&](const char* sep, const char* key, long long value) {
    absl::StrAppend(&out, sep, "\"", key, "\":", value);
  };
  out.push_back('{');
  str("", "doc", doc.id);
  out.append(",\"offset_unit\":\"utf8_bytes\",\"sentences\":[");
  for (size_t si = 0; si < sentences.size(); ++si) {
    const nlp::Sentence& s = sentences[si];
    out.append(si > 0 ? ",{\"entities\":[" : "{\"entities\":[");
    for (size_t ei = 0; ei < s.entities.size(); ++ei) {
      const nlp::EntitySpan& e = s.entities[ei];
      out.append(ei > 0 ? ",{" : "{");
      num("", "end", static_cast<long long>(s.words[e.end - 1].end));
      num(",", "end_word", static_cast<long long>(e.end));
      num(",", "first_word", static_cast<long long>(e.begin));
      num(",", "start", static_cast<long long>(s.words[e.begin].start));
      str(",", "type", e.type);
      out.push_back('}');
    }
    out.push_back(']');
    num(",", "start", static_cast<long long>(s.start));
    str(",", "text", s.text);
    out.append(",\"words\":[");
    for (size_t wi = 0; wi < s.words.size(); ++wi) {
      const nlp::Word& w = s.words[wi];
      out.append(wi > 0 ? ",{" : "{");
      str("", "deprel", w.deprel);
      num(",", "end", static_cast<long long>(w.end));
      str(",", "form", w.form);
      num(",", "head", w.head);
      str(",", "lemma", w.lemma);
      num(",", "start", static_cast<long long>(w.start));
      str(",", "upos", w.upos);
      str(",", "xpos", w.xpos);
      out.push_back('}');
    }
    out.append("]}");
  }
  out.append("]}");
  return out;
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
