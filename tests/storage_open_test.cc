// Tests of GraphStore::Open on foreign, incompatible, missing and locked
// directories, and of reopening a store.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "storage/graph_store.h"
#include "storage/key_format.h"
#include "tests/testing/store_dump.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

using ::kgraph::testing::TempDir;

::testing::AssertionResult Contains(absl::string_view text, const std::string& part) {
  if (std::string(text).find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// Creates a plain RocksDB at `path` with the given extra column families and
// one key in the default family.
void MakePlainRocksDb(const std::string& path, const std::vector<std::string>& families) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "hello", "world").ok());
  for (const auto& f : families) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), f, &h).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), h, "k", "v").ok());
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  }
  ASSERT_TRUE(db->Close().ok());
}

std::vector<std::string> KgraphFamilies() {
  return {kEntitiesCf, kNamesCf, kOutEdgesCf, kInEdgesCf, kEvidenceCf,
          kDocumentsCf, kRelationsCf, kCountersCf};
}

// Rewrites the schema version of the closed store at `path` with plain RocksDB.
void SetSchemaVersion(const std::string& path, const std::string& version) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {{kMetaCf, rocksdb::ColumnFamilyOptions()}};
  for (const auto& f : KgraphFamilies()) cfs.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[0], kMetaSchemaKey, version).ok());
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

TEST(storage_open, DirectoryOfRandomFilesIsFailedPrecondition) {
  TempDir dir;
  dir.WriteFile("notes.txt", "not a database\n");
  dir.WriteFile("data.bin", std::string("\x00\x01\x02\xff", 4));
  auto s = GraphStore::Open(dir.path(), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "not a kgraph database"));
  EXPECT_TRUE(Contains(s.status().message(), dir.path()));
  // Nothing was created in the foreign directory.
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("CURRENT")));
}

TEST(storage_open, DirectoryWithGarbageCurrentFileIsFailedPrecondition) {
  // A foreign directory that happens to contain a file named CURRENT.
  // Regression: this used to surface RocksDB's Corruption as DataLoss.
  TempDir dir;
  dir.WriteFile("CURRENT", "this is not a manifest name\n");
  dir.WriteFile("README", "hello\n");
  auto s = GraphStore::Open(dir.path(), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), dir.path()));
}

TEST(storage_open, RegularFileIsFailedPrecondition) {
  TempDir dir;
  std::string file = dir.WriteFile("a-file", "x");
  auto s = GraphStore::Open(file, StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "not a directory"));
}

TEST(storage_open, PlainRocksDbWithOnlyDefaultFamilyIsFailedPrecondition) {
  TempDir dir;
  MakePlainRocksDb(dir.Sub("db"), {});
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "not a kgraph database"));
  EXPECT_TRUE(Contains(s.status().message(), "is missing"));
}

TEST(storage_open, PlainRocksDbWithOtherFamiliesIsFailedPrecondition) {
  TempDir dir;
  MakePlainRocksDb(dir.Sub("db"), {"users", "orders"});
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "not a kgraph database"));
  // The foreign database is left intact.
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.Sub("db"), &families).ok());
  EXPECT_EQ(families.size(), 3u);
}

TEST(storage_open, PlainRocksDbWithKgraphFamiliesPlusAnotherIsFailedPrecondition) {
  TempDir dir;
  std::vector<std::string> f = KgraphFamilies();
  f.push_back("extra");
  MakePlainRocksDb(dir.Sub("db"), f);
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "unknown column family 'extra'"));
}

TEST(storage_open, PlainRocksDbWithKgraphFamiliesButNoFormatTagIsFailedPrecondition) {
  TempDir dir;
  MakePlainRocksDb(dir.Sub("db"), KgraphFamilies());
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "no format tag"));
}

// What an older kgraph left when killed between creating the column families
// and stamping the format tag: every family (or only some), no key at all.
void MakeInterruptedCreation(const std::string& path, const std::vector<std::string>& families) {
  rocksdb::Options o;
  o.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (const auto& f : families) {
    rocksdb::ColumnFamilyHandle* h = nullptr;
    ASSERT_TRUE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), f, &h).ok());
    ASSERT_TRUE(db->DestroyColumnFamilyHandle(h).ok());
  }
  ASSERT_TRUE(db->Close().ok());
}

TEST(storage_open, EmptyStoreOfAnInterruptedCreationIsMadeAnew) {
  for (size_t n : {size_t{0}, size_t{3}, KgraphFamilies().size()}) {
    SCOPED_TRACE(::testing::Message() << n << " families were created");
    TempDir dir;
    std::vector<std::string> f = KgraphFamilies();
    f.resize(n);
    MakeInterruptedCreation(dir.Sub("db"), f);
    // Read-only, nothing is changed, and the message names the command.
    auto ro = GraphStore::Open(dir.Sub("db"), StoreOptions{.read_only = true});
    ASSERT_FALSE(ro.ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(ro.status())) << ro.status();
    EXPECT_TRUE(Contains(ro.status().message(), "kgraph-admin recover --db " + dir.Sub("db")));
    // Writable, the empty database is made anew and works.
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    DocumentInput d;
    d.doc_id = "d1";
    d.entities = {EntityInput{.name = "Ada"}};
    ASSERT_TRUE((*s)->IngestDocument(d).ok());
    auto v = (*s)->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok());
  }
}

