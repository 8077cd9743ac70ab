// Tests of GraphStore's document write path: idempotent ingest, replacement,
// exact retraction with DeleteDocument, and cross-document alias resolution.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "kgraph/storage/records.pb.h"
#include "storage/graph_store.h"
#include "storage/key_format.h"
#include "storage/merge_operators.h"
#include "tests/testing/store_dump.h"
#include "tests/testing/store_test.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

using ::kgraph::testing::DumpStore;
using ::kgraph::testing::TempDir;

int64_t Day(int y, int m, int d) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone()));
}

TripleInput Triple(const std::string& s, const std::string& r, const std::string& o, double conf,
                   const std::string& sentence) {
  TripleInput t;
  t.subject = s;
  t.relation = r;
  t.object = o;
  t.confidence = conf;
  t.rule = "test-rule";
  t.sentence = sentence;
  t.start = 0;
  t.end = sentence.size();
  return t;
}

// Doc A: Alice (alias "Alice") works for Acme, lives in Paris.
DocumentInput DocA() {
  DocumentInput d;
  d.doc_id = "doc-a";
  d.title = "A";
  d.date = "2020-01-10";
  d.entities = {{"Alice Smith", "PERSON", {"Alice"}, 2, {}},
                {"Acme Corp", "ORG", {}, 1, {}},
                {"Paris", "GPE", {}, 1, {}}};
  d.triples = {Triple("Alice", "works_for", "Acme Corp", 0.8, "Alice works for Acme."),
               Triple("Alice Smith", "lives_in", "Paris", 0.6, "Alice Smith lives in Paris.")};
  return d;
}

// Doc B shares Alice, Acme and the edge Alice -works_for-> Acme with A.
DocumentInput DocB() {
  DocumentInput d;
  d.doc_id = "doc-b";
  d.title = "B";
  d.date = "2021-06-01";
  d.entities = {{"Alice Smith", "PERSON", {}, 1, {}},
                {"Acme Corp", "ORG", {}, 3, {}},
                {"Bob Jones", "PERSON", {}, 1, {}}};
  d.triples = {Triple("Alice Smith", "works_for", "Acme Corp", 0.4, "Smith joined Acme."),
               Triple("Bob Jones", "works_for", "Acme Corp", 0.9, "Bob Jones works at Acme.")};
  return d;
}

class DocumentTest : public testing::StoreTest {
 protected:
  std::vector<Evidence> EvidenceOf(const EdgeKey& e) {
    std::vector<Evidence> out;
    EXPECT_TRUE(store_->ScanEvidence(e, "", [&](const Evidence& ev) {
                         out.push_back(ev);
                         return true;
                       }).ok());
    return out;
  }
  int64_t RelationEdges(const std::string& name) {
    for (const auto& r : store_->ListRelations()) {
      if (r.name == name) return r.edges;
    }
    return -1;
  }
};
// ctest -R storage selects these tests.
using storage_document = DocumentTest;

// ---- Idempotent ingest and replacement ----

// Point reads after batch reads of the same keys, on a reopened read-only
// store (how kgraphd serves): a MultiGet must not poison later Gets. With a
// RocksDB row cache this failed: HasEntity said NotFound after a search page.
TEST_F(storage_document, PointReadsAgreeWithBatchReadsAfterReopen) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  ASSERT_TRUE(store_->Flush().ok());
  const std::string path = store_->path();
  store_.reset();
  StoreOptions ro;
  ro.read_only = true;
  auto reopened = GraphStore::Open(path, ro);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  for (const EntityInput& in : DocA().entities) {
    const EntityId id = IdOf(in.name);
    auto batch = store_->GetEntities({id, id ^ 1}, /*with_aliases=*/false);
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_TRUE((*batch)[0].has_value()) << in.name;
    EXPECT_FALSE((*batch)[1].has_value());
    for (int round = 0; round < 2; ++round) {
      auto has = store_->HasEntity(id);
      ASSERT_TRUE(has.ok()) << has.status();
      EXPECT_TRUE(*has) << in.name << " after a batch read, round " << round;
      EXPECT_TRUE(store_->GetEntity(id).ok()) << in.name;
      auto missing = store_->HasEntity(id ^ 1);
      ASSERT_TRUE(missing.ok());
      EXPECT_FALSE(*missing);
    }
  }
}

