#include "tools/admin_relations.h"

#include <chrono>
#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ingest/eval_scorer.h"
#include "ingest/relation_classifier.h"
#include "nlp/model_file.h"
#include "nlp/pipeline.h"

namespace kgraph::admin {

int TrainRelations(const std::vector<std::string>& train, const std::string& out, int epochs,
                   uint64_t seed, double target_precision, const std::string& models_dir) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<ingest::GoldDocument> gold;
  for (const std::string& path : train) {
    absl::StatusOr<std::vector<ingest::GoldDocument>> g = ingest::LoadGold(path);
    if (!g.ok()) {
      std::cerr << "train: " << g.status().message() << "\n";
      return 1;
    }
    gold.insert(gold.end(), g->begin(), g->end());
  }
  absl::StatusOr<std::string> checksum = nlp::ChecksumFiles(train);
  if (!checksum.ok()) {
    std::cerr << "train: " << checksum.status().message() << "\n";
    return 1;
  }
  nlp::PipelineOptions options;
  if (!models_dir.empty()) options.models_dir = models_dir;
  options.ner = false;
  absl::StatusOr<std::unique_ptr<nlp::NlpPipeline>> pipeline = nlp::NlpPipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "train: " << pipeline.status().message() << "\n";
    return 1;
  }
  ingest::RelationClassifier::TrainReport report;
  ingest::RelationClassifier::TrainOptions train_options;
  if (epochs > 0) train_options.epochs = epochs;
  train_options.seed = seed;
  if (target_precision > 0) train_options.target_precision = target_precision;
  if (!(train_options.target_precision > 0 && train_options.target_precision <= 1)) {
    std::cerr << "train: --target-precision must be in (0, 1]\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<ingest::RelationClassifier>> c =
      ingest::RelationClassifier::Train(gold, **pipeline, train_options, &report);
  if (!c.ok()) {
    std::cerr << "train: " << c.status().message() << "\n";
    return 1;
  }
  std::vector<std::string> per;
  for (const auto& r : report.relations) {
    per.push_back(absl::StrFormat("%s P %.3f R %.3f (margin %.2f)", r.relation, r.precision, r.recall,
                                  r.threshold));
  }
  const std::string figures = absl::StrFormat(
      "%d-fold cross-validated on the training pairs (gold names) at each relation's threshold "
      "for precision %.2f: P %.3f R %.3f; %s",
      train_options.folds, train_options.target_precision, report.precision, report.recall,
      absl::StrJoin(per, ", "));
  std::printf("[%7.1fs] relations: %zu documents, %zu ordered pairs of names, %zu related; %s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              report.documents, report.pairs, report.related, figures.c_str());
  std::vector<std::string> names;
  for (const std::string& p : train) names.push_back(p.substr(p.rfind('/') + 1));
  const std::string info = absl::StrCat("trained on ", absl::StrJoin(names, " "), "; seed ", seed, "; ", figures);
  if (absl::Status s = (*c)->Save(out, *checksum, info); !s.ok()) {
    std::cerr << "train: " << s.message() << "\n";
    return 1;
  }
  std::printf("wrote %s: %s\n", out.c_str(), info.c_str());
  return 0;
}

}  // namespace kgraph::admin
