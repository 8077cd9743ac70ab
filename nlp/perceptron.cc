#include "nlp/perceptron.h"

#include <immintrin.h>
#include <sys/mman.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>

#include "absl/strings/str_cat.h"
#include "nlp/model_file.h"

namespace kgraph::nlp {
namespace {

inline uint64_t Mix(uint64_t h, uint64_t v) {
  // splitmix64 finalizer over the combination: cheap and well spread.
  uint64_t x = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

void* AllocateTable(size_t bytes) {
  if (bytes < kHugePage) return ::operator new(bytes);
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
  // Advice only: where transparent huge pages are off, 4 KiB pages serve.
  (void)madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void FreeTable(void* p, size_t bytes) {
  if (bytes < kHugePage) {
    ::operator delete(p);
  } else {
    std::free(p);
  }
}

uint64_t HashString(absl::string_view s) { return XXH3_64bits(s.data(), s.size()); }

namespace {
// The template id goes through the mixer before any value does: seeded with
// a small `base + t`, Mix's first step is nearly linear in h and v, so
// (template, value) pairs with small values (tags, counts, slots) collided
// (261,130 of the 990,000 full 64-bit keys of 1100 templates x 300 values x
// 3 arities in tests/nlp_core_test.cc were shared).
inline uint64_t TemplateSeed(uint32_t t) { return Mix(0x51ed27ULL, t); }
}  // namespace

uint64_t FeatureKey(uint32_t t, uint64_t a) { return Mix(Mix(TemplateSeed(t), a), 1); }
uint64_t FeatureKey(uint32_t t, uint64_t a, uint64_t b) {
  return Mix(Mix(Mix(TemplateSeed(t), a), b), 2);
}
uint64_t FeatureKey(uint32_t t, uint64_t a, uint64_t b, uint64_t c) {
  return Mix(Mix(Mix(Mix(TemplateSeed(t), a), b), c), 3);
}

namespace {

constexpr uint64_t kDenseBit = uint64_t{1} << kModelKeyBits;
constexpr int kRowShift = kModelKeyBits + 1;

// acc[c] += row[c] for c < n (n a multiple of 16).
void AddDenseScalar(int32_t* acc, const int16_t* row, int n) {
  for (int c = 0; c < n; ++c) acc[c] += row[c];
}

__attribute__((target("avx2"))) void AddDenseAvx2(int32_t* acc, const int16_t* row, int n) {
  for (int c = 0; c < n; c += 16) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + c));
    __m256i* a = reinterpret_cast<__m256i*>(acc + c);
    _mm256_storeu_si256(a, _mm256_add_epi32(_mm256_loadu_si256(a),
                                            _mm256_cvtepi16_epi32(_mm256_castsi256_si128(v))));
    _mm256_storeu_si256(a + 1, _mm256_add_epi32(_mm256_loadu_si256(a + 1),
                                                _mm256_cvtepi16_epi32(_mm256_extracti128_si256(v, 1))));
  }
}

using AddDenseFn = void (*)(int32_t*, const int16_t*, int);
const AddDenseFn kAddDense = __builtin_cpu_supports("avx2") ? AddDenseAvx2 : AddDenseScalar;

}  // namespace

void PerceptronModel::BuildTable() {
  padded_classes_ = (num_classes_ + 15) / 16 * 16;
  // Row sizes in int16s: dense, or a (count, 0) pair then (class, weight) pairs.
  std::vector<bool> dense(keys_.size());
  std::vector<size_t> length(keys_.size());
  for (size_t i = 0; i < keys_.size(); ++i) {
    const size_t sparse = 2 + 2 * static_cast<size_t>(ranges_[i].second - ranges_[i].first);
    dense[i] = static_cast<size_t>(padded_classes_) <= sparse;
    length[i] = dense[i] ? padded_classes_ : sparse;
  }
  // Row units start at 8 int16s (16 bytes); a model too large for the
  // slot's offset bits gets larger units (more padding, never a failure).
  row_unit_shift_ = 3;
  for (;;) {
    const size_t unit = size_t{1} << row_unit_shift_;
    size_t units = 0;
    for (size_t len : length) units += (len + unit - 1) / unit;
    if (units < (size_t{1} << kSlotRowBits)) {
      rows_.assign(units * unit, 0);
      break;
    }
    ++row_unit_shift_;
  }
  size_t capacity = 16;
  while (capacity < 2 * keys_.size()) capacity *= 2;
  slots_.assign(capacity, 0);
  mask_ = capacity - 1;
  const size_t unit = size_t{1} << row_unit_shift_;
  size_t at = 0;  // in int16s
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == 0) continue;
    int16_t* row = &rows_[at];
    if (dense[i]) {
      for (uint32_t e = ranges_[i].first; e < ranges_[i].second; ++e) row[entries_[e].cls] = entries_[e].weight;
    } else {
      const uint32_t count = ranges_[i].second - ranges_[i].first;
      row[0] = static_cast<int16_t>(static_cast<uint16_t>(count));
      for (uint32_t k = 0; k < count; ++k) {
        row[2 + 2 * k] = static_cast<int16_t>(entries_[ranges_[i].first + k].cls);
        row[3 + 2 * k] = entries_[ranges_[i].first + k].weight;
      }
    }
    const uint64_t slot = keys_[i] | (dense[i] ? kDenseBit : 0) |
                          (static_cast<uint64_t>(at >> row_unit_shift_) << kRowShift);
    size_t j = keys_[i] & mask_;
    while (slots_[j] != 0) j = (j + 1) & mask_;
    slots_[j] = slot;
    at += (length[i] + unit - 1) / unit * unit;
  }
}

