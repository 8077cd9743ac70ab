#include "ingest/placeholder_sentence.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kgraph::ingest {

namespace {

// Whether `inner` names `outer` short: the same entity, the same first word
// ("CME Group Inc. (CME Group)"), or one word of its initials ("Energy
// Transfer Partners, L.P. (ETP)"). "Alphabet Inc. (Google)" is two names.
bool IsShortForm(const std::vector<Token>& tokens, const PlacedMention& outer,
                 const PlacedMention& inner) {
  if (inner.entity == outer.entity) return true;
  if (tokens[inner.first].folded == tokens[outer.first].folded) return true;
  if (inner.last - inner.first != 1) return false;
  std::string initials;
  for (size_t k = outer.first; k < outer.last; ++k) {
    const std::string& w = tokens[k].folded;
    if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') initials += w[0];
  }
  const std::string& acronym = tokens[inner.first].folded;
  return acronym.size() >= 2 && initials.compare(0, acronym.size(), acronym) == 0;
}

}  // namespace

int PlaceholderSentence::PieceAt(size_t offset) const {
  auto it = std::lower_bound(
      pieces.begin(), pieces.end(), offset,
      [](const PlaceholderPiece& p, size_t o) { return p.offset < o; });
  if (it == pieces.end() || it->offset != offset) return -1;
  return static_cast<int>(it - pieces.begin());
}

PlaceholderSentence BuildPlaceholderSentence(
    const std::vector<Token>& tokens, size_t begin, size_t end,
    const std::vector<PlacedMention>& mentions) {
  PlaceholderSentence out;
  out.pieces.reserve(end - begin);
  size_t bytes = 0;
  for (size_t i = begin; i < end; ++i) bytes += tokens[i].folded.size() + 1;
  out.text.reserve(bytes + 8 * mentions.size());
  size_t m = 0;
  for (size_t i = begin; i < end;) {
    const Token& t = tokens[i];
    PlaceholderPiece piece;
    if (m < mentions.size() && mentions[m].first == i) {
      const PlacedMention& pm = mentions[m];
      piece.entity = pm.entity;
      piece.anaphoric = pm.anaphoric;
      piece.text = absl::StrCat("<", pm.type, ":", pm.entity,
                                pm.is_country ? ":c>" : ">");
      i = std::max(pm.last, i + 1);
      ++m;
      // "CME Group Inc. (CME Group) acquired ...": a parenthesized name of
      // the same type right after a name defines a short form; the
      // patterns read the sentence without it.
      if (m < mentions.size() && i + 2 < end && tokens[i].norm == "(" &&
          mentions[m].first == i + 1 && mentions[m].type == pm.type &&
          mentions[m].last < end && tokens[mentions[m].last].norm == ")" &&
          IsShortForm(tokens, pm, mentions[m])) {
        i = mentions[m].last + 1;
        ++m;
      }
    } else {
      if (t.kind == TokenKind::kMarkupOpen ||
          t.kind == TokenKind::kMarkupClose) {
        ++i;
        continue;
      }
      piece.text = t.folded;
      // Keep the placeholder syntax unambiguous.
      for (char& c : piece.text) {
        if (c == '<' || c == '>') c = '|';
      }
      ++i;
    }
    if (!out.text.empty()) out.text += ' ';
    piece.offset = out.text.size();
    out.text += piece.text;
    out.pieces.push_back(std::move(piece));
  }
  return out;
}

}  // namespace kgraph::ingest
