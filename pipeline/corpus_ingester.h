// CorpusIngester: reads document files, extracts them in parallel and writes
// each document to the store as one atomic batch. Documents are written in
// input order, so the store is identical for any thread count. Memory stays
// bounded: documents flow through in fixed-size windows.
// Not thread-safe: one ingester runs one corpus at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ingest/extractor.h"
#include "storage/graph_store.h"

namespace kgraph::pipeline {

struct CorpusIngestStats {
  int64_t documents = 0;       // read and extracted
  int64_t written = 0;         // new or changed documents stored
  int64_t unchanged = 0;       // re-ingested with identical content: no-op
  int64_t failed = 0;          // reader or store errors (listed in `errors`)
  int64_t entities_created = 0;
  int64_t edges_created = 0;
  int64_t triples = 0;          // typed triples extracted
  int64_t co_mentions = 0;
  int64_t bytes = 0;            // document text bytes
  std::vector<std::string> errors;  // "file:line: message", in input order
};

class CorpusIngester {
 public:
  // `extractor` and `store` must outlive the ingester. REQUIRES: threads >= 1.
  CorpusIngester(const ingest::Extractor* extractor, storage::GraphStore* store, int threads);

  // Ingests every document of `paths`. A bad document is recorded in
  // stats->errors and skipped; the rest still goes in. Fails only when a file
  // cannot be read at all. `progress` (may be empty) is called after each window.
  absl::Status IngestFiles(const std::vector<std::string>& paths, CorpusIngestStats* stats,
                           const std::function<void(const CorpusIngestStats&)>& progress);

 private:
  void ProcessWindow(std::vector<ingest::SourceDocument>* window, CorpusIngestStats* stats);

  const ingest::Extractor* extractor_;
  storage::GraphStore* store_;
  int threads_;
};

}  // namespace kgraph::pipeline
