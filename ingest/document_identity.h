// Stable document identity: an article's id derives from where it was read
// (the resolved path, or its URL) and its own content (title and body), never
// from its position on a page, so adding an article to a page renumbers
// nothing and a different file of the same name is never taken for it.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kgraph::ingest {

// The manifest key of an input file: its absolute, normalized path with
// symlinks resolved where they exist ("./x/../page.txt" -> "/data/page.txt").
std::string ResolveSourceKey(const std::string& path);

// "<display>#<12 hex digits>": `display` (the file name, for people) and a
// 48-bit hash of `source_key`, `title` and `text`. Equal inputs give equal
// ids on every machine and run.
std::string ContentDocumentId(std::string_view display, std::string_view source_key,
                              std::string_view title, std::string_view text);

}  // namespace kgraph::ingest
