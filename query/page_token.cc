#include "query/page_token.h"

#include "absl/strings/escaping.h"
#include "storage/key_format.h"

namespace kgraph::query {
namespace {
constexpr char kTokenVersion = 1;
}  // namespace

std::string EncodePageToken(uint64_t request_fingerprint, std::string_view cursor) {
  std::string raw(1, kTokenVersion);
  storage::PutBigEndian64(&raw, request_fingerprint);
  raw.append(cursor);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(std::string_view token,
                                            uint64_t request_fingerprint) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw) || raw.size() < 9 || raw[0] != kTokenVersion) {
    return absl::InvalidArgumentError("page_token is malformed");
  }
  if (storage::DecodeBigEndian64(raw.data() + 1) != request_fingerprint) {
    return absl::InvalidArgumentError(
        "page_token was issued for a different request; repeat the other fields unchanged");
  }
  return raw.substr(9);
}

void AppendCursorInt(std::string* cursor, int64_t v) {
  storage::PutBigEndian64(cursor, static_cast<uint64_t>(v));
}

bool ConsumeCursorInt(std::string_view* cursor, int64_t* v) {
  if (cursor->size() < 8) return false;
  *v = static_cast<int64_t>(storage::DecodeBigEndian64(cursor->data()));
  cursor->remove_prefix(8);
  return true;
}

}  // namespace kgraph::query
