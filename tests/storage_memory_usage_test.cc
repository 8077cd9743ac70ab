// Tests of GraphStore::MemoryUsage and EntityCache::MemoryUsage, the figures
// behind kgraphd's memory gauges: each must move with what it measures and
// a cache's must stay within its capacity.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/entity_cache.h"
#include "storage/graph_store.h"
#include "storage/memory_usage.h"
#include "tests/testing/store_test.h"

namespace kgraph::storage {
namespace {

Entity Named(EntityId id, const std::string& name) {
  Entity e;
  e.id = id;
  e.name = name;
  e.type = "ORG";
  e.canonical_key = name;
  e.attributes = {{"ticker", "XYZ"}};
  return e;
}

TEST(storage_memory_usage, EntityCacheCountsEntriesAndTheirBytes) {
  EntityCache cache(1600);
  EXPECT_EQ(cache.MemoryUsage().entries, 0);
  for (EntityId id = 1; id <= 100; ++id) {
    cache.InsertIfCurrent(cache.generation(), Named(id, "Short"));
  }
  const EntityCache::Usage short_names = cache.MemoryUsage();
  EXPECT_EQ(short_names.entries, 100);
  EXPECT_GT(short_names.bytes, 100 * static_cast<int64_t>(sizeof(Entity)));
  // Names past the small-string buffer are heap bytes of their own.
  for (EntityId id = 1; id <= 100; ++id) {
    cache.InsertIfCurrent(cache.generation(), Named(id, std::string(200, 'n')));
  }
  const EntityCache::Usage long_names = cache.MemoryUsage();
  EXPECT_EQ(long_names.entries, 100);
  EXPECT_GE(long_names.bytes, short_names.bytes + 2 * 100 * 200);
}

TEST(storage_memory_usage, EntityCacheBytesStayBoundedAtCapacity) {
  EntityCache cache(160);
  for (EntityId id = 1; id <= 160; ++id) cache.InsertIfCurrent(cache.generation(), Named(id, "e"));
  const EntityCache::Usage full = cache.MemoryUsage();
  for (EntityId id = 161; id <= 20'000; ++id) {
    cache.InsertIfCurrent(cache.generation(), Named(id, "e"));
  }
  const EntityCache::Usage after = cache.MemoryUsage();
  EXPECT_LE(after.entries, 160);
  EXPECT_LE(after.bytes, 2 * full.bytes) << "a full cache must not keep growing";
}

DocumentInput Doc(int i) {
  DocumentInput d;
  d.doc_id = "doc-" + std::to_string(i);
  d.title = d.doc_id;
  const std::string a = "Acme " + std::to_string(i), b = "Globex " + std::to_string(i);
  d.entities.push_back({a, "ORG", {}, 1, {}});
  d.entities.push_back({b, "ORG", {}, 1, {}});
  TripleInput t;
  t.subject = a;
  t.relation = "acquires";
  t.object = b;
  t.rule = "test";
  t.sentence = a + " agreed to acquire " + b + " for a sum nobody disclosed.";
  t.end = t.sentence.size();
  d.triples.push_back(t);
  return d;
}

class MemoryUsageStoreTest : public testing::StoreTest {};

TEST_F(MemoryUsageStoreTest, FollowsWritesFlushesAndReads) {
  const StoreMemoryUsage fresh = store_->MemoryUsage();
  EXPECT_EQ(fresh.block_cache_capacity_bytes, int64_t{256} << 20);
  EXPECT_EQ(fresh.entity_cache_entries, 0);

  for (int i = 0; i < 300; ++i) ASSERT_TRUE(store_->IngestDocument(Doc(i)).ok());
  const StoreMemoryUsage written = store_->MemoryUsage();
  EXPECT_GT(written.memtable_bytes, fresh.memtable_bytes + 300 * 60)
      << "300 documents' evidence sentences are in the memtables";
  EXPECT_GE(written.memtable_pinned_bytes, written.memtable_bytes);

  ASSERT_TRUE(store_->Flush().ok());
  const StoreMemoryUsage flushed = store_->MemoryUsage();
  EXPECT_LT(flushed.memtable_bytes, written.memtable_bytes);
  EXPECT_GT(flushed.live_sst_files, 0);
  EXPECT_GT(flushed.table_reader_bytes, 0);

  std::vector<EntityId> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(IdOf("Acme " + std::to_string(i)));
  auto got = store_->GetEntities(ids);
  ASSERT_TRUE(got.ok()) << got.status();
  const StoreMemoryUsage read = store_->MemoryUsage();
  EXPECT_EQ(read.entity_cache_entries, 50);
  EXPECT_GT(read.entity_cache_bytes, 0);
  EXPECT_GT(read.block_cache_bytes, 0) << "the read went through the block cache";
  EXPECT_LE(read.block_cache_pinned_bytes, read.block_cache_bytes);
}

TEST(storage_memory_usage, AllocatorFiguresAreAllKnownOrAllUnknown) {
  const AllocatorUsage a = ReadAllocatorUsage();
  if (a.allocated_bytes < 0) {
    EXPECT_EQ(a.active_bytes, -1);
    EXPECT_EQ(a.resident_bytes, -1);
    EXPECT_EQ(a.retained_bytes, -1);
    GTEST_SKIP() << "not linked with jemalloc";
  }
  EXPECT_GT(a.allocated_bytes, 0);
  EXPECT_GE(a.active_bytes, a.allocated_bytes);
  EXPECT_GE(a.resident_bytes, a.active_bytes);
}

}  // namespace
}  // namespace kgraph::storage
