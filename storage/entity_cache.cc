#include "storage/entity_cache.h"

namespace kgraph::storage {

EntityCache::EntityCache(size_t capacity)
    : per_shard_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

bool EntityCache::Lookup(EntityId id, Entity* out) const {
  if (!enabled()) return false;
  lookups_.fetch_add(1, std::memory_order_relaxed);
  Shard& shard = ShardOf(id);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.entities.find(id);
  if (it == shard.entities.end()) return false;
  *out = it->second;
  hits_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool EntityCache::Contains(EntityId id) const {
  if (!enabled()) return false;
  Shard& shard = ShardOf(id);
  absl::MutexLock lock(&shard.mu);
  return shard.entities.contains(id);
}

namespace {
// Heap bytes of a string beyond the object itself (0 while it fits the SSO
// buffer).
int64_t HeapBytes(const std::string& s) {
  return s.capacity() > sizeof(std::string) - 1 ? static_cast<int64_t>(s.capacity() + 1) : 0;
}
}  // namespace

EntityCache::Usage EntityCache::MemoryUsage() const {
  Usage usage;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    usage.entries += static_cast<int64_t>(shard.entities.size());
    usage.bytes += static_cast<int64_t>(shard.entities.capacity() *
                                        (sizeof(std::pair<EntityId, Entity>) + 1));
    usage.bytes += static_cast<int64_t>(shard.order.capacity() * sizeof(EntityId));
    for (const auto& [id, e] : shard.entities) {
      usage.bytes += HeapBytes(e.name) + HeapBytes(e.type) + HeapBytes(e.canonical_key);
      for (const auto& [k, v] : e.attributes) {
        // A std::map node: three pointers and a color beside the pair.
        usage.bytes += static_cast<int64_t>(sizeof(std::pair<const std::string, std::string>) +
                                            4 * sizeof(void*)) +
                       HeapBytes(k) + HeapBytes(v);
      }
    }
  }
  return usage;
}

void EntityCache::InsertIfCurrent(uint64_t generation, const Entity& entity) {
  if (!enabled()) return;
  Shard& shard = ShardOf(entity.id);
  absl::MutexLock lock(&shard.mu);
  // Checked under the shard lock: an Invalidate that bumped the generation
  // after this check erases under the same lock, after this insert.
  if (generation_.load() != generation) return;
  auto [it, added] = shard.entities.try_emplace(entity.id);
  if (added) {
    if (shard.order.size() < per_shard_) {
      shard.order.push_back(entity.id);
    } else {
      const EntityId oldest = shard.order[shard.next];
      // Erasing another element leaves `it` valid.
      if (oldest != entity.id) shard.entities.erase(oldest);
      shard.order[shard.next] = entity.id;
      shard.next = (shard.next + 1) % per_shard_;
    }
  }
  it->second = entity;
  it->second.aliases.clear();
}

void EntityCache::Invalidate(absl::Span<const EntityId> ids) {
  if (!enabled() || ids.empty()) return;
  generation_.fetch_add(1);
  for (EntityId id : ids) {
    Shard& shard = ShardOf(id);
    absl::MutexLock lock(&shard.mu);
    shard.entities.erase(id);
  }
}

void EntityCache::InvalidateAll() {
  if (!enabled()) return;
  generation_.fetch_add(1);
  for (Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    shard.entities.clear();
    shard.order.clear();
    shard.next = 0;
  }
}

}  // namespace kgraph::storage
