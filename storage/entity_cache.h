// EntityCache: decoded entity records and stats (never aliases) by id, so
// the entity reads of a reply page skip RocksDB for entities read recently.
// Writers invalidate the ids a committed write touched; a generation counter
// stops a read that raced a write from caching what it read before it.
//
// Protocol, which makes a cached entry never older than the last completed
// write of its entity:
//   reader: g = generation(); read the store; InsertIfCurrent(g, entity)
//   writer: commit; Invalidate(ids) (bumps the generation, then erases)
// A read that began before the bump is not inserted after it; one inserted
// before the bump is erased after it.
//
// Thread safety: all methods are safe to call concurrently.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "model/ids.h"
#include "storage/graph_store.h"

namespace kgraph::storage {

class EntityCache {
 public:
  // Holds at most about `capacity` entities; 0 disables the cache (lookups
  // miss, inserts are dropped).
  explicit EntityCache(size_t capacity);
  EntityCache(const EntityCache&) = delete;
  EntityCache& operator=(const EntityCache&) = delete;

  bool enabled() const { return per_shard_ > 0; }
  uint64_t generation() const { return generation_.load(); }
  // Lookup calls so far, and those that found the entity.
  int64_t lookups() const { return lookups_.load(std::memory_order_relaxed); }
  int64_t hits() const { return hits_.load(std::memory_order_relaxed); }

  // Entries held, and an estimate of their heap bytes (map slots, strings,
  // attributes, the eviction ring). Walks every shard: for /metrics scrapes,
  // not hot paths.
  struct Usage {
    int64_t entries = 0;
    int64_t bytes = 0;
  };
  Usage MemoryUsage() const;

  // Copies the cached entity `id` into *out; false if it is not cached.
  bool Lookup(EntityId id, Entity* out) const;
  // Whether entity `id` is cached (no copy; not counted as a lookup).
  bool Contains(EntityId id) const;

  // Caches `entity` (its aliases are not kept) unless a write has been
  // invalidated since `generation` was read. A full shard evicts its oldest
  // insertion (FIFO): O(1), no per-hit bookkeeping under the lock, and no
  // cliff where a whole shard empties at once.
  void InsertIfCurrent(uint64_t generation, const Entity& entity);

  // Call after a write that changed these entities is committed.
  void Invalidate(absl::Span<const EntityId> ids);
  // Call after a write that may have changed any entity (bulk loads).
  void InvalidateAll();

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<EntityId, Entity> entities ABSL_GUARDED_BY(mu);
    // Ids in insertion order, a ring of at most per_shard_ slots; `next` is
    // the oldest once the ring is full. An id may appear twice (invalidated,
    // then cached again); evicting its older slot only drops it early.
    std::vector<EntityId> order ABSL_GUARDED_BY(mu);
    size_t next ABSL_GUARDED_BY(mu) = 0;
  };
  Shard& ShardOf(EntityId id) const { return shards_[id % kShards]; }

  const size_t per_shard_;
  std::atomic<uint64_t> generation_{0};
  mutable std::atomic<int64_t> lookups_{0};
  mutable std::atomic<int64_t> hits_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace kgraph::storage
