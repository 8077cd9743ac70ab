// Word classes learned from raw text without labels, by exchange clustering
// (Kneser & Ney 1993; Martin, Liermann & Ney 1998): the tagger and the
// recognizer see a word's class beside the word, so what they learned of
// frequent words carries to rare ones that occur in the same contexts.
// Immutable once built or read: Find may be called from many threads.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "nlp/sentence.h"

namespace kgraph::nlp {

class ByteWriter;
class ByteReader;

class WordClusters {
 public:
  // A word needs this many occurrences in the text to get a class.
  static constexpr uint32_t kMinCount = 3;
  static constexpr int kCoarseClasses = 64;
  static constexpr int kFineClasses = 256;

  // Classes for the lower-cased forms seen at least kMinCount times in
  // `text`, in two granularities. Deterministic. Empty when fewer than 300
  // words qualify (too little text to cluster).
  static WordClusters Build(const std::vector<const Sentence*>& text);

  // For the HashString of a lower-cased form: (coarse + 1) << 8 | (fine + 1),
  // or 0 for a word without a class.
  uint16_t Find(uint64_t lower_hash) const {
    auto it = classes_.find(lower_hash);
    return it == classes_.end() ? 0 : it->second;
  }
  bool empty() const { return classes_.empty(); }
  size_t size() const { return classes_.size(); }

  // Serialization inside a model file's payload (sorted by hash, so the
  // bytes do not depend on the hash map's order).
  void Write(ByteWriter* out) const;
  absl::Status Read(ByteReader* in);

 private:
  absl::flat_hash_map<uint64_t, uint16_t> classes_;
};

}  // namespace kgraph::nlp
