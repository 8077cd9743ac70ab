#include "nlp/tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <fstream>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

#ifndef KGRAPH_DATA_DIR
#define KGRAPH_DATA_DIR "data"
#endif

namespace kgraph::nlp {

// One word before sentence splitting.
struct Tokenizer::RawWord {
  size_t start = 0;
  size_t end = 0;
  // Ends with the period of an abbreviation, which becomes a word of its own
  // when the sentence ends there.
  bool abbrev_period = false;
  bool before_name = false;  // the abbreviation precedes names ("Mr.")
  bool paragraph_before = false;
};

namespace {

struct CodePoint {
  int32_t cp = -1;  // -1: invalid byte, or past the end
  size_t len = 1;
};

CodePoint Decode(absl::string_view text, size_t i) {
  if (i >= text.size()) return CodePoint{-1, 0};
  const unsigned char b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) return CodePoint{b, 1};
  utf8proc_int32_t cp;
  const utf8proc_ssize_t n = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
      static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  if (n <= 0) return CodePoint{-1, 1};
  return CodePoint{cp, static_cast<size_t>(n)};
}

// The code point that ends just before byte `i` (for looking back).
CodePoint DecodeBefore(absl::string_view text, size_t i) {
  if (i == 0) return CodePoint{-1, 0};
  size_t j = i - 1;
  while (j > 0 && i - j < 4 &&
         (static_cast<unsigned char>(text[j]) & 0xC0) == 0x80) {
    --j;
  }
  CodePoint c = Decode(text, j);
  if (j + c.len != i) return CodePoint{-1, 1};
  return c;
}

bool IsLetter(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  const auto cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
         cat == UTF8PROC_CATEGORY_ME;
}
bool IsDigit(int32_t cp) {
  if (cp >= '0' && cp <= '9') return true;
  if (cp < 0x80) return false;
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NO ||
         cat == UTF8PROC_CATEGORY_NL;
}
bool IsWordChar(int32_t cp) { return IsLetter(cp) || IsDigit(cp); }
bool IsUpper(int32_t cp) {
  if (cp < 0) return false;
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}
bool IsSpace(int32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
      cp == '\v')
    return true;
  if (cp < 0x80) return false;
  if (cp == 0xFEFF || cp == 0x200B) return true;  // BOM, zero-width space
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}
bool IsApostrophe(int32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == '`';
}
bool IsHyphen(int32_t cp) { return cp == '-' || cp == 0x2011; }

// Closing punctuation that stays in the sentence a '.' ended.
bool IsCloser(int32_t cp) {
  return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' ||
         cp == 0x201D || cp == 0x2019 || cp == 0xBB;
}

bool StartsWithAsciiCase(absl::string_view text, size_t i, size_t end,
                         absl::string_view prefix) {
  if (end - i < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    if (absl::ascii_tolower(static_cast<unsigned char>(text[i + k])) !=
        prefix[k])
      return false;
  }
  return true;
}

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(s); }

// Characters a URL never ends with, when they are followed by the end of the
// chunk: the sentence's punctuation, not the address's.
bool IsUrlTrailer(char ch) {
  return ch == '.' || ch == ',' || ch == ';' || ch == ':' || ch == '!' ||
         ch == '?' || ch == '\'' || ch == '"' || ch == ')' || ch == ']' ||
         ch == '>';
}

// End of a URL starting at `i` in the chunk [i, end), or `i` if none starts.
size_t MatchUrl(absl::string_view text, size_t i, size_t end) {
  static constexpr absl::string_view kSchemes[] = {"http://", "https://",
                                                   "ftp://", "www.", "mailto:"};
  bool url = false;
  for (absl::string_view s : kSchemes) {
    if (StartsWithAsciiCase(text, i, end, s)) url = true;
  }
  size_t j = i;
  if (url) {
    // Stop at characters that are markup around an address, not in it.
    while (j < end && text[j] != '<' && text[j] != '>' && text[j] != '"') ++j;
  } else {
    // user@host.tld: local part, '@', a domain with at least one dot.
    size_t k = i;
    auto local = [](char ch) {
      return absl::ascii_isalnum(static_cast<unsigned char>(ch)) || ch == '.' ||
             ch == '_' || ch == '%' || ch == '+' || ch == '-';
    };
    // RFC 5321's limits (64, 255) also keep a long run of word characters
    // from being rescanned at every boundary inside it.
    while (k < end && k - i <= 64 && local(text[k])) ++k;
    if (k == i || k >= end || text[k] != '@') return i;
    size_t d = k + 1;
    bool dot = false;
    while (d < end && d - k <= 256 &&
           (absl::ascii_isalnum(static_cast<unsigned char>(text[d])) ||
            text[d] == '.' || text[d] == '-')) {
      if (text[d] == '.') dot = true;
      ++d;
    }
    if (!dot && d - k < 3) return i;
    j = d;
  }
  // A ')' belongs to the URL only if the URL opened one.
  const bool opened =
      text.substr(i, j - i).find('(') != absl::string_view::npos;
  while (j > i && IsUrlTrailer(text[j - 1])) {
    if (text[j - 1] == ')' && opened) break;
    --j;
  }
  return j - i >= 5 ? j : i;
}

