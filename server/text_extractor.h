// The text extractor kgraphd plugs into IngestService: text-only documents
// go through the same ingest::Extractor and conversion as `kgraph-admin
// ingest`, so both paths build the same graph. The returned function is
// thread-safe (Extractor::Extract is const).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "server/ingest_service.h"

namespace kgraph::server {

// Loads gazetteers and patterns from `data_dir` ("" = built-in default).
absl::StatusOr<TextExtractor> MakeTextExtractor(const std::string& data_dir);

}  // namespace kgraph::server