TEST_F(storage_document, ReingestingIdenticalDocumentIsNoOp) {
  auto first = store_->IngestDocument(DocA());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->unchanged);
  EXPECT_EQ(first->entities_created, 3);
  EXPECT_EQ(first->edges_created, 2);
  EXPECT_EQ(first->evidence_written, 2);
  const std::string before = DumpStore(*store_);

  auto second = store_->IngestDocument(DocA());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->unchanged);
  EXPECT_FALSE(second->replaced);
  EXPECT_EQ(second->entities_created, 0);
  EXPECT_EQ(second->edges_created, 0);
  EXPECT_EQ(second->evidence_written, 0);
  EXPECT_EQ(DumpStore(*store_), before);
  ExpectTotals(3, 2, 2, 1);
  ExpectVerifyOk();
}

TEST_F(storage_document, DumpOfIngestedDocumentIsAsExpected) {
  // Guards the dump itself: it must show the data, or the no-op test is vacuous.
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  std::string dump = DumpStore(*store_);
  EXPECT_NE(dump.find("entities=3 edges=2 evidence=2 documents=1"), std::string::npos) << dump;
  EXPECT_NE(dump.find("Alice works for Acme."), std::string::npos) << dump;
  EXPECT_NE(dump.find("name=Paris type=GPE"), std::string::npos) << dump;
  EXPECT_NE(dump.find("alias Alice\n"), std::string::npos) << dump;
}

TEST_F(storage_document, ReingestingModifiedDocumentReplacesOldContribution) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  const EntityId paris = IdOf("Paris");
  const EdgeKey old_lives{IdOf("Alice Smith"), Rel("lives_in"), paris};

  DocumentInput v2 = DocA();
  v2.date = "2022-03-03";
  v2.entities = {{"Alice Smith", "PERSON", {}, 1, {}}, {"Acme Corp", "ORG", {}, 1, {}},
                 {"Berlin", "GPE", {}, 1, {}}};
  v2.triples = {Triple("Alice Smith", "works_for", "Acme Corp", 0.3, "Revised: Alice at Acme."),
                Triple("Alice Smith", "lives_in", "Berlin", 0.7, "Alice moved to Berlin.")};
  auto r = store_->IngestDocument(v2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->unchanged);
  EXPECT_TRUE(r->replaced);

  // Old-only edge and entity are gone.
  EXPECT_TRUE(absl::IsNotFound(store_->GetEdge(old_lives).status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetEntity(paris).status()));
  auto paris_ids = store_->FindByName("Paris");
  ASSERT_TRUE(paris_ids.ok());
  EXPECT_TRUE(paris_ids->empty());
  // The alias only v1 declared is gone too.
  auto alias_ids = store_->FindByName("Alice");
  ASSERT_TRUE(alias_ids.ok());
  EXPECT_TRUE(alias_ids->empty());

  // New content is present, with only the new evidence.
  const EntityId alice = IdOf("Alice Smith");
  const EdgeKey works{alice, Rel("works_for"), IdOf("Acme Corp")};
  auto ws = store_->GetEdge(works);
  ASSERT_TRUE(ws.ok()) << ws.status();
  EXPECT_EQ(ws->mentions, 1);
  EXPECT_DOUBLE_EQ(ws->confidence_sum, 0.3);
  EXPECT_DOUBLE_EQ(ws->confidence_max, 0.3);
  EXPECT_EQ(ws->first_seen, Day(2022, 3, 3));
  auto ev = EvidenceOf(works);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].sentence, "Revised: Alice at Acme.");
  const EdgeKey lives{alice, Rel("lives_in"), IdOf("Berlin")};
  EXPECT_TRUE(store_->GetEdge(lives).ok());
  EXPECT_EQ(store_->Degree(alice, Direction::kOut), 2);
  auto a = store_->GetEntity(alice);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->mentions, 1);

  ExpectTotals(3, 2, 2, 1);
  EXPECT_EQ(RelationEdges("lives_in"), 1);
  EXPECT_EQ(RelationEdges("works_for"), 1);
  ExpectVerifyOk();
}

