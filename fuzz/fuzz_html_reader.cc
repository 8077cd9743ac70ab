// Fuzz target: ingest::ParseHtml (the nesting pre-check, gumbo, then the text
// walk) on arbitrary bytes, with small nesting limits so that 4 KB inputs
// reach them. Properties: no crash, no stack overflow; a document has an id
// and non-empty text with no surrounding whitespace; an error names the file
// and is short; a document ParseHtml accepts is no deeper in gumbo than
// max_depth elements (html and body not counted: the exact cap, enforced on
// gumbo's tree); and CheckHtmlNesting, the cheap guard run before gumbo, is
// never far off: a document it accepts is at most twice max_depth deep in
// gumbo (a construct it undercounts, repeated, would exceed that) and has an
// element count linear in the input (formatting elements re-opened at most
// max_reopened plus one per 2 bytes).
#include <gumbo.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "fuzz/fuzz_check.h"
#include "ingest/document_reader.h"
#include "ingest/html_nesting.h"

namespace {

struct TreeShape {
  size_t depth = 0;     // deepest element, the root <html> being 1
  size_t elements = 0;  // element and template nodes
};

// Iterative, so that the check itself cannot overflow the stack.
TreeShape Shape(const GumboNode* root) {
  TreeShape shape;
  std::vector<std::pair<const GumboNode*, size_t>> stack = {{root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    ++shape.elements;
    shape.depth = std::max(shape.depth, depth);
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.emplace_back(static_cast<const GumboNode*>(children.data[i]), depth + 1);
    }
  }
  return shape;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string kFile = "fuzz.html";
  const absl::string_view html(reinterpret_cast<const char*>(data), size);
  kgraph::ingest::ReaderOptions options;
  options.html_limits.max_depth = 24;
  options.html_limits.max_reopened = 64;

  absl::StatusOr<kgraph::ingest::SourceDocument> doc =
      kgraph::ingest::ParseHtml(html, kFile, options);
  if (!doc.ok()) {
    kgraph::fuzz::CheckInputError(doc.status(), kFile);
  } else {
    FUZZ_CHECK(!doc->id.empty(), "");
    FUZZ_CHECK(!doc->text.empty(), "");
    FUZZ_CHECK(absl::StripAsciiWhitespace(doc->text).size() == doc->text.size(), doc->text);
  }

  // What ParseHtml gives gumbo: CDATA sections as comments (gumbo 0.10.1
  // aborts on some CDATA in foreign content inside tables).
  const std::string for_gumbo = kgraph::ingest::CdataAsComments(html);
  const absl::Status nesting =
      kgraph::ingest::CheckHtmlNesting(for_gumbo, kFile, options.html_limits);
  if (!nesting.ok()) {
    kgraph::fuzz::CheckInputError(nesting, kFile);
    return 0;
  }
  GumboOutput* output =
      gumbo_parse_with_options(&kGumboDefaultOptions, for_gumbo.data(), for_gumbo.size());
  FUZZ_CHECK(output != nullptr, "gumbo_parse");
  const TreeShape shape = Shape(output->root);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  // Shape counts <html> (and <body> below it) as levels.
  const size_t depth = shape.depth > 2 ? shape.depth - 2 : 0;
  if (doc.ok()) {
    FUZZ_CHECK(depth <= options.html_limits.max_depth,
               absl::StrCat("ParseHtml accepted a document gumbo nests ", depth, " deep"));
  }
  FUZZ_CHECK(depth <= 2 * options.html_limits.max_depth,
             absl::StrCat("pre-check accepted, but gumbo nests ", depth, " deep"));
  // Each tag makes at most a few elements (itself and implied parents such as
  // tbody/tr), plus the re-opened formatting elements.
  const size_t bound = 3 * size + options.html_limits.max_reopened + size / 2 + 8;
  FUZZ_CHECK(shape.elements <= bound,
             absl::StrCat("accepted, but gumbo built ", shape.elements, " elements"));
  return 0;
}
