// Bearer-token auth (accepted, refused, scope) and TLS / mTLS with a
// self-signed certificate generated at test time by the openssl CLI.
#include <cstdlib>
#include <fstream>

#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

std::unique_ptr<storage::GraphStore> SmallStore(const std::string& dir) {
  auto store = OpenStore(dir);
  EXPECT_TRUE(store->BulkLoad({{"Huawei", "supplies", "China Telecom", 1.0}}, "s", 1).ok());
  return store;
}

std::unique_ptr<grpc::ClientContext> WithToken(const std::string& token) {
  auto ctx = Ctx();
  ctx->AddMetadata("authorization", "Bearer " + token);
  return ctx;
}

TEST(server_auth, TokensAndScopes) {
  const std::string dir = MakeTempDir("auth");
  {
    std::ofstream tokens(dir + "/tokens");
    tokens << "# token scope\nreader-secret read\nadmin-secret admin\n";
  }
  server::ServerOptions options = TestServerOptions();
  options.auth_tokens_file = dir + "/tokens";
  auto sut = ServerUnderTest::Start(SmallStore(dir), options);
  ASSERT_NE(sut, nullptr);

  v1::GetStatsResponse stats;
  EXPECT_EQ(sut->graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(sut->graph->GetStats(WithToken("wrong").get(), v1::GetStatsRequest(), &stats)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      sut->graph->GetStats(WithToken("reader-secret").get(), v1::GetStatsRequest(), &stats).ok());
  EXPECT_TRUE(
      sut->graph->GetStats(WithToken("admin-secret").get(), v1::GetStatsRequest(), &stats).ok());

  v1::UpsertTriplesRequest upsert;
  auto* t = upsert.add_triples();
  t->set_subject("Nokia");
  t->set_relation("acquired");
  t->set_object("Alcatel");
  v1::UpsertTriplesResponse upserted;
  EXPECT_EQ(sut->ingest->UpsertTriples(WithToken("reader-secret").get(), upsert, &upserted)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(sut->ingest->UpsertTriples(WithToken("admin-secret").get(), upsert, &upserted).ok());

  // Streaming ingest checks the scope too.
  v1::IngestDocumentsResponse ingested;
  auto ctx = WithToken("reader-secret");
  auto writer = sut->ingest->IngestDocuments(ctx.get(), &ingested);
  writer->WritesDone();
  EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  sut.reset();
  std::filesystem::remove_all(dir);
}

TEST(server_auth, ReadOnlyRefusesWrites) {
  const std::string dir = MakeTempDir("ro");
  SmallStore(dir).reset();
  server::ServerOptions options = TestServerOptions();
  options.read_only = true;
  options.db_path = dir + "/db";
  auto started = server::KgraphServer::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*started)->port()),
                                     grpc::InsecureChannelCredentials());
  auto ingest = v1::IngestService::NewStub(channel);
  v1::UpsertTriplesRequest upsert;
  auto* t = upsert.add_triples();
  t->set_subject("a");
  t->set_relation("r");
  t->set_object("b");
  v1::UpsertTriplesResponse upserted;
  EXPECT_EQ(ingest->UpsertTriples(Ctx().get(), upsert, &upserted).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  auto graph = v1::GraphService::NewStub(channel);
  v1::GetStatsResponse stats;
  EXPECT_TRUE(graph->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats).ok());
  EXPECT_EQ(stats.edges(), 1);
  started->reset();
  std::filesystem::remove_all(dir);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Generates a CA-less self-signed server cert (and a client cert) for localhost.
bool MakeCerts(const std::string& dir) {
  const std::string cmd =
      "cd " + dir +
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
      " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout server.key -out server.crt"
      " >/dev/null 2>&1"
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=client"
      " -keyout client.key -out client.crt >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

TEST(server_tls, TlsAndMutualTls) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "openssl CLI not installed: cannot generate a test certificate";
  }
  const std::string dir = MakeTempDir("tls");
  ASSERT_TRUE(MakeCerts(dir));
  server::ServerOptions options = TestServerOptions();
  options.tls_cert = dir + "/server.crt";
  options.tls_key = dir + "/server.key";
  options.tls_client_ca = dir + "/client.crt";  // self-signed client cert acts as its own CA
  auto sut = ServerUnderTest::Start(SmallStore(dir), options);
  ASSERT_NE(sut, nullptr);
  const std::string target = absl::StrCat("127.0.0.1:", sut->server->port());
  v1::GetStatsResponse stats;

  grpc::SslCredentialsOptions with_cert;
  with_cert.pem_root_certs = ReadAll(dir + "/server.crt");
  with_cert.pem_cert_chain = ReadAll(dir + "/client.crt");
  with_cert.pem_private_key = ReadAll(dir + "/client.key");
  auto good = v1::GraphService::NewStub(grpc::CreateChannel(target, grpc::SslCredentials(with_cert)));
  grpc::Status status = good->GetStats(Ctx().get(), v1::GetStatsRequest(), &stats);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stats.edges(), 1);

  grpc::SslCredentialsOptions no_cert;
  no_cert.pem_root_certs = ReadAll(dir + "/server.crt");
  auto anonymous =
      v1::GraphService::NewStub(grpc::CreateChannel(target, grpc::SslCredentials(no_cert)));
  EXPECT_FALSE(anonymous->GetStats(Ctx(3000).get(), v1::GetStatsRequest(), &stats).ok());

  auto plain = v1::GraphService::NewStub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  EXPECT_EQ(plain->GetStats(Ctx(3000).get(), v1::GetStatsRequest(), &stats).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  sut.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kgraph::testing
