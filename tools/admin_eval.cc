// `kgraph-admin eval --gold FILE [--pred FILE | --text FILE]`: scores
// extraction against gold annotations (scoring lives in ingest/eval_scorer).
// Without --pred it extracts the gold documents itself: each gold line's
// `text`, or the source page named by --text (default: the seed page beside
// the gold file).
#include <fstream>
#include <iostream>

#include "ingest/document_reader.h"
#include "ingest/eval_scorer.h"
#include "ingest/extracted_json.h"
#include "ingest/extractor.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

struct EvalOptions {
  std::string gold;
  std::string pred;
  std::string text;
  std::string data_dir;
  std::string models;
  bool no_nlp = false;
  bool no_ner = false;
  bool quiet = false;
  double min_confidence = ingest::ExtractorConfig().min_confidence;
};

std::string DefaultSeedText(const std::string& gold_path) {
  size_t slash = gold_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : gold_path.substr(0, slash);
  return dir + "/../corpus/seed/news-blog-page-19.txt";
}

int RunEval(const EvalOptions& o) {
  auto gold = ingest::LoadGold(o.gold);
  if (!gold.ok()) {
    std::cerr << "eval: " << gold.status().message() << "\n";
    return 1;
  }
  ingest::ExtractorConfig config;
  config.data_dir = o.data_dir;
  config.models_dir = o.models;
  config.use_nlp = !o.no_nlp;
  config.use_ner = !o.no_ner;
  config.min_confidence = o.min_confidence;
  config.record_paths = true;  // each miss is listed with its dependency path
  auto extractor = ingest::Extractor::Create(config);
  if (!extractor.ok()) {
    std::cerr << "eval: " << extractor.status().message() << "\n";
    return 1;
  }
  std::vector<ingest::ExtractedDocument> predicted;
  if (!o.pred.empty()) {
    std::ifstream in(o.pred);
    if (!in) {
      std::cerr << "eval: cannot open " << o.pred << "\n";
      return 1;
    }
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      auto doc = ingest::FromJsonLine(line);
      if (!doc.ok()) {
        std::cerr << "eval: " << o.pred << ":" << line_no << ": "
                  << doc.status().message() << "\n";
        continue;
      }
      predicted.push_back(std::move(*doc));
    }
  } else if (!gold->empty() && !gold->front().text.empty()) {
    for (const ingest::GoldDocument& g : *gold) {
      ingest::SourceDocument doc;
      doc.id = g.doc;
      doc.text = g.text;
      predicted.push_back((*extractor)->Extract(doc));
    }
  } else {
    std::string text = o.text.empty() ? DefaultSeedText(o.gold) : o.text;
    absl::Status s = ingest::ReadDocuments(
        text, [&](absl::StatusOr<ingest::SourceDocument> doc) {
          if (!doc.ok()) {
            std::cerr << "eval: skipped: " << doc.status().message() << "\n";
            return;
          }
          predicted.push_back((*extractor)->Extract(*doc));
        });
    if (!s.ok()) {
      std::cerr << "eval: " << s.message() << "\n";
      return 1;
    }
  }
  auto aligned = ingest::AlignPredictions(*gold, std::move(predicted));
  ingest::EvalReport report =
      ingest::Score(*gold, aligned, (*extractor)->vocabulary());
  std::cout << ingest::FormatReport(report, !o.quiet);
  return 0;
}

}  // namespace

void RegisterEvalCommand(CLI::App& app, int* exit_code) {
  auto opts = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Score extraction against a gold file (P/R/F1, strict and lenient)");
  cmd->add_option("--gold", opts->gold, "Gold JSON lines")->required();
  cmd->add_option("--pred", opts->pred, "Predictions from `extract` (default: extract now)");
  cmd->add_option("--text", opts->text, "Source page for gold files without text");
  cmd->add_option("--data-dir", opts->data_dir, "Data directory");
  cmd->add_flag("--quiet", opts->quiet, "Only the figures, no error lists");
  cmd->add_option("--models", opts->models, "nlp/ models directory (default: the source tree's data/models)");
  cmd->add_flag("--no-nlp", opts->no_nlp, "Surface patterns only: no parsing, no dependency patterns");
  cmd->add_flag("--no-ner", opts->no_ner, "Entities from the rules alone, not the NER model");
  cmd->add_option("--min-confidence", opts->min_confidence,
                  "Extract only triples at or above this confidence (default: extract's)");
  cmd->callback([opts, exit_code] { *exit_code = RunEval(*opts); });
}

}  // namespace kgraph::admin
