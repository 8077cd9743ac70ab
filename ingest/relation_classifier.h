// Relation classifier: an averaged perceptron that reads the relation (or
// none) between two typed mentions of a parsed sentence from the dependency
// path between them, the words on and between them, and their types; trained
// from gold files of documents (ingest/eval_scorer.h's GoldDocument, e.g.
// CoNLL04 train) beside the dependency and surface patterns. Each relation
// has a score margin (over "none") below which it is not reported, the
// smallest at which it reached the target precision (0.8 unless trained otherwise) in cross-validation on its
// training file, and that precision is the confidence of its triples. A loaded classifier is immutable:
// Classify may be called from many threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/eval_scorer.h"
#include "nlp/perceptron.h"
#include "nlp/pipeline.h"
#include "nlp/sentence.h"

namespace kgraph::ingest {

// An ordered pair of mentions (subject first) in one parsed sentence.
struct MentionPair {
  const nlp::Sentence* sentence = nullptr;
  size_t subject_begin = 0, subject_end = 0, subject_head = 0;  // word indices
  size_t object_begin = 0, object_end = 0, object_head = 0;
  std::string subject_type, object_type;
};

struct RelationGuess {
  std::string relation;     // "" for none, or below the relation's threshold
  double confidence = 0.0;  // the relation's cross-validated precision
};

class RelationClassifier {
 public:
  static constexpr uint32_t kVersion = 2;
  static constexpr double kDefaultTargetPrecision = 0.8;
  static constexpr const char* kFeatures =
      "relation-v1: types, path, path edges, path lemmas, first/last edge, words between "
      "(sequence and each), distance";

  static absl::StatusOr<std::unique_ptr<RelationClassifier>> Load(const std::string& path);

  struct TrainReport {
    size_t documents = 0, pairs = 0, related = 0;
    // Cross-validated, over the training file's pairs.
    double precision = 0, recall = 0;
    // Per relation: precision at its threshold, and the share of its gold
    // pairs found above it (cross-validated).
    struct PerRelation {
      std::string relation;
      double precision = 0, recall = 0;
      float threshold = 0;
    };
    std::vector<PerRelation> relations;
  };
  struct TrainOptions {
    int epochs = 10;
    int folds = 5;
    uint64_t seed = 42;
    // Each relation reports triples above the least margin at which its
    // cross-validated precision is still at least this.
    double target_precision = kDefaultTargetPrecision;
  };
  // Trains on every gold document's ordered pairs of PERSON/ORG/GPE mentions
  // (names and aliases found in the text, tokenized, tagged and parsed by
  // `pipeline` as the extractor does); calibrates each relation's threshold
  // and confidence by `folds`-fold cross-validation. Deterministic for a seed.
  static absl::StatusOr<std::unique_ptr<RelationClassifier>> Train(
      const std::vector<GoldDocument>& gold, const nlp::NlpPipeline& pipeline,
      const TrainOptions& options, TrainReport* report);
  absl::Status Save(const std::string& path, const std::string& training_checksum,
                    const std::string& info) const;

  RelationGuess Classify(const MentionPair& pair) const;

 private:
  void Features(const MentionPair& pair, std::vector<uint64_t>* out) const;

  std::vector<std::string> labels_;  // 0 = none
  std::vector<double> confidence_;   // per label
  std::vector<float> threshold_;     // per label: the least margin reported
  nlp::PerceptronModel model_;
};

}  // namespace kgraph::ingest
