// The seam between extraction and storage: turns what ingest/ produced for one
// document into the storage write for it. Lives above both modules so that
// neither knows the other. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "ingest/document.h"
#include "storage/graph_store.h"
#include "storage/relation_kind.h"

namespace kgraph::pipeline {

// The relation under which untyped same-sentence co-occurrences are stored:
// storage's co-mention kind, kept apart from the typed relations. Each pair
// is one triple per document with no confidence, so the stored edge's weight
// is the number of documents that name both entities in one sentence.
inline constexpr const char* kCoMentionRelation = storage::kCoMentionRelation;
inline constexpr char kCoMentionRule[] = "co_mention";

// The article's own content, whatever its id or source (title and body;
// never 0, which storage reads as "no hash"): a copy of a page under another
// name has the same hash, and storage stores it once.
uint64_t TextHash(std::string_view title, std::string_view text);

// `source_text` is the document text the extraction ran on; its hash makes
// re-ingesting an unchanged document a no-op, and with the title it is the
// document's text_hash.
storage::DocumentInput ToDocumentInput(const ingest::ExtractedDocument& doc,
                                       std::string_view source_text);

}  // namespace kgraph::pipeline
