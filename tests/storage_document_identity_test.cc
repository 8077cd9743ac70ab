// Document identity in the store: the text index (the same article under a
// second id is reported, not stored twice), source manifests (a re-read
// source retracts the articles it lost), the document catalog, and id
// validation.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

using ::kgraph::testing::TempDir;

DocumentInput Article(const std::string& id, const std::string& source, uint64_t text_hash,
                      const std::string& subject, const std::string& object) {
  DocumentInput d;
  d.doc_id = id;
  d.source = source;
  d.text_hash = text_hash;
  d.content_hash = text_hash;
  d.title = "About " + subject;
  TripleInput t;
  t.subject = subject;
  t.relation = "acquires";
  t.object = object;
  t.confidence = 0.9;
  t.sentence = subject + " buys " + object + ".";
  d.triples = {t};
  return d;
}

class DocumentIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = GraphStore::Open(dir_.Sub("db"), StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }
  void ExpectVerifies() {
    auto v = store_->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << ::testing::PrintToString(v->problems);
  }
  std::vector<std::string> Ids(std::string_view source = {}) {
    auto docs = store_->ListDocuments("", 100, source);
    EXPECT_TRUE(docs.ok()) << docs.status();
    std::vector<std::string> ids;
    if (docs.ok()) {
      for (const auto& d : *docs) ids.push_back(d.doc_id);
    }
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<GraphStore> store_;
};
using storage_document_identity = DocumentIdentityTest;

TEST_F(storage_document_identity, SameTextUnderAnotherIdIsReportedNotStoredTwice) {
  auto first = store_->IngestDocument(Article("a.txt#1", "/in/a.txt", 42, "Orion", "Lark"));
  ASSERT_TRUE(first.ok()) << first.status();
  auto copy = store_->IngestDocument(Article("b.txt#1", "/in/b.txt", 42, "Orion", "Lark"));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->duplicate_of, "a.txt#1");
  EXPECT_EQ(copy->evidence_written, 0);
  auto stats = store_->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->documents, 1);
  EXPECT_EQ(stats->evidence, 1) << "evidence doubled";
  EXPECT_EQ(Ids(), std::vector<std::string>{"a.txt#1"});
  // Once the holder is gone, the text may be stored under the other id.
  ASSERT_TRUE(store_->DeleteDocument("a.txt#1").ok());
  auto again = store_->IngestDocument(Article("b.txt#1", "/in/b.txt", 42, "Orion", "Lark"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate_of.empty());
  EXPECT_EQ(again->evidence_written, 1);
  ExpectVerifies();
}

TEST_F(storage_document_identity, ReplacedDocumentFreesItsOldText) {
  ASSERT_TRUE(store_->IngestDocument(Article("a#1", "/in/a", 1, "Orion", "Lark")).ok());
  auto replaced = store_->IngestDocument(Article("a#1", "/in/a", 2, "Orion", "Hale"));
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->replaced);
  // Text 1 is no longer stored anywhere, so another document may hold it.
  auto other = store_->IngestDocument(Article("c#1", "/in/c", 1, "Orion", "Lark"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->duplicate_of.empty());
  // Text 2 is held by a#1.
  auto dup = store_->IngestDocument(Article("d#1", "/in/d", 2, "Orion", "Hale"));
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->duplicate_of, "a#1");
  ExpectVerifies();
}

TEST_F(storage_document_identity, ReconcileRetractsExactlyTheArticlesASourceLost) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store_
                    ->IngestDocument(Article("p#" + std::to_string(i), "/in/page.txt",
                                             100 + i, "Buyer" + std::to_string(i), "Target"))
                    .ok());
  }
  ASSERT_TRUE(store_->IngestDocument(Article("q#0", "/in/other.txt", 200, "Else", "Target")).ok());
  EXPECT_EQ(Ids("/in/page.txt"), (std::vector<std::string>{"p#0", "p#1", "p#2"}));
  // The page was re-read and p#1 is no longer on it.
  auto gone = store_->ReconcileSource("/in/page.txt", {"p#0", "p#2"});
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_EQ(*gone, std::vector<std::string>{"p#1"});
  EXPECT_EQ(Ids(), (std::vector<std::string>{"p#0", "p#2", "q#0"}));
  EXPECT_EQ(Ids("/in/page.txt"), (std::vector<std::string>{"p#0", "p#2"}));
  auto buyer1 = store_->FindByName("Buyer1");
  ASSERT_TRUE(buyer1.ok());
  EXPECT_TRUE(buyer1->empty()) << "the lost article's entity must be retracted";
  // Reconciling again changes nothing; another source is untouched.
  auto again = store_->ReconcileSource("/in/page.txt", {"p#0", "p#2"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(Ids("/in/other.txt"), std::vector<std::string>{"q#0"});
  ExpectVerifies();
}

TEST_F(storage_document_identity, DeletedDocumentLeavesItsManifest) {
  ASSERT_TRUE(store_->IngestDocument(Article("p#0", "/in/page.txt", 7, "Orion", "Lark")).ok());
  ASSERT_TRUE(store_->DeleteDocument("p#0").ok());
  EXPECT_TRUE(Ids("/in/page.txt").empty());
  auto gone = store_->ReconcileSource("/in/page.txt", {});
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->empty());
}

TEST_F(storage_document_identity, CatalogListsPagesAndShowsOneDocument) {
  for (const char* id : {"c", "a", "b"}) {
    ASSERT_TRUE(store_->IngestDocument(Article(id, "/in/x", 0, std::string("N") + id, "T")).ok());
  }
  auto page = store_->ListDocuments("", 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].doc_id, "a");
  EXPECT_EQ((*page)[1].doc_id, "b");
  auto next = store_->ListDocuments("b", 2);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].doc_id, "c");
  auto info = store_->GetDocument("a");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->source, "/in/x");
  EXPECT_EQ(info->evidence, 1);
  EXPECT_EQ(info->title, "About Na");
  EXPECT_TRUE(absl::IsNotFound(store_->GetDocument("zz").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->GetDocument(std::string("\0h", 2)).status()));
}

TEST_F(storage_document_identity, BadIdsAndSourcesAreRejectedNamingTheField) {
  DocumentInput d = Article(std::string("bad\0id", 6), "", 0, "Orion", "Lark");
  auto r = store_->IngestDocument(d);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(r.status()));
  EXPECT_NE(r.status().message().find("doc_id:"), std::string::npos) << r.status();
  d = Article(std::string(2000, 'x'), "", 0, "Orion", "Lark");
  r = store_->IngestDocument(d);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("exceeds the limit of 1024"), std::string::npos);
  EXPECT_LT(r.status().message().size(), 200u) << "the id must not be echoed whole";
  d = Article("ok", "/in/\n", 0, "Orion", "Lark");
  r = store_->IngestDocument(d);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("source:"), std::string::npos) << r.status();
}

}  // namespace
}  // namespace kgraph::storage
