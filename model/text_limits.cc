#include "model/text_limits.h"

#include <cstdint>

#include <utf8proc.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kgraph {
namespace {

// Decodes one UTF-8 character at `p`; returns its length (0 if the byte does
// not start a valid sequence) and sets *cp.
size_t DecodeOne(const char* p, size_t left, int32_t* cp) {
  const unsigned char c = static_cast<unsigned char>(*p);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  utf8proc_int32_t code;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(p),
                                        static_cast<utf8proc_ssize_t>(left), &code);
  if (n <= 0) return 0;
  *cp = code;
  return static_cast<size_t>(n);
}

bool IsControl(int32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool IsLetterOrDigit(int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  utf8proc_category_t cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

}  // namespace

absl::Status ValidateEntityName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("name is empty");
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat("name of ", name.size(),
                                                   " bytes exceeds the limit of ", kMaxNameBytes));
  }
  bool alnum = false;
  size_t i = 0;
  while (i < name.size()) {
    int32_t cp = 0;
    size_t n = DecodeOne(name.data() + i, name.size() - i, &cp);
    if (n == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("name ", QuoteForMessage(name), " is not valid UTF-8 (byte ", i, ")"));
    }
    if (IsControl(cp)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "name %s contains control character U+%04X at byte %d", QuoteForMessage(name), cp, i));
    }
    alnum = alnum || IsLetterOrDigit(cp);
    i += n;
  }
  if (!alnum) {
    return absl::InvalidArgumentError(
        absl::StrCat("name ", QuoteForMessage(name), " has no letters or digits"));
  }
  return absl::OkStatus();
}

std::string QuoteForMessage(std::string_view s, size_t max_bytes) {
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    int32_t cp = 0;
    size_t n = DecodeOne(s.data() + i, s.size() - i, &cp);
    if (i + (n == 0 ? 1 : n) > max_bytes) break;  // never split a character
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02X", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    switch (cp) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (cp < 0x20 || cp == 0x7F) {
          absl::StrAppendFormat(&out, "\\x%02X", cp);
        } else if (cp >= 0x80 && cp <= 0x9F) {
          absl::StrAppendFormat(&out, "\\u%04X", cp);
        } else {
          out.append(s.data() + i, n);
        }
    }
    i += n;
  }
  out += '"';
  if (i < s.size()) absl::StrAppend(&out, "\xE2\x80\xA6(", s.size(), " bytes)");
  return out;
}

}  // namespace kgraph
