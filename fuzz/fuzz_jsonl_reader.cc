// Fuzz target: ingest::ReadJsonLines and ParseJsonDocument on arbitrary bytes.
// Properties: no crash; each non-blank line yields exactly one document or one
// error (and an all-blank input one error), errors name file and line and are
// short; a document has an id and text; a line parsed alone gives the same
// document as inside the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_check.h"
#include "ingest/document_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kgraph::ingest::SourceDocument;
  static const std::string kFile = "fuzz.jsonl";
  const absl::string_view content(reinterpret_cast<const char*>(data), size);

  // The lines the reader is expected to report on, split independently.
  std::vector<std::pair<int, absl::string_view>> lines;
  int line_no = 0;
  for (size_t pos = 0; pos < content.size();) {
    size_t nl = content.find('\n', pos);
    if (nl == absl::string_view::npos) nl = content.size();
    ++line_no;
    absl::string_view line = content.substr(pos, nl - pos);
    if (!absl::StripAsciiWhitespace(line).empty()) lines.emplace_back(line_no, line);
    pos = nl + 1;
  }

  kgraph::ingest::ReaderOptions options;
  options.max_document_bytes = 1 << 12;  // so the fuzzer reaches the size limit
  std::vector<absl::StatusOr<SourceDocument>> results;
  kgraph::ingest::ReadJsonLines(content, kFile,
                                [&](absl::StatusOr<SourceDocument> d) { results.push_back(std::move(d)); },
                                options);
  if (lines.empty()) {
    FUZZ_CHECK(results.size() == 1 && !results[0].ok(), "blank input must be one error");
    kgraph::fuzz::CheckInputError(results[0].status(), kFile);
    return 0;
  }
  FUZZ_CHECK(results.size() == lines.size(), "one result per non-blank line");
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string source = absl::StrCat(kFile, ":", lines[i].first);
    if (!results[i].ok()) {
      kgraph::fuzz::CheckInputError(results[i].status(), source);
      continue;
    }
    const SourceDocument& doc = *results[i];
    FUZZ_CHECK(!doc.id.empty(), source);
    FUZZ_CHECK(!doc.text.empty(), source);
    FUZZ_CHECK(doc.date.empty() || doc.date.size() == 10, doc.date);
    absl::StatusOr<SourceDocument> alone = kgraph::ingest::ParseJsonDocument(lines[i].second, source);
    FUZZ_CHECK(alone.ok(), source);
    FUZZ_CHECK(alone->id == doc.id && alone->text == doc.text && alone->title == doc.title &&
                   alone->date == doc.date && alone->url == doc.url,
               source);
  }
  return 0;
}
