#include "storage/write_context.h"

#include "storage/families.h"

namespace kgraph::storage {

EntityStats GraphStore::WriteContext::EntityStatsNow(EntityId id) const {
  std::string v;
  EntityStats s;
  if (db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityStatsKey(id), &v).ok()) {
    s = DecodeEntityStats(v);
  }
  auto it = entity_stats_.find(id);
  if (it != entity_stats_.end()) s.Add(it->second);
  return s;
}

void GraphStore::WriteContext::DropEntityStats(EntityId id) {
  entity_stats_.erase(id);
  batch_.Delete(cfs_->entities, EntityStatsKey(id));
}

absl::StatusOr<std::optional<EdgeStats>> GraphStore::WriteContext::EdgeState(const EdgeKey& e) {
  auto it = edges_.find(e);
  if (it != edges_.end()) return it->second.current;
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->out_edges, OutEdgeKey(e), &v);
  EdgeSlot slot;
  if (s.ok()) {
    EdgeStats stats;
    if (!DecodeEdgeStats(v, &stats)) return absl::DataLossError("bad edge stats encoding");
    slot.current = stats;
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "edge lookup");
  }
  edges_.emplace(e, slot);
  return slot.current;
}

void GraphStore::WriteContext::SetEdge(const EdgeKey& e, const std::optional<EdgeStats>& stats) {
  EdgeSlot& slot = edges_[e];
  slot.current = stats;
  slot.replaced = true;
}

void GraphStore::WriteContext::AddToEdge(const EdgeKey& e, const EdgeStats& delta) {
  EdgeSlot& slot = edges_[e];
  if (slot.current) {
    slot.current->Add(delta);
  } else {
    slot.current = delta;
  }
  if (!slot.replaced) slot.merged.Add(delta);
}

absl::Status GraphStore::WriteContext::FlushRefs(
    rocksdb::ColumnFamilyHandle* cf, const absl::flat_hash_map<std::string, int64_t>& deltas) {
  for (const auto& [key, delta] : deltas) {
    if (delta == 0) continue;
    if (delta > 0) {
      batch_.Merge(cf, key, EncodeInt64(delta));
      continue;
    }
    // A decrement that reaches zero removes the key, so a retraction leaves
    // no trace behind.
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf, key, &v);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "counter read");
    int64_t base = s.ok() ? DecodeInt64(v) : 0;
    if (base + delta <= 0) {
      batch_.Delete(cf, key);
    } else {
      batch_.Merge(cf, key, EncodeInt64(delta));
    }
  }
  return absl::OkStatus();
}

absl::Status GraphStore::WriteContext::Finish() {
  for (const auto& [e, slot] : edges_) {
    if (slot.replaced) {
      if (slot.current && slot.current->weight() > 0) {
        std::string v = EncodeEdgeStats(*slot.current);
        batch_.Put(cfs_->out_edges, OutEdgeKey(e), v);
        batch_.Put(cfs_->in_edges, InEdgeKey(e), v);
      } else {
        batch_.Delete(cfs_->out_edges, OutEdgeKey(e));
        batch_.Delete(cfs_->in_edges, InEdgeKey(e));
      }
    } else if (slot.merged.weight() > 0) {
      std::string v = EncodeEdgeStats(slot.merged);
      batch_.Merge(cfs_->out_edges, OutEdgeKey(e), v);
      batch_.Merge(cfs_->in_edges, InEdgeKey(e), v);
    }
  }
  for (const auto& [id, delta] : entity_stats_) {
    if (delta.empty()) continue;
    // Stats that return to zero are removed, like any other count.
    if (EntityStatsNow(id).empty()) {
      batch_.Delete(cfs_->entities, EntityStatsKey(id));
    } else {
      batch_.Merge(cfs_->entities, EntityStatsKey(id), EncodeEntityStats(delta));
    }
  }
  absl::Status s = FlushRefs(cfs_->counters, counters_);
  if (s.ok()) s = FlushRefs(cfs_->entities, alias_refs_);
  if (s.ok()) s = FlushRefs(cfs_->names, name_refs_);
  return s;
}

}  // namespace kgraph::storage
