// Fuzz target: ingest::ParseHtml (gumbo, then the text walk) on arbitrary
// bytes. Properties: no crash, no stack overflow on deep nesting; a document
// has an id and non-empty text with no surrounding whitespace; an error names
// the file and is short.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "fuzz/fuzz_check.h"
#include "ingest/document_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string kFile = "fuzz.html";
  const absl::string_view html(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<kgraph::ingest::SourceDocument> doc = kgraph::ingest::ParseHtml(html, kFile);
  if (!doc.ok()) {
    kgraph::fuzz::CheckInputError(doc.status(), kFile);
    return 0;
  }
  FUZZ_CHECK(!doc->id.empty(), "");
  FUZZ_CHECK(!doc->text.empty(), "");
  FUZZ_CHECK(absl::StripAsciiWhitespace(doc->text).size() == doc->text.size(), doc->text);
  return 0;
}
