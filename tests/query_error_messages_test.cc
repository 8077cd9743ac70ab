// Error messages echo user input cut short: a 100 KB name in a lookup must
// not turn a NOT_FOUND into a 100 KB reply (gRPC then fails it as
// RESOURCE_EXHAUSTED) or a multi-MB log line.
#include <string>

#include <gtest/gtest.h>

#include "query/entity_lookup.h"
#include "storage/graph_store.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::query {
namespace {

constexpr size_t kMaxMessage = 400;

class ErrorMessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = storage::GraphStore::Open(dir_.Sub("db"), storage::StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    ASSERT_TRUE(store_->BulkLoad({{"Ada", "knows", "Charles"}}, "base", 1).ok());
  }
  testing::TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};
using query_error_messages = ErrorMessagesTest;

TEST_F(query_error_messages, UnknownHugeNameIsNotFoundWithAShortMessage) {
  const std::string huge(100'000, 'q');
  auto r = ResolveEntity(*store_, EntityName{std::nullopt, huge}, "source");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status().code();
  EXPECT_LT(r.status().message().size(), kMaxMessage);
  EXPECT_NE(r.status().message().find("(100000 bytes)"), std::string::npos)
      << r.status().message();
}

TEST_F(query_error_messages, UnknownHugeRelationAndDocumentAreShort) {
  const std::string huge(100'000, 'r');
  auto rel = store_->FindRelation(huge);
  ASSERT_TRUE(absl::IsNotFound(rel.status()));
  EXPECT_LT(rel.status().message().size(), kMaxMessage);
  absl::Status del = store_->DeleteDocument(std::string(1000, 'd'));
  ASSERT_TRUE(absl::IsNotFound(del));
  EXPECT_LT(del.message().size(), kMaxMessage);
}

}  // namespace
}  // namespace kgraph::query