void PerceptronModel::Score(const std::vector<uint64_t>& features, float* scores) const {
  if (slots_.empty()) return;
  int32_t stack_acc[256];
  std::vector<int32_t> heap_acc;
  int32_t* acc = stack_acc;
  if (padded_classes_ > 256) {
    heap_acc.resize(padded_classes_);
    acc = heap_acc.data();
  }
  std::fill(acc, acc + padded_classes_, 0);
  constexpr size_t kBatch = 32;
  uint64_t found[kBatch];
  for (size_t base = 0; base < features.size(); base += kBatch) {
    const size_t n = std::min(kBatch, features.size() - base);
    for (size_t i = 0; i < n; ++i) __builtin_prefetch(&slots_[features[base + i] & mask_]);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t key = features[base + i] & kModelKeyMask;
      uint64_t slot = 0;
      if (key != 0) {
        for (size_t j = key & mask_;; j = (j + 1) & mask_) {
          const uint64_t s = slots_[j];
          if ((s & kModelKeyMask) == key) {
            slot = s;
            break;
          }
          if (s == 0) break;
        }
      }
      found[i] = slot;
      if (slot == 0) continue;
      const char* row = reinterpret_cast<const char*>(&rows_[(slot >> kRowShift) << row_unit_shift_]);
      __builtin_prefetch(row);
      if (slot & kDenseBit) {
        for (int b = 64; b < 2 * padded_classes_; b += 64) __builtin_prefetch(row + b);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      const uint64_t slot = found[i];
      if (slot == 0) continue;
      const int16_t* row = &rows_[(slot >> kRowShift) << row_unit_shift_];
      if (slot & kDenseBit) {
        kAddDense(acc, row, padded_classes_);
      } else {
        const uint32_t count = static_cast<uint16_t>(row[0]);
        for (uint32_t k = 0; k < count; ++k) acc[static_cast<uint16_t>(row[2 + 2 * k])] += row[3 + 2 * k];
      }
    }
  }
  for (int c = 0; c < num_classes_; ++c) scores[c] += scale_ * static_cast<float>(acc[c]);
}