TEST_F(storage_document, ReplacementThenDeleteLeavesEmptyStore) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  DocumentInput v2 = DocA();
  v2.triples.pop_back();
  ASSERT_TRUE(store_->IngestDocument(v2).ok());
  ExpectVerifyOk();
  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());
  ExpectTotals(0, 0, 0, 0);
  ExpectVerifyOk();
}

// ---- Delete / retract ----

TEST_F(storage_document, DeleteKeepsSharedEdgeWithRemainingEvidence) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  ASSERT_TRUE(store_->IngestDocument(DocB()).ok());
  ExpectTotals(4, 3, 4, 2);
  ExpectVerifyOk();
  const EntityId alice = IdOf("Alice Smith"), acme = IdOf("Acme Corp"), paris = IdOf("Paris"),
                 bob = IdOf("Bob Jones");
  const EdgeKey shared{alice, Rel("works_for"), acme};
  const EdgeKey a_only{alice, Rel("lives_in"), paris};
  auto before = store_->GetEdge(shared);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->mentions, 2);

  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());

  // The shared edge keeps exactly B's evidence, with recomputed stats.
  auto after = store_->GetEdge(shared);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->mentions, 1);
  EXPECT_EQ(after->bulk_count, 0);
  EXPECT_DOUBLE_EQ(after->confidence_sum, 0.4);
  EXPECT_DOUBLE_EQ(after->confidence_max, 0.4);
  EXPECT_EQ(after->first_seen, Day(2021, 6, 1));
  EXPECT_EQ(after->last_seen, Day(2021, 6, 1));
  auto ev = EvidenceOf(shared);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].doc_id, "doc-b");
  EXPECT_EQ(ev[0].sentence, "Smith joined Acme.");
  // The in-edge twin agrees.
  std::vector<Edge> in;
  ASSERT_TRUE(store_->ScanEdges(acme, Direction::kIn, nullptr, [&](const Edge& e) {
                       in.push_back(e);
                       return true;
                     }).ok());
  ASSERT_EQ(in.size(), 2u);
  for (const Edge& e : in) {
    if (e.key.src == alice) {
      EXPECT_EQ(e.stats.mentions, 1);
    }
  }

  // A-only edge and entity are gone, and so is A's alias of Alice.
  EXPECT_TRUE(absl::IsNotFound(store_->GetEdge(a_only).status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetEntity(paris).status()));
  auto p = store_->FindByName("Paris");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->empty());
  auto alias = store_->FindByName("Alice");
  ASSERT_TRUE(alias.ok());
  EXPECT_TRUE(alias->empty());
  auto a = store_->GetEntity(alice);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->aliases.empty()) << ::testing::PrintToString(a->aliases);
  EXPECT_EQ(a->mentions, 1);
  EXPECT_EQ(a->out_degree, 1);
  EXPECT_EQ(a->in_degree, 0);
  auto ac = store_->GetEntity(acme);
  ASSERT_TRUE(ac.ok());
  EXPECT_EQ(ac->mentions, 3);
  EXPECT_EQ(ac->in_degree, 2);
  EXPECT_TRUE(store_->GetEntity(bob).ok());

  ExpectTotals(3, 2, 2, 1);
  EXPECT_EQ(RelationEdges("works_for"), 2);
  EXPECT_EQ(RelationEdges("lives_in"), 0);
  auto has_a = store_->HasDocument("doc-a");
  ASSERT_TRUE(has_a.ok());
  EXPECT_FALSE(*has_a);
  ExpectVerifyOk();
}

TEST_F(storage_document, DeletingEveryDocumentEmptiesStore) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  ASSERT_TRUE(store_->IngestDocument(DocB()).ok());
  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());
  ASSERT_TRUE(store_->DeleteDocument("doc-b").ok());
  ExpectTotals(0, 0, 0, 0);
  for (const char* name : {"Alice Smith", "Alice", "Acme Corp", "Paris", "Bob Jones"}) {
    auto ids = store_->FindByName(name);
    ASSERT_TRUE(ids.ok());
    EXPECT_TRUE(ids->empty()) << name;
  }
  int edges = 0;
  ASSERT_TRUE(store_->ScanAllOutEdges([&](const Edge&) {
                       ++edges;
                       return true;
                     }).ok());
  EXPECT_EQ(edges, 0);
  int names = 0;
  ASSERT_TRUE(store_->ScanNamePrefix("", [&](std::string_view, EntityId) {
                       ++names;
                       return true;
                     }).ok());
  EXPECT_EQ(names, 0);
  ExpectVerifyOk();
}

