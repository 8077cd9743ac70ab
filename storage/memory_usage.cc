#include "storage/memory_usage.h"

#include <cstddef>
#include <string>

#include <rocksdb/db.h>

#include "storage/entity_cache.h"
#include "storage/families.h"
#include "storage/graph_store.h"

// jemalloc's control interface, resolved at link time when kgraph links
// jemalloc (kgraphd, kgraph-admin); null in builds that do not (sanitizers,
// tests), where the allocator figures are reported as unknown.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp,
                       size_t newlen) __attribute__((weak));

namespace kgraph::storage {

StoreMemoryUsage GraphStore::MemoryUsage() const {
  StoreMemoryUsage usage;
  auto int_property = [&](rocksdb::ColumnFamilyHandle* cf, const std::string& name) -> int64_t {
    uint64_t value = 0;
    return db_->GetIntProperty(cf, name, &value) ? static_cast<int64_t>(value) : 0;
  };
  auto summed = [&](const std::string& name) {
    int64_t total = 0;
    for (rocksdb::ColumnFamilyHandle* cf : cfs_->all) total += int_property(cf, name);
    return total;
  };
  // One cache is shared by every family, so any family reports all of it;
  // summing over families would count it nine times.
  usage.block_cache_bytes = int_property(cfs_->meta, rocksdb::DB::Properties::kBlockCacheUsage);
  usage.block_cache_pinned_bytes =
      int_property(cfs_->meta, rocksdb::DB::Properties::kBlockCachePinnedUsage);
  usage.block_cache_capacity_bytes =
      int_property(cfs_->meta, rocksdb::DB::Properties::kBlockCacheCapacity);
  usage.memtable_bytes = summed(rocksdb::DB::Properties::kCurSizeAllMemTables);
  usage.memtable_pinned_bytes = summed(rocksdb::DB::Properties::kSizeAllMemTables);
  usage.table_reader_bytes = summed(rocksdb::DB::Properties::kEstimateTableReadersMem);
  for (rocksdb::ColumnFamilyHandle* cf : cfs_->all) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(cf, &meta);
    usage.live_sst_files += static_cast<int64_t>(meta.file_count);
  }
  const EntityCache::Usage cache = entity_cache_->MemoryUsage();
  usage.entity_cache_entries = cache.entries;
  usage.entity_cache_bytes = cache.bytes;
  return usage;
}

AllocatorUsage ReadAllocatorUsage() {
  AllocatorUsage usage;
  if (mallctl == nullptr) return usage;
  // jemalloc's statistics are a snapshot refreshed by writing the epoch.
  uint64_t epoch = 1;
  size_t len = sizeof(epoch);
  if (mallctl("epoch", &epoch, &len, &epoch, len) != 0) return usage;
  auto read = [](const char* name) -> int64_t {
    size_t value = 0;
    size_t size = sizeof(value);
    return mallctl(name, &value, &size, nullptr, 0) == 0 ? static_cast<int64_t>(value) : -1;
  };
  usage.allocated_bytes = read("stats.allocated");
  usage.active_bytes = read("stats.active");
  usage.resident_bytes = read("stats.resident");
  usage.retained_bytes = read("stats.retained");
  return usage;
}

}  // namespace kgraph::storage
