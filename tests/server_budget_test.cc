// Budgets over a generated supernode (200k edges): fan-out caps return the
// heaviest edges, budgets truncate or fail RESOURCE_EXHAUSTED, and a huge
// query hits its deadline instead of hanging the server.
#include <set>

#include "absl/strings/str_format.h"
#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

constexpr int kLeaves = 200'000;

class server_budget : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("budget"));
    auto store = OpenStore(*dir_);
    std::vector<storage::BulkTriple> triples;
    triples.reserve(kLeaves + 64);
    for (int i = 0; i < kLeaves; ++i) {
      triples.push_back({"Hub", "links", absl::StrFormat("leaf%06d", i), 1.0});
    }
    // Heavier edges: leafN asserted N+1 more times for N < 5.
    for (int i = 0; i < 5; ++i) {
      for (int j = 0; j <= i; ++j) {
        triples.push_back({"Hub", "links", absl::StrFormat("leaf%06d", 1000 * (i + 1)), 1.0});
      }
    }
    triples.push_back({"Island", "links", "Islet", 1.0});
    auto loaded = store->BulkLoad(triples, "supernode", 7);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    server::ServerOptions options = TestServerOptions();
    sut_ = ServerUnderTest::Start(std::move(store), options).release();
  }
  static void TearDownTestSuite() {
    delete sut_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string* dir_;
  static ServerUnderTest* sut_;
};
std::string* server_budget::dir_ = nullptr;
ServerUnderTest* server_budget::sut_ = nullptr;

TEST_F(server_budget, FanOutCapKeepsHeaviestEdges) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.set_max_edges_per_node(5);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  std::set<std::string> names;
  for (const auto& n : response.nodes()) {
    if (n.hop() == 1) names.insert(n.entity().name());
  }
  EXPECT_EQ(names, (std::set<std::string>{"leaf001000", "leaf002000", "leaf003000", "leaf004000",
                                          "leaf005000"}));
  EXPECT_EQ(response.nodes(1).entity().name(), "leaf005000");  // heaviest first
  EXPECT_EQ(response.truncated(), v1::NOT_TRUNCATED);
  EXPECT_EQ(response.cost().edges_scanned(), kLeaves);
}

TEST_F(server_budget, EdgeBudgetTruncatesWithPartialResult) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.mutable_limits()->set_max_expanded_edges(1000);
  request.set_page_size(10);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.truncated(), v1::MAX_EXPANDED_EDGES);
  EXPECT_EQ(response.nodes_size(), 10);
  EXPECT_FALSE(response.next_page_token().empty());
  EXPECT_LE(response.cost().edges_scanned(), 1000);
}

TEST_F(server_budget, NodeBudgetTruncates) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("leaf000001");
  request.set_hops(2);
  request.mutable_limits()->set_max_visited_nodes(50);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.truncated(), v1::MAX_VISITED_NODES);
  EXPECT_EQ(response.cost().nodes_visited(), 50);
}

TEST_F(server_budget, NothingUsefulIsResourceExhausted) {
  v1::FindPathsRequest request;
  *request.mutable_source() = ByName("leaf000001");
  *request.mutable_target() = ByName("Islet");
  request.mutable_limits()->set_max_expanded_edges(100);
  v1::FindPathsResponse response;
  grpc::Status status = sut_->graph->FindPaths(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
}

TEST_F(server_budget, HugeQueryHitsDeadline) {
  // All simple paths between two leaves through a 200k-edge hub, undirected:
  // the distance map alone scans the whole hub; 20 ms is far too little.
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("leaf000001");
  request.set_hops(3);
  request.mutable_limits()->set_max_expanded_edges(20'000'000);
  request.mutable_limits()->set_max_visited_nodes(1'000'000);
  request.set_max_edges_per_node(100'000);
  v1::GetNeighborsResponse response;
  const absl::Time start = absl::Now();
  grpc::Status status = sut_->graph->GetNeighbors(Ctx(20).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  // The server is still responsive afterwards.
  v1::GetStatsResponse stats;
  EXPECT_TRUE(sut_->graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats).ok());
}

TEST_F(server_budget, ShortestPathThroughSupernode) {
  v1::FindPathsRequest request;
  *request.mutable_source() = ByName("leaf000001");
  *request.mutable_target() = ByName("leaf199999");
  v1::FindPathsResponse response;
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), request, &response).ok());
  ASSERT_EQ(response.paths_size(), 1);
  EXPECT_EQ(response.paths(0).edges_size(), 2);
}

}  // namespace
}  // namespace kgraph::testing
