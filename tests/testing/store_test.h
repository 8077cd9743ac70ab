// StoreTest: a GoogleTest fixture owning a fresh GraphStore in a temp dir,
// with the lookups and whole-store assertions that the storage tests share.
// For tests only; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::testing {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto s = storage::GraphStore::Open(dir_.Sub("db"), storage::StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  // The one entity named `name`; 0 (and a failure) unless exactly one.
  EntityId IdOf(const std::string& name) {
    auto ids = store_->FindByName(name);
    EXPECT_TRUE(ids.ok()) << ids.status();
    EXPECT_EQ(ids->size(), 1u) << "name " << name;
    return ids->empty() ? 0 : ids->front();
  }
  RelationId Rel(const std::string& name) {
    auto r = store_->FindRelation(name);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : 0;
  }
  std::vector<storage::Edge> Edges(EntityId node, storage::Direction dir,
                                   const RelationId* rel = nullptr) {
    std::vector<storage::Edge> out;
    EXPECT_TRUE(store_->ScanEdges(node, dir, rel, [&](const storage::Edge& e) {
                         out.push_back(e);
                         return true;
                       }).ok());
    return out;
  }
  void ExpectVerifyOk() {
    auto v = store_->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->ok()) << ::testing::PrintToString(v->problems);
  }
  void ExpectTotals(int64_t entities, int64_t edges, int64_t evidence, int64_t documents) {
    auto st = store_->GetStats();
    ASSERT_TRUE(st.ok()) << st.status();
    EXPECT_EQ(st->entities, entities) << "entities";
    EXPECT_EQ(st->edges, edges) << "edges";
    EXPECT_EQ(st->evidence, evidence) << "evidence";
    EXPECT_EQ(st->documents, documents) << "documents";
  }

  TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

}  // namespace kgraph::testing
