// Declarative case files (tests/data/**/*.cases): the line structure they
// share, read in one place. A case line, then its expectation lines: "-> ..."
// must hold, "!-> ..." must not, "= ..." states an entity, "!= ..." names
// one that must not be; blank lines and
// lines starting with '#' are skipped. What a line's text means is each
// runner's own. For tests only; pure functions.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace kgraph::testing {

struct CaseLine {
  enum Kind { kCase, kMust, kMustNot, kEntity, kNotEntity };
  Kind kind = kCase;
  std::string text;  // without the marker, stripped
  int line = 0;      // 1-based, in the file
};

// The file's case and expectation lines in order; false if it cannot be read.
inline bool ReadCaseFile(const std::string& path, std::vector<CaseLine>* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string raw;
  int n = 0;
  while (std::getline(in, raw)) {
    ++n;
    const absl::string_view v = absl::StripAsciiWhitespace(raw);
    if (v.empty() || v[0] == '#') continue;
    CaseLine c;
    c.line = n;
    absl::string_view rest = v;
    if (absl::ConsumePrefix(&rest, "!->")) {
      c.kind = CaseLine::kMustNot;
    } else if (absl::ConsumePrefix(&rest, "!=")) {
      c.kind = CaseLine::kNotEntity;
    } else if (absl::ConsumePrefix(&rest, "->")) {
      c.kind = CaseLine::kMust;
    } else if (absl::ConsumePrefix(&rest, "=")) {
      c.kind = CaseLine::kEntity;
    }
    c.text = std::string(absl::StripAsciiWhitespace(rest));
    out->push_back(std::move(c));
  }
  return true;
}

// "a | b | c" -> {"a", "b", "c"}, each stripped.
inline std::vector<std::string> CaseFields(absl::string_view text, char separator = '|') {
  std::vector<std::string> fields;
  for (absl::string_view p : absl::StrSplit(text, separator)) {
    fields.emplace_back(absl::StripAsciiWhitespace(p));
  }
  return fields;
}

}  // namespace kgraph::testing
