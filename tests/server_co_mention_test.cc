// Co-mentions over gRPC: left out of GetNeighbors, FindPaths and GetSubgraph
// unless EdgeFilter.include_co_mentions asks for them, marked
// Edge.co_mention, shown with their document count as weight and no
// confidence, also for a store written before co-mentions lost the 1.0
// confidence they used to carry.
#include <set>

#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

storage::TripleInput Triple(const std::string& s, const std::string& rel, const std::string& o,
                            double confidence) {
  storage::TripleInput t;
  t.subject = s;
  t.relation = rel;
  t.object = o;
  t.confidence = confidence;
  t.rule = "test";
  t.sentence = s + " met " + o;
  return t;
}

class server_co_mention : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(MakeTempDir("comention"));
    auto store = OpenStore(*dir_);
    for (int i = 0; i < 4; ++i) {  // Acme and Bolt named together in 4 documents
      storage::DocumentInput doc;
      doc.doc_id = "doc" + std::to_string(i);
      doc.entities = {{"Acme", "ORG", {}, 1, {}}, {"Bolt", "ORG", {}, 1, {}},
                      {"Cara", "PERSON", {}, 1, {}}};
      doc.triples = {Triple("Acme", "co_mentioned", "Bolt", 1.0)};
      if (i == 0) doc.triples.push_back(Triple("Cara", "works_for", "Acme", 0.8));
      ASSERT_TRUE(store->IngestDocument(doc).ok());
    }
    // What an older store holds: a co-mention edge with confidence 1.0.
    ASSERT_TRUE(store->BulkLoad({{"Old One", "co_mentioned", "Old Two", 1.0}}, "old", 1).ok());
    sut_ = ServerUnderTest::Start(std::move(store)).release();
  }
  static void TearDownTestSuite() {
    delete sut_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::set<std::string> NeighborNames(const std::string& name, bool include) {
    v1::GetNeighborsRequest request;
    *request.mutable_entity() = ByName(name);
    request.mutable_filter()->set_include_co_mentions(include);
    v1::GetNeighborsResponse response;
    grpc::Status status = sut_->graph->GetNeighbors(Ctx().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::set<std::string> out;
    for (const auto& n : response.nodes()) {
      if (n.hop() == 1) out.insert(n.entity().name());
    }
    for (const v1::Edge& e : response.edges()) {
      EXPECT_EQ(e.co_mention(), e.relation() == "co_mentioned");
      if (e.co_mention()) {
        EXPECT_EQ(e.properties().confidence_mean(), 0);
        EXPECT_EQ(e.properties().confidence_max(), 0);
      }
    }
    return out;
  }
  static std::string* dir_;
  static ServerUnderTest* sut_;
};
std::string* server_co_mention::dir_ = nullptr;
ServerUnderTest* server_co_mention::sut_ = nullptr;

TEST_F(server_co_mention, NeighborsAskForThem) {
  EXPECT_EQ(NeighborNames("Acme", false), (std::set<std::string>{"Cara"}));
  EXPECT_EQ(NeighborNames("Acme", true), (std::set<std::string>{"Bolt", "Cara"}));
  EXPECT_TRUE(NeighborNames("Old One", false).empty());
  EXPECT_EQ(NeighborNames("Old One", true), (std::set<std::string>{"Old Two"}));
}

TEST_F(server_co_mention, EdgeShowsDocumentsNotConfidence) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Bolt");
  request.mutable_filter()->set_include_co_mentions(true);
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  ASSERT_EQ(response.edges_size(), 1);
  const v1::Edge& e = response.edges(0);
  EXPECT_TRUE(e.co_mention());
  EXPECT_EQ(e.properties().weight(), 4);  // four documents
  EXPECT_EQ(e.properties().confidence_mean(), 0);
  // Old store: confidence 1.0 stored, none shown.
  request.mutable_entity()->set_name("Old Two");
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  ASSERT_EQ(response.edges_size(), 1);
  EXPECT_TRUE(response.edges(0).co_mention());
  EXPECT_EQ(response.edges(0).properties().confidence_mean(), 0);
  EXPECT_EQ(response.edges(0).properties().confidence_max(), 0);
}

TEST_F(server_co_mention, PathsAndSubgraphsAskForThem) {
  v1::FindPathsRequest paths;
  *paths.mutable_source() = ByName("Cara");
  *paths.mutable_target() = ByName("Bolt");
  paths.set_weight(v1::NEGATIVE_LOG_CONFIDENCE);
  v1::FindPathsResponse found;
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), paths, &found).ok());
  EXPECT_TRUE(found.paths().empty());
  paths.mutable_filter()->set_include_co_mentions(true);
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), paths, &found).ok());
  ASSERT_EQ(found.paths_size(), 1);
  EXPECT_EQ(found.paths(0).edges_size(), 2);
  EXPECT_GT(found.paths(0).cost(), 0.69);  // -ln 0.8 + ln 2: the co-mention is no free hop
  EXPECT_TRUE(found.paths(0).edges(1).co_mention());

  v1::GetSubgraphRequest sub;
  *sub.add_seeds() = ByName("Acme");
  *sub.add_seeds() = ByName("Bolt");
  sub.set_hops(0);
  v1::GetSubgraphResponse graph;
  ASSERT_TRUE(sut_->graph->GetSubgraph(Ctx().get(), sub, &graph).ok());
  EXPECT_EQ(graph.edges_size(), 0);
  sub.mutable_filter()->set_include_co_mentions(true);
  ASSERT_TRUE(sut_->graph->GetSubgraph(Ctx().get(), sub, &graph).ok());
  EXPECT_EQ(graph.edges_size(), 1);
}

TEST_F(server_co_mention, EvidenceAndStatsSayWhatTheyAre) {
  v1::GetEvidenceRequest request;
  *request.mutable_source() = ByName("Old One");
  request.set_relation("co_mentioned");
  *request.mutable_target() = ByName("Old Two");
  v1::GetEvidenceResponse response;
  ASSERT_TRUE(sut_->graph->GetEvidence(Ctx().get(), request, &response).ok());
  EXPECT_TRUE(response.edge().co_mention());
  EXPECT_EQ(response.edge().properties().confidence_mean(), 0);

  v1::GetStatsResponse stats;
  ASSERT_TRUE(sut_->graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats).ok());
  bool saw = false;
  for (const auto& r : stats.relations()) {
    EXPECT_EQ(r.co_mention(), r.name() == "co_mentioned") << r.name();
    saw = saw || r.co_mention();
  }
  EXPECT_TRUE(saw);
}

}  // namespace
}  // namespace kgraph::testing
