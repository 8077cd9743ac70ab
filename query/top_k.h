// A bounded top-k collector: keeps the k heaviest items seen so far in a
// min-heap of size k, so capping a supernode's fan-out costs O(k) memory no
// matter how many edges are scanned.
//
// Thread safety: none; one collector per expansion.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <queue>
#include <vector>

namespace kgraph::query {

// `Heavier(a, b)` is true iff a ranks before b. Ties must be broken totally
// (e.g. by id) so results are deterministic.
template <typename T, typename Heavier>
class BoundedTopK {
 public:
  BoundedTopK(size_t k, Heavier heavier) : k_(k), heap_(heavier), heavier_(heavier) {}

  void Push(T item) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push(std::move(item));
    } else if (heavier_(item, heap_.top())) {
      heap_.pop();
      heap_.push(std::move(item));
    }
  }

  size_t size() const { return heap_.size(); }

  // Returns the kept items, heaviest first; empties the collector.
  std::vector<T> Take() {
    std::vector<T> out;
    out.reserve(heap_.size());
    while (!heap_.empty()) {
      out.push_back(heap_.top());
      heap_.pop();
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  size_t k_;
  // With `heavier` as the "less" comparator, top() is the lightest item kept.
  std::priority_queue<T, std::vector<T>, Heavier> heap_;
  Heavier heavier_;
};

}  // namespace kgraph::query
