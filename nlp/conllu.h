// CoNLL-U reading and writing (https://universaldependencies.org/format.html).
// Multi-word token ranges ("3-4") and empty nodes ("5.1") are skipped: a
// sentence holds its syntactic words only. Offsets are computed from the
// forms and SpaceAfter=No, so that they point into the sentence's "# text".
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/sentence.h"

namespace kgraph::nlp {

// Parses CoNLL-U text. `file_name` names the input in errors:
// "FILE:LINE: expected 10 tab-separated columns, found 7".
absl::StatusOr<std::vector<Sentence>> ParseConllu(absl::string_view text,
                                                  const std::string& file_name);

// Reads and parses a CoNLL-U file.
absl::StatusOr<std::vector<Sentence>> ReadConllu(const std::string& path);

// One sentence as CoNLL-U (ending with a blank line). Unknown columns are "_".
std::string FormatConllu(const Sentence& sentence);

}  // namespace kgraph::nlp