TEST_F(storage_document, DeleteUnknownDocumentIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteDocument("nope")));
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteDocument("doc-b")));
  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteDocument("doc-a"))) << "second delete";
  ExpectTotals(0, 0, 0, 0);
}

// Opens a checkpoint with plain RocksDB and counts the keys of each family
// (merge operators installed so unmerged counters read back).
std::map<std::string, int64_t> RawKeyCounts(const std::string& path) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) {
    rocksdb::ColumnFamilyOptions o;
    if (n == kOutEdgesCf || n == kInEdgesCf) {
      o.merge_operator = std::make_shared<EdgeStatsMergeOperator>();
    } else if (n == kCountersCf || n == kNamesCf || n == kEntitiesCf) {
      o.merge_operator = std::make_shared<Int64AddOperator>();
    }
    cfs.emplace_back(n, o);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, cfs, &handles, &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::map<std::string, int64_t> counts;
  if (!s.ok()) return counts;
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < handles.size(); ++i) {
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, handles[i]));
    int64_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    EXPECT_TRUE(it->status().ok()) << names[i] << ": " << it->status().ToString();
    counts[names[i]] = n;
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return counts;
}

TEST_F(storage_document, CheckpointAfterDeletingEverythingHasNoLeftoverKeys) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  ASSERT_TRUE(store_->IngestDocument(DocB()).ok());
  ASSERT_TRUE(store_->DeleteDocument("doc-b").ok());
  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());
  const std::string cp = dir_.Sub("checkpoint");
  ASSERT_TRUE(store_->Checkpoint(cp).ok());

  {  // The checkpoint opens as a store and is empty through the API.
    auto copy = GraphStore::Open(cp, StoreOptions{.create_if_missing = false, .read_only = true});
    ASSERT_TRUE(copy.ok()) << copy.status();
    auto st = (*copy)->GetStats();
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(st->entities, 0);
    EXPECT_EQ(st->edges, 0);
    EXPECT_EQ(st->evidence, 0);
    EXPECT_EQ(st->documents, 0);
    for (const auto& r : st->relations) EXPECT_EQ(r.edges, 0) << r.name;
    for (const char* name : {"Alice Smith", "Alice", "Acme Corp", "Paris", "Bob Jones", "Smith"}) {
      auto ids = (*copy)->FindByName(name);
      ASSERT_TRUE(ids.ok());
      EXPECT_TRUE(ids->empty()) << name;
    }
  }
  // Raw keys: only the schema stamp and the relation registry may remain.
  auto counts = RawKeyCounts(cp);
  for (const auto& [family, n] : counts) {
    if (family == kMetaCf) {
      EXPECT_EQ(n, 2) << "meta: format tag and schema version";
    } else if (family == kRelationsCf) {
      EXPECT_LE(n, 2) << "relation registry (names only)";
    } else {
      EXPECT_EQ(n, 0) << "leftover keys in column family '" << family << "'";
    }
  }
  EXPECT_EQ(counts.size(), 9u);
}

// ---- Cross-document alias resolution ----

