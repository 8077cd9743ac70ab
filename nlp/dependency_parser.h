// Transition-based dependency parser producing Universal Dependencies trees:
// arc-eager transitions (Nivre 2003) with labels, a greedy decoder, scored by
// an averaged perceptron over the Zhang & Nivre (2011) feature set (words,
// tags, labels, distance, valency, second-order children), trained with the
// dynamic oracle and exploration of Goldberg & Nivre (2012). Sentences longer
// than kMaxParseWords are parsed in chunks (see Parse). A loaded parser is
// immutable: Parse() may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlp/perceptron.h"
#include "nlp/sentence.h"
#include "nlp/tagger.h"

namespace kgraph::nlp {

class DependencyParser {
 public:
  static constexpr uint32_t kVersion = 3;
  // Longer sentences are cut into chunks of at most this many words, each
  // parsed alone; the root of every later chunk is attached to the first
  // chunk's root as "parataxis". Keeps time and memory per sentence bounded
  // (a 1 MB run-on "sentence" is linear, not quadratic).
  static constexpr size_t kMaxParseWords = 200;
  static constexpr const char* kFeatures =
      "parser-v1 (arc-eager): Zhang&Nivre 2011 word/xpos/upos/label templates over s0 s1 n0 n1 "
      "n2, s0h s0h2 s0l s0l2 s0r s0r2 n0l n0l2, distance, valency, label sets; lemmas of s0 n0; "
      "upos trigrams";

  static absl::StatusOr<std::unique_ptr<DependencyParser>> Load(const std::string& path);
  static absl::StatusOr<std::unique_ptr<DependencyParser>> Train(
      const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
      const TrainOptions& options);
  absl::Status Save(const std::string& path, const std::string& training_checksum,
                    const std::string& info) const;

  // Fills head and deprel of every word from its form, upos and xpos.
  void Parse(Sentence* sentence) const;

  // The tree the training oracle builds for `gold` (its heads and relations)
  // by always taking the cheapest legal move: the gold tree itself when it
  // is projective. Tests the transition system and the move costs.
  static Sentence FollowOracle(const Sentence& gold);

  const std::vector<std::string>& labels() const { return labels_; }
  // See PerceptronModel::Prune.
  void Prune(double fraction) { model_.Prune(fraction); }
  const PerceptronModel& model() const { return model_; }

 private:
  struct State;
  struct WordKeys;

  void ParseChunk(Sentence* sentence, size_t begin, size_t end) const;
  static void AttachHeadless(State* state, int root_label, int dep_label);
  void Features(const State& state, const std::vector<WordKeys>& words,
                std::vector<uint64_t>* out) const;
  std::vector<WordKeys> Prepare(const Sentence& sentence, size_t begin, size_t end) const;
  void Serialize(ByteWriter* out) const;
  absl::Status Deserialize(ByteReader* in);

  std::vector<std::string> labels_;
  absl::flat_hash_map<std::string, int> label_index_;
  int root_label_ = 0;
  PerceptronModel model_;
};

// Attachment scores on gold sentences whose tags are already set (gold or
// predicted): LAS compares the universal part of the relation (CoNLL 2018).
struct ParserScores {
  size_t words = 0;
  size_t uas = 0, las = 0;
};
ParserScores EvaluateParser(const DependencyParser& parser, const std::vector<Sentence>& input,
                            const std::vector<Sentence>& gold);

// "nsubj:pass" -> "nsubj".
std::string UniversalRelation(const std::string& deprel);

}  // namespace kgraph::nlp
