#include "server/kgraph_server.h"

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "storage/memory_usage.h"

namespace kgraph::server {
namespace {

// Gauges of what the store and the allocator hold, so an operator can tell
// a filling cache from growth without bound (docs/RELIABILITY.md "Soak").
std::string RenderMemoryGauges(const storage::GraphStore& store) {
  const storage::StoreMemoryUsage m = store.MemoryUsage();
  const storage::AllocatorUsage a = storage::ReadAllocatorUsage();
  std::string out;
  auto gauge = [&out](const char* name, const char* help, int64_t value) {
    if (value < 0) return;  // unknown (e.g. no jemalloc in this build)
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " gauge\n", name, " ",
                    value, "\n");
  };
  gauge("kgraph_block_cache_bytes", "RocksDB block cache usage.", m.block_cache_bytes);
  gauge("kgraph_block_cache_pinned_bytes", "Of it, pinned (index and filter partitions).",
        m.block_cache_pinned_bytes);
  gauge("kgraph_block_cache_capacity_bytes", "RocksDB block cache capacity.",
        m.block_cache_capacity_bytes);
  gauge("kgraph_memtable_bytes", "Active and unflushed memtables, all families.",
        m.memtable_bytes);
  gauge("kgraph_memtable_pinned_bytes", "Memtables including flushed ones pinned by iterators.",
        m.memtable_pinned_bytes);
  gauge("kgraph_table_reader_bytes", "Table readers outside the block cache, all families.",
        m.table_reader_bytes);
  gauge("kgraph_live_sst_files", "SST files in the current version, all families.",
        m.live_sst_files);
  gauge("kgraph_entity_cache_entries", "Entities in the entity cache.", m.entity_cache_entries);
  gauge("kgraph_entity_cache_bytes", "Estimated heap bytes of the entity cache.",
        m.entity_cache_bytes);
  gauge("kgraph_allocator_allocated_bytes", "jemalloc stats.allocated.", a.allocated_bytes);
  gauge("kgraph_allocator_active_bytes", "jemalloc stats.active.", a.active_bytes);
  gauge("kgraph_allocator_resident_bytes", "jemalloc stats.resident.", a.resident_bytes);
  gauge("kgraph_allocator_retained_bytes", "jemalloc stats.retained (unmapped, not in RSS).",
        a.retained_bytes);
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(flag, ": cannot read ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options) {
  if (options.tls_cert.empty() && options.tls_key.empty()) {
    if (!options.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  absl::StatusOr<std::string> cert = ReadFile(options.tls_cert, "--tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile(options.tls_key, "--tls_key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca.empty()) {
    absl::StatusOr<std::string> ca = ReadFile(options.tls_client_ca, "--tls_client_ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::unique_ptr<KgraphServer>> KgraphServer::Start(const ServerOptions& options,
                                                                  TextExtractor extractor) {
  storage::StoreOptions store_options;
  store_options.read_only = options.read_only;
  store_options.create_if_missing = !options.read_only;
  store_options.entity_cache_entries = options.entity_cache_entries;
  absl::StatusOr<std::unique_ptr<storage::GraphStore>> store =
      storage::GraphStore::Open(options.db_path, store_options);
  if (!store.ok()) {
    return absl::Status(store.status().code(),
                        absl::StrCat("--db ", options.db_path, ": ", store.status().message()));
  }
  return Start(options, *std::move(store), std::move(extractor));
}

absl::StatusOr<std::unique_ptr<KgraphServer>> KgraphServer::Start(
    const ServerOptions& options, std::unique_ptr<storage::GraphStore> store,
    TextExtractor extractor) {
  if (options.threads < 1) return absl::InvalidArgumentError("--threads must be >= 1");
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = MakeCredentials(options);
  if (!credentials.ok()) return credentials.status();

  auto server = std::unique_ptr<KgraphServer>(new KgraphServer());
  if (!options.auth_tokens_file.empty()) {
    absl::StatusOr<std::unique_ptr<TokenAuth>> auth = TokenAuth::Load(options.auth_tokens_file);
    if (!auth.ok()) return auth.status();
    server->auth_ = *std::move(auth);
  }
  server->store_ = std::move(store);
  server->pool_ = std::make_unique<WorkPool>(options.threads, options.max_queued_calls);
  ServiceContext& ctx = server->context_;
  ctx.store = server->store_.get();
  ctx.options = options;
  ctx.pool = server->pool_.get();
  ctx.auth = server->auth_.get();
  ctx.metrics = &server->metrics_;
  server->graph_service_ = std::make_unique<GraphServiceImpl>(&ctx);
  server->ingest_service_ = std::make_unique<IngestServiceImpl>(&ctx, std::move(extractor));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, *credentials, &server->port_);
  builder.RegisterService(server->graph_service_.get());
  builder.RegisterService(server->ingest_service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("--listen: cannot listen on ", options.listen));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);

  if (!options.metrics_listen.empty()) {
    RpcMetrics* metrics = &server->metrics_;
    const storage::GraphStore* store = server->store_.get();
    server->metrics_server_ = std::make_unique<MetricsHttpServer>([metrics, store] {
      const storage::GraphStore::EntityCacheCounts cache = store->entity_cache_counts();
      return absl::StrCat(metrics->RenderText(),
                          "# HELP kgraph_entity_cache_lookups_total Entity reads of reply pages "
                          "asked of the entity cache.\n"
                          "# TYPE kgraph_entity_cache_lookups_total counter\n"
                          "kgraph_entity_cache_lookups_total ", cache.lookups, "\n",
                          "# HELP kgraph_entity_cache_hits_total Of those, served from it.\n"
                          "# TYPE kgraph_entity_cache_hits_total counter\n"
                          "kgraph_entity_cache_hits_total ", cache.hits, "\n",
                          RenderMemoryGauges(*store));
    });
    absl::StatusOr<int> port = server->metrics_server_->Start(options.metrics_listen);
    if (!port.ok()) return port.status();
    server->metrics_port_ = *port;
  }
  return server;
}

KgraphServer::~KgraphServer() { Shutdown(); }

void KgraphServer::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  // New calls are refused from here on; load balancers see NOT_SERVING.
  context_.draining = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    // Waits for in-flight calls up to the grace period, then cancels them;
    // cancelled queries notice through their cancellation flag.
    server_->Shutdown(absl::ToChronoTime(absl::Now() + context_.options.shutdown_grace));
  }
  if (pool_ != nullptr) pool_->Stop();
  if (metrics_server_ != nullptr) metrics_server_->Stop();
  store_.reset();  // closes RocksDB cleanly
  shut_down_ = true;
}

void KgraphServer::Wait() {
  absl::MutexLock lock(&shutdown_mu_);
  shutdown_mu_.Await(absl::Condition(&shut_down_));
}

}  // namespace kgraph::server