void PerceptronModel::Prune(double fraction) {
  const int min_abs = static_cast<int>(std::ceil(fraction * 32767.0));
  if (min_abs <= 1) return;
  std::vector<uint64_t> keys;
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  std::vector<Entry> entries;
  for (size_t k = 0; k < keys_.size(); ++k) {
    const uint32_t begin = static_cast<uint32_t>(entries.size());
    for (uint32_t i = ranges_[k].first; i < ranges_[k].second; ++i) {
      if (std::abs(static_cast<int>(entries_[i].weight)) >= min_abs) entries.push_back(entries_[i]);
    }
    if (entries.size() == begin) continue;
    keys.push_back(keys_[k]);
    ranges.emplace_back(begin, static_cast<uint32_t>(entries.size()));
  }
  keys_ = std::move(keys);
  ranges_ = std::move(ranges);
  entries_ = std::move(entries);
  BuildTable();
}

void PerceptronModel::Write(ByteWriter* out) const {
  out->Varint(static_cast<uint64_t>(num_classes_));
  out->F32(scale_);
  out->Varint(keys_.size());
  // Keys sorted and delta-coded; per feature its entry count, then
  // (class, weight) pairs. zstd takes care of the rest.
  uint64_t previous = 0;
  for (size_t k = 0; k < keys_.size(); ++k) {
    out->Varint(keys_[k] - previous);
    previous = keys_[k];
    out->Varint(ranges_[k].second - ranges_[k].first);
    for (uint32_t i = ranges_[k].first; i < ranges_[k].second; ++i) {
      out->Varint(entries_[i].cls);
      // Zigzag, so that small negative weights take one or two bytes.
      const int32_t w = entries_[i].weight;
      out->Varint(w < 0 ? (static_cast<uint32_t>(-(w + 1)) << 1) | 1u
                        : static_cast<uint32_t>(w) << 1);
    }
  }
}

absl::StatusOr<PerceptronModel> PerceptronModel::Read(ByteReader* in) {
  PerceptronModel m;
  uint64_t classes = 0, n = 0;
  if (!in->Varint(&classes) || !in->F32(&m.scale_) || !in->Varint(&n)) return in->status();
  if (classes == 0 || classes > 65535) {
    in->Fail(absl::StrCat("perceptron with ", classes, " classes"));
    return in->status();
  }
  if (!std::isfinite(m.scale_) || m.scale_ <= 0) {
    in->Fail("perceptron weight scale is not a positive number");
    return in->status();
  }
  m.num_classes_ = static_cast<int>(classes);
  m.keys_.reserve(std::min<uint64_t>(n, 1 << 24));
  m.ranges_.reserve(std::min<uint64_t>(n, 1 << 24));
  // Every entry takes at least two bytes, so this bounds the entry count
  // without growing (and copying) the vector while reading.
  m.entries_.reserve(in->remaining() / 2);
  uint64_t key = 0;
  for (uint64_t f = 0; f < n; ++f) {
    uint64_t delta = 0, count = 0;
    if (!in->Varint(&delta) || !in->Varint(&count)) return in->status();
    if ((f > 0 && delta == 0) || count == 0 || count > classes) {
      in->Fail("perceptron features out of order or with a bad entry count");
      return in->status();
    }
    key += delta;
    if (key > kModelKeyMask) {
      in->Fail("perceptron feature key wider than the model's key bits");
      return in->status();
    }
    const uint32_t begin = static_cast<uint32_t>(m.entries_.size());
    for (uint64_t i = 0; i < count; ++i) {
      uint64_t c = 0, w = 0;
      if (!in->Varint(&c) || !in->Varint(&w)) return in->status();
      const int64_t weight = static_cast<int64_t>(w >> 1) ^ -static_cast<int64_t>(w & 1);
      if (c >= classes || weight < -32768 || weight > 32767) {
        in->Fail("perceptron weight out of range");
        return in->status();
      }
      m.entries_.push_back({static_cast<uint16_t>(c), static_cast<int16_t>(weight)});
    }
    m.keys_.push_back(key);
    m.ranges_.emplace_back(begin, static_cast<uint32_t>(m.entries_.size()));
  }
  m.BuildTable();
  return m;
}

