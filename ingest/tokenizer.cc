#include "ingest/tokenizer.h"

#include <utf8proc.h>

#include <cstring>

#include "absl/strings/string_view.h"
#include "model/name_key.h"

namespace kgraph::ingest {
namespace {

struct CodePoint {
  int32_t cp = -1;
  size_t len = 1;
};

CodePoint DecodeMultibyte(absl::string_view text, size_t i);

// The ASCII case stays inline; the tokenizer decodes every byte.
inline CodePoint Decode(absl::string_view text, size_t i) {
  unsigned char b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return CodePoint{b, 1};
  return DecodeMultibyte(text, i);
}

CodePoint DecodeMultibyte(absl::string_view text, size_t i) {
  CodePoint c;
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (n <= 0) return c;  // Invalid byte: cp = -1, len 1.
  c.cp = cp;
  c.len = static_cast<size_t>(n);
  return c;
}

inline bool IsLetter(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_MN + 2;
}
inline bool IsDigit(int32_t cp) {
  if (cp >= '0' && cp <= '9') return true;
  if (cp < 0x80) return false;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}
inline bool IsUpper(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}
inline bool IsSpace(int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
      cp == '\v')
    return true;
  if (cp < 0x80) return false;
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}
inline bool IsApostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }
inline bool IsDash(int32_t cp) { return cp == 0x2013 || cp == 0x2014 || cp == 0x2012; }
inline bool IsWordChar(int32_t cp) { return IsLetter(cp) || IsDigit(cp); }

std::string NormalizePunct(int32_t cp, absl::string_view raw) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x2032: return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
    case 0x2033: return "\"";
    case 0x2012: case 0x2013: case 0x2014: case 0x2015: return "--";
    case 0x2026: return "...";
    default: return std::string(raw);
  }
}

bool IsAscii(absl::string_view s) {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

// FillShape for ASCII tokens, the common case: same results, no decoding.
void FillShapeAscii(Token& t) {
  int letters = 0, uppers = 0;
  bool first = true;
  t.folded.resize(t.norm.size());
  for (size_t i = 0; i < t.norm.size(); ++i) {
    const char ch = t.norm[i];
    const bool upper = ch >= 'A' && ch <= 'Z';
    const bool lower = ch >= 'a' && ch <= 'z';
    t.folded[i] = upper ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (ch >= '0' && ch <= '9') {
      t.has_digit = true;
      first = false;
    } else if (upper || lower) {
      ++letters;
      if (upper) {
        ++uppers;
        if (first) t.cap = true;
        else t.inner_upper = true;
      }
      first = false;
    }
  }
  t.all_caps = letters >= 2 && letters == uppers;
}

void FillShape(Token& t) {
  if (IsAscii(t.norm)) {
    FillShapeAscii(t);
    return;
  }
  int letters = 0, uppers = 0;
  bool first = true;
  for (size_t i = 0; i < t.norm.size();) {
    CodePoint c = Decode(t.norm, i);
    if (IsDigit(c.cp)) t.has_digit = true;
    if (IsLetter(c.cp)) {
      ++letters;
      if (IsUpper(c.cp)) {
        ++uppers;
        if (first) t.cap = true;
        else t.inner_upper = true;
      }
      first = false;
    } else if (IsDigit(c.cp)) {
      first = false;
    }
    i += c.len;
  }
  t.all_caps = letters >= 2 && letters == uppers;
  t.folded = FoldToken(t.norm);
}

}  // namespace

