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

// The counts add up: documents == written + unchanged + duplicates + failed.
struct CorpusIngestStats {
  int64_t documents = 0;       // read, or found unreadable, in the input files
  int64_t written = 0;         // new or changed documents stored
  int64_t unchanged = 0;       // re-ingested with identical content: no-op
  int64_t duplicates = 0;      // same text already stored as another document (a warning each)
  int64_t retracted = 0;       // stored documents that left their re-read source
  int64_t failed = 0;          // unreadable + not stored (each listed in `errors`)
  int64_t unreadable = 0;      // reader errors: nothing of them was stored
  int64_t files_failed = 0;    // input files that could not be opened or read at all
  int64_t entities_created = 0;
  int64_t edges_created = 0;
  int64_t triples = 0;          // typed triples extracted
  int64_t co_mentions = 0;
  int64_t bytes = 0;            // document text bytes
  std::vector<std::string> errors;    // "file:line: message", in input order
  std::vector<std::string> warnings;  // documents stored with a caveat (an unparseable date)
  // The watermark: the last document committed to the store (its id and
  // "file:line"), in input order. Every document before it is committed too.
  std::string last_committed_id;
  std::string last_committed_source;
};

class CorpusIngester {
 public:
  // `extractor` and `store` must outlive the ingester. REQUIRES: threads >= 1.
  CorpusIngester(const ingest::Extractor* extractor, storage::GraphStore* store, int threads);

  // Ingests every document of `paths`. A bad document, and a file that
  // cannot be read at all, is recorded in stats->errors and skipped; the rest
  // still goes in. A file read without any error is then reconciled with its
  // manifest: stored documents of that file that it no longer holds are
  // retracted. `progress` (may be empty) is called after each window.
  absl::Status IngestFiles(const std::vector<std::string>& paths, CorpusIngestStats* stats,
                           const std::function<void(const CorpusIngestStats&)>& progress);

 private:
  void ProcessWindow(std::vector<ingest::SourceDocument>* window, CorpusIngestStats* stats);

  const ingest::Extractor* extractor_;
  storage::GraphStore* store_;
  int threads_;
};

}  // namespace kgraph::pipeline
