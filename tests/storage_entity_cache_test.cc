// Tests of EntityCache on its own (generations, invalidation, capacity) and
// of GraphStore::GetEntities through it: every kind of write (document
// ingest, replacement, deletion, bulk load) must show in the next batch read,
// also while readers and a writer race.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/entity_cache.h"
#include "storage/graph_store.h"
#include "tests/testing/store_test.h"

namespace kgraph::storage {
namespace {

Entity Named(EntityId id, const std::string& name, int64_t mentions) {
  Entity e;
  e.id = id;
  e.name = name;
  e.type = "ORG";
  e.canonical_key = name;
  e.aliases = {name + " Inc"};
  e.attributes = {{"ticker", "X"}};
  e.mentions = mentions;
  return e;
}

TEST(storage_entity_cache, HoldsWhatWasInsertedWithoutAliases) {
  EntityCache cache(100);
  Entity got;
  EXPECT_FALSE(cache.Lookup(7, &got));
  cache.InsertIfCurrent(cache.generation(), Named(7, "Acme", 3));
  ASSERT_TRUE(cache.Lookup(7, &got));
  EXPECT_EQ(got.id, 7u);
  EXPECT_EQ(got.name, "Acme");
  EXPECT_EQ(got.mentions, 3);
  EXPECT_EQ(got.attributes.at("ticker"), "X");
  EXPECT_TRUE(got.aliases.empty()) << "aliases are never cached";
}

TEST(storage_entity_cache, ReadThatRacedAWriteIsNotCached) {
  EntityCache cache(100);
  const uint64_t before = cache.generation();
  cache.Invalidate(std::vector<EntityId>{99});  // a write to any entity lands meanwhile
  cache.InsertIfCurrent(before, Named(7, "Acme", 1));
  Entity got;
  EXPECT_FALSE(cache.Lookup(7, &got)) << "read before the write must not be cached after it";
  cache.InsertIfCurrent(cache.generation(), Named(7, "Acme", 2));
  ASSERT_TRUE(cache.Lookup(7, &got));
  EXPECT_EQ(got.mentions, 2);
}

TEST(storage_entity_cache, InvalidateErasesTheGivenIdsAndInvalidateAllEverything) {
  EntityCache cache(100);
  for (EntityId id : {1, 2, 3}) cache.InsertIfCurrent(cache.generation(), Named(id, "e", 1));
  cache.Invalidate(std::vector<EntityId>{2});
  Entity got;
  EXPECT_TRUE(cache.Lookup(1, &got));
  EXPECT_FALSE(cache.Lookup(2, &got));
  EXPECT_TRUE(cache.Contains(1));
  EXPECT_FALSE(cache.Contains(2));
  EXPECT_TRUE(cache.Lookup(3, &got));
  cache.InvalidateAll();
  EXPECT_FALSE(cache.Lookup(1, &got));
  EXPECT_FALSE(cache.Lookup(3, &got));
}

TEST(storage_entity_cache, StaysWithinCapacity) {
  EntityCache cache(32);
  for (EntityId id = 1; id <= 1000; ++id) cache.InsertIfCurrent(cache.generation(), Named(id, "e", 1));
  int held = 0;
  Entity got;
  for (EntityId id = 1; id <= 1000; ++id) held += cache.Lookup(id, &got) ? 1 : 0;
  EXPECT_GT(held, 0);
  EXPECT_LE(held, 32);
}

TEST(storage_entity_cache, AFullShardEvictsItsOldestEntryOnly) {
  EntityCache cache(32);  // 16 shards (by id % 16) of 2 entries
  for (EntityId id : {0, 16, 1}) cache.InsertIfCurrent(cache.generation(), Named(id, "e", 1));
  cache.InsertIfCurrent(cache.generation(), Named(32, "e", 1));  // shard 0 is full: 0 goes
  EXPECT_FALSE(cache.Contains(0));
  EXPECT_TRUE(cache.Contains(16));
  EXPECT_TRUE(cache.Contains(32));
  EXPECT_TRUE(cache.Contains(1)) << "other shards are untouched";
  cache.InsertIfCurrent(cache.generation(), Named(16, "e", 2));  // an update is not an insertion
  cache.InsertIfCurrent(cache.generation(), Named(48, "e", 1));  // 16 is now the oldest
  EXPECT_FALSE(cache.Contains(16));
  EXPECT_TRUE(cache.Contains(32));
  EXPECT_TRUE(cache.Contains(48));
}

TEST(storage_entity_cache, ZeroCapacityDisablesIt) {
  EntityCache cache(0);
  EXPECT_FALSE(cache.enabled());
  cache.InsertIfCurrent(cache.generation(), Named(7, "Acme", 1));
  Entity got;
  EXPECT_FALSE(cache.Lookup(7, &got));
}

DocumentInput Doc(const std::string& id, const std::vector<std::string>& orgs, int64_t mentions) {
  DocumentInput d;
  d.doc_id = id;
  d.title = id;
  for (const std::string& org : orgs) d.entities.push_back({org, "ORG", {}, mentions, {}});
  for (size_t i = 1; i < orgs.size(); ++i) {
    TripleInput t;
    t.subject = orgs[0];
    t.relation = "partners_with";
    t.object = orgs[i];
    t.rule = "test";
    t.sentence = orgs[0] + " partners with " + orgs[i] + ".";
    t.end = t.sentence.size();
    d.triples.push_back(t);
  }
  return d;
}

class EntityCacheStoreTest : public testing::StoreTest {
 protected:
  // The batch read (cached) and the single read (never cached) must agree.
  Entity Batch(EntityId id) {
    auto got = store_->GetEntities({id});
    EXPECT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(got.ok() && (*got)[0].has_value()) << "entity " << id;
    return got.ok() && (*got)[0] ? *(*got)[0] : Entity{};
  }
};

TEST_F(EntityCacheStoreTest, BatchReadsSeeEveryDocumentWrite) {
  ASSERT_TRUE(store_->IngestDocument(Doc("a", {"Acme", "Globex"}, 1)).ok());
  const EntityId acme = IdOf("Acme");
  EXPECT_EQ(Batch(acme).mentions, 1);
  const int64_t hits = store_->entity_cache_counts().hits;
  EXPECT_EQ(Batch(acme).out_degree, 1);
  EXPECT_EQ(store_->entity_cache_counts().hits, hits + 1) << "the second read is a cache hit";

  ASSERT_TRUE(store_->IngestDocument(Doc("b", {"Acme", "Initech"}, 2)).ok());
  EXPECT_EQ(Batch(acme).mentions, 3) << "ingest must invalidate the cached entity";
  EXPECT_EQ(Batch(acme).out_degree, 2);

  DocumentInput b2 = Doc("b", {"Acme", "Initech", "Umbrella"}, 1);
  b2.content_hash = 2;  // a new version of doc b replaces the old one
  ASSERT_TRUE(store_->IngestDocument(b2).ok());
  EXPECT_EQ(Batch(acme).mentions, 2);
  EXPECT_EQ(Batch(acme).out_degree, 3);

  ASSERT_TRUE(store_->DeleteDocument("b").ok());
  EXPECT_EQ(Batch(acme).mentions, 1);
  EXPECT_EQ(Batch(acme).out_degree, 1);

  ASSERT_TRUE(store_->DeleteDocument("a").ok());
  auto gone = store_->GetEntities({acme});
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_FALSE((*gone)[0].has_value()) << "a deleted entity must not be served from the cache";
  auto has = store_->HasEntity(acme);
  ASSERT_TRUE(has.ok()) << has.status();
  EXPECT_FALSE(*has) << "nor reported as existing";
}

TEST_F(EntityCacheStoreTest, BatchReadsSeeABulkLoad) {
  ASSERT_TRUE(store_->IngestDocument(Doc("a", {"Acme", "Globex"}, 1)).ok());
  const EntityId acme = IdOf("Acme");
  EXPECT_EQ(Batch(acme).in_degree, 0);
  const std::vector<BulkTriple> triples = {{"Initech", "acquires", "Acme", 1.0},
                                           {"Hooli", "acquires", "Acme", 1.0}};
  ASSERT_TRUE(store_->BulkLoad(triples, "bulk", 1).ok());
  const Entity after = Batch(acme);
  EXPECT_EQ(after.in_degree, 2);
  EXPECT_EQ(after.mentions, 3);
}

TEST_F(EntityCacheStoreTest, BatchReadsSeeRecordChangesOfExistingEntities) {
  DocumentInput a = Doc("a", {"Acme", "Globex"}, 1);
  a.entities[0].type = "";  // the first document does not know what Acme is
  ASSERT_TRUE(store_->IngestDocument(a).ok());
  const EntityId acme = IdOf("Acme");
  EXPECT_EQ(Batch(acme).type, "");
  DocumentInput b = Doc("b", {"Acme"}, 1);
  b.entities[0].attributes = {{"ticker", "ACM"}};
  ASSERT_TRUE(store_->IngestDocument(b).ok());
  const Entity after = Batch(acme);
  EXPECT_EQ(after.type, "ORG");
  ASSERT_EQ(after.attributes.count("ticker"), 1u);
  EXPECT_EQ(after.attributes.at("ticker"), "ACM");
}

TEST_F(EntityCacheStoreTest, AliasesAreReadEvenWhenTheRecordIsCached) {
  DocumentInput a = Doc("a", {"Acme Corp", "Globex"}, 1);
  a.entities[0].aliases = {"Acme"};
  ASSERT_TRUE(store_->IngestDocument(a).ok());
  const EntityId acme = IdOf("Acme Corp");
  EXPECT_TRUE(Batch(acme).aliases.empty()) << "plain batch reads carry no aliases";
  auto with = store_->GetEntities({acme}, /*with_aliases=*/true);
  ASSERT_TRUE(with.ok()) << with.status();
  ASSERT_TRUE((*with)[0].has_value());
  EXPECT_EQ((*with)[0]->aliases, std::vector<std::string>{"Acme"});
}

// Readers hammer GetEntities while a writer keeps changing the same
// entities; once the writer stops, what the cache serves must equal the
// store (a read that raced a write must not have left an old copy behind).
TEST_F(EntityCacheStoreTest, RacingReadersLeaveNoStaleEntries) {
  const std::vector<std::string> orgs = {"Acme", "Globex", "Initech", "Umbrella"};
  ASSERT_TRUE(store_->IngestDocument(Doc("base", orgs, 1)).ok());
  std::vector<EntityId> ids;
  for (const std::string& org : orgs) ids.push_back(IdOf(org));
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop) ASSERT_TRUE(store_->GetEntities(ids).ok());
    });
  }
  for (int i = 0; i < 151; ++i) {  // ends on an ingest: the final state differs from the base
    DocumentInput d = Doc("churn", orgs, 1 + i % 4);
    d.content_hash = static_cast<uint64_t>(i + 1);
    ASSERT_TRUE(store_->IngestDocument(d).ok());
    if (i % 3 == 2) {
      ASSERT_TRUE(store_->DeleteDocument("churn").ok());
    }
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  auto batch = store_->GetEntities(ids);
  ASSERT_TRUE(batch.ok()) << batch.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    auto single = store_->GetEntity(ids[i]);
    ASSERT_TRUE(single.ok()) << single.status();
    ASSERT_TRUE((*batch)[i].has_value());
    EXPECT_EQ((*batch)[i]->mentions, single->mentions) << orgs[i];
    EXPECT_EQ((*batch)[i]->out_degree, single->out_degree) << orgs[i];
    EXPECT_EQ((*batch)[i]->in_degree, single->in_degree) << orgs[i];
  }
}

}  // namespace
}  // namespace kgraph::storage