TEST(storage_open, UnstampedStoreHoldingDataIsLeftUntouched) {
  TempDir dir;
  MakePlainRocksDb(dir.Sub("db"), KgraphFamilies());
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(Contains(s.status().message(), "left untouched"));
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir.Sub("db"), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string v;
  EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "hello", &v).ok());
}

TEST(storage_open, CreationLeavesNoScratchDirectoryAndCleansStaleOnes) {
  TempDir dir;
  // A scratch directory of a creation whose process is gone (pid 1 is
  // alive, so use one that cannot be: beyond pid_max).
  const std::string stale = dir.Sub(".db.creating-999999999");
  std::filesystem::create_directories(stale);
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_TRUE(s.ok()) << s.status();
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string(), "db") << "left behind: " << e.path();
  }
}

TEST(storage_open, OtherSchemaVersionIsFailedPrecondition) {
  TempDir dir;
  {
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
  }
  SetSchemaVersion(dir.Sub("db"), "999");
  auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(s.status())) << s.status();
  EXPECT_TRUE(Contains(s.status().message(), "incompatible kgraph schema version '999'"));
}

TEST(storage_open, VersionOneStoreOpensReadOnlyAndRefusesWritesWithHowToRebuild) {
  TempDir dir;
  {
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    DocumentInput d;
    d.doc_id = "page.txt#1";
    d.entities = {EntityInput{.name = "Ada"}};
    ASSERT_TRUE((*s)->IngestDocument(d).ok());
  }
  SetSchemaVersion(dir.Sub("db"), "1");  // a store from before document identity changed
  auto w = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(w.status())) << w.status();
  EXPECT_TRUE(Contains(w.status().message(), "schema version 1"));
  EXPECT_TRUE(Contains(w.status().message(), "kgraph-admin export --db " + dir.Sub("db")));
  auto r = GraphStore::Open(dir.Sub("db"), StoreOptions{.read_only = true});
  ASSERT_TRUE(r.ok()) << r.status();
  auto found = (*r)->FindByName("Ada");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->size(), 1u);
}

TEST(storage_open, MissingStoreWithoutCreateIsNotFound) {
  TempDir dir;
  auto s = GraphStore::Open(dir.Sub("nothing"), StoreOptions{.create_if_missing = false});
  EXPECT_TRUE(absl::IsNotFound(s.status())) << s.status();
  auto ro = GraphStore::Open(dir.Sub("nothing"), StoreOptions{.read_only = true});
  EXPECT_TRUE(absl::IsNotFound(ro.status())) << ro.status();
}

TEST(storage_open, SecondWriterOnSameStoreIsRejected) {
  TempDir dir;
  auto first = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(absl::IsUnavailable(second.status())) << second.status();
}

TEST(storage_open, ReadOnlyStoreRejectsWrites) {
  TempDir dir;
  {
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->BulkLoad({{"A", "r", "B", 1.0}}, "x", 1).ok());
  }
  auto ro = GraphStore::Open(dir.Sub("db"), StoreOptions{.read_only = true});
  ASSERT_TRUE(ro.ok()) << ro.status();
  DocumentInput d;
  d.doc_id = "d";
  EXPECT_TRUE(absl::IsFailedPrecondition((*ro)->IngestDocument(d).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition((*ro)->DeleteDocument("d")));
  EXPECT_TRUE(absl::IsFailedPrecondition((*ro)->BulkLoad({}, "y", 2).status()));
  auto st = (*ro)->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->edges, 1);
}

TEST(storage_open, ReopenAfterCloseKeepsAllData) {
  TempDir dir;
  std::string before;
  {
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->BulkLoad({{"A", "r", "B", 0.5}, {"B", "q", "C", 1.0}}, "x", 1).ok());
    DocumentInput d;
    d.doc_id = "d";
    d.date = "2024-04-04";
    d.entities = {{"A", "", {"Alpha"}, 1, {{"k", "v"}}}};
    TripleInput t;
    t.subject = "Alpha";
    t.relation = "r";
    t.object = "D";
    t.sentence = "Alpha r D.";
    d.triples = {t};
    ASSERT_TRUE((*s)->IngestDocument(d).ok());
    before = testing::DumpStore(**s);
  }
  for (int round = 0; round < 2; ++round) {
    auto s = GraphStore::Open(dir.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(testing::DumpStore(**s), before) << "round " << round;
  }
  EXPECT_NE(before.find("entities=4 edges=3 evidence=1 documents=2"), std::string::npos) << before;
  EXPECT_NE(before.find("attr k=v"), std::string::npos) << before;
}

}  // namespace
}  // namespace kgraph::storage
