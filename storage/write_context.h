// Internal to storage/: the state of one atomic write (one document ingest or
// retraction). It collects every change in one rocksdb::WriteBatch and keeps
// the pending counter deltas and edge values in memory, so later steps of the
// same write see earlier ones without reading the batch back.
#pragma once

#include <optional>
#include <string>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "storage/graph_store.h"
#include "storage/families.h"
#include "storage/key_format.h"

namespace kgraph::storage {

class GraphStore::WriteContext {
 public:
  WriteContext(rocksdb::DB* db, const GraphStore::Families* cfs) : db_(db), cfs_(cfs) {}

  rocksdb::WriteBatch& batch() { return batch_; }

  // Pending int64 deltas per family+key; resolved by Finish().
  void AddCounter(const std::string& key, int64_t delta) { counters_[key] += delta; }
  void AddAliasRef(const std::string& key, int64_t delta) { alias_refs_[key] += delta; }
  void AddNameRef(const std::string& key, int64_t delta) { name_refs_[key] += delta; }
  // Removes the key outright, discarding any pending delta for it.
  void DropAliasRef(const std::string& key) { Drop(&alias_refs_, cfs_->entities, key); }
  void DropNameRef(const std::string& key) { Drop(&name_refs_, cfs_->names, key); }

  // Pending changes to an entity's mentions and degrees.
  void AddEntityStats(EntityId id, const EntityStats& delta) { entity_stats_[id].Add(delta); }
  // Stored stats plus pending delta.
  EntityStats EntityStatsNow(EntityId id) const;
  // Deletes the stats key, discarding any pending delta.
  void DropEntityStats(EntityId id);

  // Edge state as this write leaves it: nullopt if it does not exist.
  // Reads the DB the first time an edge is touched.
  absl::StatusOr<std::optional<EdgeStats>> EdgeState(const EdgeKey& e);
  // Replaces the edge's stored value (nullopt deletes both twins).
  void SetEdge(const EdgeKey& e, const std::optional<EdgeStats>& stats);
  // Adds to the edge by merge operand if it was never replaced in this write.
  void AddToEdge(const EdgeKey& e, const EdgeStats& delta);

  // Writes the resolved counter/ref changes and edge values into the batch.
  absl::Status Finish();

 private:
  void Drop(absl::flat_hash_map<std::string, int64_t>* deltas, rocksdb::ColumnFamilyHandle* cf,
            const std::string& key) {
    deltas->erase(key);
    batch_.Delete(cf, key);
  }
  absl::Status FlushRefs(rocksdb::ColumnFamilyHandle* cf,
                         const absl::flat_hash_map<std::string, int64_t>& deltas);

  rocksdb::DB* db_;
  const GraphStore::Families* cfs_;
  rocksdb::WriteBatch batch_;
  absl::flat_hash_map<std::string, int64_t> counters_;
  absl::flat_hash_map<std::string, int64_t> alias_refs_;
  absl::flat_hash_map<std::string, int64_t> name_refs_;
  absl::flat_hash_map<EntityId, EntityStats> entity_stats_;
  struct EdgeSlot {
    std::optional<EdgeStats> current;  // state after this write's changes so far
    bool replaced = false;             // written with Put/Delete, not merge
    EdgeStats merged;                  // merge operand to emit if !replaced
  };
  absl::flat_hash_map<EdgeKey, EdgeSlot> edges_;
};

}  // namespace kgraph::storage