std::string FoldToken(absl::string_view s) {
  if (!IsAscii(s)) return FoldCase(std::string_view(s.data(), s.size()));
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

std::vector<Token> Tokenize(absl::string_view text,
                            const AbbreviationSet& abbreviations) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5 + 1);
  size_t i = 0;
  int newlines = 0;
  int indent = 0;  // spaces since the last newline (a tab counts two)
  // Open '<' markup whose '>' is still pending.
  bool in_markup = false;
  while (i < text.size()) {
    CodePoint c = Decode(text, i);
    if (IsSpace(c.cp)) {
      if (c.cp == '\n') {
        ++newlines;
        indent = 0;
      } else {
        indent += c.cp == '\t' ? 2 : 1;
      }
      i += c.len;
      continue;
    }
    Token t;
    t.start = i;
    t.newline_before = newlines > 0 || tokens.empty();
    t.paragraph_before = newlines > 1 || tokens.empty();
    t.indented_line = newlines > 0 && indent >= 2;
    newlines = 0;
    indent = 0;
    if (IsWordChar(c.cp)) {
      size_t j = i + c.len;
      bool all_digits = IsDigit(c.cp);
      // Length of the current segment since the last '.', to accept "U.S".
      size_t seg_letters = IsLetter(c.cp) ? 1 : 0;
      bool dotted = false;
      while (j < text.size()) {
        // ASCII letters and digits, the bulk of every word.
        const unsigned char b = static_cast<unsigned char>(text[j]);
        if ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') {
          all_digits = false;
          ++seg_letters;
          ++j;
          continue;
        }
        if (b >= '0' && b <= '9') {
          ++j;
          continue;
        }
        CodePoint d = Decode(text, j);
        if (IsWordChar(d.cp) || (d.cp >= 0x300 && d.cp < 0x370)) {
          if (!IsDigit(d.cp)) all_digits = false;
          if (IsLetter(d.cp)) ++seg_letters;
          j += d.len;
          continue;
        }
        if (j + d.len >= text.size()) break;
        CodePoint n = Decode(text, j + d.len);
        if (!IsWordChar(n.cp)) break;
        if (d.cp == '-' || d.cp == '&' || d.cp == 0x2011) {
          all_digits = all_digits && d.cp != '&' && false;
          j += d.len;
          seg_letters = 0;
          continue;
        }
        if (d.cp == '.' || d.cp == ',') {
          // Decimals and thousands stay inside numbers; "U.S" inside words.
          if (all_digits && IsDigit(n.cp)) {
            j += d.len;
            continue;
          }
          // "Tokens.com", "Overstock.com": a company named by its web
          // domain is one word.
          if (d.cp == '.' && !all_digits) {
            bool domain = false;
            for (absl::string_view tld : {"com", "net", "org", "io"}) {
              const size_t at = j + d.len;
              if (text.substr(at, tld.size()) == tld &&
                  (at + tld.size() >= text.size() ||
                   !IsWordChar(Decode(text, at + tld.size()).cp))) {
                j = at + tld.size();
                domain = true;
                break;
              }
            }
            if (domain) break;
          }
          if (d.cp == '.' && seg_letters == 1 && IsLetter(n.cp)) {
            CodePoint after = j + d.len + n.len < text.size()
                                  ? Decode(text, j + d.len + n.len)
                                  : CodePoint{};
            if (!IsLetter(after.cp)) {
              dotted = true;
              j += d.len;
              seg_letters = 0;
              continue;
            }
          }
          break;
        }
        if (IsApostrophe(d.cp)) {
          // Possessive 's is its own token; O'Brien and don't stay whole.
          bool possessive_s = (n.cp == 's' || n.cp == 'S') &&
                              (j + d.len + n.len >= text.size() ||
                               !IsWordChar(Decode(text, j + d.len + n.len).cp));
          if (possessive_s) break;
          j += d.len;
          continue;
        }
        break;
      }
      t.end = j;
      t.kind = all_digits ? TokenKind::kNumber : TokenKind::kWord;
      // Keep a trailing period for dotted initials, single letters and
      // known abbreviations.
      if (j < text.size() && text[j] == '.' && t.kind == TokenKind::kWord) {
        std::string folded = FoldToken(text.substr(i, j - i));
        bool single_letter = j - i == 1 || (j - i <= 4 && c.len == j - i);
        if (dotted || single_letter || abbreviations.contains(folded)) {
          t.end = j + 1;
        }
      }
      absl::string_view raw = text.substr(t.start, t.end - t.start);
      // Normalize curly apostrophes inside words (O’Brien). U+2019 is
      // E2 80 99, so a word without 0xE2 is its own norm.
      if (raw.find('\xE2') == absl::string_view::npos) {
        t.norm.assign(raw.data(), raw.size());
      } else {
        t.norm.reserve(raw.size());
        for (size_t k = 0; k < raw.size();) {
          CodePoint d = Decode(raw, k);
          if (d.cp == 0x2019) t.norm += '\'';
          else t.norm.append(raw.data() + k, d.len);
          k += d.len;
        }
      }
      // "Chicago-based": the place and the "-based" cue are separate tokens.
      static constexpr std::string_view kPlaceSuffixes[] = {"-based",
                                                             "-headquartered"};
      for (std::string_view suffix : kPlaceSuffixes) {
        const size_t n = suffix.size();
        if (t.norm.size() > n + 1 && t.norm.compare(t.norm.size() - n, n, suffix) == 0 &&
            t.end == t.start + t.norm.size()) {
          Token place = t;
          place.end = t.end - n;
          place.norm = t.norm.substr(0, t.norm.size() - n);
          FillShape(place);
          t.start = place.end;
          t.norm.assign(suffix.data(), suffix.size());
          t.newline_before = t.paragraph_before = t.indented_line = false;
          tokens.push_back(std::move(place));
          break;
        }
      }
      FillShape(t);
      tokens.push_back(std::move(t));
      i = tokens.back().end;
      continue;
    }
    // Possessive after a word: 's or bare ' after a plural ending in s.
    if (IsApostrophe(c.cp) && !tokens.empty() &&
        tokens.back().end == i && tokens.back().kind == TokenKind::kWord) {
      size_t j = i + c.len;
      if (j < text.size() && (text[j] == 's' || text[j] == 'S') &&
          (j + 1 >= text.size() || !IsWordChar(Decode(text, j + 1).cp))) {
        t.end = j + 1;
        t.kind = TokenKind::kPossessive;
        t.norm = "'s";
        t.folded = "'s";
        tokens.push_back(std::move(t));
        i = j + 1;
        continue;
      }
    }
    if (IsApostrophe(c.cp) && !tokens.empty() && tokens.back().end == i &&
        tokens.back().kind == TokenKind::kWord && tokens.back().norm.back() == 's' &&
        tokens.back().cap) {
      CodePoint n = i + c.len < text.size() ? Decode(text, i + c.len) : CodePoint{};
      if (!IsWordChar(n.cp)) {
        t.end = i + c.len;
        t.kind = TokenKind::kPossessive;
        // Patterns match the folded "'s"; a name keeps what the text wrote
        // ("Farmers' Union", never "Farmers's Union").
        t.norm = "'";
        t.folded = "'s";
        tokens.push_back(std::move(t));
        i += c.len;
        continue;
      }
    }
    if (c.cp == '<' && !in_markup) {
      size_t close = text.find('>', i);
      if (close != absl::string_view::npos && close - i <= 80 &&
          text.substr(i, close - i).find('\n') == absl::string_view::npos &&
          close > i + 1) {
        in_markup = true;
        t.end = i + 1;
        t.kind = TokenKind::kMarkupOpen;
        t.norm = t.folded = "<";
        tokens.push_back(std::move(t));
        i += 1;
        continue;
      }
    }
    if (c.cp == '>' && in_markup) {
      in_markup = false;
      t.end = i + 1;
      t.kind = TokenKind::kMarkupClose;
      t.norm = t.folded = ">";
      tokens.push_back(std::move(t));
      i += 1;
      continue;
    }
    // Punctuation; runs of ASCII '-' collapse to one dash token.
    size_t j = i + c.len;
    if (c.cp == '-' || IsDash(c.cp)) {
      while (j < text.size()) {
        CodePoint d = Decode(text, j);
        if (d.cp != '-' && !IsDash(d.cp)) break;
        j += d.len;
      }
      t.norm = (j - i == 1 && c.cp == '-') ? "-" : "--";
    } else if (c.cp < 0) {
      t.norm = "?";
    } else {
      t.norm = NormalizePunct(c.cp, text.substr(i, c.len));
    }
    t.end = j;
    t.kind = TokenKind::kPunct;
    t.folded = t.norm;
    tokens.push_back(std::move(t));
    i = j;
  }
  return tokens;
}

std::string TokenSurface(const std::vector<Token>& tokens, size_t first, size_t last) {
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first && tokens[i].start > tokens[i - 1].end) out += ' ';
    out += tokens[i].norm;
  }
  return out;
}

}  // namespace kgraph::ingest
