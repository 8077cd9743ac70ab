#include "pipeline/corpus_ingester.h"

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
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
    auto result = store_->IngestDocument(ToDocumentInput(extracted[i], src.text));
    if (!result.ok()) {
      stats->failed++;
      stats->errors.push_back(absl::StrCat(src.source, ": ", result.status().message()));
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
    absl::Status s = ingest::ReadDocuments(path, [&](absl::StatusOr<ingest::SourceDocument> doc) {
      stats->documents++;
      if (!doc.ok()) {
        stats->failed++;
        stats->unreadable++;
        stats->errors.push_back(std::string(doc.status().message()));
        return;
      }
      window.push_back(*std::move(doc));
      if (window.size() >= kWindowDocuments) {
        ProcessWindow(&window, stats);
        if (progress) progress(*stats);
      }
    });
    if (!s.ok()) {
      stats->files_failed++;
      stats->errors.push_back(std::string(s.message()));
    }
  }
  if (!window.empty()) ProcessWindow(&window, stats);
  if (progress) progress(*stats);
  return absl::OkStatus();
}

}  // namespace kgraph::pipeline
