// Line-oriented data files: gazetteers, cue word lists, the relation
// vocabulary and pattern files. One reader for the conventions they share,
// so every loader skips the same lines and reports "path:line: message".
#pragma once

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kgraph::ingest {

// Calls fn(line_no, line) for each line of `path`, in order, with a trailing
// '\r' removed. Blank lines and lines whose first character is '#' are
// skipped; an indented '#' line is passed on, for loaders that strip
// whitespace to decide. NotFound if the file cannot be opened; otherwise the
// first error `fn` returns, which stops the reading.
absl::Status ForEachDataLine(const std::string& path,
                             absl::FunctionRef<absl::Status(int line_no, absl::string_view line)> fn);

// InvalidArgument "path:line_no: message".
absl::Status DataLineError(const std::string& path, int line_no, absl::string_view message);

}  // namespace kgraph::ingest
