// The one place where absl::Status becomes grpc::Status: the query engine and
// storage speak absl, only the server speaks gRPC.
//
// Thread safety: pure functions.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace kgraph::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

// "OK", "NOT_FOUND", ...: the names Prometheus labels and logs use.
const char* GrpcCodeName(grpc::StatusCode code);

}  // namespace kgraph::server
