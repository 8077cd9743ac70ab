#include "nlp/span_scorer.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kgraph::nlp {
namespace {

double Ratio(size_t num, size_t den) { return den == 0 ? 0.0 : static_cast<double>(num) / den; }

bool Overlaps(const EntitySpan& e, const std::vector<std::pair<size_t, size_t>>& masked) {
  for (const auto& [b, end] : masked) {
    if (e.begin < end && b < e.end) return true;
  }
  return false;
}

using Key = std::tuple<size_t, size_t, std::string>;

}  // namespace

double SpanCounts::Precision() const { return Ratio(correct, predicted); }
double SpanCounts::Recall() const { return Ratio(correct, gold); }
double SpanCounts::F1() const {
  const double p = Precision(), r = Recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

SpanScorer::SpanScorer(std::set<std::string> types) : types_(std::move(types)) {
  // A scored type with nothing in gold or predictions still gets its row.
  for (const std::string& t : types_) per_type_[t];
}

bool SpanScorer::Scored(const std::string& type) const { return types_.empty() || types_.count(type) > 0; }

void SpanScorer::Add(const std::vector<EntitySpan>& gold, const std::vector<EntitySpan>& predicted,
                     const std::vector<std::pair<size_t, size_t>>& masked) {
  // Sorted keys, matched one to one, so that a span predicted twice counts
  // one correct and one wrong.
  auto keys = [&](const std::vector<EntitySpan>& spans, bool is_gold) {
    std::vector<Key> out;
    for (const EntitySpan& e : spans) {
      if (!Scored(e.type) || Overlaps(e, masked)) continue;
      out.emplace_back(e.begin, e.end, e.type);
      SpanCounts& c = per_type_[e.type];
      ++(is_gold ? c.gold : c.predicted);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<Key> g = keys(gold, true), p = keys(predicted, false);
  size_t i = 0, j = 0;
  while (i < g.size() && j < p.size()) {
    if (g[i] < p[j]) {
      ++i;
    } else if (p[j] < g[i]) {
      ++j;
    } else {
      ++per_type_[std::get<2>(g[i])].correct;
      ++i;
      ++j;
    }
  }
}

void SpanScorer::Merge(const SpanScorer& other) {
  for (const auto& [type, c] : other.per_type_) {
    if (!Scored(type)) continue;
    SpanCounts& mine = per_type_[type];
    mine.gold += c.gold;
    mine.predicted += c.predicted;
    mine.correct += c.correct;
  }
}

SpanCounts SpanScorer::Overall() const {
  SpanCounts all;
  for (const auto& [type, c] : per_type_) {
    all.gold += c.gold;
    all.predicted += c.predicted;
    all.correct += c.correct;
  }
  return all;
}

std::string SpanScorer::Format() const {
  std::string out = absl::StrFormat("%-10s %9s %9s %9s %9s %7s %7s\n", "type", "gold", "predicted", "correct",
                                    "precision", "recall", "F1");
  auto row = [&](const std::string& name, const SpanCounts& c) {
    absl::StrAppend(&out, absl::StrFormat("%-10s %9d %9d %9d %9.2f %7.2f %7.2f\n", name, c.gold, c.predicted,
                                          c.correct, 100 * c.Precision(), 100 * c.Recall(), 100 * c.F1()));
  };
  for (const auto& [type, c] : per_type_) row(type, c);
  row("overall", Overall());
  return out;
}

}  // namespace kgraph::nlp
