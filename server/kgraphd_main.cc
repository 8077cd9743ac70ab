// kgraphd: the kgraph graph-query server. Flags map onto ServerOptions;
// SIGTERM/SIGINT trigger a graceful shutdown (see KgraphServer::Shutdown).
#include <signal.h>

#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/synchronization/mutex.h"

#include "server/kgraph_server.h"
#include "server/rpc_log.h"
#include "server/text_extractor.h"

int main(int argc, char** argv) {
  kgraph::server::ServerOptions options;
  int64_t deadline_ms = absl::ToInt64Milliseconds(options.default_deadline);
  int64_t grace_ms = absl::ToInt64Milliseconds(options.shutdown_grace);
  int64_t call_cpu_ms = absl::ToInt64Milliseconds(options.max_call_cpu);
  int64_t default_call_memory_mb = options.default_call_memory_bytes >> 20;
  int64_t max_call_memory_mb = options.max_call_memory_bytes >> 20;
  int64_t traversal_cache_mb = options.traversal_cache_bytes >> 20;
  bool quiet = false;
  bool no_extraction = false;
  std::string data_dir;

  CLI::App app{"kgraphd: gRPC graph-query server for a kgraph store"};
  app.add_option("--db", options.db_path, "graph store directory")->required();
  app.add_option("--listen", options.listen, "gRPC address host:port")->capture_default_str();
  app.add_option("--metrics_listen", options.metrics_listen,
                 "Prometheus /metrics address host:port (off if empty)");
  app.add_option("--threads", options.threads, "query worker threads")->capture_default_str();
  app.add_option("--entity_cache_entries", options.entity_cache_entries,
                 "decoded entities cached for reply pages (0 = off)")
      ->capture_default_str();
  app.add_option("--max_queued_calls", options.max_queued_calls,
                 "queued calls beyond which new ones fail RESOURCE_EXHAUSTED")
      ->capture_default_str();
  app.add_flag("--read_only", options.read_only, "open the store read-only; refuse writes");
  app.add_option("--tls_cert", options.tls_cert, "PEM server certificate (enables TLS)");
  app.add_option("--tls_key", options.tls_key, "PEM server private key");
  app.add_option("--tls_client_ca", options.tls_client_ca, "PEM CA for client certs (mTLS)");
  app.add_option("--auth_tokens", options.auth_tokens_file,
                 "file of 'token read|admin' lines; auth is off without it");
  app.add_option("--deadline_ms", deadline_ms, "server-side deadline per call")
      ->capture_default_str();
  app.add_option("--shutdown_grace_ms", grace_ms, "grace for in-flight calls at shutdown")
      ->capture_default_str();
  app.add_option("--max_hops", options.max_hops, "largest hops / max_hops accepted")
      ->capture_default_str();
  app.add_option("--default_visited_nodes", options.default_visited_nodes)->capture_default_str();
  app.add_option("--max_visited_nodes", options.max_visited_nodes)->capture_default_str();
  app.add_option("--default_expanded_edges", options.default_expanded_edges)->capture_default_str();
  app.add_option("--max_expanded_edges", options.max_expanded_edges)->capture_default_str();
  app.add_option("--default_edges_per_node", options.default_edges_per_node,
                 "fan-out cap per expanded node (top by weight)")
      ->capture_default_str();
  app.add_option("--max_edges_per_node", options.max_edges_per_node)->capture_default_str();
  app.add_option("--max_page_size", options.max_page_size)->capture_default_str();
  app.add_option("--max_path_limit", options.max_path_limit)->capture_default_str();
  app.add_option("--max_call_cpu_ms", call_cpu_ms,
                 "CPU time one read call may use; then it returns what it found, truncated "
                 "MAX_CPU_TIME (0 = no limit)")
      ->capture_default_str();
  app.add_option("--default_call_memory_mb", default_call_memory_mb,
                 "search state one read call may hold unless it asks for less or more")
      ->capture_default_str();
  app.add_option("--max_call_memory_mb", max_call_memory_mb,
                 "largest search state a read call may ask for")
      ->capture_default_str();
  app.add_option("--traversal_cache_mb", traversal_cache_mb,
                 "neighbor/subgraph results kept for their later pages (0 = off)")
      ->capture_default_str();
  app.add_flag("--quiet", quiet, "no per-RPC log lines");
  app.add_flag("--no_extraction", no_extraction,
               "refuse text-only documents instead of extracting them");
  app.add_option("--data_dir", data_dir, "extraction gazetteers and patterns (default: built-in)");
  CLI11_PARSE(app, argc, argv);
  // Debian's abseil is built with mutex deadlock detection on, which records
  // a lock graph on every Lock(); a server cannot afford that per call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  options.default_deadline = absl::Milliseconds(deadline_ms);
  options.shutdown_grace = absl::Milliseconds(grace_ms);
  if (call_cpu_ms < 0 || default_call_memory_mb < 1 || max_call_memory_mb < default_call_memory_mb ||
      traversal_cache_mb < 0) {
    std::fprintf(stderr,
                 "kgraphd: --max_call_cpu_ms and --traversal_cache_mb must be >= 0, "
                 "--default_call_memory_mb >= 1 and <= --max_call_memory_mb\n");
    return 2;
  }
  options.max_call_cpu = absl::Milliseconds(call_cpu_ms);
  options.default_call_memory_bytes = default_call_memory_mb << 20;
  options.max_call_memory_bytes = max_call_memory_mb << 20;
  options.traversal_cache_bytes = traversal_cache_mb << 20;
  kgraph::server::SetRpcLogEnabled(!quiet);

  // Block the shutdown signals in every thread; one thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  kgraph::server::TextExtractor text_extractor;
  if (!options.read_only && !no_extraction) {
    absl::StatusOr<kgraph::server::TextExtractor> made = kgraph::server::MakeTextExtractor(data_dir);
    if (!made.ok()) {
      std::fprintf(stderr, "kgraphd: cannot load the extractor: %s\n", made.status().ToString().c_str());
      return 1;
    }
    text_extractor = *std::move(made);
  }
  absl::StatusOr<std::unique_ptr<kgraph::server::KgraphServer>> server =
      kgraph::server::KgraphServer::Start(options, text_extractor);
  if (!server.ok()) {
    std::fprintf(stderr, "kgraphd: %s\n", server.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "kgraphd: serving %s on port %d%s%s\n", options.db_path.c_str(),
               (*server)->port(), options.read_only ? " (read-only)" : "",
               (*server)->metrics_port() ? (" metrics port " + std::to_string((*server)->metrics_port())).c_str() : "");
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::fprintf(stderr, "kgraphd: signal %d, shutting down\n", sig);
    (*server)->Shutdown();
  });
  (*server)->Wait();
  signal_thread.join();
  std::fprintf(stderr, "kgraphd: stopped\n");
  return 0;
}
