// Placeholder sentences: a sentence rewritten for pattern matching, with each
// entity mention replaced by <TYPE:index> (<GPE:index:c> for countries) and
// every other token case-folded, all joined by single spaces. Keeps the map
// from rewritten byte offsets back to tokens. A parenthesized short form of
// the same type right after a name ("CME Group Inc. (CME Group)", "(ETP)":
// the same entity, first word or initials) is left out: it defines an alias. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ingest/tokenizer.h"

namespace kgraph::ingest {

struct PlaceholderPiece {
  size_t offset = 0;  // Byte offset in PlaceholderSentence::text.
  int entity = -1;    // Entity index, or -1 for a plain word.
  bool anaphoric = false;  // Stands for an earlier entity ("the models").
  std::string text;
};

struct PlaceholderSentence {
  std::string text;
  std::vector<PlaceholderPiece> pieces;

  // Index of the piece starting at `offset`, or -1.
  int PieceAt(size_t offset) const;
};

// One entity mention inside the sentence's token range.
struct PlacedMention {
  size_t first = 0;  // Token range [first, last).
  size_t last = 0;
  int entity = -1;
  std::string type;
  bool is_country = false;
  bool anaphoric = false;
};

// `mentions` are sorted, non-overlapping and inside [begin, end).
PlaceholderSentence BuildPlaceholderSentence(
    const std::vector<Token>& tokens, size_t begin, size_t end,
    const std::vector<PlacedMention>& mentions);

}  // namespace kgraph::ingest
