#include "server/token_auth.h"

#include <fstream>
#include <vector>

#include <grpcpp/server_context.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kgraph::server {

absl::StatusOr<std::unique_ptr<TokenAuth>> TokenAuth::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read auth token file ", path));
  auto auth = std::unique_ptr<TokenAuth>(new TokenAuth());
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> parts = absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 2 || (parts[1] != "read" && parts[1] != "admin")) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", n, ": expected \"<token> read|admin\""));
    }
    auth->tokens_[parts[0]] = parts[1] == "admin" ? Scope::kAdmin : Scope::kRead;
  }
  if (auth->tokens_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no tokens (remove --auth_tokens to turn auth off)"));
  }
  return auth;
}

absl::Status TokenAuth::Authorize(const grpc::ServerContextBase& ctx, Scope needed) const {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError("missing \"authorization: Bearer <token>\" metadata");
  }
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError("authorization metadata is not a Bearer token");
  }
  auto token = tokens_.find(absl::StripAsciiWhitespace(value.substr(kBearer.size())));
  if (token == tokens_.end()) return absl::UnauthenticatedError("unknown bearer token");
  if (static_cast<int>(token->second) < static_cast<int>(needed)) {
    return absl::PermissionDeniedError("this method needs a token with the admin scope");
  }
  return absl::OkStatus();
}

}  // namespace kgraph::server
