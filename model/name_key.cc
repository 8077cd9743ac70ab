#include "model/name_key.h"

#include <cstdint>
#include <cstring>

#include <utf8proc.h>

namespace kgraph {
namespace {

// Runs utf8proc over `text` with `options`; returns "" when utf8proc rejects it
// after stripping invalid sequences first.
std::string Map(std::string_view text, int options) {
  std::string clean;
  clean.reserve(text.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // invalid byte: skip it
      ++p;
      --left;
      continue;
    }
    clean.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    left -= n;
  }
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                   static_cast<utf8proc_ssize_t>(clean.size()), &out,
                   static_cast<utf8proc_option_t>(options));
  if (len < 0) return std::string();
  std::string result(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  free(out);
  return result;
}

}  // namespace

std::string FoldCase(std::string_view text) {
  return Map(text, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                       UTF8PROC_CASEFOLD);
}

std::string NameKey(std::string_view name) {
  // Fast path: plain ASCII needs no Unicode tables.
  bool ascii = true;
  for (unsigned char c : name) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  std::string key;
  key.reserve(name.size());
  if (ascii) {
    for (unsigned char c : name) {
      if (c >= 'A' && c <= 'Z') key.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) key.push_back(static_cast<char>(c));
    }
    return key;
  }
  std::string folded = FoldCase(name);
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(folded.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;
    utf8proc_category_t cat = utf8proc_category(cp);
    bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (keep) key.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    left -= n;
  }
  return key;
}

std::string IdentityKey(std::string_view name) {
  bool ascii = true;
  for (unsigned char c : name) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  std::string folded;
  if (ascii) {  // ASCII folds without Unicode tables
    folded.assign(name);
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    folded = FoldCase(name);
  }
  std::string key;
  key.reserve(folded.size());
  bool space = false;
  for (char c : folded) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !key.empty();
      continue;
    }
    if (space) key.push_back(' ');
    space = false;
    key.push_back(c);
  }
  return key;
}

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    // News text is mostly ASCII: skip it eight bytes at a time, and decode
    // only around the rest (the reader and writer check every string).
    if (left >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        left -= 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      --left;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace kgraph
