// End-to-end tests of every kgraphd RPC over real loopback gRPC: results,
// documented error codes, pagination round trips, health, metrics, shutdown.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <set>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/strings/str_format.h"
#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

storage::DocumentInput NewsDocument(const std::string& id, const std::string& sentence) {
  storage::DocumentInput doc;
  doc.doc_id = id;
  doc.title = "news " + id;
  doc.date = "2024-05-0" + std::to_string(1 + id.size() % 8);
  doc.content_hash = storage::DocumentHash(id + sentence);
  doc.entities = {{"Netflix", "ORG", {"Netflix Inc"}, 1, {}}, {"Warner Bros", "ORG", {}, 1, {}}};
  doc.triples = {{"Netflix", "bids_for", "Warner Bros", 0.9, "rule1", sentence, 0, 10}};
  return doc;
}

class server_rpc : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("rpc");
    auto store = OpenStore(dir_);
    ASSERT_NE(store, nullptr);
    storage::DocumentInput d1;
    d1.doc_id = "d1";
    d1.content_hash = 1;
    d1.entities = {{"Paramount", "ORG", {}, 1, {}},     {"Warner Bros", "ORG", {}, 1, {}},
                   {"Huawei", "ORG", {}, 1, {}},        {"China Telecom", "ORG", {}, 1, {}},
                   {"China", "GPE", {}, 1, {}},         {"Apple Inc.", "ORG", {"Apple"}, 1, {}},
                   {"Apple Records", "ORG", {"Apple"}, 1, {}}};
    d1.triples = {{"Paramount", "bids_for", "Warner Bros", 0.8, "r", "Paramount bid.", 0, 1},
                  {"Huawei", "supplies", "China Telecom", 0.7, "r", "Huawei supplies CT.", 0, 1},
                  {"China Telecom", "located_in", "China", 0.9, "r", "CT is in China.", 0, 1},
                  {"Huawei", "located_in", "China", 0.95, "r", "Huawei is in China.", 0, 1},
                  {"Apple Inc.", "sued", "Apple Records", 0.6, "r", "Apple sued Apple.", 0, 1}};
    ASSERT_TRUE(store->IngestDocument(d1).ok());
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store->IngestDocument(NewsDocument(absl::StrCat("bid", i),
                                                     absl::StrCat("Netflix bid #", i, ".")))
                      .ok());
    }
    // A catalog of 137 items for pagination.
    std::vector<storage::BulkTriple> items;
    for (int i = 0; i < 137; ++i) {
      items.push_back({"Catalog", "contains", absl::StrFormat("Item%03d", i), 1.0});
    }
    items.push_back({"/m/0jm_", "links", "/m/0_jm", 1.0});  // same NameKey "m0jm"
    ASSERT_TRUE(store->BulkLoad(items, "catalog", 42).ok());
    server::ServerOptions options = TestServerOptions();
    options.metrics_listen = "127.0.0.1:0";
    sut_ = ServerUnderTest::Start(std::move(store), options);
    ASSERT_NE(sut_, nullptr);
  }
  void TearDown() override {
    sut_.reset();
    std::filesystem::remove_all(dir_);
  }

  uint64_t IdOf(const std::string& name) {
    v1::GetEntityRequest request;
    *request.mutable_entity() = ByName(name);
    v1::GetEntityResponse response;
    EXPECT_TRUE(sut_->graph->GetEntity(Ctx().get(), request, &response).ok()) << name;
    return response.entity().id();
  }

  std::string dir_;
  std::unique_ptr<ServerUnderTest> sut_;
};

