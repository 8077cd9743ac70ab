// Budgets over a generated supernode (200k edges): fan-out caps return the
// heaviest edges, budgets truncate or fail RESOURCE_EXHAUSTED, a huge query
// hits its deadline instead of hanging the server, the default budgets bound
// the edges, memory and CPU of every call, a supernode's listing scans its
// edges once rather than once per page, and forged page tokens are refused.
#include <random>
#include <set>

#include "absl/strings/escaping.h"
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

// ---- Bounded reads (issue #10) ----

TEST_F(server_budget, DefaultBudgetsBoundWeightedPathSearches) {
  const server::ServerOptions defaults;
  for (v1::PathMode mode : {v1::K_SHORTEST, v1::ALL_SIMPLE, v1::SHORTEST}) {
    for (bool max_limits : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "mode " << mode << " max limits " << max_limits);
      v1::FindPathsRequest request;
      *request.mutable_source() = ByName("leaf000001");
      *request.mutable_target() = ByName("leaf199999");
      request.set_mode(mode);
      request.set_weight(v1::NEGATIVE_LOG_CONFIDENCE);
      request.set_k(50);
      if (max_limits) {  // what a hostile client asks for: capped at the server maximum
        request.mutable_limits()->set_max_expanded_edges(int64_t{1} << 40);
        request.mutable_limits()->set_max_visited_nodes(int64_t{1} << 40);
        request.mutable_limits()->set_max_memory_bytes(int64_t{1} << 40);
      }
      v1::FindPathsResponse response;
      grpc::Status status = sut_->graph->FindPaths(Ctx(60'000).get(), request, &response);
      if (!max_limits && status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        // The distance map from the target holds every leaf: more than the
        // default node budget, and the reply says which budget to raise.
        EXPECT_NE(status.error_message().find("max_visited_nodes"), std::string::npos)
            << status.error_message();
        continue;
      }
      ASSERT_TRUE(status.ok()) << status.error_message();
      ASSERT_FALSE(response.paths().empty());
      EXPECT_EQ(response.paths(0).edges_size(), 2);
      const int64_t edges = max_limits ? defaults.max_expanded_edges : defaults.default_expanded_edges;
      const int64_t memory =
          max_limits ? defaults.max_call_memory_bytes : defaults.default_call_memory_bytes;
      EXPECT_LE(response.cost().edges_scanned(), edges);
      EXPECT_GT(response.cost().memory_bytes(), 0);
      EXPECT_LE(response.cost().memory_bytes(), memory);
    }
  }
}

TEST_F(server_budget, MemoryBudgetTruncatesPathSearch) {
  // Weighted shortest paths through the hub hold its 200k-edge adjacency
  // and a state per leaf: a 1 MB budget cannot, and says so.
  v1::FindPathsRequest request;
  *request.mutable_source() = ByName("leaf000001");
  *request.mutable_target() = ByName("leaf199999");
  request.set_weight(v1::INVERSE_CONFIDENCE);
  request.mutable_limits()->set_max_memory_bytes(1 << 20);
  v1::FindPathsResponse response;
  grpc::Status status = sut_->graph->FindPaths(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_NE(status.error_message().find("max_memory"), std::string::npos) << status.error_message();
  request.mutable_limits()->set_max_memory_bytes(-1);
  status = sut_->graph->FindPaths(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("limits.max_memory_bytes"), std::string::npos);
}

TEST_F(server_budget, MemoryBudgetTruncatesNeighborhood) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.set_max_edges_per_node(100'000);
  request.mutable_limits()->set_max_memory_bytes(2 << 20);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.truncated(), v1::MAX_MEMORY);
  EXPECT_LE(response.cost().memory_bytes(), 2 << 20);
  EXPECT_GT(response.nodes_size(), 1);
}

// Every page of the hub's listing: nodes, and the edges the call scanned.
struct Listing {
  std::vector<std::string> names;
  std::vector<int64_t> scanned;
  std::string last_token;
};

Listing ListHub(v1::GraphService::Stub* stub, int pages, int page_size, int fan_out = 1000) {
  Listing out;
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.set_max_edges_per_node(fan_out);
  request.set_page_size(page_size);
  for (int i = 0; i < pages; ++i) {
    v1::GetNeighborsResponse response;
    grpc::Status status = stub->GetNeighbors(Ctx().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const auto& n : response.nodes()) out.names.push_back(n.entity().name());
    out.scanned.push_back(response.cost().edges_scanned());
    out.last_token = response.next_page_token();
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return out;
}

TEST_F(server_budget, SupernodePagesScanItsEdgesOnce) {
  // Top 1000 of 200k edges, 100 per page: the first page ranks them all,
  // every later page comes from that ranking and scans nothing.
  Listing listing = ListHub(sut_->graph.get(), 100, 100);
  ASSERT_EQ(listing.scanned.size(), 11u);  // 1001 nodes (hub + 1000) in pages of 100
  EXPECT_TRUE(listing.last_token.empty());
  EXPECT_EQ(listing.scanned[0], kLeaves);
  for (size_t i = 1; i < listing.scanned.size(); ++i) {
    EXPECT_EQ(listing.scanned[i], 0) << "page " << i;
  }
  EXPECT_EQ(listing.names.size(), 1001u);
  EXPECT_EQ(std::set<std::string>(listing.names.begin(), listing.names.end()).size(), 1001u);
  EXPECT_EQ(listing.names[1], "leaf005000");  // heaviest first, as on a recomputed page
}

TEST_F(server_budget, LargestFanOutListingIsCachedByDefault) {
  // The largest fan-out (100k of the hub's 200k edges), 1000 per page: a
  // result of about 10 MB, which the default cache must hold.
  Listing listing = ListHub(sut_->graph.get(), 4, 1000, 100'000);
  ASSERT_EQ(listing.scanned.size(), 4u);
  EXPECT_EQ(listing.scanned[0], kLeaves);
  for (size_t i = 1; i < listing.scanned.size(); ++i) {
    EXPECT_EQ(listing.scanned[i], 0) << "page " << i;
  }
  EXPECT_EQ(std::set<std::string>(listing.names.begin(), listing.names.end()).size(), 4000u);
}

TEST_F(server_budget, SupernodePagesAfterAWriteAreRecomputed) {
  Listing before = ListHub(sut_->graph.get(), 2, 100);
  ASSERT_EQ(before.scanned.size(), 2u);
  // A write anywhere makes the cached ranking stale: the next page scans again.
  v1::UpsertTriplesRequest upsert;
  auto* t = upsert.add_triples();
  t->set_subject("Island");
  t->set_relation("links");
  t->set_object("Islet two");
  upsert.set_source("page-test");
  v1::UpsertTriplesResponse upserted;
  ASSERT_TRUE(sut_->ingest->UpsertTriples(Ctx().get(), upsert, &upserted).ok());
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.set_max_edges_per_node(1000);
  request.set_page_size(100);
  request.set_page_token(before.last_token);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.cost().edges_scanned(), kLeaves);
  EXPECT_EQ(response.nodes_size(), 100);
  // The keyset cursor still continues where the last page stopped.
  std::set<std::string> seen(before.names.begin(), before.names.end());
  for (const auto& n : response.nodes()) EXPECT_FALSE(seen.count(n.entity().name()));
}

TEST_F(server_budget, ForgedPageTokensAreInvalidArgument) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Hub");
  request.set_max_edges_per_node(1000);
  request.set_page_size(10);
  v1::GetNeighborsResponse first;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(first.next_page_token(), &raw));

  auto call = [&](const std::string& token) {
    v1::GetNeighborsRequest r = request;
    r.set_page_token(token);
    v1::GetNeighborsResponse response;
    return sut_->graph->GetNeighbors(Ctx().get(), r, &response);
  };
  std::vector<std::string> forged = {
      "!!!not base64!!!",
      absl::WebSafeBase64Escape("short"),
      absl::WebSafeBase64Escape(std::string(1, '\x7f') + raw.substr(1)),  // unknown version
      absl::WebSafeBase64Escape(raw.substr(0, raw.size() - 1)),          // cursor cut short
      absl::WebSafeBase64Escape(raw + "x"),                               // cursor too long
      std::string(100'000, 'A'),
  };
  for (const std::string& token : forged) {
    grpc::Status status = call(token);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token.substr(0, 40);
    EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
    EXPECT_LT(status.error_message().size(), 300u);
  }
  // A token of another request (another fan-out) is refused too.
  v1::GetNeighborsRequest other = request;
  other.set_max_edges_per_node(999);
  other.set_page_token(first.next_page_token());
  v1::GetNeighborsResponse response;
  EXPECT_EQ(sut_->graph->GetNeighbors(Ctx().get(), other, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Random mutations of a real token: refused or a valid position, never a crash.
  std::mt19937 rng(17);
  for (int i = 0; i < 200; ++i) {
    std::string mutated = raw;
    mutated[rng() % mutated.size()] = static_cast<char>(rng());
    grpc::Status status = call(absl::WebSafeBase64Escape(mutated));
    EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        << status.error_message();
  }
}

TEST(server_budget_cpu, CpuBudgetTruncatesACall) {
  const std::string dir = MakeTempDir("cpu");
  auto store = OpenStore(dir);
  std::vector<storage::BulkTriple> triples;
  for (int i = 0; i < 50'000; ++i) {
    triples.push_back({"Hub", "links", absl::StrFormat("leaf%06d", i), 0.9});
    triples.push_back({absl::StrFormat("leaf%06d", i), "links", "Sink", 0.9});
  }
  ASSERT_TRUE(store->BulkLoad(triples, "cpu", 3).ok());
  server::ServerOptions options = TestServerOptions();
  options.max_call_cpu = absl::Milliseconds(1);
  {
    auto sut = ServerUnderTest::Start(std::move(store), options);
    ASSERT_NE(sut, nullptr);
    // Two hops from the hub visit 50k leaves and scan 150k edges: far more
    // than 1 ms of work, and within every other budget.
    v1::GetNeighborsRequest request;
    *request.mutable_entity() = ByName("Hub");
    request.set_hops(2);
    request.set_max_edges_per_node(100'000);
    request.mutable_limits()->set_max_expanded_edges(int64_t{1} << 40);
    request.mutable_limits()->set_max_visited_nodes(int64_t{1} << 40);
    request.mutable_limits()->set_max_memory_bytes(int64_t{1} << 40);
    v1::GetNeighborsResponse response;
    grpc::Status status = sut->graph->GetNeighbors(Ctx(60'000).get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.truncated(), v1::MAX_CPU_TIME);
    EXPECT_LT(response.cost().edges_scanned(), 150'000);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kgraph::testing
