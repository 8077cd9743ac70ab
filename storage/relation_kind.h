// What an edge of a relation asserts. A typed relation ("acquired",
// "/film/film/genre") is a fact extracted by a pattern or bulk-loaded, with a
// confidence. A co-mention only says that two entities were named in one
// sentence: its weight is the number of documents that did so, it has no
// confidence, and queries leave it out unless asked (docs/ARCHITECTURE.md,
// "Co-mentions"). The kind is a property of the relation name, so stores
// written before kinds existed read correctly with no migration.
//
// Thread safety: constants and a pure function.
#pragma once

#include <string_view>

namespace kgraph::storage {

enum class RelationKind { kTyped, kCoMention };

// The one reserved relation name: the extractor's sentence co-occurrences.
inline constexpr char kCoMentionRelation[] = "co_mentioned";

inline RelationKind RelationKindForName(std::string_view relation) {
  return relation == kCoMentionRelation ? RelationKind::kCoMention : RelationKind::kTyped;
}

}  // namespace kgraph::storage
