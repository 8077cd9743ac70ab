// JSON form of an ExtractedDocument: one object per line, as written by
// `kgraph-admin extract` and read back by `kgraph-admin eval --pred`. Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"
#include "ingest/document.h"

namespace kgraph::ingest {

// {"doc","title","date","url","entities":[{"name","type","aliases",
// "mentions":[[start,end]...],"attributes"}],"triples":[{"subject",
// "relation","object","confidence","rule","evidence":{"sentence","start",
// "end"}}],"co_mentions":[{"a","b","count"}]} on one line, no newline.
std::string ToJsonLine(const ExtractedDocument& doc);

// Parses ToJsonLine output (extra fields are ignored).
absl::StatusOr<ExtractedDocument> FromJsonLine(absl::string_view line);

}  // namespace kgraph::ingest
