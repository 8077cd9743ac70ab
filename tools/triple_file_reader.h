// Reads triple files for `kgraph-admin load`: TSV, CSV, JSON lines,
// N-Triples, and FB15k-237's train2id.txt with its id maps. Each malformed
// line becomes a LineError naming file and line; reading stops after
// `max_errors` of them. Every reader is a single pass over bounded lines:
// a line longer than kMaxTripleLineBytes is a malformed line, skipped without
// being held in memory; JSON lines are parsed iteratively by simdjson
// (nesting deeper than 1024 levels is malformed); subjects, relations and
// objects must pass ValidateEntityName (model/text_limits.h: at most
// kMaxNameBytes of UTF-8, no control characters, a letter or digit); echoed
// input is quoted and cut short. Not thread-safe; one reader per load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/graph_store.h"

namespace kgraph::admin {

// The longest line read, in bytes. Three names of kMaxNameBytes fit many
// times over, even as JSON with every character escaped.
inline constexpr size_t kMaxTripleLineBytes = 1 << 20;

enum class TripleFormat { kAuto, kTsv, kCsv, kJsonl, kNTriples, kFb15k };

// "tsv", "csv", "jsonl", "nt", "fb15k" or "auto"; InvalidArgument otherwise.
absl::StatusOr<TripleFormat> ParseTripleFormat(const std::string& name);

struct LineError {
  std::string file;
  int64_t line = 0;
  std::string message;
  std::string ToString() const;
};

struct TripleFileContents {
  std::vector<storage::BulkTriple> triples;
  std::vector<LineError> errors;
  uint64_t content_hash = 0;  // of every byte read, for idempotent reloads
  uint64_t bytes = 0;
};

// Appends the triples of `path` to `out`. A path that is a directory, or a
// file named train2id.txt, is read as FB15k (entity2id.txt and
// relation2id.txt beside it). Fails (without a partial result) when a file
// cannot be read, when more than `max_errors` lines are malformed, or with
// InvalidArgument "FILE: no triples (...)" when the file is empty or holds
// only blank and comment lines.
absl::Status ReadTripleFile(const std::string& path, TripleFormat format, int64_t max_errors,
                            TripleFileContents* out);

}  // namespace kgraph::admin
