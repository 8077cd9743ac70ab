// Limits and defaults of one kgraphd: every per-request budget is clamped to
// these, so no client can ask for an unbounded query. The defaults are sized
// so that the worst read calls measured (bench/worst_case.sh: weighted
// k-shortest and all-paths on FB15k-237 and on a 1M-edge supernode, 16
// clients) stay under 1 s of CPU each and kgraphd under 512 MB
// (docs/RELIABILITY.md, "Bounded reads").
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

  // Search state one read call may hold (adjacency caches, path states,
  // result nodes and edges), as the query engine estimates it. At most
  // `threads` calls run at once, so threads * max bounds it server-wide.
  int64_t default_call_memory_bytes = int64_t{32} << 20;
  int64_t max_call_memory_bytes = int64_t{64} << 20;
  // CPU time one read call's query may use, whatever it asks for; the
  // result so far is returned, truncated MAX_CPU_TIME. Zero: no limit.
  absl::Duration max_call_cpu = absl::Seconds(1);
  // Complete GetNeighbors/GetSubgraph results kept for their later pages
  // (query/traversal_cache.h); 0 turns the cache off. An entry may take a
  // quarter of it: 64 MB holds a supernode's 100,000-neighbor listing
  // (the largest fan-out), about 10 MB.
  int64_t traversal_cache_bytes = int64_t{64} << 20;
};

}  // namespace kgraph::server
