// Tests of ingest/data_file: which lines of a data file reach a loader, with
// what line numbers, and how errors stop the reading.
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/data_file.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::ingest {
namespace {

std::string WriteFile(const testing::TempDir& dir, const std::string& text) {
  const std::string path = dir.Sub("data.tsv");
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(DataFileTest, SkipsBlankAndCommentLinesAndKeepsLineNumbers) {
  testing::TempDir dir;
  const std::string path =
      WriteFile(dir, "# header\nalpha\tA\r\n\n   \n  # indented stays\nbeta\tB\n");
  std::vector<std::pair<int, std::string>> seen;
  ASSERT_TRUE(ForEachDataLine(path, [&](int line_no, absl::string_view line) {
                seen.emplace_back(line_no, std::string(line));
                return absl::OkStatus();
              }).ok());
  const std::vector<std::pair<int, std::string>> want = {
      {2, "alpha\tA"}, {5, "  # indented stays"}, {6, "beta\tB"}};
  EXPECT_EQ(seen, want);
}

TEST(DataFileTest, FirstErrorStopsAndNamesFileAndLine) {
  testing::TempDir dir;
  const std::string path = WriteFile(dir, "ok\nbad\nnever read\n");
  int calls = 0;
  absl::Status s = ForEachDataLine(path, [&](int line_no, absl::string_view line) {
    ++calls;
    return line == "bad" ? DataLineError(path, line_no, "not allowed") : absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_EQ(s.message(), path + ":2: not allowed");
  EXPECT_EQ(calls, 2);
}

TEST(DataFileTest, MissingFileIsNotFound) {
  absl::Status s = ForEachDataLine("/nonexistent/kgraph/data.tsv",
                                   [](int, absl::string_view) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsNotFound(s));
  EXPECT_NE(s.message().find("/nonexistent/kgraph/data.tsv: cannot open"), absl::string_view::npos);
}

}  // namespace
}  // namespace kgraph::ingest
