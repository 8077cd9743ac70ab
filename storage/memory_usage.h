// What an open GraphStore and the process allocator hold in memory, for the
// /metrics gauges and the soak test: which part of a server's RSS is a
// bounded cache and which is not.
//
// Thread safety: GraphStore::MemoryUsage and AllocatorUsage may be called
// from any thread, concurrently with reads and writes.
#pragma once

#include <cstdint>

namespace kgraph::storage {

struct StoreMemoryUsage {
  // RocksDB's shared LRU block cache: what it holds, the part pinned by
  // table readers and iterators (partitioned index and filter blocks are
  // pinned, see graph_store.cc), and its capacity.
  int64_t block_cache_bytes = 0;
  int64_t block_cache_pinned_bytes = 0;
  int64_t block_cache_capacity_bytes = 0;
  // Active and unflushed immutable memtables of every family
  // (rocksdb.cur-size-all-mem-tables), and the same plus flushed memtables
  // still pinned by live iterators or snapshots (rocksdb.size-all-mem-tables).
  int64_t memtable_bytes = 0;
  int64_t memtable_pinned_bytes = 0;
  // Table readers' memory outside the block cache
  // (rocksdb.estimate-table-readers-mem), summed over families.
  int64_t table_reader_bytes = 0;
  // SST files open (each holds a table reader).
  int64_t live_sst_files = 0;
  // The decoded-entity cache: entries and an estimate of their heap bytes.
  int64_t entity_cache_entries = 0;
  int64_t entity_cache_bytes = 0;
};

// The process allocator's own counters (jemalloc's stats.allocated, active,
// resident and retained) when kgraph is linked with jemalloc; all -1
// otherwise. resident - allocated is what the allocator keeps from freed
// memory (fragmentation and dirty pages not yet returned).
struct AllocatorUsage {
  int64_t allocated_bytes = -1;
  int64_t active_bytes = -1;
  int64_t resident_bytes = -1;
  int64_t retained_bytes = -1;
};
AllocatorUsage ReadAllocatorUsage();

}  // namespace kgraph::storage
