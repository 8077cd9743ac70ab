// What every service handler shares: the store, the limits, the worker pool,
// auth and metrics. Owned by KgraphServer; handlers borrow it.
//
// Thread safety: the pointers are set before the server starts and never
// change; `draining` flips once, at shutdown.
#pragma once

#include <atomic>

#include "server/rpc_metrics.h"
#include "server/server_options.h"
#include "server/token_auth.h"
#include "server/work_pool.h"
#include "storage/graph_store.h"

namespace kgraph::server {

struct ServiceContext {
  storage::GraphStore* store = nullptr;
  ServerOptions options;
  WorkPool* pool = nullptr;
  const TokenAuth* auth = nullptr;  // null: auth off
  RpcMetrics* metrics = nullptr;
  // Set at shutdown: new calls fail UNAVAILABLE while in-flight ones finish.
  std::atomic<bool> draining{false};
};

}  // namespace kgraph::server
