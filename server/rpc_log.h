// One structured line per finished RPC on stderr: method, code, latency,
// result size, peer (and the error message when not OK). A single write per
// line so concurrent calls do not interleave.
//
// Thread safety: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/time/time.h"

namespace kgraph::server {

void LogRpc(const std::string& method, const grpc::Status& status, absl::Duration latency,
            int64_t result_size, const std::string& peer);

// Extra members of one line: numbers as JSON numbers, strings JSON-escaped
// (callers truncate user input first, e.g. with QuoteForMessage).
using RpcLogFields = std::vector<std::pair<std::string, std::variant<int64_t, std::string>>>;
void LogRpc(const std::string& method, const grpc::Status& status, absl::Duration latency,
            int64_t result_size, const std::string& peer, const RpcLogFields& fields);

// Turns the per-RPC log off (benchmarks); on by default.
void SetRpcLogEnabled(bool enabled);

}  // namespace kgraph::server
