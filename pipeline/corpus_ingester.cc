#include "pipeline/corpus_ingester.h"

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ingest/document_identity.h"
#include "ingest/document_reader.h"
#include "pipeline/document_conversion.h"

namespace kgraph::pipeline {
namespace {

constexpr size_t kWindowDocuments = 512;

}  // namespace

CorpusIngester::CorpusIngester(const ingest::Extractor* extractor, storage::GraphStore* store,
                               int threads)
    : extractor_(extractor), store_(store), threads_(threads < 1 ? 1 : threads) {}

void CorpusIngester::ProcessWindow(std::vector<ingest::SourceDocument>* window,
                                   CorpusIngestStats* stats) {
  std::vector<ingest::ExtractedDocument> extracted(window->size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < window->size(); i = next++) {
      extracted[i] = extractor_->Extract((*window)[i]);
    }
  };
  std::vector<std::thread> pool;
  int n = std::min<int>(threads_, static_cast<int>(window->size()));
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();

  // Writes stay in input order: that is what makes the store independent of
  // the thread count (alias resolution depends on what is already stored).
  for (size_t i = 0; i < window->size(); ++i) {
    const ingest::SourceDocument& src = (*window)[i];
    stats->bytes += static_cast<int64_t>(src.text.size());
    stats->triples += static_cast<int64_t>(extracted[i].triples.size());
    stats->co_mentions += static_cast<int64_t>(extracted[i].co_mentions.size());
    storage::DocumentInput input = ToDocumentInput(extracted[i], src.text);
    input.source = src.source_key;
    for (const std::string& w : src.warnings) stats->warnings.push_back(w);
    auto result = store_->IngestDocument(input);
    if (!result.ok()) {
      stats->failed++;
      stats->errors.push_back(absl::StrCat(src.source, ": ", result.status().message()));
      continue;
    }
    if (!result->duplicate_of.empty()) {
      stats->duplicates++;
      stats->warnings.push_back(absl::StrCat(src.source, ": same text as stored document ",
                                             result->duplicate_of, "; not stored again"));
      continue;
    }
    if (result->unchanged) {
      stats->unchanged++;
    } else {
      stats->written++;
    }
    stats->last_committed_id = src.id;
    stats->last_committed_source = src.source;
    stats->entities_created += result->entities_created;
    stats->edges_created += result->edges_created;
  }
  window->clear();
}

absl::Status CorpusIngester::IngestFiles(
    const std::vector<std::string>& paths, CorpusIngestStats* stats,
    const std::function<void(const CorpusIngestStats&)>& progress) {
  std::vector<ingest::SourceDocument> window;
  window.reserve(kWindowDocuments);
  for (const auto& path : paths) {
    const std::string source_key = ingest::ResolveSourceKey(path);
    std::vector<std::string> ids;
    int64_t unreadable = 0;
    absl::Status s = ingest::ReadDocuments(path, [&](absl::StatusOr<ingest::SourceDocument> doc) {
      stats->documents++;
      if (!doc.ok()) {
        stats->failed++;
        stats->unreadable++;
        ++unreadable;
        stats->errors.push_back(std::string(doc.status().message()));
        return;
      }
      if (doc->source_key.empty()) doc->source_key = source_key;
      ids.push_back(doc->id);
      window.push_back(*std::move(doc));
      if (window.size() >= kWindowDocuments) {
        ProcessWindow(&window, stats);
        if (progress) progress(*stats);
      }
    });
    if (!s.ok()) {
      stats->files_failed++;
      stats->errors.push_back(std::string(s.message()));
      continue;
    }
    // Its documents are all written before the manifest is reconciled. A
    // file that was not read whole keeps its manifest: an article that
    // failed to read this time must not be retracted for it.
    if (!window.empty()) ProcessWindow(&window, stats);
    if (unreadable > 0) {
      stats->warnings.push_back(absl::StrCat(path, ": ", unreadable,
                                             " document(s) could not be read, so documents that "
                                             "left this source were not retracted"));
      continue;
    }
    absl::StatusOr<std::vector<std::string>> gone = store_->ReconcileSource(source_key, ids);
    if (!gone.ok()) {
      stats->files_failed++;
      stats->errors.push_back(absl::StrCat(path, ": reconciling its stored documents: ",
                                           gone.status().message()));
      continue;
    }
    stats->retracted += static_cast<int64_t>(gone->size());
  }
  if (!window.empty()) ProcessWindow(&window, stats);
  if (progress) progress(*stats);
  return absl::OkStatus();
}

}  // namespace kgraph::pipeline