// Reads a data file's lines, skipping blank lines and '#' comments.
absl::Status ReadLines(const std::string& path,
                       std::vector<std::pair<int, std::string>>& lines) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open tokenizer data file ", path));
  }
  std::string line;
  int no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    absl::string_view s = absl::StripAsciiWhitespace(line);
    if (s.empty() || s[0] == '#') continue;
    lines.emplace_back(no, std::string(s));
  }
  return absl::OkStatus();
}

absl::Status LineError(const std::string& path, int no, absl::string_view msg) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", no, ": ", msg));
}

// True for "U.S", "e.g", "p.m", "J": single letters joined by periods (the
// final period not included).
bool IsDottedInitials(absl::string_view w) {
  size_t i = 0;
  while (i < w.size()) {
    const CodePoint c = Decode(w, i);
    if (!IsLetter(c.cp)) return false;
    i += c.len;
    if (i == w.size()) return true;
    if (w[i] != '.') return false;
    ++i;
  }
  return false;
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// "646-8420", "713-853-3989", "94720-1900": digit groups of three (or a
// zip's five) ending in four. Year ranges ("1969-1970") and other ranges
// ("5-10") are split in EWT.
bool IsPhoneNumber(absl::string_view w) {
  std::vector<absl::string_view> groups = absl::StrSplit(w, '-');
  if (groups.size() < 2 || groups.back().size() != 4) return false;
  for (size_t k = 0; k < groups.size(); ++k) {
    if (!AllDigits(groups[k])) return false;
    if (k + 1 < groups.size() && groups[k].size() != 3 && groups[k].size() != 5)
      return false;
  }
  return true;
}

// Ends in ".doc", ".com", ".html": 2 to 4 ASCII letters or digits after a
// final period, with a letter before it.
bool HasFileExtension(absl::string_view w) {
  const size_t dot = w.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || w.size() - dot - 1 < 2 ||
      w.size() - dot - 1 > 4)
    return false;
  bool letter = false;
  for (size_t k = dot + 1; k < w.size(); ++k) {
    const unsigned char ch = static_cast<unsigned char>(w[k]);
    if (!absl::ascii_isalnum(ch)) return false;
    if (absl::ascii_isalpha(ch)) letter = true;
  }
  return letter;
}

}  // namespace

