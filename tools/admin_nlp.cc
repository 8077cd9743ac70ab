// `kgraph-admin train {tagger|parser|ner}` and `kgraph-admin eval-nlp`: train
// the nlp/ models from CoNLL-U and NER corpora, and measure them. Training is
// seeded and deterministic; it prints one line per epoch and keeps the epoch
// that scored best on --dev.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlp/conllu.h"
#include "nlp/dependency_parser.h"
#include "nlp/evaluation.h"
#include "nlp/model_file.h"
#include "nlp/pipeline.h"
#include "nlp/token_alignment.h"
#include "nlp/tagger.h"
#include "tools/admin_commands.h"
#include "tools/admin_nlp_coref.h"
#include "tools/admin_nlp_ner.h"
#include "tools/admin_relations.h"

namespace kgraph::admin {
namespace {

struct TrainFlags {
  std::string component;
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out;
  int epochs = 0;
  uint64_t seed = 42;
  std::string tagger;  // parser: tags dev (and is the tagger used with it)
  int jackknife = 4;   // parser: folds of one-pass taggers that tag train
  std::string save_tagged;  // parser: write the tagged training sentences here
  double prune = 0;         // drop weights below this fraction of the largest
  float pa_step = 0;        // tagger, parser: passive-aggressive steps (TrainOptions)
  // tagger, and the parser's fold taggers
  int ambiguity_min_count = nlp::TrainOptions().ambiguity_min_count;
  float fold_tagger_pa_step = 0;  // parser: the PA step of its jackknife fold taggers
  std::string models;       // relations: the nlp/ models directory
  double target_precision = 0;  // relations: 0 = the classifier's default
};

absl::StatusOr<std::vector<nlp::Sentence>> ReadAllConllu(const std::vector<std::string>& paths) {
  std::vector<nlp::Sentence> all;
  for (const std::string& p : paths) {
    absl::StatusOr<std::vector<nlp::Sentence>> s = nlp::ReadConllu(p);
    if (!s.ok()) return s.status();
    all.insert(all.end(), std::make_move_iterator(s->begin()), std::make_move_iterator(s->end()));
  }
  return all;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int RunTrain(const TrainFlags& f) {
  if (f.component == "ner" && f.dev.empty()) {
    std::cerr << "train: ner needs --dev (the early-stopping file first)\n";
    return 2;
  }
  if (f.component == "ner") {  // CORPUS=PATH items; TrainNer checksums them itself
    return TrainNer(f.train, f.dev, f.out, f.epochs, f.seed,
                    f.tagger.empty() ? nlp::DefaultModelsDir() + "/tagger.model" : f.tagger);
  }
  if (f.component == "relations") {  // gold JSON lines; no dev file (cross-validation)
    return TrainRelations(f.train, f.out, f.epochs, f.seed, f.target_precision, f.models);
  }
  if (f.component != "tagger" && f.component != "parser") {
    std::cerr << "train: unknown component '" << f.component
              << "' (tagger, parser, ner or relations)\n";
    return 2;
  }
  if (f.dev.empty()) {
    std::cerr << "train: " << f.component << " needs --dev (the early-stopping file)\n";
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> checksum = nlp::ChecksumFiles(f.train);
  if (!checksum.ok()) {
    std::cerr << "train: " << checksum.status().message() << "\n";
    return 1;
  }
  nlp::TrainOptions options;
  options.seed = f.seed;
  if (f.epochs > 0) options.max_epochs = f.epochs;
  if (f.pa_step < 0 || f.fold_tagger_pa_step < 0) {
    std::cerr << "train: --pa-step and --fold-tagger-pa-step must be 0 (perceptron steps) or "
                 "positive, not "
              << std::min(f.pa_step, f.fold_tagger_pa_step) << "\n";
    return 2;
  }
  options.pa_step = f.pa_step;
  if (f.ambiguity_min_count < 1) {
    std::cerr << "train: --ambiguity-min-count must be at least 1, not " << f.ambiguity_min_count
              << "\n";
    return 2;
  }
  options.ambiguity_min_count = f.ambiguity_min_count;
  options.progress = [&](const std::string& line) {
    std::cout << absl::StrFormat("[%6.1fs] ", Seconds(start)) << line << std::endl;
  };
  std::vector<std::string> train_names, dev_names;
  for (const auto& p : f.train) train_names.push_back(p.substr(p.rfind('/') + 1));
  for (const auto& p : f.dev) dev_names.push_back(p.substr(p.rfind('/') + 1));
  auto train = ReadAllConllu(f.train);
  auto dev = ReadAllConllu(f.dev);
  if (!train.ok() || !dev.ok()) {
    std::cerr << "train: " << (train.ok() ? dev.status() : train.status()).message() << "\n";
    return 1;
  }
  if (f.component == "tagger") {
    auto tagger = nlp::Tagger::Train(*train, *dev, options);
    if (!tagger.ok()) {
      std::cerr << "train: " << tagger.status().message() << "\n";
      return 1;
    }
    if (f.prune > 0) (*tagger)->Prune(f.prune);
    const nlp::TaggerScores s = nlp::EvaluateTagger(**tagger, *dev);
    const std::string info = absl::StrFormat(
        "trained on %s; dev %s: UPOS %.4f XPOS %.4f LEMMA %.4f; seed %d; pruned below %g; "
        "PA step %g; ambiguity min count %d",
        absl::StrJoin(train_names, " "), absl::StrJoin(dev_names, " "),
        double(s.upos) / std::max<size_t>(s.words, 1), double(s.xpos) / std::max<size_t>(s.words, 1),
        double(s.lemma) / std::max<size_t>(s.words, 1), f.seed, f.prune, f.pa_step,
        f.ambiguity_min_count);
    if (absl::Status st = (*tagger)->Save(f.out, *checksum, info); !st.ok()) {
      std::cerr << "train: " << st.message() << "\n";
      return 1;
    }
    std::cout << "wrote " << f.out << ": " << info << "\n";
    return 0;
  }
  // The parser learns from the tags it will see: each training fold is
  // tagged by a one-pass tagger trained on the other folds, and dev by the
  // tagger it will run with.
  if (f.jackknife > 1) {
    for (int fold = 0; fold < f.jackknife; ++fold) {
      std::vector<nlp::Sentence> rest;
      for (size_t i = 0; i < train->size(); ++i) {
        if (static_cast<int>(i % f.jackknife) != fold) rest.push_back((*train)[i]);
      }
      nlp::TrainOptions tagger_options = options;
      tagger_options.tagger_passes = 1;
      tagger_options.pa_step = f.fold_tagger_pa_step;
      tagger_options.progress = nullptr;
      auto fold_tagger = nlp::Tagger::Train(rest, *dev, tagger_options);
      if (!fold_tagger.ok()) {
        std::cerr << "train: " << fold_tagger.status().message() << "\n";
        return 1;
      }
      for (size_t i = fold; i < train->size(); i += f.jackknife) (*fold_tagger)->Tag(&(*train)[i]);
      options.progress(absl::StrCat("parser: training fold ", fold + 1, "/", f.jackknife,
                                    " tagged by a tagger trained on the others"));
    }
  }
  if (!f.save_tagged.empty()) {
    std::ofstream tagged(f.save_tagged, std::ios::binary);
    for (const nlp::Sentence& s : *train) tagged << nlp::FormatConllu(s);
    if (!tagged) {
      std::cerr << "train: cannot write " << f.save_tagged << "\n";
      return 1;
    }
  }
  if (!f.tagger.empty()) {
    auto tagger = nlp::Tagger::Load(f.tagger);
    if (!tagger.ok()) {
      std::cerr << "train: " << tagger.status().message() << "\n";
      return 1;
    }
    for (nlp::Sentence& s : *dev) (*tagger)->Tag(&s);
  }
  auto parser = nlp::DependencyParser::Train(*train, *dev, options);
  if (!parser.ok()) {
    std::cerr << "train: " << parser.status().message() << "\n";
    return 1;
  }
  if (f.prune > 0) (*parser)->Prune(f.prune);
  const nlp::ParserScores s = nlp::EvaluateParser(**parser, *dev, *dev);
  const std::string info = absl::StrFormat(
      "trained on %s (%s); dev %s (%s): UAS %.4f LAS %.4f; seed %d; pruned below %g; PA step %g; "
      "fold taggers' PA step %g, ambiguity min count %d",
      absl::StrJoin(train_names, " "),
      f.jackknife > 1 ? absl::StrCat("tags from ", f.jackknife, "-fold jackknifed taggers")
                      : std::string("gold tags"),
      absl::StrJoin(dev_names, " "), f.tagger.empty() ? "gold tags" : "predicted tags",
      double(s.uas) / std::max<size_t>(s.words, 1), double(s.las) / std::max<size_t>(s.words, 1),
      f.seed, f.prune, f.pa_step, f.fold_tagger_pa_step, f.ambiguity_min_count);
  if (absl::Status st = (*parser)->Save(f.out, *checksum, info); !st.ok()) {
    std::cerr << "train: " << st.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << f.out << ": " << info << "\n";
  return 0;
}

struct EvalFlags {
  std::string file;
  std::string corpus;  // NER corpus name: the file is an NER file, not UD
  std::string models = nlp::DefaultModelsDir();
  double prune = 0;
  bool no_raw = false;
  bool coref = false;  // measure ingest/CorefResolver on a GUM file instead
  bool misses = false;  // --coref: list every miss
  int errors = 0;       // gold tokens: the most frequent tag confusions and head errors
};

// Prints `title`, then the `n` rows with the largest counts (ties in text
// order), each as "  text".
void PrintTop(const std::string& title, std::vector<std::pair<size_t, std::string>> rows, int n) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::cout << title << "\n";
  for (int i = 0; i < n && i < static_cast<int>(rows.size()); ++i) {
    std::cout << "  " << rows[i].second << "\n";
  }
}

// The `n` most frequent UPOS confusions and the relations with the most
// words attached to a wrong head (with their share of that relation's words).
void PrintErrors(const nlp::GoldTokenScores& g, int n) {
  std::vector<std::pair<size_t, std::string>> tags;
  for (const auto& [pair, count] : g.upos_confusions) {
    tags.emplace_back(count, absl::StrFormat("%-16s %zu", absl::StrCat(pair.first, " -> ", pair.second),
                                             count));
  }
  PrintTop("UPOS confusions (gold -> predicted, words):", std::move(tags), n);
  std::vector<std::pair<size_t, std::string>> heads;
  for (const auto& [relation, counts] : g.head_errors_by_relation) {
    heads.emplace_back(counts.second,
                       absl::StrFormat("%-12s %5zu of %5zu (%.3f)", relation, counts.second,
                                       counts.first, double(counts.second) / counts.first));
  }
  PrintTop("wrong heads by gold relation (words with a wrong head, of the relation's words):",
           std::move(heads), n);
}

// Gold tokens: tags, lemmas and trees against the file's own; then the raw
// "# text" of each sentence through the tokenizer, scored on aligned words.
int EvalConllu(const EvalFlags& f, const nlp::NlpPipeline& nlp) {
  auto gold = nlp::ReadConllu(f.file);
  if (!gold.ok()) {
    std::cerr << "eval-nlp: " << gold.status().message() << "\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  const nlp::GoldTokenScores g = nlp::EvaluateGoldTokens(nlp, *gold);
  const double secs = Seconds(start);
  std::cout << absl::StrFormat("UPOS %.3f LEMMA %.3f UAS %.3f LAS %.3f\n", g.Rate(g.upos),
                               g.Rate(g.lemma), g.Rate(g.uas), g.Rate(g.las));
  std::cout << absl::StrFormat(
      "gold tokens: %d words in %d sentences; UPOS %.4f XPOS %.4f LEMMA %.4f UAS %.4f LAS %.4f "
      "(LAS on universal relations); %.0f words/s\n",
      g.words, gold->size(), g.Rate(g.upos), g.Rate(g.xpos), g.Rate(g.lemma), g.Rate(g.uas),
      g.Rate(g.las), g.words / std::max(secs, 1e-9));
  auto share = [](size_t a, size_t b) { return b == 0 ? 0.0 : double(a) / b; };
  std::cout << absl::StrFormat(
      "words the tagger never saw in training: %d, UPOS %.4f; capitalized among them: %d, UPOS "
      "%.4f\n",
      g.unseen_words, share(g.unseen_upos, g.unseen_words), g.unseen_capitalized,
      share(g.unseen_capitalized_upos, g.unseen_capitalized));
  if (f.errors > 0) PrintErrors(g, f.errors);
  if (f.no_raw) return 0;

  absl::StatusOr<nlp::RawTextScores> r = nlp::EvaluateRawText(nlp, *gold);
  if (!r.ok()) {
    std::cerr << "eval-nlp: raw text: " << r.status().message() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat(
      "raw text (each sentence's # text through the tokenizer; F1 over aligned words, CoNLL "
      "2018): Words %.4f Sentences %.4f UPOS %.4f LEMMA %.4f UAS %.4f LAS %.4f\n",
      r->alignment.WordF1(), r->alignment.SentenceF1(), r->F1(r->upos), r->F1(r->lemma),
      r->F1(r->uas), r->F1(r->las));
  return 0;
}

int RunEvalNlp(const EvalFlags& f) {
  if (f.coref) return EvalCoref(f.file, f.models, "", f.misses);
  if (!f.corpus.empty()) {
    return EvalNer(f.file, f.corpus, f.models + "/ner.model", f.models + "/tagger.model");
  }
  nlp::PipelineOptions options;
  options.models_dir = f.models;
  options.ner = false;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<nlp::NlpPipeline>> pipeline = nlp::NlpPipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "eval-nlp: " << pipeline.status().message() << "\n";
    return 1;
  }
  if (f.prune > 0) {
    auto* p = const_cast<nlp::NlpPipeline*>(pipeline->get());
    const_cast<nlp::Tagger&>(p->tagger()).Prune(f.prune);
    if (p->parser() != nullptr) const_cast<nlp::DependencyParser*>(p->parser())->Prune(f.prune);
    std::cout << absl::StrFormat(
        "pruned below %g of the largest weight: tagger %d weights, parser %d weights\n", f.prune,
        p->tagger().model().num_weights(),
        p->parser() ? p->parser()->model().num_weights() : 0);
  }
  std::cerr << absl::StrFormat("eval-nlp: models loaded from %s in %.2f s\n", f.models,
                               Seconds(start));
  return EvalConllu(f, **pipeline);
}

}  // namespace

void RegisterEvalNlpCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<EvalFlags>();
  CLI::App* cmd = app.add_subcommand(
      "eval-nlp", "Measure the nlp/ models: tagger and parser on a CoNLL-U file (gold tokens and raw "
      "text), or with --corpus the NER model on an NER file");
  cmd->add_option("file", flags->file, "CoNLL-U file")->required();
  cmd->add_option("--models", flags->models, "Models directory (default data/models)");
  cmd->add_option("--prune", flags->prune,
                  "Drop weights below this fraction of the largest before measuring");
  cmd->add_flag("--no-raw", flags->no_raw, "Skip the raw-text run");
  cmd->add_option("--corpus", flags->corpus,
                  "Score the NER model instead, reading FILE as this corpus of "
                  "data/nlp/ner_corpora.tsv (wikigold, sec, uner, conll04, gum)");
  cmd->add_flag("--coref", flags->coref,
                "Score pronoun and description coreference on a GUM CoNLL-U file instead");
  cmd->add_flag("--misses", flags->misses, "With --coref: list every miss");
  cmd->add_option("--errors", flags->errors,
                  "CoNLL-U: print the N most frequent UPOS confusions and the relations "
                  "with the most wrong heads (gold tokens)");
  cmd->callback([flags, exit_code] { *exit_code = RunEvalNlp(*flags); });
}

void RegisterTrainCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* cmd = app.add_subcommand("train", "Train a model: nlp/'s tagger, parser or ner, or the relation classifier");
  cmd->add_option("component", flags->component,
                  "tagger, parser, ner (--train/--dev items are CORPUS=PATH) or relations "
                  "(--train: gold JSON lines)")
      ->required();
  cmd->add_option("--train", flags->train, "Training files")->required();
  cmd->add_option("--dev", flags->dev,
                  "Held-out files for early stopping (tagger, parser, ner; relations "
                  "cross-validate on --train instead)");
  cmd->add_option("--models", flags->models,
                  "relations: the nlp/ models that parse the gold text (default data/models)");
  cmd->add_option("--out", flags->out, "Model file to write")->required();
  cmd->add_option("--epochs", flags->epochs, "Maximum epochs (default: the component's)");
  cmd->add_option("--target-precision", flags->target_precision,
                  "relations: each relation's threshold is the least margin whose "
                  "cross-validated precision is at least this (default 0.8)");
  cmd->add_option("--seed", flags->seed, "Shuffling seed (default 42)");
  cmd->add_option("--tagger", flags->tagger,
                  "parser: the tagger model that tags --dev; ner: the tagger whose tags the "
                  "recognizer learns from (default data/models/tagger.model)");
  cmd->add_option("--prune", flags->prune,
                  "Drop weights below this fraction of the largest before saving (0 = none)");
  cmd->add_option("--pa-step", flags->pa_step,
                  "tagger, parser: passive-aggressive steps of this fraction of the hinge loss "
                  "(0 = perceptron steps, the default)");
  cmd->add_option("--ambiguity-min-count", flags->ambiguity_min_count,
                  "tagger: words seen fewer times than this get no ambiguity-class feature, "
                  "as unseen words do (default 2)");
  cmd->add_option("--fold-tagger-pa-step", flags->fold_tagger_pa_step,
                  "parser: the --pa-step of the jackknife fold taggers, to match the tagger "
                  "the parser runs with (default 0)");
  cmd->add_option("--jackknife", flags->jackknife,
                  "parser: tag the training files with this many fold taggers (1 = as given)");
  cmd->add_option("--save-tagged", flags->save_tagged,
                  "parser: write the (jackknife-)tagged training sentences as CoNLL-U");
  cmd->callback([flags, exit_code] { *exit_code = RunTrain(*flags); });
}

}  // namespace kgraph::admin
