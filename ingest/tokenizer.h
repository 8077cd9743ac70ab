// Tokenizer: splits UTF-8 text into word, number and punctuation tokens with
// byte offsets into the original text, normalizing curly quotes, dashes and
// possessives so later stages can match plain ASCII forms. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/container/flat_hash_set.h"

namespace kgraph::ingest {

enum class TokenKind {
  kWord,        // Letters and digits, possibly with internal - . ' &.
  kNumber,      // Digits only (with , or . inside): 3.5, 1,000.
  kPunct,       // One punctuation mark, or "--" for any dash.
  kPossessive,  // 's or ' after a word: folded "'s" for both, norm as written.
  kMarkupOpen,  // '<' of Reuters-style <Name Inc> / <TICKER> markup.
  kMarkupClose,
};

struct Token {
  size_t start = 0;  // Byte offsets into the tokenized text.
  size_t end = 0;
  TokenKind kind = TokenKind::kPunct;
  std::string norm;    // Surface with ASCII quotes/dashes.
  std::string folded;  // Case-folded norm.
  bool cap = false;        // First letter is uppercase.
  bool all_caps = false;   // Every letter uppercase and at least two letters.
  bool has_digit = false;
  bool inner_upper = false;  // Uppercase after the first char (TeleAI, iPhone).
  bool newline_before = false;
  bool paragraph_before = false;  // A blank line precedes the token.
  // The token starts a line indented by two or more spaces or a tab: how
  // wire copy (Reuters) begins a paragraph without a blank line.
  bool indented_line = false;
};

// Words that keep their trailing period ("Corp.", "Mr.", "U.S."); folded,
// without the period.
using AbbreviationSet = absl::flat_hash_set<std::string>;

// Tokenizes `text`. Never fails: invalid UTF-8 bytes become punctuation
// tokens. Single letters followed by '.' ("J.") and dotted initials ("U.S.")
// always keep their period.
std::vector<Token> Tokenize(absl::string_view text,
                            const AbbreviationSet& abbreviations);

// The surface of tokens [first, last) as a name: their norms, with a space
// where the text has whitespace between two tokens.
std::string TokenSurface(const std::vector<Token>& tokens, size_t first, size_t last);

// Lowercases ASCII directly and uses utf8proc otherwise.
std::string FoldToken(absl::string_view s);

}  // namespace kgraph::ingest
