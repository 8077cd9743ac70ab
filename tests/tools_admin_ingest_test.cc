// End-to-end tests of `kgraph-admin ingest` as a script would run it: exit
// status on failed input, a summary whose counts add up, and plain progress
// lines naming the last committed document when stderr is not a terminal.
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::admin {
namespace {

using ::kgraph::testing::ProcessResult;
using ::kgraph::testing::TempDir;

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

std::string Describe(const ProcessResult& r) {
  std::ostringstream o;
  o << "exit=" << r.exit_code << (r.signaled ? " signaled" : "") << "\nstdout:\n"
    << r.out << "\nstderr:\n" << r.err;
  return o.str();
}

std::string Doc(const std::string& id, const std::string& text) {
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
}

class AdminIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testing::AdminBinary();
    if (bin_.empty()) GTEST_SKIP() << "no kgraph-admin path was compiled in";
    ASSERT_TRUE(std::filesystem::exists(bin_)) << bin_ << " was not built";
    db_ = dir_.Sub("db");
  }
  ProcessResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), bin_);
    return testing::Run(args);
  }

  TempDir dir_;
  std::string bin_;
  std::string db_;
};
using tools_admin_ingest = AdminIngestTest;

TEST_F(tools_admin_ingest, AllGoodInputExitsZeroAndReingestIsANoOp) {
  const std::string in = dir_.WriteFile(
      "good.jsonl", Doc("a", "Orion Foods Inc said it agreed to acquire Lark Brands Corp.") +
                        Doc("b", "Anna Weller is the chief executive of Orion Foods Inc."));
  ProcessResult r = Admin({"ingest", "--db", db_, in});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "documents          2 (2 written, 0 unchanged, 0 failed"));
  EXPECT_TRUE(Contains(r.out, "last committed     b ("));
  ProcessResult again = Admin({"ingest", "--db", db_, in});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Contains(again.out, "documents          2 (0 written, 2 unchanged, 0 failed"));
}

TEST_F(tools_admin_ingest, MissingFileExitsNonZeroAfterCommittingTheRest) {
  const std::string in =
      dir_.WriteFile("good.jsonl", Doc("a", "Orion Foods Inc said it agreed to acquire Lark Brands Corp."));
  const std::string missing = dir_.Sub("no-such-file.jsonl");
  ProcessResult r = Admin({"ingest", "--db", db_, missing, in});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no-such-file.jsonl: cannot open"));
  EXPECT_TRUE(Contains(r.out, "input files        2 (1 could not be read)"));
  EXPECT_TRUE(Contains(r.out, "documents          1 (1 written, 0 unchanged, 0 failed"));
  ProcessResult v = Admin({"verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST_F(tools_admin_ingest, BadDocumentCountsAsFailedAndTheSummaryAddsUp) {
  const std::string in = dir_.WriteFile(
      "mixed.jsonl", Doc("a", "Orion Foods Inc said it agreed to acquire Lark Brands Corp.") +
                         "{\"id\": \"broken\", \"text\": \n" +
                         Doc("c", "Anna Weller is the chief executive of Orion Foods Inc."));
  ProcessResult r = Admin({"ingest", "--db", db_, in});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "mixed.jsonl:2:"));
  EXPECT_TRUE(Contains(r.out, "documents          3 (2 written, 0 unchanged, 1 failed: 1 unreadable, 0 not stored)"))
      << Describe(r);
}

TEST_F(tools_admin_ingest, ProgressWithoutATerminalIsPlainLinesWithTheWatermark) {
  std::string docs;
  for (int i = 0; i < 1100; ++i) {
    docs += Doc("d" + std::to_string(i), "Orion" + std::to_string(i) +
                                             " Foods Inc said it agreed to acquire Lark Brands Corp.");
  }
  const std::string in = dir_.WriteFile("many.jsonl", docs);
  ::setenv("KGRAPH_PROGRESS_MS", "0", 1);
  ProcessResult r = Admin({"ingest", "--db", db_, "--threads", "1", in});
  ::unsetenv("KGRAPH_PROGRESS_MS");
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  // One line per window of 512 documents and one at the end; no carriage
  // returns or escape codes in a log.
  EXPECT_TRUE(Contains(r.err, "ingesting: 512 ")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "committed through d511 (" + in + ":512)")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "committed through d1099 (" + in + ":1100)")) << Describe(r);
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  EXPECT_EQ(r.err.find('\033'), std::string::npos);
}

}  // namespace
}  // namespace kgraph::admin
