// Limits on user-supplied text that every module enforces the same way: what
// a valid entity name is, and how user input is echoed in error messages and
// log lines (quoted, control bytes escaped, cut short). Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace kgraph {

// The longest entity name accepted anywhere (load, ingest, RPC), in bytes.
// Real names are far shorter (the longest FB15k-237 or Reuters name is under
// 200 bytes); the cap keeps keys, log lines and replies small.
inline constexpr size_t kMaxNameBytes = 1024;

// OK iff `name` is at most kMaxNameBytes bytes of valid UTF-8, holds no NUL or
// other C0/C1 control character (tab, CR and LF included; names are single
// lines) and contains at least one letter or digit. Otherwise InvalidArgument
// whose message says what is wrong, e.g. "name of 51200000 bytes exceeds the
// limit of 1024" or "name contains control character U+0000 at byte 3"; the
// message never contains more than a short quoted excerpt of `name`. Callers
// prefix it with where the name came from ("FILE:LINE: subject: ").
absl::Status ValidateEntityName(std::string_view name);

// `s` quoted for an error message: wrapped in double quotes, with '"' and
// '\\' backslash-escaped, C0 controls and DEL written as \n, \t, \r or
// \xHH, C1 controls as \u00HH and bytes that are not valid UTF-8 as \xHH.
// When `s` is longer than `max_bytes`, only its first `max_bytes` bytes are
// kept, cut at a UTF-8 character boundary, and "…(N bytes)" follows the
// closing quote, N being the full size of `s`. So the result is at most about
// 4 * max_bytes + 24 bytes whatever the size of `s`.
// QuoteForMessage("a\tb") == "\"a\\tb\"";
// QuoteForMessage(std::string(100, 'x'), 4) == "\"xxxx\"…(100 bytes)".
std::string QuoteForMessage(std::string_view s, size_t max_bytes = 64);

}  // namespace kgraph
