// Limits and defaults of one kgraphd: every per-request budget is clamped to
// these, so no client can ask for an unbounded query.
//
// Thread safety: a value; read-only once the server runs.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace kgraph::server {

struct ServerOptions {
  std::string db_path;
  std::string listen = "127.0.0.1:50051";
  std::string metrics_listen;  // "" = no metrics endpoint
  int threads = 4;             // query worker threads
  int max_queued_calls = 1024;  // beyond this, calls fail RESOURCE_EXHAUSTED
  bool read_only = false;
  size_t entity_cache_entries = 100'000;  // decoded entities for reply pages; 0 = off

  // TLS: both cert and key, or neither. A client CA turns on mTLS.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string auth_tokens_file;  // "" = auth off

  absl::Duration default_deadline = absl::Seconds(10);
  absl::Duration shutdown_grace = absl::Seconds(5);

  int max_hops = 6;
  int default_path_hops = 4;
  int64_t default_page_size = 50;
  int64_t max_page_size = 1000;
  int64_t default_visited_nodes = 100'000;
  int64_t max_visited_nodes = 1'000'000;
  int64_t default_expanded_edges = 1'000'000;
  int64_t max_expanded_edges = 20'000'000;
  int64_t default_edges_per_node = 10'000;
  int64_t max_edges_per_node = 100'000;
  int64_t default_path_limit = 100;
  int64_t max_path_limit = 1000;
  int64_t max_search_candidates = 20'000;
  int64_t max_seeds = 100;
  int64_t max_upsert_triples = 1'000'000;
};

}  // namespace kgraph::server