TEST_F(server_rpc, GetEntityByNameAliasAndId) {
  v1::GetEntityRequest request;
  *request.mutable_entity() = ByName("netflix inc");  // alias, other case
  v1::GetEntityResponse response;
  ASSERT_TRUE(sut_->graph->GetEntity(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.entity().name(), "Netflix");
  EXPECT_EQ(response.entity().type(), "ORG");
  EXPECT_TRUE(response.alternatives().empty());

  request.mutable_entity()->set_id(response.entity().id());
  v1::GetEntityResponse by_id;
  ASSERT_TRUE(sut_->graph->GetEntity(Ctx().get(), request, &by_id).ok());
  EXPECT_EQ(by_id.entity().name(), "Netflix");
}

TEST_F(server_rpc, GetEntityErrorsAndAmbiguity) {
  v1::GetEntityRequest request;
  v1::GetEntityResponse response;
  grpc::Status status = sut_->graph->GetEntity(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("entity"), std::string::npos);

  *request.mutable_entity() = ByName("Nokia");
  EXPECT_EQ(sut_->graph->GetEntity(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.mutable_entity()->set_id(12345);
  EXPECT_EQ(sut_->graph->GetEntity(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  *request.mutable_entity() = ByName("Apple");
  ASSERT_TRUE(sut_->graph->GetEntity(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.alternatives_size(), 1);
  EXPECT_TRUE(response.ambiguous());

  // Traversals need one entity: an ambiguous name is INVALID_ARGUMENT listing both.
  v1::GetNeighborsRequest neighbors;
  *neighbors.mutable_entity() = ByName("Apple");
  v1::GetNeighborsResponse reply;
  status = sut_->graph->GetNeighbors(Ctx().get(), neighbors, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("Apple Records"), std::string::npos);
}

TEST_F(server_rpc, ExactSpellingDisambiguatesNameKeyLookalikes) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("/m/0jm_");
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.nodes(0).entity().name(), "/m/0jm_");
  *request.mutable_entity() = ByName("M0JM");
  EXPECT_EQ(sut_->graph->GetNeighbors(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(server_rpc, SearchPaginationHasNoDuplicatesOrGaps) {
  v1::SearchEntitiesRequest request;
  request.set_prefix("item");
  request.set_page_size(10);
  std::vector<std::string> names;
  int pages = 0;
  while (true) {
    v1::SearchEntitiesResponse response;
    ASSERT_TRUE(sut_->graph->SearchEntities(Ctx().get(), request, &response).ok());
    for (const auto& e : response.entities()) names.push_back(e.name());
    ++pages;
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(pages, 14);
  EXPECT_EQ(names.size(), 137u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 137u);

  // Ranked by degree: the catalog hub comes first for "cat".
  v1::SearchEntitiesRequest cat;
  cat.set_prefix("CAT");
  v1::SearchEntitiesResponse cat_response;
  ASSERT_TRUE(sut_->graph->SearchEntities(Ctx().get(), cat, &cat_response).ok());
  ASSERT_FALSE(cat_response.entities().empty());
  EXPECT_EQ(cat_response.entities(0).name(), "Catalog");
}

TEST_F(server_rpc, SearchValidation) {
  v1::SearchEntitiesRequest request;
  v1::SearchEntitiesResponse response;
  EXPECT_EQ(sut_->graph->SearchEntities(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_prefix("item");
  request.set_page_size(-1);
  grpc::Status status = sut_->graph->SearchEntities(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_size"), std::string::npos);

  request.set_page_size(100000);  // coerced to the maximum, not an error
  ASSERT_TRUE(sut_->graph->SearchEntities(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.entities_size(), 137);

  request.set_page_size(5);
  ASSERT_TRUE(sut_->graph->SearchEntities(Ctx().get(), request, &response).ok());
  v1::SearchEntitiesRequest other = request;
  other.set_prefix("cat");
  other.set_page_token(response.next_page_token());
  status = sut_->graph->SearchEntities(Ctx().get(), other, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
  request.set_page_token("garbage!");
  EXPECT_EQ(sut_->graph->SearchEntities(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(server_rpc, NeighborsWithFiltersAndDirections) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Warner Bros");
  request.set_direction(v1::IN);
  request.mutable_filter()->add_include_relations("bids_for");
  v1::GetNeighborsResponse response;
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  std::set<std::string> names;
  for (const auto& n : response.nodes()) {
    if (n.hop() == 1) names.insert(n.entity().name());
  }
  EXPECT_EQ(names, (std::set<std::string>{"Netflix", "Paramount"}));
  // Heaviest first: Netflix's edge has five mentions.
  EXPECT_EQ(response.nodes(1).entity().name(), "Netflix");
  ASSERT_EQ(response.edges_size(), 2);
  for (const auto& e : response.edges()) {
    EXPECT_EQ(e.relation(), "bids_for");
    if (e.source_name() == "Netflix") {
      EXPECT_EQ(e.properties().mentions(), 5);
      EXPECT_NEAR(e.properties().confidence_mean(), 0.9, 1e-9);
    }
  }

  request.mutable_filter()->set_min_mentions(2);
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.edges_size(), 1);

  request.set_direction(v1::OUT);  // Warner Bros has no outgoing bids
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.nodes_size(), 1);

  // Two hops, both directions: Huawei -> China -> China Telecom and directly.
  v1::GetNeighborsRequest two;
  *two.mutable_entity() = ByName("Huawei");
  two.set_hops(2);
  ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), two, &response).ok());
  EXPECT_EQ(response.nodes_size(), 3);
  EXPECT_EQ(response.edges_size(), 3);
}

TEST_F(server_rpc, NeighborsErrors) {
  v1::GetNeighborsRequest request;
  v1::GetNeighborsResponse response;
  *request.mutable_entity() = ByName("Nobody");
  EXPECT_EQ(sut_->graph->GetNeighbors(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  *request.mutable_entity() = ByName("Huawei");
  request.set_hops(99);
  grpc::Status status = sut_->graph->GetNeighbors(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("hops"), std::string::npos);
  request.set_hops(1);
  request.mutable_filter()->set_min_confidence(2);
  status = sut_->graph->GetNeighbors(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("min_confidence"), std::string::npos);
  request.clear_filter();
  request.mutable_limits()->set_max_expanded_edges(-5);
  EXPECT_EQ(sut_->graph->GetNeighbors(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(server_rpc, NeighborsPaginationRoundTrip) {
  v1::GetNeighborsRequest request;
  *request.mutable_entity() = ByName("Catalog");
  request.set_page_size(7);
  std::vector<uint64_t> ids;
  std::set<std::string> edges;
  while (true) {
    v1::GetNeighborsResponse response;
    ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), request, &response).ok());
    for (const auto& n : response.nodes()) ids.push_back(n.entity().id());
    for (const auto& e : response.edges()) {
      EXPECT_TRUE(edges.insert(e.target_name()).second) << "duplicate edge " << e.target_name();
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(ids.size(), 138u);  // the catalog and its items
  EXPECT_EQ(std::set<uint64_t>(ids.begin(), ids.end()).size(), 138u);
  EXPECT_EQ(edges.size(), 137u);
}

TEST_F(server_rpc, FindPathsAndJsonShape) {
  v1::FindPathsRequest request;
  *request.mutable_source() = ByName("Huawei");
  *request.mutable_target() = ByName("China");
  request.set_mode(v1::K_SHORTEST);
  request.set_k(5);
  v1::FindPathsResponse response;
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), request, &response).ok());
  ASSERT_EQ(response.paths_size(), 2);
  EXPECT_EQ(response.paths(0).edges_size(), 1);
  EXPECT_EQ(response.paths(1).edges_size(), 2);
  EXPECT_EQ(response.paths(1).nodes(1).name(), "China Telecom");
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(response, &json).ok());
  EXPECT_NE(json.find("\"paths\""), std::string::npos);
  EXPECT_NE(json.find("\"edges\""), std::string::npos);

  // Directed: China -> Huawei has no path.
  request.set_mode(v1::SHORTEST);
  *request.mutable_source() = ByName("China");
  *request.mutable_target() = ByName("Huawei");
  request.set_directed(true);
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.paths_size(), 0);

  request.set_weight(v1::NEGATIVE_LOG_CONFIDENCE);
  request.set_directed(false);
  ASSERT_TRUE(sut_->graph->FindPaths(Ctx().get(), request, &response).ok());
  ASSERT_EQ(response.paths_size(), 1);
  EXPECT_NEAR(response.paths(0).cost(), -std::log(0.95), 1e-9);

  request.set_max_hops(50);
  EXPECT_EQ(sut_->graph->FindPaths(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_max_hops(2);
  request.clear_target();
  grpc::Status status = sut_->graph->FindPaths(Ctx().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("target"), std::string::npos);
}

TEST_F(server_rpc, SubgraphIsInduced) {
  v1::GetSubgraphRequest request;
  *request.add_seeds() = ByName("Huawei");
  *request.add_seeds() = ByName("China Telecom");
  request.set_hops(0);
  v1::GetSubgraphResponse response;
  ASSERT_TRUE(sut_->graph->GetSubgraph(Ctx().get(), request, &response).ok());
  EXPECT_EQ(response.nodes_size(), 2);
  ASSERT_EQ(response.edges_size(), 1);
  EXPECT_EQ(response.edges(0).relation(), "supplies");
  request.clear_seeds();
  EXPECT_EQ(sut_->graph->GetSubgraph(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(server_rpc, EvidencePages) {
  v1::GetEvidenceRequest request;
  *request.mutable_source() = ByName("Netflix");
  request.set_relation("bids_for");
  *request.mutable_target() = ByName("Warner Bros");
  request.set_page_size(2);
  std::set<std::string> docs;
  int pages = 0;
  while (true) {
    v1::GetEvidenceResponse response;
    ASSERT_TRUE(sut_->graph->GetEvidence(Ctx().get(), request, &response).ok());
    EXPECT_EQ(response.edge().source_name(), "Netflix");
    for (const auto& e : response.evidence()) {
      EXPECT_TRUE(docs.insert(e.doc_id()).second);
      EXPECT_NE(e.sentence().find("Netflix bid"), std::string::npos);
    }
    ++pages;
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(docs.size(), 5u);
  EXPECT_EQ(pages, 3);

  request.clear_page_token();
  request.set_relation("acquired");
  v1::GetEvidenceResponse response;
  EXPECT_EQ(sut_->graph->GetEvidence(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_relation("bids_for");
  *request.mutable_target() = ByName("China");
  EXPECT_EQ(sut_->graph->GetEvidence(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(server_rpc, Stats) {
  v1::GetStatsResponse response;
  ASSERT_TRUE(sut_->graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &response).ok());
  EXPECT_GE(response.entities(), 7 + 2 + 138 - 1);
  EXPECT_GE(response.edges(), 137 + 6);
  EXPECT_GE(response.evidence(), 10);
  EXPECT_FALSE(response.relations().empty());
}

TEST_F(server_rpc, IngestUpsertAndDelete) {
  {
    v1::IngestDocumentsResponse response;
    auto ctx = Ctx();
    auto writer = sut_->ingest->IngestDocuments(ctx.get(), &response);
    v1::Document doc;
    doc.set_doc_id("new1");
    auto* t = doc.add_triples();
    t->set_subject("Nokia");
    t->set_relation("acquired");
    t->set_object("Alcatel");
    t->set_sentence("Nokia acquired Alcatel.");
    ASSERT_TRUE(writer->Write(doc));
    doc.set_doc_id("new2");
    doc.mutable_triples(0)->set_object("Siemens Networks");
    ASSERT_TRUE(writer->Write(doc));
    writer->WritesDone();
    ASSERT_TRUE(writer->Finish().ok());
    EXPECT_EQ(response.documents(), 2);
    EXPECT_EQ(response.edges_created(), 2);
  }
  EXPECT_NE(IdOf("Alcatel"), 0u);
  {
    // Text only, no extractor wired: FAILED_PRECONDITION naming the document.
    v1::IngestDocumentsResponse response;
    auto ctx = Ctx();
    auto writer = sut_->ingest->IngestDocuments(ctx.get(), &response);
    v1::Document doc;
    doc.set_doc_id("textonly");
    doc.set_text("Nokia acquired Alcatel in 2016.");
    writer->Write(doc);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(status.error_message().find("extractor"), std::string::npos);
  }
  {
    v1::IngestDocumentsResponse response;
    auto ctx = Ctx();
    auto writer = sut_->ingest->IngestDocuments(ctx.get(), &response);
    v1::Document doc;  // no doc_id
    doc.add_triples()->set_subject("x");
    writer->Write(doc);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("documents[0].doc_id"), std::string::npos);
  }
  v1::UpsertTriplesRequest upsert;
  auto* triple = upsert.add_triples();
  triple->set_subject("Ericsson");
  triple->set_relation("competes_with");
  triple->set_object("Nokia");
  v1::UpsertTriplesResponse upserted;
  ASSERT_TRUE(sut_->ingest->UpsertTriples(Ctx().get(), upsert, &upserted).ok());
  EXPECT_EQ(upserted.new_edges(), 1);
  ASSERT_TRUE(sut_->ingest->UpsertTriples(Ctx().get(), upsert, &upserted).ok());
  EXPECT_TRUE(upserted.already_applied());
  triple->set_confidence(3);
  grpc::Status status = sut_->ingest->UpsertTriples(Ctx().get(), upsert, &upserted);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("triples[0].confidence"), std::string::npos);

  v1::DeleteDocumentRequest del;
  del.set_doc_id("new2");
  google::protobuf::Empty empty;
  ASSERT_TRUE(sut_->ingest->DeleteDocument(Ctx().get(), del, &empty).ok());
  EXPECT_EQ(sut_->ingest->DeleteDocument(Ctx().get(), del, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetEntityRequest gone;
  *gone.mutable_entity() = ByName("Siemens Networks");
  v1::GetEntityResponse r;
  EXPECT_EQ(sut_->graph->GetEntity(Ctx().get(), gone, &r).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(server_rpc, HealthServingThenUnavailableAfterShutdown) {
  grpc::GenericStub generic(sut_->channel);
  grpc::Slice empty_slice("");  // HealthCheckRequest{service: ""} encodes as empty
  grpc::ByteBuffer request_bytes(&empty_slice, 1);
  grpc::ByteBuffer response_bytes;
  grpc::ClientContext ctx;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request_bytes,
                    &response_bytes, [&](grpc::Status s) { done.set_value(s); });
  ASSERT_TRUE(done.get_future().get().ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response_bytes.Dump(&slices).ok());
  std::string raw;
  for (const auto& s : slices) raw.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(raw, std::string("\x08\x01", 2));  // status: SERVING

  sut_->server->Shutdown();
  v1::GetStatsResponse stats;
  grpc::Status status = sut_->graph->GetStats(Ctx(2000).get(), v1::GetStatsRequest(), &stats);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(server_rpc, MetricsEndpoint) {
  v1::GetStatsResponse stats;
  ASSERT_TRUE(sut_->graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats).ok());
  v1::GetEntityRequest missing;
  *missing.mutable_entity() = ByName("Nobody");
  v1::GetEntityResponse r;
  sut_->graph->GetEntity(Ctx().get(), missing, &r);
  // The same page twice: the second reads its entities from the cache.
  v1::GetNeighborsRequest page;
  *page.mutable_entity() = ByName("Warner Bros");
  page.set_direction(v1::IN);
  for (int i = 0; i < 2; ++i) {
    v1::GetNeighborsResponse resp;
    ASSERT_TRUE(sut_->graph->GetNeighbors(Ctx().get(), page, &resp).ok());
  }

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(sut_->server->metrics_port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  const std::string get = "GET /metrics HTTP/1.0\r\n\r\n";
  ASSERT_EQ(send(fd, get.data(), get.size(), 0), static_cast<ssize_t>(get.size()));
  std::string body;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) body.append(buf, static_cast<size_t>(n));
  close(fd);
  EXPECT_NE(body.find("200 OK"), std::string::npos);
  EXPECT_NE(body.find("grpc_server_handled_total{grpc_service=\"kgraph.v1.GraphService\","
                      "grpc_method=\"GetStats\",grpc_code=\"OK\"} 1"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("grpc_method=\"GetEntity\",grpc_code=\"NOT_FOUND\"} 1"), std::string::npos);
  EXPECT_NE(body.find("grpc_server_handling_seconds_bucket{grpc_service=\"kgraph.v1.GraphService\","
                      "grpc_method=\"GetStats\",le=\"+Inf\"} 1"),
            std::string::npos);
  auto counter = [&](const std::string& name) -> int64_t {
    const size_t at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
  };
  EXPECT_GE(counter("kgraph_entity_cache_lookups_total"), 2) << body;
  EXPECT_GE(counter("kgraph_entity_cache_hits_total"), 1) << body;
  // The memory gauges of docs/RELIABILITY.md "Soak": the page's entities
  // are cached, the fixture's documents sit in memtables.
  EXPECT_GE(counter("kgraph_entity_cache_entries"), 1) << body;
  EXPECT_GT(counter("kgraph_entity_cache_bytes"), 0) << body;
  EXPECT_EQ(counter("kgraph_block_cache_capacity_bytes"), int64_t{256} << 20) << body;
  EXPECT_GT(counter("kgraph_memtable_bytes"), 0) << body;
  EXPECT_GE(counter("kgraph_table_reader_bytes"), 0) << body;
}

}  // namespace
}  // namespace kgraph::testing
