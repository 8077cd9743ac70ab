// JSON text written directly into a string, for outputs too large to build
// as nlohmann::json trees first (annotate writes every word of a corpus,
// extract every entity and triple). Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace kgraph::model {

// Appends `s` as a JSON string literal, as nlohmann::json's dump() writes it
// with ensure_ascii off: '"', '\\' and control characters escaped (\n, \t,
// \r, \b, \f, else \u00xx), UTF-8 copied, and each invalid UTF-8 sequence
// replaced by U+FFFD (the error_handler_t::replace behaviour).
void AppendJsonString(absl::string_view s, std::string* out);

}  // namespace kgraph::model
