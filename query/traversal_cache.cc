#include "query/traversal_cache.h"

#include <utility>

namespace kgraph::query {
namespace {

// Per entry beyond its vectors: list node, index slot, shared_ptr block.
constexpr int64_t kEntryOverhead = 160;

}  // namespace

int64_t ResultBytes(const NeighborhoodResult& result) {
  return static_cast<int64_t>(sizeof(NeighborhoodResult) +
                              result.nodes.capacity() * sizeof(NeighborhoodNode) +
                              result.edges.capacity() * sizeof(storage::Edge));
}

std::shared_ptr<const NeighborhoodResult> TraversalCache::Lookup(std::string_view key,
                                                                 uint64_t version) {
  if (capacity_bytes_ <= 0) return nullptr;
  absl::MutexLock lock(&mu_);
  ++lookups_;
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  if (it->second->version != version) {  // the store changed since
    EraseNoLock(it->second);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return lru_.front().result;
}

void TraversalCache::Insert(std::string key, uint64_t version,
                            std::shared_ptr<const NeighborhoodResult> result) {
  if (capacity_bytes_ <= 0 || result == nullptr) return;
  const int64_t bytes =
      ResultBytes(*result) + static_cast<int64_t>(key.size()) + kEntryOverhead;
  if (bytes > capacity_bytes_ / 4) return;
  absl::MutexLock lock(&mu_);
  auto old = index_.find(key);
  if (old != index_.end()) EraseNoLock(old->second);
  while (!lru_.empty() && bytes_ + bytes > capacity_bytes_) EraseNoLock(std::prev(lru_.end()));
  lru_.push_front(Entry{std::move(key), version, std::move(result), bytes});
  index_.emplace(lru_.front().key, lru_.begin());
  bytes_ += bytes;
}

TraversalCache::Counts TraversalCache::counts() const {
  absl::MutexLock lock(&mu_);
  return Counts{lookups_, hits_, static_cast<int64_t>(lru_.size()), bytes_};
}

void TraversalCache::EraseNoLock(List::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(std::string_view(it->key));
  lru_.erase(it);
}

}  // namespace kgraph::query
