#include "ingest/sentence_splitter.h"

namespace kgraph::ingest {
namespace {

bool IsClosingQuote(const Token& t) {
  return t.kind == TokenKind::kPunct &&
         (t.norm == "\"" || t.norm == "'" || t.norm == ")");
}

}  // namespace

std::vector<SentenceSpan> SplitSentences(
    const std::vector<Token>& tokens,
    const absl::flat_hash_set<std::string>& sentence_starters) {
  std::vector<SentenceSpan> out;
  size_t begin = 0;
  auto close = [&](size_t end) {
    if (end > begin) out.push_back({begin, end});
    begin = end;
  };
  // Some line starts flush left, so an indented one opens a paragraph.
  bool indents_paragraphs = false;
  for (size_t i = 1; i < tokens.size() && !indents_paragraphs; ++i) {
    indents_paragraphs = tokens[i].newline_before && !tokens[i].indented_line;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > begin && tokens[i].paragraph_before) close(i);
    const Token& t = tokens[i];
    bool terminal = false;
    if (t.kind == TokenKind::kPunct &&
        (t.norm == "." || t.norm == "!" || t.norm == "?" || t.norm == "...")) {
      terminal = true;
    } else if (t.kind == TokenKind::kWord && t.norm.back() == '.' &&
               i + 1 < tokens.size()) {
      // An abbreviation ends a sentence only when a capitalized function
      // word follows ("... Corp. The deal"), or a capitalized word opens
      // an indented line in text that indents only its paragraphs ("...
      // Pesch and Co.\n    Alpha said"; where every line is indented,
      // "said Sen.\n    Robert Dole" goes on).
      const Token& next = tokens[i + 1];
      terminal = next.cap && t.norm.size() > 2 &&
                 (sentence_starters.contains(next.folded) ||
                  (next.indented_line && indents_paragraphs));
    }
    if (!terminal) continue;
    size_t end = i + 1;
    // A quote glued to the period closes it; one after a space opens the
    // next sentence.
    while (end < tokens.size() && IsClosingQuote(tokens[end]) &&
           !tokens[end].paragraph_before &&
           tokens[end].start == tokens[end - 1].end) {
      ++end;
    }
    // "3 p.m. on Friday" style: a lowercase continuation is not a new
    // sentence.
    if (end < tokens.size() && tokens[end].kind == TokenKind::kWord &&
        !tokens[end].cap && !tokens[end].has_digit &&
        !tokens[end].paragraph_before) {
      continue;
    }
    close(end);
    i = end - 1;
  }
  close(tokens.size());
  return out;
}

}  // namespace kgraph::ingest
