// `kgraph-admin train {tagger|parser|ner}` and `kgraph-admin eval-nlp`: train
// the nlp/ models from CoNLL-U and NER corpora, and measure them. Training is
// seeded and deterministic; it prints one line per epoch and keeps the epoch
// that scored best on --dev.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlp/conllu.h"
#include "nlp/dependency_parser.h"
#include "nlp/model_file.h"
#include "nlp/tagger.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

struct TrainFlags {
  std::string component;
  std::vector<std::string> train;
  std::vector<std::string> dev;
  std::string out;
  int epochs = 0;
  uint64_t seed = 42;
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
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> checksum = nlp::ChecksumFiles(f.train);
  if (!checksum.ok()) {
    std::cerr << "train: " << checksum.status().message() << "\n";
    return 1;
  }
  nlp::TrainOptions options;
  options.seed = f.seed;
  if (f.epochs > 0) options.max_epochs = f.epochs;
  options.progress = [&](const std::string& line) {
    std::cout << absl::StrFormat("[%6.1fs] ", Seconds(start)) << line << std::endl;
  };
  std::vector<std::string> train_names, dev_names;
  for (const auto& p : f.train) train_names.push_back(p.substr(p.rfind('/') + 1));
  for (const auto& p : f.dev) dev_names.push_back(p.substr(p.rfind('/') + 1));
  if (f.component == "tagger") {
    auto train = ReadAllConllu(f.train);
    auto dev = ReadAllConllu(f.dev);
    if (!train.ok() || !dev.ok()) {
      std::cerr << "train: " << (train.ok() ? dev.status() : train.status()).message() << "\n";
      return 1;
    }
    auto tagger = nlp::Tagger::Train(*train, *dev, options);
    if (!tagger.ok()) {
      std::cerr << "train: " << tagger.status().message() << "\n";
      return 1;
    }
    const nlp::TaggerScores s = nlp::EvaluateTagger(**tagger, *dev);
    const std::string info = absl::StrFormat(
        "trained on %s; dev %s: UPOS %.4f XPOS %.4f LEMMA %.4f; seed %d",
        absl::StrJoin(train_names, " "), absl::StrJoin(dev_names, " "),
        double(s.upos) / std::max<size_t>(s.words, 1), double(s.xpos) / std::max<size_t>(s.words, 1),
        double(s.lemma) / std::max<size_t>(s.words, 1), f.seed);
    if (absl::Status st = (*tagger)->Save(f.out, *checksum, info); !st.ok()) {
      std::cerr << "train: " << st.message() << "\n";
      return 1;
    }
    std::cout << "wrote " << f.out << ": " << info << "\n";
    return 0;
  }
  if (f.component == "parser") {
    auto train = ReadAllConllu(f.train);
    auto dev = ReadAllConllu(f.dev);
    if (!train.ok() || !dev.ok()) {
      std::cerr << "train: " << (train.ok() ? dev.status() : train.status()).message() << "\n";
      return 1;
    }
    auto parser = nlp::DependencyParser::Train(*train, *dev, options);
    if (!parser.ok()) {
      std::cerr << "train: " << parser.status().message() << "\n";
      return 1;
    }
    const nlp::ParserScores s = nlp::EvaluateParser(**parser, *dev, *dev);
    const std::string info = absl::StrFormat(
        "trained on %s (gold tags); dev %s with gold tags: UAS %.4f LAS %.4f; seed %d",
        absl::StrJoin(train_names, " "), absl::StrJoin(dev_names, " "),
        double(s.uas) / std::max<size_t>(s.words, 1), double(s.las) / std::max<size_t>(s.words, 1),
        f.seed);
    if (absl::Status st = (*parser)->Save(f.out, *checksum, info); !st.ok()) {
      std::cerr << "train: " << st.message() << "\n";
      return 1;
    }
    std::cout << "wrote " << f.out << ": " << info << "\n";
    return 0;
  }
  std::cerr << "train: unknown component '" << f.component << "' (tagger, parser or ner)\n";
  return 2;
}

}  // namespace

void RegisterTrainCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* cmd = app.add_subcommand("train", "Train an nlp/ model (tagger, parser or ner)");
  cmd->add_option("component", flags->component, "tagger, parser or ner")->required();
  cmd->add_option("--train", flags->train, "Training files")->required();
  cmd->add_option("--dev", flags->dev, "Held-out files for early stopping")->required();
  cmd->add_option("--out", flags->out, "Model file to write")->required();
  cmd->add_option("--epochs", flags->epochs, "Maximum epochs (default: the component's)");
  cmd->add_option("--seed", flags->seed, "Shuffling seed (default 42)");
  cmd->callback([flags, exit_code] { *exit_code = RunTrain(*flags); });
}

}  // namespace kgraph::admin
