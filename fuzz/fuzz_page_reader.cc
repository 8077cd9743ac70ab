// Fuzz target: ingest::ReadScrapedPage, the multi-article text page reader,
// on arbitrary bytes. Properties: no crash; every article has an id, a title
// and text that starts with the title; every error names the file and is short.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "ingest/document_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using kgraph::ingest::SourceDocument;
  static const std::string kFile = "fuzz-page.txt";
  const absl::string_view content(reinterpret_cast<const char*>(data), size);
  kgraph::ingest::ReadScrapedPage(content, kFile, [&](absl::StatusOr<SourceDocument> doc) {
    if (!doc.ok()) {
      kgraph::fuzz::CheckInputError(doc.status(), kFile);
      return;
    }
    FUZZ_CHECK(!doc->id.empty(), doc->source);
    FUZZ_CHECK(!doc->title.empty(), doc->source);
    FUZZ_CHECK(doc->text.compare(0, doc->title.size(), doc->title) == 0, doc->text);
    FUZZ_CHECK(doc->source.compare(0, kFile.size(), kFile) == 0, doc->source);
  });
  return 0;
}