float* PerceptronTrainer::Row(uint64_t feature) {
  auto [it, inserted] = rows_.try_emplace(feature, static_cast<uint32_t>(rows_.size()));
  if (inserted) {
    weights_.resize(weights_.size() + num_classes_, 0.0f);
    weighted_.resize(weighted_.size() + num_classes_, 0.0);
  }
  return &weights_[static_cast<size_t>(it->second) * num_classes_];
}

void PerceptronTrainer::Score(const std::vector<uint64_t>& features, float* scores) const {
  for (uint64_t f : features) {
    auto it = rows_.find(f);
    if (it == rows_.end()) continue;
    const float* w = &weights_[static_cast<size_t>(it->second) * num_classes_];
    for (int c = 0; c < num_classes_; ++c) scores[c] += w[c];
  }
}

void PerceptronTrainer::Update(const std::vector<uint64_t>& features, int gold, int predicted,
                               float amount) {
  if (gold == predicted) return;
  for (uint64_t f : features) {
    float* w = Row(f);
    const size_t base = static_cast<size_t>(w - weights_.data());
    w[gold] += amount;
    w[predicted] -= amount;
    weighted_[base + gold] += static_cast<double>(time_) * amount;
    weighted_[base + predicted] -= static_cast<double>(time_) * amount;
  }
}

PerceptronModel PerceptronTrainer::Average(float min_weight) const {
  PerceptronModel m(num_classes_);
  // Keys are kept to their low kModelKeyBits (see perceptron.h); the rare
  // feature whose truncated key repeats another's is dropped, deterministically
  // (the one with the larger full key).
  std::vector<std::pair<uint64_t, uint32_t>> sorted;
  sorted.reserve(rows_.size());
  for (const auto& [key, row] : rows_) sorted.emplace_back(key, row);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    const uint64_t ka = a.first & kModelKeyMask, kb = b.first & kModelKeyMask;
    return ka != kb ? ka < kb : a.first < b.first;
  });
  {
    std::vector<std::pair<uint64_t, uint32_t>> unique;
    unique.reserve(sorted.size());
    for (const auto& [key, row] : sorted) {
      const uint64_t k = key & kModelKeyMask;
      if (k == 0 || (!unique.empty() && unique.back().first == k)) continue;
      unique.emplace_back(k, row);
    }
    sorted = std::move(unique);
  }
  // Averaged weights first, to choose the quantization scale.
  std::vector<float> avg(weights_.size());
  float max_abs = 0;
  for (size_t i = 0; i < weights_.size(); ++i) {
    avg[i] = static_cast<float>(weights_[i] - weighted_[i] / static_cast<double>(time_));
    max_abs = std::max(max_abs, std::fabs(avg[i]));
  }
  m.scale_ = max_abs > 0 ? max_abs / 32767.0f : 1.0f;
  const float threshold = std::max(min_weight, m.scale_ * 0.5f);
  for (const auto& [key, row] : sorted) {
    const uint32_t begin = static_cast<uint32_t>(m.entries_.size());
    for (int c = 0; c < num_classes_; ++c) {
      const float w = avg[static_cast<size_t>(row) * num_classes_ + c];
      if (std::fabs(w) < threshold) continue;
      m.entries_.push_back({static_cast<uint16_t>(c), static_cast<int16_t>(std::lround(w / m.scale_))});
    }
    const uint32_t end = static_cast<uint32_t>(m.entries_.size());
    if (end == begin) continue;
    m.keys_.push_back(key);
    m.ranges_.emplace_back(begin, end);
  }
  m.BuildTable();
  return m;
}

}  // namespace kgraph::nlp