const Tokenizer::Abbreviation* Tokenizer::FindAbbreviation(
    absl::string_view w) const {
  // As listed, then "INC." for "Inc.", then "Etc." and "ETC." for "etc.".
  if (auto it = abbreviations_.find(w); it != abbreviations_.end()) {
    return &it->second;
  }
  std::string lower = Lower(w);
  std::string title = lower;
  title[0] = absl::ascii_toupper(static_cast<unsigned char>(title[0]));
  const bool upper = absl::AsciiStrToUpper(w) == w;
  const bool capitalized = w == absl::string_view(title) || upper;
  if (upper) {
    if (auto it = abbreviations_.find(title); it != abbreviations_.end()) {
      return &it->second;
    }
  }
  if (capitalized) {
    if (auto it = abbreviations_.find(lower); it != abbreviations_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

std::string Tokenizer::DefaultDataDir() { return KGRAPH_DATA_DIR; }

absl::StatusOr<Tokenizer> Tokenizer::LoadDefault() {
  return Load(DefaultDataDir());
}

absl::StatusOr<Tokenizer> Tokenizer::Load(const std::string& data_dir) {
  Tokenizer t;
  const std::string dir = data_dir + "/nlp/";
  std::vector<std::pair<int, std::string>> lines;

  std::string path = dir + "abbreviations.txt";
  if (absl::Status s = ReadLines(path, lines); !s.ok()) return s;
  for (const auto& [no, line] : lines) {
    std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (f[0].size() < 2 || f[0].back() != '.' || f.size() > 2 ||
        (f.size() == 2 && f[1] != "name" && f[1] != "number")) {
      return LineError(path, no,
                       "expected an abbreviation ending in '.', optionally "
                       "followed by 'name' or 'number'");
    }
    Abbreviation a;
    a.before_name = f.size() == 2 && f[1] == "name";
    a.before_number = f.size() == 2 && f[1] == "number";
    t.abbreviations_[f[0]] = a;
  }

  lines.clear();
  path = dir + "tokenizer_hyphen_prefixes.txt";
  if (absl::Status s = ReadLines(path, lines); !s.ok()) return s;
  for (const auto& [no, line] : lines) {
    if (line.find_first_of(" -") != std::string::npos) {
      return LineError(path, no, "expected one prefix without '-' or spaces");
    }
    t.hyphen_prefixes_.insert(Lower(line));
  }

  lines.clear();
  path = dir + "tokenizer_contractions.txt";
  if (absl::Status s = ReadLines(path, lines); !s.ok()) return s;
  for (const auto& [no, line] : lines) {
    std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    std::string joined;
    std::vector<size_t> lengths;
    for (size_t k = 1; k < f.size(); ++k) {
      joined += f[k];
      lengths.push_back(f[k].size());
    }
    if (f.size() < 3 || Lower(joined) != Lower(f[0])) {
      return LineError(path, no,
                       "expected a word then two or more parts that spell it");
    }
    t.max_contraction_ = std::max(t.max_contraction_, f[0].size());
    t.contractions_[Lower(f[0])] = std::move(lengths);
  }

  lines.clear();
  path = dir + "tokenizer_units.txt";
  if (absl::Status s = ReadLines(path, lines); !s.ok()) return s;
  for (const auto& [no, line] : lines) {
    if (line.find(' ') != std::string::npos) {
      return LineError(path, no, "expected one unit without spaces");
    }
    t.units_.insert(Lower(line));
  }

  lines.clear();
  path = dir + "tokenizer_emoticons.txt";
  if (absl::Status s = ReadLines(path, lines); !s.ok()) return s;
  for (const auto& [no, line] : lines) {
    if (line.find(' ') != std::string::npos) {
      return LineError(path, no, "expected one emoticon without spaces");
    }
    t.emoticons_.push_back(line);
    t.emoticon_starts_[static_cast<unsigned char>(line[0])] = true;
  }
  std::sort(t.emoticons_.begin(), t.emoticons_.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
  return t;
}

// Splits one run of word characters and connectors, [begin, end), into
// words: whole-word contractions, hyphens, clitics.
void Tokenizer::SplitWord(absl::string_view text, size_t begin, size_t end,
                          std::vector<RawWord>& out) const {
  auto push = [&](size_t b, size_t e) {
    if (e > b) out.push_back(RawWord{b, e});
  };
  const absl::string_view word = text.substr(begin, end - begin);
  if (auto it = word.size() <= max_contraction_
                    ? contractions_.find(Lower(word))
                    : contractions_.end();
      it != contractions_.end()) {
    size_t b = begin;
    for (size_t len : it->second) {
      push(b, b + len);
      b += len;
    }
    return;
  }
  // Hyphens: split unless after a listed prefix, in a phone number or zip
  // code ("713-853-3989", "94720-1900"), or in a file or host name
  // ("Get-A-Free-House.com", "nmemdrft8-7-01.doc").
  const bool has_hyphen = word.find('-') != absl::string_view::npos ||
                          word.find("\u2011") != absl::string_view::npos;
  const bool keep_all =
      !has_hyphen || IsPhoneNumber(word) || HasFileExtension(word);
  // [b, e) without hyphens; most words are one piece.
  absl::InlinedVector<std::pair<size_t, size_t>, 4> pieces;
  size_t piece = begin;
  for (size_t i = begin; i < end && !keep_all;) {
    const CodePoint c = Decode(text, i);
    if (IsHyphen(c.cp) && i > piece && i + c.len < end) {
      // The part just before this hyphen.
      size_t seg = i;
      while (seg > begin && !IsHyphen(DecodeBefore(text, seg).cp)) {
        seg -= DecodeBefore(text, seg).len;
      }
      if (!hyphen_prefixes_.contains(Lower(text.substr(seg, i - seg)))) {
        pieces.emplace_back(piece, i);
        pieces.emplace_back(i, i + c.len);  // the hyphen itself
        piece = i + c.len;
      }
    }
    i += c.len;
  }
  pieces.emplace_back(piece, end);

  for (auto [b, e] : pieces) {
    // A number glued to a unit: "5pm", "10k", "35mm", "7:30PM".
    if (IsDigit(Decode(text, b).cp)) {
      size_t k = b;
      while (k < e && (IsDigit(static_cast<unsigned char>(text[k])) ||
                       text[k] == '.' || text[k] == ',' || text[k] == ':')) {
        ++k;
      }
      if (k > b && k < e && IsDigit(static_cast<unsigned char>(text[k - 1])) &&
          units_.contains(Lower(text.substr(k, e - k)))) {
        push(b, k);
        b = k;
      }
    }
    // Clitics at the end of a piece: n't, 's, 'm, 'd, 'll, 're, 've; but
    // "50's" and "AK47's" stay whole, as in EWT.
    size_t split = e;
    for (size_t k = b; k < e;) {
      const CodePoint c = Decode(text, k);
      if (IsApostrophe(c.cp) && k > b && e - k - c.len <= 2) {
        const std::string rest = Lower(text.substr(k + c.len, e - k - c.len));
        if ((rest == "s" && !IsDigit(DecodeBefore(text, k).cp)) ||
            rest == "m" || rest == "d" || rest == "ll" || rest == "re" ||
            rest == "ve") {
          split = k;
        } else if (rest == "t" && k - b >= 2 &&
                   (text[k - 1] == 'n' || text[k - 1] == 'N')) {
          split = k - 1;
        }
      }
      k += c.len;
    }
    push(b, split);
    push(split, e);
  }
}

// Tokenizes one whitespace-free chunk [begin, end) of `text`.
void Tokenizer::TokenizeChunk(absl::string_view text, size_t begin, size_t end,
                              std::vector<RawWord>& out) const {
  size_t p = begin;
  while (p < end) {
    const CodePoint c = Decode(text, p);
    const bool at_boundary =
        p == begin || !IsWordChar(DecodeBefore(text, p).cp);
    if (at_boundary) {
      if (const size_t u = MatchUrl(text, p, end); u > p) {
        out.push_back(RawWord{p, u});
        p = u;
        continue;
      }
    }
    if (!IsWordChar(c.cp) &&
        emoticon_starts_[static_cast<unsigned char>(text[p])]) {
      bool matched = false;
      for (const std::string& e : emoticons_) {
        if (end - p >= e.size() && text.compare(p, e.size(), e) == 0 &&
            (p + e.size() == end ||
             !IsWordChar(Decode(text, p + e.size()).cp))) {
          out.push_back(RawWord{p, p + e.size()});
          p += e.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    if (IsWordChar(c.cp)) {
      size_t q = p + c.len;
      int32_t prev = c.cp;
      while (q < end) {
        const CodePoint d = Decode(text, q);
        if (IsWordChar(d.cp)) {
          prev = d.cp;
          q += d.len;
          continue;
        }
        const CodePoint n = Decode(text, q + d.len);
        if (q + d.len >= end || !IsWordChar(n.cp)) break;
        bool join = false;
        if (IsHyphen(d.cp) || d.cp == '.' || d.cp == '_') {
          join = true;
        } else if (IsApostrophe(d.cp)) {
          join = IsLetter(n.cp);
        } else if (d.cp == ',' || d.cp == ':' || d.cp == '/') {
          join = IsDigit(prev) && IsDigit(n.cp);
          // "l/c", "I/C": single letters around a slash.
          if (d.cp == '/' && !join && IsLetter(prev) && IsLetter(n.cp) &&
              q - p == 1) {
            join = !IsWordChar(Decode(text, q + d.len + n.len).cp);
          }
        } else if (d.cp == '&') {
          join = IsUpper(prev) && IsUpper(n.cp);
        }
        if (!join) break;
        prev = d.cp;
        q += d.len;
      }
      // A trailing period stays on abbreviations and initials, not on the
      // '.' of an ellipsis.
      bool abbrev = false;
      bool before_name = false;
      if (q < end && text[q] == '.' && (q + 1 == end || text[q + 1] != '.')) {
        const absl::string_view w = text.substr(p, q - p + 1);
        if (const Abbreviation* a = FindAbbreviation(w); a != nullptr) {
          // "No. 5" but "I said no.": some need a number after them.
          size_t k = q + 1;
          while (k < text.size() && IsSpace(Decode(text, k).cp)) {
            k += Decode(text, k).len;
          }
          abbrev = !a->before_number || IsDigit(Decode(text, k).cp);
          before_name = a->before_name || a->before_number;
        } else if (IsDottedInitials(w.substr(0, w.size() - 1))) {
          abbrev = true;
        }
      }
      const size_t first = out.size();
      SplitWord(text, p, abbrev ? q + 1 : q, out);
      if (abbrev && out.size() > first) {
        out.back().abbrev_period = true;
        out.back().before_name = before_name;
      }
      p = abbrev ? q + 1 : q;
      continue;
    }
    // Punctuation and symbols.
    size_t q = p + c.len;
    auto run_of = [&](auto pred) {
      while (q < end) {
        const CodePoint d = Decode(text, q);
        if (!pred(d.cp)) break;
        q += d.len;
      }
    };
    if ((c.cp == '+' && at_boundary && IsDigit(Decode(text, q).cp)) ||
        (IsApostrophe(c.cp) && at_boundary && q + 2 <= end &&
         IsDigit(static_cast<unsigned char>(text[q])) &&
         IsDigit(static_cast<unsigned char>(text[q + 1])) &&
         (q + 2 == end || !IsDigit(static_cast<unsigned char>(text[q + 2]))))) {
      // "+44" phone prefixes and "'72" years are one word in EWT; "+1,000"
      // and "+3.5" stay a sign and a number.
      size_t k = q;
      while (k < end && IsDigit(static_cast<unsigned char>(text[k]))) ++k;
      if (c.cp != '+' && k < end && text[k] == 's' &&
          (k + 1 == end || !IsWordChar(Decode(text, k + 1).cp)))
        ++k;  // "'60s"
      const bool number_goes_on =
          k + 1 < end && (text[k] == '.' || text[k] == ',') &&
          IsDigit(static_cast<unsigned char>(text[k + 1]));
      if (!number_goes_on && (k == end || !IsWordChar(Decode(text, k).cp))) {
        out.push_back(RawWord{p, k});
        p = k;
        continue;
      }
    }
    if (c.cp == 0x2018 || c.cp == 0x2019) {
      run_of([](int32_t cp) { return cp == 0x2018 || cp == 0x2019; });
    } else if (c.cp == '.' || c.cp == '!' || c.cp == '?') {
      run_of([](int32_t cp) { return cp == '.' || cp == '!' || cp == '?'; });
    } else if (c.cp == '-' || c.cp == '*' || c.cp == '=' || c.cp == '_' ||
               c.cp == '<' || c.cp == '>' || c.cp == '~' || c.cp == '#' ||
               c.cp == '\'' || c.cp == '+' || c.cp == '^' || c.cp == '|' ||
               c.cp == 0x2014 || c.cp == 0x2013) {
      const int32_t first = c.cp;
      run_of([first](int32_t cp) { return cp == first; });
    }
    out.push_back(RawWord{p, q});
    p = q;
  }
}

std::vector<Tokenizer::RawWord> Tokenizer::Words(absl::string_view text) const {
  std::vector<RawWord> out;
  out.reserve(text.size() / 5 + 1);
  size_t i = 0;
  int newlines = 0;
  while (i < text.size()) {
    const CodePoint c = Decode(text, i);
    if (IsSpace(c.cp)) {
      if (c.cp == '\n') ++newlines;
      i += c.len;
      continue;
    }
    size_t j = i + c.len;
    while (j < text.size()) {
      const CodePoint d = Decode(text, j);
      if (IsSpace(d.cp)) break;
      j += d.len;
    }
    const size_t first = out.size();
    TokenizeChunk(text, i, j, out);
    if (out.size() > first) out[first].paragraph_before = newlines >= 2;
    newlines = 0;
    i = j;
  }
  return out;
}

namespace {

Word MakeWord(absl::string_view text, size_t start, size_t end) {
  Word w;
  w.form = std::string(text.substr(start, end - start));
  w.start = start;
  w.end = end;
  w.space_after = end >= text.size() || IsSpace(Decode(text, end).cp);
  return w;
}

// Appends `raw` to `words`; an abbreviation's period becomes its own word
// when `final`.
template <typename Raw>
void Emit(absl::string_view text, const Raw& raw, bool final,
          std::vector<Word>& words) {
  if (final && raw.abbrev_period && raw.end - raw.start > 1) {
    words.push_back(MakeWord(text, raw.start, raw.end - 1));
    words.push_back(MakeWord(text, raw.end - 1, raw.end));
  } else {
    words.push_back(MakeWord(text, raw.start, raw.end));
  }
}

}  // namespace

std::vector<Word> Tokenizer::TokenizeWords(absl::string_view text) const {
  const std::vector<RawWord> raw = Words(text);
  std::vector<Word> words;
  words.reserve(raw.size() + 1);
  for (size_t k = 0; k < raw.size(); ++k) {
    Emit(text, raw[k], k + 1 == raw.size(), words);
  }
  return words;
}

std::vector<Sentence> Tokenizer::Tokenize(absl::string_view text) const {
  const std::vector<RawWord> raw = Words(text);
  // First the cuts, then each sentence's words in a vector of the right
  // size: growing vectors of Word dominated the time on long inputs.
  struct Cut {
    size_t begin = 0;
    size_t end = 0;
    bool split_last = false;  // the last word's abbreviation period
  };
  std::vector<Cut> cuts;
  size_t begin = 0;
  auto close = [&](size_t end, bool split_last) {
    if (end > begin) cuts.push_back(Cut{begin, end, split_last});
    begin = end;
  };
  auto is_terminal = [&](const RawWord& w) {
    const CodePoint c = Decode(text, w.start);
    return c.cp == '.' || c.cp == '!' || c.cp == '?' || c.cp == 0x2026;
  };
  for (size_t k = 0; k < raw.size(); ++k) {
    const RawWord& w = raw[k];
    if (w.paragraph_before || k - begin >= kMaxSentenceWords) close(k, false);
    const RawWord* next = k + 1 < raw.size() ? &raw[k + 1] : nullptr;
    // An abbreviation ends the sentence only before a paragraph break or
    // the end of the text: inside a paragraph "Inc. The" and "U.S. Army"
    // look alike, and EWT keeps the period on the word mid-sentence.
    if (w.abbrev_period &&
        (next == nullptr || (!w.before_name && next->paragraph_before))) {
      close(k + 1, true);
      continue;
    }
    if (next == nullptr) continue;
    const CodePoint n = Decode(text, next->start);
    // "wait... maybe not": an ellipsis before a lowercase word goes on.
    if (text[w.start] == '.' && w.end - w.start >= 2 && is_terminal(w) &&
        IsLetter(n.cp) && !IsUpper(n.cp)) {
      continue;
    }
    // E-mail headers: "03/08/2000 09:45 AM Please find ..." (their line
    // breaks are gone from "# text"; EWT makes the header a sentence).
    const absl::string_view form = text.substr(w.start, w.end - w.start);
    if ((form == "AM" || form == "PM") && IsUpper(n.cp)) {
      close(k + 1, false);
      continue;
    }
    if (is_terminal(w)) {
      // Closing quotes and brackets glued to the terminal stay with it ('."'
      // ends the quote); after a space a quote opens the next sentence,
      // though a bracket still closes ("( Click here . )"), and so does an
      // emoticon ("Great. :)").
      auto stays = [&](const RawWord& x, size_t prev_end) {
        if (x.paragraph_before) return false;
        const absl::string_view f = text.substr(x.start, x.end - x.start);
        if (std::find(emoticons_.begin(), emoticons_.end(), f) !=
            emoticons_.end())
          return true;
        const CodePoint c = Decode(text, x.start);
        return IsCloser(c.cp) && c.len == f.size() &&
               (x.start == prev_end || f == ")" || f == "]");
      };
      size_t prev_end = w.end;
      while (next != nullptr && k + 1 - begin < kMaxSentenceWords &&
             stays(*next, prev_end)) {
        ++k;
        prev_end = next->end;
        next = k + 1 < raw.size() ? &raw[k + 1] : nullptr;
      }
      close(k + 1, false);
    }
  }
  close(raw.size(), false);

  std::vector<Sentence> sentences(cuts.size());
  for (size_t c = 0; c < cuts.size(); ++c) {
    const Cut& cut = cuts[c];
    Sentence& s = sentences[c];
    s.words.reserve(cut.end - cut.begin + (cut.split_last ? 1 : 0));
    for (size_t k = cut.begin; k < cut.end; ++k) {
      Emit(text, raw[k], cut.split_last && k + 1 == cut.end, s.words);
    }
    s.start = s.words.front().start;
    s.text = std::string(text.substr(s.start, s.words.back().end - s.start));
  }
  return sentences;
}

}  // namespace kgraph::nlp
