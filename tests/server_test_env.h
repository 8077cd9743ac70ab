// Test harness for server_* tests: a temp store filled in-process, a real
// kgraphd (KgraphServer) on a free loopback port, and stubs on a channel to it.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>

#include "kgraph/v1/graph.grpc.pb.h"
#include "kgraph/v1/ingest.grpc.pb.h"
#include "server/kgraph_server.h"
#include "storage/graph_store.h"

namespace kgraph::testing {

inline std::string MakeTempDir(const std::string& tag) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("kgraph-" + tag + "-XXXXXX")).string();
  char* dir = mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return tmpl;
}

inline std::unique_ptr<storage::GraphStore> OpenStore(const std::string& dir) {
  auto store = storage::GraphStore::Open(dir + "/db", storage::StoreOptions());
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

inline server::ServerOptions TestServerOptions() {
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 2;
  options.shutdown_grace = absl::Milliseconds(500);
  return options;
}

// A running server over `store` plus stubs on an insecure channel.
struct ServerUnderTest {
  std::unique_ptr<server::KgraphServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::GraphService::Stub> graph;
  std::unique_ptr<v1::IngestService::Stub> ingest;

  static std::unique_ptr<ServerUnderTest> Start(std::unique_ptr<storage::GraphStore> store,
                                                server::ServerOptions options = TestServerOptions()) {
    auto started = server::KgraphServer::Start(options, std::move(store));
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return nullptr;
    auto s = std::make_unique<ServerUnderTest>();
    s->server = *std::move(started);
    s->channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", s->server->port()),
                                     grpc::InsecureChannelCredentials());
    s->graph = v1::GraphService::NewStub(s->channel);
    s->ingest = v1::IngestService::NewStub(s->channel);
    return s;
  }
};

inline std::unique_ptr<grpc::ClientContext> Ctx(int timeout_ms = 10'000) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  return ctx;
}

inline v1::EntityRef ByName(const std::string& name) {
  v1::EntityRef ref;
  ref.set_name(name);
  return ref;
}

}  // namespace kgraph::testing
