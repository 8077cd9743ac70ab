#include "tools/document_lines.h"

#include <atomic>
#include <iostream>
#include <thread>

#include "ingest/document_reader.h"

namespace kgraph::admin {

DocumentLineTotals WriteDocumentLines(
    const std::vector<std::string>& inputs, size_t batch_documents, int threads,
    const std::string& command,
    const std::function<std::string(const ingest::SourceDocument&)>& line_of, std::ostream& out) {
  DocumentLineTotals totals;
  std::vector<ingest::SourceDocument> batch;
  std::vector<std::string> lines;
  auto flush = [&] {
    lines.assign(batch.size(), "");
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < batch.size();) lines[i] = line_of(batch[i]);
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    for (const std::string& l : lines) out << l << '\n';
    totals.documents += batch.size();
    batch.clear();
  };
  for (const std::string& in : inputs) {
    absl::Status s = ingest::ReadDocuments(in, [&](absl::StatusOr<ingest::SourceDocument> doc) {
      if (!doc.ok()) {
        ++totals.errors;
        std::cerr << command << ": skipped: " << doc.status().message() << "\n";
        return;
      }
      totals.text_bytes += doc->text.size();
      batch.push_back(std::move(*doc));
      if (batch.size() >= batch_documents) flush();
    });
    if (!s.ok()) {
      ++totals.errors;
      std::cerr << command << ": " << s.message() << "\n";
    }
  }
  flush();
  return totals;
}

}  // namespace kgraph::admin
