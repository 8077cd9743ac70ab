// Averaged perceptron (Collins 2002) over hashed features, the scorer of the
// tagger, the parser and the entity recognizer. A feature is a 64-bit hash of
// a template id and its values (FeatureKey); each feature that was ever
// updated owns a row of per-class weights. Training keeps dense rows and
// averages lazily (Daume's trick: w - wa / t); the trained model keeps only
// the non-zero averaged weights, sparse, quantized to 16 bits.
// PerceptronTrainer is single-threaded; a PerceptronModel is immutable after
// loading and safe to score from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kgraph::nlp {

// Feature keys: a template id combined with up to three hashed values.
uint64_t HashString(absl::string_view s);
uint64_t FeatureKey(uint32_t template_id, uint64_t a);
uint64_t FeatureKey(uint32_t template_id, uint64_t a, uint64_t b);
uint64_t FeatureKey(uint32_t template_id, uint64_t a, uint64_t b, uint64_t c);

class ByteWriter;
class ByteReader;

// Memory for the scoring tables, on transparent huge pages where the kernel
// offers them (madvise before the first write; a no-op elsewhere). Score's
// probes land at random over tens of MB, and with 4 KiB pages nearly every
// one also missed the TLB: on 2 MiB pages `annotate` took 11% less time
// after loading (docs/BENCHMARKS.md, session 11). Arrays under 2 MiB use
// operator new.
void* AllocateTable(size_t bytes);
void FreeTable(void* p, size_t bytes);

template <typename T>
struct TableAllocator {
  using value_type = T;
  TableAllocator() = default;
  template <typename U>
  TableAllocator(const TableAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(AllocateTable(n * sizeof(T))); }
  void deallocate(T* p, size_t n) { FreeTable(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const TableAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const TableAllocator<U>&) const { return false; }
};

// A trained model keeps the low 40 bits of each feature hash: delta-coded in
// sorted order they take 3 bytes instead of 7, and with a few million stored
// features an unseen feature matches one by chance about once in 10^5
// lookups (a negligible perturbation of its score).
inline constexpr int kModelKeyBits = 40;
inline constexpr uint64_t kModelKeyMask = (uint64_t{1} << kModelKeyBits) - 1;

class PerceptronModel {
 public:
  PerceptronModel() = default;
  explicit PerceptronModel(int num_classes) : num_classes_(num_classes) {}

  int num_classes() const { return num_classes_; }
  size_t num_features() const { return keys_.size(); }
  size_t num_weights() const { return entries_.size(); }

  // Adds each feature's weights to `scores` (num_classes() long, not cleared).
  void Score(const std::vector<uint64_t>& features, float* scores) const;

  // Drops the weights whose magnitude is below `fraction` of the largest,
  // and the features left with none (model size against accuracy: measured
  // in data/models/README.md).
  void Prune(double fraction);

  // Serialization into a model file's payload (see nlp/model_file.h).
  void Write(ByteWriter* out) const;
  static absl::StatusOr<PerceptronModel> Read(ByteReader* in);

 private:
  friend class PerceptronTrainer;
  struct Entry {
    uint16_t cls;
    int16_t weight;  // times scale_
  };
  void BuildTable();

  int num_classes_ = 0;
  float scale_ = 1.0f;
  // Features sorted by key, each with its [begin, end) in entries_: the
  // canonical form, which Write and Prune read.
  std::vector<uint64_t> keys_;
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;
  std::vector<Entry> entries_;

  // The scoring layout, built from the canonical form. Score's lookups are
  // cache misses (the parser's table is tens of MB), so each feature costs
  // one probe of an 8-byte slot and one row read: a slot packs the 40-bit key
  // with its row's position and kind, and the probe sequence is linear over
  // the key's own low bits (they are already uniform), so that Score can
  // prefetch a batch of slots, then of rows, before reading any. A row is
  // dense (one int16 per class, padded to 16 classes, added with SIMD) when
  // that is no larger than its sparse (class, weight) pairs.
  static constexpr int kSlotRowBits = 64 - kModelKeyBits - 1;
  std::vector<uint64_t, TableAllocator<uint64_t>> slots_;  // 0 = empty; a feature whose key is 0 is not stored
  uint64_t mask_ = 0;
  std::vector<int16_t, TableAllocator<int16_t>> rows_;    // in units of row_unit_ int16s
  int row_unit_shift_ = 3;       // log2 of a row unit in int16s
  int padded_classes_ = 0;
};

class PerceptronTrainer {
 public:
  explicit PerceptronTrainer(int num_classes) : num_classes_(num_classes) {}

  int num_classes() const { return num_classes_; }

  // Current (not averaged) weights, for decoding during training.
  void Score(const std::vector<uint64_t>& features, float* scores) const;

  // One training step: moves weight from `predicted` to `gold` for every
  // feature. Call Tick() once per example, updated or not.
  void Update(const std::vector<uint64_t>& features, int gold, int predicted,
              float amount = 1.0f);
  void Tick() { ++time_; }

  // The averaged weights, keeping those with |w| >= min_weight, quantized.
  PerceptronModel Average(float min_weight = 0.0f) const;

  size_t num_rows() const { return rows_.size(); }

 private:
  float* Row(uint64_t feature);

  int num_classes_;
  int64_t time_ = 1;
  absl::flat_hash_map<uint64_t, uint32_t> rows_;
  std::vector<float> weights_;     // rows_ * num_classes_
  std::vector<double> weighted_;   // sum of time * delta, for averaging
};

}  // namespace kgraph::nlp
