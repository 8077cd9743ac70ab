// Opaque page tokens (AIP-158). A token carries a cursor (the sort key of the
// last item returned) and a fingerprint of the request it belongs to, so a
// token replayed with other request fields is rejected instead of silently
// returning a wrong page. Tokens are keyset cursors, not offsets: items are
// never returned twice or skipped while the data does not change.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace kgraph::query {

// Web-safe base64 of a version byte, the fingerprint and `cursor`.
std::string EncodePageToken(uint64_t request_fingerprint, std::string_view cursor);

// Returns the cursor. InvalidArgument naming `page_token` if the token is
// malformed or was issued for a request with another fingerprint.
absl::StatusOr<std::string> DecodePageToken(std::string_view token,
                                            uint64_t request_fingerprint);

// Cursor field helpers: fixed-width big-endian fields appended/consumed in order.
void AppendCursorInt(std::string* cursor, int64_t v);
// Returns false iff fewer than 8 bytes remain.
bool ConsumeCursorInt(std::string_view* cursor, int64_t* v);

}  // namespace kgraph::query
