// CoNLL named-entity span scoring: a predicted span is correct when its
// words and its type both equal a gold span's. Counts per type and
// micro-averaged overall, optionally over a subset of types.
// A SpanScorer is plain data: not synchronized (one per thread, then Merge).
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nlp/sentence.h"

namespace kgraph::nlp {

struct SpanCounts {
  size_t gold = 0;
  size_t predicted = 0;
  size_t correct = 0;
  // 0 when the denominator is 0 (as conlleval prints it).
  double Precision() const;
  double Recall() const;
  double F1() const;
};

class SpanScorer {
 public:
  // Scores only spans of `types` (gold and predicted alike), so that a
  // corpus is measured on what it annotates; empty = every type.
  explicit SpanScorer(std::set<std::string> types = {});

  // Adds one sentence. A predicted span overlapping a `masked` range
  // (NerSentence::masked: words with no known label) is left out, and so is
  // a gold one, so that neither counts for or against the system.
  void Add(const std::vector<EntitySpan>& gold, const std::vector<EntitySpan>& predicted,
           const std::vector<std::pair<size_t, size_t>>& masked = {});

  void Merge(const SpanScorer& other);

  // Per type: every type of `types`, or every type seen if it was empty.
  const std::map<std::string, SpanCounts>& per_type() const { return per_type_; }
  // Micro average: the sums of the per-type counts.
  SpanCounts Overall() const;

  // A table: one row per type and an "overall" row, with gold, predicted,
  // correct, precision, recall and F1 (percentages, 2 decimals).
  std::string Format() const;

 private:
  bool Scored(const std::string& type) const;

  std::set<std::string> types_;
  std::map<std::string, SpanCounts> per_type_;
};

}  // namespace kgraph::nlp
