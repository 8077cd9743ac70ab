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
