#include "ingest/data_file.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace kgraph::ingest {

absl::Status ForEachDataLine(const std::string& path,
                             absl::FunctionRef<absl::Status(int line_no, absl::string_view line)> fn) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (absl::StripAsciiWhitespace(line).empty() || line[0] == '#') continue;
    absl::Status s = fn(line_no, line);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status DataLineError(const std::string& path, int line_no, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": ", message));
}

}  // namespace kgraph::ingest
