// Document readers: turn files into SourceDocuments. Handles scraped
// multi-article text pages (split into articles, boilerplate dropped), JSON
// lines ({id?, text, title?, date?, url?}, the Reuters shape too) and HTML
// (via gumbo; script/style/nav dropped). A bad document (truncated JSON,
// invalid UTF-8, binary data, an oversized line, an empty file) is reported to
// the sink as an error naming file and line, and reading goes on. Pure
// functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/document.h"

namespace kgraph::ingest {

using DocumentSink = std::function<void(absl::StatusOr<SourceDocument>)>;

struct ReaderOptions {
  // JSON lines and documents longer than this are rejected, not parsed.
  size_t max_document_bytes = 16 << 20;
};

// Reads every document of `path` in order and hands each (or its error) to
// `sink`. Returns an error only when the file cannot be opened or read.
absl::Status ReadDocuments(const std::string& path, const DocumentSink& sink,
                           const ReaderOptions& options = {});

// The format-specific parsers, exposed for tests. `file_name` names the
// source in ids and messages.
void ReadScrapedPage(absl::string_view content, const std::string& file_name,
                     const DocumentSink& sink);
void ReadJsonLines(absl::string_view content, const std::string& file_name,
                   const DocumentSink& sink, const ReaderOptions& options);
absl::StatusOr<SourceDocument> ParseJsonDocument(absl::string_view line,
                                                 const std::string& source);
absl::StatusOr<SourceDocument> ParseHtml(absl::string_view html,
                                         const std::string& file_name);

// "26-FEB-1987 15:01:01.79", "1987-02-26T..." -> "1987-02-26"; "" if unknown.
std::string NormalizeDate(absl::string_view date);

}  // namespace kgraph::ingest
