// Bulk-loads FB15k-237's training split through the triple file reader and
// checks the published sizes. Skipped unless $KGRAPH_SHARED holds the dataset.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"
#include "tools/triple_file_reader.h"

namespace kgraph::storage {
namespace {

TEST(storage_fb15k, BulkLoadOfTrainingSplitHasPublishedSizes) {
  const char* shared = std::getenv("KGRAPH_SHARED");
  if (shared == nullptr || *shared == '\0') GTEST_SKIP() << "KGRAPH_SHARED is not set";
  const std::string dataset = std::string(shared) + "/datasets/fb15k237";
  if (!std::filesystem::exists(dataset + "/train2id.txt") ||
      !std::filesystem::exists(dataset + "/entity2id.txt") ||
      !std::filesystem::exists(dataset + "/relation2id.txt")) {
    GTEST_SKIP() << dataset << " has no train2id.txt/entity2id.txt/relation2id.txt";
  }
  const auto start = std::chrono::steady_clock::now();

  admin::TripleFileContents contents;
  absl::Status read = admin::ReadTripleFile(dataset, admin::TripleFormat::kAuto, 0, &contents);
  ASSERT_TRUE(read.ok()) << read;
  EXPECT_TRUE(contents.errors.empty());
  ASSERT_EQ(contents.triples.size(), 272115u);

  testing::TempDir dir;
  auto store = GraphStore::Open(dir.Sub("db"), StoreOptions{});
  ASSERT_TRUE(store.ok()) << store.status();
  auto r = (*store)->BulkLoad(contents.triples, dataset, contents.content_hash);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->triples, 272115);
  EXPECT_EQ(r->unique_edges, 272115);
  EXPECT_EQ(r->entities, 14505);
  EXPECT_EQ(r->relations, 237);

  auto st = (*store)->GetStats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->entities, 14505);
  EXPECT_EQ(st->edges, 272115);
  EXPECT_EQ(st->evidence, 0);
  EXPECT_EQ(st->documents, 1);
  EXPECT_EQ(st->relations.size(), 237u);
  int64_t per_relation = 0;
  for (const auto& rel : st->relations) per_relation += rel.edges;
  EXPECT_EQ(per_relation, 272115);

  auto v = (*store)->Verify();
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok()) << ::testing::PrintToString(v->problems);
  EXPECT_EQ(v->entities_checked, 14505);
  EXPECT_EQ(v->edges_checked, 272115);

  // Reloading the same files is recognised by their content hash.
  auto again = (*store)->BulkLoad(contents.triples, dataset, contents.content_hash);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_loaded);

  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(secs, 30.0) << "FB15k-237 load + verify should take a few seconds";
  RecordProperty("seconds", std::to_string(secs));
}

}  // namespace
}  // namespace kgraph::storage