TEST_F(storage_document, LaterDocumentResolvesAliasToExistingEntity) {
  DocumentInput d1;
  d1.doc_id = "d1";
  d1.entities = {{"Huawei Technologies", "ORG", {"Huawei"}, 1, {}}, {"Shenzhen", "GPE", {}, 1, {}}};
  d1.triples = {Triple("Huawei Technologies", "headquartered_in", "Shenzhen", 0.9, "s1")};
  ASSERT_TRUE(store_->IngestDocument(d1).ok());
  const EntityId huawei = IdOf("Huawei Technologies");

  DocumentInput d2;
  d2.doc_id = "d2";
  d2.entities = {{"Huawei", "ORG", {}, 2, {}}, {"Ren Zhengfei", "PERSON", {}, 1, {}}};
  d2.triples = {Triple("Ren Zhengfei", "founded", "Huawei", 0.8, "s2")};
  auto r = store_->IngestDocument(d2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->entities_created, 1) << "only Ren Zhengfei is new";

  EXPECT_EQ(IdOf("Huawei"), huawei);
  EXPECT_EQ(IdOf("Huawei Technologies"), huawei);
  auto e = store_->GetEntity(huawei);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->name, "Huawei Technologies");
  EXPECT_EQ(e->mentions, 3);
  EXPECT_EQ(e->in_degree, 1);
  EXPECT_EQ(e->out_degree, 1);
  EXPECT_TRUE(store_->GetEdge({IdOf("Ren Zhengfei"), Rel("founded"), huawei}).ok());
  ExpectTotals(3, 2, 2, 2);
  ExpectVerifyOk();
}

// Regression (was a bug in storage/document_write.cc, fixed by giving the record name its own reference):
// the name index holds one reference per document that used a spelling, so
// when d1 (which named the entity "Huawei Technologies") is deleted and only
// d2 (which said "Huawei") remains, the entity keeps its record name "Huawei
// Technologies" but FindByName("Huawei Technologies") returns nothing,
// breaking FindByName's contract ("ids whose name or alias has NameKey(name)").
TEST_F(storage_document, EntityNameStaysFindableAfterDeletingTheDocumentThatNamedIt) {
  DocumentInput d1;
  d1.doc_id = "d1";
  d1.entities = {{"Huawei Technologies", "ORG", {"Huawei"}, 1, {}}};
  ASSERT_TRUE(store_->IngestDocument(d1).ok());
  const EntityId huawei = IdOf("Huawei Technologies");
  DocumentInput d2;
  d2.doc_id = "d2";
  d2.entities = {{"Huawei", "ORG", {}, 1, {}}};
  ASSERT_TRUE(store_->IngestDocument(d2).ok());
  ASSERT_EQ(IdOf("Huawei"), huawei);

  ASSERT_TRUE(store_->DeleteDocument("d1").ok());
  auto e = store_->GetEntity(huawei);
  ASSERT_TRUE(e.ok()) << "d2 still mentions the entity";
  auto by_name = store_->FindByName(e->name);
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(*by_name, std::vector<EntityId>{huawei})
      << "GetEntity says the name is '" << e->name << "' but FindByName cannot find it";
  auto by_alias = store_->FindByName("Huawei");
  ASSERT_TRUE(by_alias.ok());
  EXPECT_EQ(*by_alias, std::vector<EntityId>{huawei});
  ExpectVerifyOk();
}

TEST_F(storage_document, AliasResolutionSkipsEntityOfConflictingType) {
  DocumentInput d1;
  d1.doc_id = "d1";
  d1.entities = {{"Jordan River", "GPE", {"Jordan"}, 1, {}}};
  ASSERT_TRUE(store_->IngestDocument(d1).ok());
  DocumentInput d2;
  d2.doc_id = "d2";
  d2.entities = {{"Jordan", "PERSON", {}, 1, {}}};
  ASSERT_TRUE(store_->IngestDocument(d2).ok());
  auto ids = store_->FindByName("Jordan");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 2u) << "a PERSON must not merge into a GPE";
  ExpectTotals(2, 0, 0, 2);
  ExpectVerifyOk();
}

// ---- Evidence paging and concurrency ----

