// UnaryCall: the life of one unary RPC on the callback API. The gRPC thread
// only checks draining and auth and queues the work; a WorkPool thread runs
// it with the call's deadline and a cancellation flag the query engine polls;
// the call then logs one line, records metrics and finishes.
//
// Thread safety: each call is its own object; OnCancel may run on a gRPC
// thread while the work runs on a pool thread (hence the atomic flag).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/service_context.h"
#include "server/token_auth.h"

namespace kgraph::server {

// What a handler's work gets to know about its call.
struct CallEnv {
  absl::Time deadline;  // the client's deadline or the server default, whichever is first
  const std::atomic<bool>* cancelled = nullptr;
};

// Fills the response; sets *result_size (items returned) for the log line.
using UnaryWork = std::function<absl::Status(const CallEnv& env, int64_t* result_size)>;

// Returns the reactor gRPC expects from a callback handler. `method` is
// "<package.Service>/<Method>".
grpc::ServerUnaryReactor* StartUnaryCall(ServiceContext* svc, grpc::CallbackServerContext* ctx,
                                         const char* method, Scope scope, UnaryWork work);

// Checks shared by unary and streaming calls: draining, then auth.
absl::Status AdmitCall(const ServiceContext& svc, const grpc::CallbackServerContext& ctx,
                       Scope scope);

// The call's effective deadline (see CallEnv::deadline).
absl::Time CallDeadline(const ServiceContext& svc, const grpc::CallbackServerContext& ctx);

}  // namespace kgraph::server
