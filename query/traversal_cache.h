// TraversalCache: complete traversal results (GetNeighbors, GetSubgraph) kept
// between the pages of one request, so paging through a supernode's
// neighbors scans its edges once, when the first page is asked for, instead
// of once per page. An entry is keyed by the request's bytes with the paging
// fields cleared, and tagged with the store's WriteVersion() read before the
// traversal ran; it is served only while no write has committed since, so
// the pages of a listing never mix two versions of the graph. On a miss
// (evicted, or the store changed) the next page is recomputed, as a
// stateless server would. Bounded by bytes; the least recently used entry
// goes first.
//
// Thread safety: all methods are safe to call concurrently; results are
// shared immutable values.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "query/neighborhood_query.h"

namespace kgraph::query {

// The bytes a cached result holds (nodes and edges).
int64_t ResultBytes(const NeighborhoodResult& result);

class TraversalCache {
 public:
  // Holds at most `capacity_bytes` of results (and keys); 0 disables it.
  // No single entry may take more than a quarter of it.
  explicit TraversalCache(int64_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  TraversalCache(const TraversalCache&) = delete;
  TraversalCache& operator=(const TraversalCache&) = delete;

  // The result cached under `key` if it was computed at store version
  // `version`; null otherwise (a stale entry is dropped).
  std::shared_ptr<const NeighborhoodResult> Lookup(std::string_view key, uint64_t version);
  // Caches `result` for `key` at `version` (the WriteVersion() read before
  // the traversal began), evicting older entries to make room. Too large a
  // result is not cached.
  void Insert(std::string key, uint64_t version, std::shared_ptr<const NeighborhoodResult> result);

  struct Counts {
    int64_t lookups = 0;
    int64_t hits = 0;
    int64_t entries = 0;
    int64_t bytes = 0;
  };
  Counts counts() const;

 private:
  struct Entry {
    std::string key;
    uint64_t version = 0;
    std::shared_ptr<const NeighborhoodResult> result;
    int64_t bytes = 0;
  };
  using List = std::list<Entry>;
  void EraseNoLock(List::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t capacity_bytes_;
  mutable absl::Mutex mu_;
  List lru_ ABSL_GUARDED_BY(mu_);  // most recently used first
  // Keys are views of the entries' own strings, which list nodes never move.
  absl::flat_hash_map<std::string_view, List::iterator> index_ ABSL_GUARDED_BY(mu_);
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t lookups_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t hits_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace kgraph::query
