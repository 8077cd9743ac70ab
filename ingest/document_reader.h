// Document readers: turn files into SourceDocuments. Handles scraped
// multi-article text pages (split into articles, boilerplate dropped), JSON
// lines ({id?, text, title?, date?, url?}, the Reuters shape too) and HTML
// (via gumbo; script/style/nav dropped). A bad document (truncated JSON,
// wrong-typed fields, invalid UTF-8, binary data, an oversized line or
// document, HTML nested too deep, an empty file) is reported to the sink as an
// error naming file and line, and reading goes on. No reader recurses on the
// input's structure: pages and JSON lines are split in one pass, simdjson
// parses iteratively (JSON nested deeper than 1024 levels is an error), and
// HTML is depth-checked before gumbo parses it and walked with an explicit
// stack. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/document.h"
#include "ingest/html_nesting.h"

namespace kgraph::ingest {

using DocumentSink = std::function<void(absl::StatusOr<SourceDocument>)>;

struct ReaderOptions {
  // The largest document read, in bytes: a JSON line, an HTML file, or one
  // line of a text page. Larger ones are rejected unparsed (RESOURCE_EXHAUSTED
  // naming file and line). A text page holds several articles and may be up
  // to 4 times this size; a larger file is refused before it is read. JSON
  // lines are streamed, so a JSON-lines file may be of any size: the reader
  // holds at most one line plus a 1 MiB chunk.
  size_t max_document_bytes = 16 << 20;
  // HTML nesting caps, checked before gumbo parses a document (see
  // ingest/html_nesting.h): 2,000 elements deep by default.
  HtmlNestingLimits html_limits;
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
// One JSON object. "text" must be a non-empty string; "title", "url" and
// "date" strings; "id" (or "doc") a string or an integer. A known field of
// another type is an error naming `source` and the field ('FILE:3: field
// "text": expected a string, found number'); null counts as absent for the
// optional fields. A "date" that ParseDate (ingest/date_parse.h) rejects
// leaves the document undated with a warning in SourceDocument::warnings.
absl::StatusOr<SourceDocument> ParseJsonDocument(absl::string_view line,
                                                 const std::string& source);
absl::StatusOr<SourceDocument> ParseHtml(absl::string_view html,
                                         const std::string& file_name,
                                         const ReaderOptions& options = {});

// Lenient ParseDate: the ISO date, or "" when `date` does not parse.
std::string NormalizeDate(absl::string_view date);

}  // namespace kgraph::ingest
