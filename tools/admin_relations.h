// `kgraph-admin train relations`: trains the relation classifier
// (ingest/relation_classifier.h) from gold files, as a plain function the CLI
// calls. No shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kgraph::admin {

// Trains on every gold document with text in `train` (e.g. CoNLL04's
// train.gold.jsonl), parsed by the nlp/ models of `models_dir`; prints the
// cross-validated precision and recall and each relation's precision (its
// confidence), then writes `out`. epochs <= 0: 10. Returns 0, 1 on a data or
// model error.
// target_precision 0 = the classifier's default.
int TrainRelations(const std::vector<std::string>& train, const std::string& out, int epochs,
                   uint64_t seed, double target_precision, const std::string& models_dir);

}  // namespace kgraph::admin
