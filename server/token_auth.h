// Bearer-token authorization: a file of "token scope" lines (scope `read` or
// `admin`; admin implies read). Clients send "authorization: Bearer <token>".
// Checked at the start of every call, before any work is queued, so a refused
// call costs nothing.
//
// Thread safety: immutable after Load; Authorize is safe from any thread.
#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace grpc {
class ServerContextBase;
}

namespace kgraph::server {

enum class Scope { kRead = 1, kAdmin = 2 };

class TokenAuth {
 public:
  // InvalidArgument naming the line for a malformed file; NotFound if missing.
  // Blank lines and lines starting with '#' are skipped.
  static absl::StatusOr<std::unique_ptr<TokenAuth>> Load(const std::string& path);

  // OK iff the call carries a known token whose scope covers `needed`;
  // Unauthenticated for a missing or unknown token, PermissionDenied for a
  // read token on an admin method.
  absl::Status Authorize(const grpc::ServerContextBase& ctx, Scope needed) const;

 private:
  absl::flat_hash_map<std::string, Scope> tokens_;
};

}  // namespace kgraph::server