TEST_F(storage_document, EvidenceScanResumesAfterCursor) {
  for (int i = 0; i < 4; ++i) {
    DocumentInput d = DocB();
    d.doc_id = "page-" + std::to_string(i);
    d.triples.resize(1);
    d.triples[0].sentence = "sentence " + std::to_string(i);
    ASSERT_TRUE(store_->IngestDocument(d).ok());
  }
  const EdgeKey e{IdOf("Alice Smith"), Rel("works_for"), IdOf("Acme Corp")};
  std::vector<Evidence> all = EvidenceOf(e);
  ASSERT_EQ(all.size(), 4u);
  // Page through two at a time.
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 3; ++page) {
    int n = 0;
    ASSERT_TRUE(store_->ScanEvidence(e, cursor, [&](const Evidence& ev) {
                         paged.push_back(ev.doc_id);
                         cursor = ev.cursor;
                         return ++n < 2;
                       }).ok());
  }
  ASSERT_EQ(paged.size(), 4u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i], all[i].doc_id);
  // A cursor of another edge is rejected.
  const EdgeKey other{IdOf("Bob Jones"), Rel("works_for"), IdOf("Acme Corp")};
  absl::Status s = store_->ScanEvidence(other, all[0].cursor, [](const Evidence&) { return true; });
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->ScanEvidence(e, "short", [](const Evidence&) { return true; })));
}

// DocB's first triple alone, located: "Smith joined Acme." at byte 100 of
// the document, "Smith" [100, 105) (as if it had been "he"), "Acme" [113, 117).
DocumentInput DocBWithMentionSpans() {
  DocumentInput d = DocB();
  d.triples.resize(1);
  d.triples[0].start = 100;
  d.triples[0].end = 118;
  d.triples[0].subject_mention = {100, 105, "he"};
  d.triples[0].object_mention = {113, 117, ""};
  return d;
}

// The arguments' mention spans (and what coreference resolved) come back
// with the evidence; triples without them read back 0/0; spans outside the
// sentence, or a resolved form without offsets, are refused by field.
TEST_F(storage_document, EvidenceKeepsTheArgumentsMentionSpans) {
  DocumentInput d = DocBWithMentionSpans();
  ASSERT_TRUE(store_->IngestDocument(d).ok());
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  const EdgeKey e{IdOf("Alice Smith"), Rel("works_for"), IdOf("Acme Corp")};
  std::vector<Evidence> all = EvidenceOf(e);
  ASSERT_EQ(all.size(), 2u);
  const Evidence& with = all[0].doc_id == "doc-b" ? all[0] : all[1];
  const Evidence& without = all[0].doc_id == "doc-b" ? all[1] : all[0];
  EXPECT_EQ(with.subject_mention.start, 100u);
  EXPECT_EQ(with.subject_mention.end, 105u);
  EXPECT_EQ(with.subject_mention.resolved_from, "he");
  EXPECT_EQ(with.object_mention.start, 113u);
  EXPECT_EQ(with.object_mention.end, 117u);
  EXPECT_EQ(with.object_mention.resolved_from, "");
  EXPECT_EQ(without.subject_mention.end, 0u);
  EXPECT_EQ(without.object_mention.end, 0u);

  // Re-ingesting the same document is still a no-op; changing a span alone
  // replaces it.
  absl::StatusOr<IngestResult> again = store_->IngestDocument(d);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->unchanged);
  d.triples[0].subject_mention.resolved_from = "the manager";
  again = store_->IngestDocument(d);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replaced);

  struct Bad {
    MentionSpan span;
    const char* says;
  };
  for (const Bad& bad : {Bad{{90, 105, ""}, "not inside the sentence"},
                         Bad{{110, 119, ""}, "not inside the sentence"},
                         Bad{{105, 105, ""}, "not inside the sentence"},
                         Bad{{0, 0, "it"}, "resolved_from without offsets"},
                         Bad{{100, 105, std::string(300, 'x')}, "at most 256 bytes"},
                         Bad{{100, 105, "\xff"}, "valid UTF-8"}}) {
    DocumentInput b = d;
    b.doc_id = "bad";
    b.triples[0].object_mention = bad.span;
    absl::Status st = store_->IngestDocument(b).status();
    EXPECT_TRUE(absl::IsInvalidArgument(st)) << st;
    EXPECT_NE(st.message().find("triples[0].object_mention"), std::string::npos) << st;
    EXPECT_NE(st.message().find(bad.says), std::string::npos) << st;
  }
}

