// KgraphServer: assembles kgraphd from its parts (store, work pool, auth,
// services, health, reflection, metrics endpoint) and owns their lifetimes.
// Shutdown is graceful: health turns NOT_SERVING, new calls get UNAVAILABLE,
// in-flight calls get a grace period, then the store is closed cleanly.
//
// Thread safety: Start once; Shutdown may be called from any thread (e.g. a
// signal thread), more than once.
#pragma once

#include <memory>

#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/graph_service.h"
#include "server/ingest_service.h"
#include "server/metrics_http_server.h"
#include "server/rpc_metrics.h"
#include "server/server_options.h"
#include "server/service_context.h"
#include "server/token_auth.h"
#include "server/work_pool.h"
#include "storage/graph_store.h"

namespace kgraph::server {

class KgraphServer {
 public:
  // Opens options.db_path and starts serving.
  static absl::StatusOr<std::unique_ptr<KgraphServer>> Start(const ServerOptions& options,
                                                             TextExtractor extractor = nullptr);
  // Serves an already open store (tests, embedding).
  static absl::StatusOr<std::unique_ptr<KgraphServer>> Start(
      const ServerOptions& options, std::unique_ptr<storage::GraphStore> store,
      TextExtractor extractor = nullptr);
  ~KgraphServer();  // Shutdown()s

  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }

  // Drains and stops; returns when the store is closed. Idempotent.
  void Shutdown();
  // Blocks until Shutdown() has finished.
  void Wait();

 private:
  KgraphServer() = default;

  ServiceContext context_;
  std::unique_ptr<storage::GraphStore> store_;
  std::unique_ptr<WorkPool> pool_;
  std::unique_ptr<TokenAuth> auth_;
  RpcMetrics metrics_;
  std::unique_ptr<GraphServiceImpl> graph_service_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<MetricsHttpServer> metrics_server_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  int metrics_port_ = 0;

  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace kgraph::server
