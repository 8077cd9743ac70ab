// Part-of-speech tagger and lemmatizer: UPOS and Penn XPOS predicted together
// as one tag by a greedy left-to-right averaged perceptron (word, affix,
// shape, context, the tags a word was seen with if it was seen more than
// once, and the two previous tags),
// run twice: the second pass also sees the first pass's tags of the next two
// words (trained on jackknifed first-pass tags, so it learns their errors);
// lemmas from the training lexicon of (form, tag), else from the most
// frequent suffix edit of the tag and the word's longest known suffix.
// A loaded Tagger is immutable: Tag() may be called from many threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlp/perceptron.h"
#include "nlp/sentence.h"
#include "nlp/training.h"

namespace kgraph::nlp {

// Lowercases ASCII letters only (the models' word keys).
std::string LowerAscii(absl::string_view s);
// Word shape: letters to X/x, digits to d, runs longer than 2 collapsed
// ("Apple" -> "Xxx", "1,000" -> "d,dd").
std::string WordShape(absl::string_view s);

class Tagger {
 public:
  static constexpr uint32_t kVersion = 3;
  static constexpr const char* kFeatures =
      "tagger-v2: bias w0 W0 suf1-4 pre1-3 shape w-2..w+2 t-1 t-2t-1 t-1w0 suf3(w-1,w+1) "
      "amb(w0,w+1,w+2; of words seen >= min count) shape(w-1,w+1) w0w+1 w-1w0 first+cap; "
      "pass 2: r+1 r+2 r+1w0 t-1r+1 r+1r+2";

  static absl::StatusOr<std::unique_ptr<Tagger>> Load(const std::string& path);
  static absl::StatusOr<std::unique_ptr<Tagger>> Train(const std::vector<Sentence>& train,
                                                       const std::vector<Sentence>& dev,
                                                       const TrainOptions& options);
  absl::Status Save(const std::string& path, const std::string& training_checksum,
                    const std::string& info) const;

  // Fills upos, xpos and lemma of every word.
  void Tag(Sentence* sentence) const;
  // True when training saw `form` (case-sensitive) with some tag.
  bool SawForm(absl::string_view form) const;

  size_t num_tags() const { return tags_.size(); }
  // See PerceptronModel::Prune.
  void Prune(double fraction) {
    first_pass_.Prune(fraction);
    model_.Prune(fraction);
  }
  const PerceptronModel& model() const { return model_; }

 private:
  struct EditScript {
    uint8_t strip = 0;
    bool keep_case = false;
    std::string append;
  };
  struct WordInfo;

  void Features(const std::vector<WordInfo>& words, size_t i, int t1, int t2,
                const std::vector<int>* right, std::vector<uint64_t>* out) const;
  std::vector<int> Decode(const std::vector<WordInfo>& words, const PerceptronModel& model,
                          const std::vector<int>* right) const;
  // Trains one pass; `right` (one vector per sentence, or null) holds the
  // first-pass tags the second pass sees.
  PerceptronModel TrainPass(const std::vector<std::vector<WordInfo>>& words,
                            const std::vector<std::vector<int>>& gold,
                            const std::vector<std::vector<int>>* right,
                            const std::vector<size_t>& sentences,
                            const std::vector<std::vector<WordInfo>>& dev_words,
                            const std::vector<std::vector<int>>& dev_gold,
                            const std::vector<std::vector<int>>* dev_right,
                            const TrainOptions& options, const std::string& name) const;
  std::vector<WordInfo> Prepare(const Sentence& sentence) const;
  std::string Lemma(const Word& word, int tag) const;
  void BuildLexicons(const std::vector<Sentence>& train, int ambiguity_min_count);
  void Serialize(ByteWriter* out) const;
  absl::Status Deserialize(ByteReader* in);

  std::vector<std::string> upos_, xpos_;  // per tag
  std::vector<std::string> tags_;         // "UPOS\tXPOS"
  absl::flat_hash_map<std::string, int> tag_index_;
  // Lower-cased form -> hash of the sorted tags it was seen with.
  absl::flat_hash_map<std::string, uint64_t> ambiguity_;
  // "form\ttag" -> lemma, for forms seen in training.
  absl::flat_hash_map<std::string, std::string> lemma_lexicon_;
  // "tag\tsuffix" -> most frequent edit script (suffixes of up to 6 bytes).
  absl::flat_hash_map<std::string, EditScript> suffix_rules_;
  PerceptronModel first_pass_;
  PerceptronModel model_;  // the second pass
};

// Accuracy of `tagger` on gold sentences (gold tokens): UPOS, XPOS, lemma.
struct TaggerScores {
  size_t words = 0;
  size_t upos = 0, xpos = 0, lemma = 0;
};
TaggerScores EvaluateTagger(const Tagger& tagger, const std::vector<Sentence>& gold);

}  // namespace kgraph::nlp