// verify reads every evidence record and reports a mention span outside its
// sentence (written here behind the store's back, with plain RocksDB).
TEST_F(storage_document, VerifyReportsAMentionOutsideItsSentence) {
  DocumentInput d = DocBWithMentionSpans();
  ASSERT_TRUE(store_->IngestDocument(d).ok());
  ExpectVerifyOk();
  const std::string path = store_->path();
  store_.reset();
  {
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, cfs, &handles, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* evidence = nullptr;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == kEvidenceCf) evidence = handles[i];
    }
    ASSERT_NE(evidence, nullptr);
    rocksdb::ReadOptions ro;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, evidence));
    it->SeekToFirst();
    ASSERT_TRUE(it->Valid());
    EvidenceRecord rec;
    ASSERT_TRUE(rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())));
    rec.set_subject_end(200);  // past the sentence's end at 118
    const std::string key = it->key().ToString();
    it.reset();
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), evidence, key, rec.SerializeAsString()).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
  auto reopened = GraphStore::Open(path, StoreOptions{});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<VerifyReport> report = (*reopened)->Verify();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->ok());
  bool named = false;
  for (const std::string& p : report->problems) {
    named |= p.find("subject mention [100, 200) outside its sentence [100, 118)") != std::string::npos;
  }
  EXPECT_TRUE(named) << ::testing::PrintToString(report->problems);
  store_ = std::move(*reopened);
}

TEST_F(storage_document, ConcurrentIngestAndDeleteKeepCountersExact) {
  constexpr int kThreads = 4;
  constexpr int kDocsPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kDocsPerThread; ++i) {
        DocumentInput d;
        d.doc_id = "t" + std::to_string(t) + "-" + std::to_string(i);
        d.date = "2023-01-0" + std::to_string(1 + i % 9);
        // Shared hub entity and relation, plus per-thread and per-doc ones.
        d.triples = {Triple("Hub", "links", "Node " + std::to_string(i), 0.5, "s"),
                     Triple("Thread " + std::to_string(t), "links", "Hub", 0.5, "s")};
        EXPECT_TRUE(store_->IngestDocument(d).ok());
        if (i % 5 == 4) {
          EXPECT_TRUE(store_->DeleteDocument(d.doc_id).ok());
        }
        (void)store_->GetStats();
        (void)store_->FindByName("Hub");
      }
    });
  }
  for (auto& th : threads) th.join();
  // Per thread: docs i%5!=4 survive (20 of 25); nodes i in those docs.
  const int64_t docs = kThreads * (kDocsPerThread - kDocsPerThread / 5);
  // Entities: Hub, 4 threads, Node i for the 20 surviving i values.
  ExpectTotals(1 + kThreads + 20, 20 + kThreads, 2 * docs, docs);
  ExpectVerifyOk();
}

// ---- Input validation and persistence ----

TEST_F(storage_document, RejectsInvalidDocuments) {
  DocumentInput empty_id = DocA();
  empty_id.doc_id = "";
  EXPECT_TRUE(absl::IsInvalidArgument(store_->IngestDocument(empty_id).status()));
  DocumentInput bad_conf = DocA();
  bad_conf.triples[0].confidence = 1.5;
  EXPECT_TRUE(absl::IsInvalidArgument(store_->IngestDocument(bad_conf).status()));
  DocumentInput no_letters = DocA();
  no_letters.entities[0].name = "!!!";
  EXPECT_TRUE(absl::IsInvalidArgument(store_->IngestDocument(no_letters).status()));
  ExpectTotals(0, 0, 0, 0);
}

TEST_F(storage_document, ReopenAfterCloseKeepsAllData) {
  ASSERT_TRUE(store_->IngestDocument(DocA()).ok());
  ASSERT_TRUE(store_->IngestDocument(DocB()).ok());
  ASSERT_TRUE(store_->DeleteDocument("doc-a").ok());
  const std::string before = DumpStore(*store_);
  store_.reset();
  auto reopened = GraphStore::Open(dir_.Sub("db"), StoreOptions{});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  EXPECT_EQ(DumpStore(*store_), before);
  auto has_b = store_->HasDocument("doc-b");
  ASSERT_TRUE(has_b.ok());
  EXPECT_TRUE(*has_b);
  // Relations registered before the close are known after it.
  EXPECT_TRUE(store_->FindRelation("works_for").ok());
  ExpectVerifyOk();
}

}  // namespace
}  // namespace kgraph::storage
