#include "nlp/word_clusters.h"

#include <algorithm>
#include <cmath>

#include "nlp/model_file.h"
#include "nlp/perceptron.h"
#include "nlp/tagger.h"

namespace kgraph::nlp {
namespace {

inline double XLogX(double x) { return x > 0 ? x * std::log(x) : 0.0; }

// Exchange clustering of word ids (0..num_words-1, sequences split at
// sentence ends) into `num_classes` classes, maximizing the class-bigram
// likelihood sum N(c,d) log N(c,d) - 2 sum N(c) log N(c). Deterministic:
// words are visited in id order, ties go to the lowest class.
std::vector<int> ExchangeClusters(const std::vector<std::vector<int>>& sentences, int num_words,
                                  const std::vector<uint32_t>& freq, int num_classes,
                                  int iterations) {
  // Word bigram counts, both directions.
  std::vector<absl::flat_hash_map<int, uint32_t>> right(num_words), left(num_words);
  for (const auto& s : sentences) {
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      ++right[s[i]][s[i + 1]];
      ++left[s[i + 1]][s[i]];
    }
  }
  std::vector<int> cls(num_words);
  // Words arrive sorted by frequency: spread them round-robin.
  for (int w = 0; w < num_words; ++w) cls[w] = w % num_classes;
  const int C = num_classes;
  std::vector<double> N(static_cast<size_t>(C) * C, 0.0), Nc(C, 0.0);
  for (int w = 0; w < num_words; ++w) {
    Nc[cls[w]] += freq[w];
    for (const auto& [v, n] : right[w]) N[cls[w] * C + cls[v]] += n;
  }
  std::vector<double> L(C), R(C);
  std::vector<int> lc, rc;  // classes with non-zero L / R
  for (int it = 0; it < iterations; ++it) {
    int moved = 0;
    for (int w = 0; w < num_words; ++w) {
      const int a = cls[w];
      double self = 0;
      lc.clear();
      rc.clear();
      for (const auto& [v, n] : left[w]) {
        if (v == w) continue;
        if (L[cls[v]] == 0) lc.push_back(cls[v]);
        L[cls[v]] += n;
      }
      for (const auto& [v, n] : right[w]) {
        if (v == w) {
          self = n;
          continue;
        }
        if (R[cls[v]] == 0) rc.push_back(cls[v]);
        R[cls[v]] += n;
      }
      // Take w out of a.
      for (int c : lc) N[c * C + a] -= L[c];
      for (int c : rc) N[a * C + c] -= R[c];
      N[a * C + a] -= self;
      Nc[a] -= freq[w];
      int best = a;
      double best_gain = -1e300;
      for (int b = 0; b < C; ++b) {
        double gain = 0;
        for (int c : lc) {
          if (c == b) continue;
          gain += XLogX(N[c * C + b] + L[c]) - XLogX(N[c * C + b]);
        }
        for (int c : rc) {
          if (c == b) continue;
          gain += XLogX(N[b * C + c] + R[c]) - XLogX(N[b * C + c]);
        }
        const double bb = N[b * C + b];
        gain += XLogX(bb + L[b] + R[b] + self) - XLogX(bb);
        gain -= 2 * (XLogX(Nc[b] + freq[w]) - XLogX(Nc[b]));
        if (gain > best_gain + 1e-9) {
          best_gain = gain;
          best = b;
        }
      }
      for (int c : lc) N[c * C + best] += L[c];
      for (int c : rc) N[best * C + c] += R[c];
      N[best * C + best] += self;
      Nc[best] += freq[w];
      moved += best != a;
      cls[w] = best;
      for (int c : lc) L[c] = 0;
      for (int c : rc) R[c] = 0;
    }
    if (moved == 0) break;
  }
  return cls;
}

}  // namespace

WordClusters WordClusters::Build(const std::vector<const Sentence*>& text) {
  WordClusters out;
  absl::flat_hash_map<uint64_t, uint32_t> counts;
  for (const Sentence* s : text) {
    for (const Word& w : s->words) ++counts[HashString(LowerAscii(w.form))];
  }
  // Words by decreasing frequency, ties by hash: deterministic ids.
  std::vector<std::pair<uint32_t, uint64_t>> by_freq;
  for (const auto& [h, n] : counts) {
    if (n >= kMinCount) by_freq.push_back({n, h});
  }
  if (by_freq.size() < 300) return out;  // too little text to cluster
  std::sort(by_freq.begin(), by_freq.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  absl::flat_hash_map<uint64_t, int> id;
  std::vector<uint32_t> freq;
  for (const auto& [n, h] : by_freq) {
    id[h] = static_cast<int>(freq.size());
    freq.push_back(n);
  }
  // Rare words share one id (the last), so bigrams across them still count.
  const int rare = static_cast<int>(freq.size());
  freq.push_back(0);
  std::vector<std::vector<int>> sentences;
  for (const Sentence* s : text) {
    std::vector<int> ids;
    for (const Word& w : s->words) {
      auto it = id.find(HashString(LowerAscii(w.form)));
      ids.push_back(it == id.end() ? rare : it->second);
      if (it == id.end()) ++freq[rare];
    }
    sentences.push_back(std::move(ids));
  }
  const int n = static_cast<int>(freq.size());
  const std::vector<int> coarse = ExchangeClusters(sentences, n, freq, kCoarseClasses, 8);
  const std::vector<int> fine = ExchangeClusters(sentences, n, freq, kFineClasses, 8);
  for (const auto& [h, i] : id) {
    out.classes_[h] = static_cast<uint16_t>(((coarse[i] + 1) << 8) | (fine[i] + 1));
  }
  return out;
}

void WordClusters::Write(ByteWriter* out) const {
  std::vector<std::pair<uint64_t, uint16_t>> sorted(classes_.begin(), classes_.end());
  std::sort(sorted.begin(), sorted.end());
  out->Varint(sorted.size());
  for (const auto& [h, c] : sorted) {
    out->U64(h);
    out->Varint(c);
  }
}

absl::Status WordClusters::Read(ByteReader* in) {
  classes_.clear();
  uint64_t n = 0;
  if (!in->Varint(&n)) return in->status();
  if (n > (1u << 24)) {
    in->Fail("too many clustered words");
    return in->status();
  }
  classes_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t h = 0, c = 0;
    if (!in->U64(&h) || !in->Varint(&c)) return in->status();
    if (c > 0xffff) {
      in->Fail("word class out of range");
      return in->status();
    }
    classes_[h] = static_cast<uint16_t>(c);
  }
  return absl::OkStatus();
}

}  // namespace kgraph::nlp
