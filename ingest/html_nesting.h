// A cheap linear pre-check run on raw HTML before gumbo sees it. gumbo's tree
// builder costs O(depth) per tag (scope checks walk the stack of open
// elements) and frees its tree recursively, so a deeply nested document is
// quadratic to parse and can overflow the stack when freed; and misnested
// formatting tags (<b>, <font>, ...) are re-opened ("reconstructed") by the
// HTML5 algorithm at every later paragraph, which turns a few KB of input
// into millions of nodes. This scanner follows the parts of gumbo 0.10.1's
// tree construction that decide how deep its stack of open elements grows
// (void and raw-text elements, implied end tags, scopes, tables, templates,
// select, foreign content, the adoption agency, the list of active formatting
// elements, and a few gumbo quirks), and takes the deeper reading wherever it
// cannot tell. tests/ingest_html_nesting_test.cc checks it against gumbo on
// tricky and random tag soup. It is a guard for gumbo's cost, not the cap
// itself: on misnestings it does not model, gumbo may nest a few levels
// deeper than estimated (fuzz_html_reader checks it is never off by more than
// a factor of two), so ParseHtml enforces the exact cap on gumbo's tree.
// Pure function; thread-safe.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kgraph::ingest {

struct HtmlNestingLimits {
  // Elements open at once (html and body not counted). gumbo parses a
  // 2,000-deep document in linear time (about 2 µs per element); past about
  // 4,000 the per-element cost grows with the depth.
  size_t max_depth = 2000;
  // Formatting elements re-opened by reconstruction over the whole document:
  // at most this many plus one per 2 bytes of input, which keeps gumbo's
  // node count linear in the input. Sloppy real pages ("<p><b>..." never
  // closed) re-open up to three per paragraph.
  size_t max_reopened = 100000;
};

// OK iff `html` stays within `limits`. Otherwise InvalidArgument naming
// `file_name` and the line where the limit was crossed:
// "FILE:LINE: HTML nesting deeper than 2000 elements". Linear in the size of
// `html`; memory is bounded by the depth limit.
absl::Status CheckHtmlNesting(absl::string_view html, const std::string& file_name,
                              const HtmlNestingLimits& limits = {});

// `html` with each CDATA section made a comment: "<![CDATA[x]]>" becomes
// "<!--[CDATA[x]]-->". gumbo 0.10.1 aborts the process on an assertion
// (handle_in_table, parser.c:3071) for a CDATA section in SVG/MathML inside a
// table ("<table><math><mn/-><![CDATA[x]]><", found by fuzz_html_reader),
// and CDATA holds no article text. Lines are kept, so errors still name them.
// What ParseHtml hands to the pre-check and to gumbo.
std::string CdataAsComments(absl::string_view html);

// Frees gumbo's output of a tree `depth` elements deep. gumbo frees
// recursively, a few dozen bytes of stack per level: past a few tens of
// thousands of levels that overflows a thread's stack. Should the pre-check
// ever under-estimate a hostile document (the fuzzer found three such
// misnestings), a deep tree is freed on a thread of its own whose stack fits
// it, so the process survives. Shallow trees are freed in place.
void DestroyGumboOutput(const GumboOptions* options, GumboOutput* output, size_t depth);

}  // namespace kgraph::ingest
