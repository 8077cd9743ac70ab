// End-to-end tests of `kgraph-admin load`, `verify` and `stats`, run as a
// subprocess ($KGRAPH_BIN/tools/kgraph-admin).
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

// `stats` output without the disk-size line, which counts RocksDB's log files.
std::string WithoutDiskLine(const std::string& stats) {
  std::istringstream in(stats);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("disk", 0) != 0) out += line + "\n";
  }
  return out;
}

class AdminLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testing::AdminBinary();
    if (bin_.empty()) GTEST_SKIP() << "KGRAPH_BIN is not set and no kgraph-admin path was compiled in";
    ASSERT_TRUE(std::filesystem::exists(bin_)) << bin_ << " was not built";
    db_ = dir_.Sub("db");
  }
  ProcessResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), bin_);
    return testing::Run(args);
  }
  std::string Stats() {
    ProcessResult r = Admin({"stats", "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    return r.out;
  }
  void ExpectVerifyOk() {
    ProcessResult r = Admin({"verify", "--db", db_});
    EXPECT_EQ(r.exit_code, 0) << Describe(r);
    EXPECT_TRUE(Contains(r.out, "OK\n"));
  }

  TempDir dir_;
  std::string bin_;
  std::string db_;
};
// ctest -R tools selects these tests.
using tools_admin_load = AdminLoadTest;

const char kGoodTsv[] =
    "Ada Lovelace\tborn_in\tLondon\n"
    "Charles Babbage\tborn_in\tLondon\t0.9\n"
    "Charles Babbage\tcollaborated_with\tAda Lovelace\n";

TEST_F(tools_admin_load, LoadThenVerifySucceeds) {
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ProcessResult load = Admin({"load", "--db", db_, tsv});
  ASSERT_EQ(load.exit_code, 0) << Describe(load);
  EXPECT_TRUE(Contains(load.out, "triples read       3"));
  EXPECT_TRUE(Contains(load.out, "rejected lines     0"));
  EXPECT_TRUE(Contains(load.out, "new edges          3"));
  EXPECT_TRUE(Contains(load.out, "entities           3 (3 new)"));
  ExpectVerifyOk();
  std::string stats = Stats();
  EXPECT_TRUE(Contains(stats, "entities   3\n"));
  EXPECT_TRUE(Contains(stats, "edges      3\n"));
  EXPECT_TRUE(Contains(stats, "relations  2\n"));
}

TEST_F(tools_admin_load, ReloadingSameFileChangesNothing) {
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ASSERT_EQ(Admin({"load", "--db", db_, tsv}).exit_code, 0);
  const std::string before = WithoutDiskLine(Stats());
  ProcessResult again = Admin({"load", "--db", db_, tsv});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Contains(again.out, "already loaded"));
  EXPECT_EQ(WithoutDiskLine(Stats()), before);
}

TEST_F(tools_admin_load, CorruptLineFailsNamingLineAndLeavesStoreUnchanged) {
  std::string good = dir_.WriteFile("good.tsv", kGoodTsv);
  ProcessResult first = Admin({"load", "--db", db_, good});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  const std::string before = WithoutDiskLine(Stats());
  ASSERT_TRUE(Contains(before, "edges      3\n")) << "precondition";

  std::string bad = dir_.WriteFile("bad.tsv",
                                   "Grace Hopper\tborn_in\tNew York\n"
                                   "Alan Turing\tborn_in\tLondon\n"
                                   "this line has no tabs at all\n"
                                   "Kurt Goedel\tborn_in\tBrno\n");
  ProcessResult load = Admin({"load", "--db", db_, bad});
  EXPECT_NE(load.exit_code, 0) << Describe(load);
  EXPECT_FALSE(load.signaled) << Describe(load);
  EXPECT_TRUE(Contains(load.err, bad + ":3:")) << Describe(load);
  EXPECT_EQ(WithoutDiskLine(Stats()), before);
  ExpectVerifyOk();
}

TEST_F(tools_admin_load, MaxErrorsOneSkipsOneBadLine) {
  std::string bad = dir_.WriteFile("one_bad.tsv",
                                   "Grace Hopper\tborn_in\tNew York\n"
                                   "Alan Turing\tborn_in\tLondon\t7.5\n"
                                   "Kurt Goedel\tborn_in\tBrno\n");
  ProcessResult load = Admin({"load", "--db", db_, "--max-errors", "1", bad});
  // The good lines are loaded, and the exit status says a line was not.
  ASSERT_EQ(load.exit_code, 3) << Describe(load);
  EXPECT_TRUE(Contains(load.out, "rejected lines     1\n"));
  EXPECT_TRUE(Contains(load.out, "triples read       2"));
  EXPECT_TRUE(Contains(load.err, "rejected: " + bad + ":2:"));
  std::string stats = Stats();
  EXPECT_TRUE(Contains(stats, "edges      2\n"));
  EXPECT_TRUE(Contains(stats, "entities   4\n"));
  ExpectVerifyOk();
}

TEST_F(tools_admin_load, MaxErrorsOneWithTwoBadLinesFails) {
  std::string bad = dir_.WriteFile("two_bad.tsv", "A\tr\tB\nbad\nC\tr\tD\nalso bad\n");
  ProcessResult load = Admin({"load", "--db", db_, "--max-errors", "1", bad});
  EXPECT_EQ(load.exit_code, 1) << Describe(load);
  EXPECT_TRUE(Contains(load.err, bad + ":4:"));
  EXPECT_FALSE(std::filesystem::exists(db_ + "/CURRENT")) << "no store is created for a failed read";
}

TEST_F(tools_admin_load, LoadIntoForeignDirectoryFails) {
  std::filesystem::create_directories(db_);
  dir_.WriteFile("db/notes.txt", "mine\n");
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ProcessResult load = Admin({"load", "--db", db_, tsv});
  EXPECT_EQ(load.exit_code, 1) << Describe(load);
  EXPECT_TRUE(Contains(load.err, "not a kgraph database"));
  EXPECT_TRUE(std::filesystem::exists(db_ + "/notes.txt"));
}

TEST_F(tools_admin_load, UnknownFormatIsUsageError) {
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ProcessResult load = Admin({"load", "--db", db_, "--format", "xml", tsv});
  EXPECT_EQ(load.exit_code, 2) << Describe(load);
  EXPECT_TRUE(Contains(load.err, "unknown format 'xml'"));
}

TEST_F(tools_admin_load, VerifyOfMissingStoreFails) {
  ProcessResult r = Admin({"verify", "--db", dir_.Sub("nothing")});
  EXPECT_NE(r.exit_code, 0) << Describe(r);
  EXPECT_FALSE(r.signaled);
}

TEST_F(tools_admin_load, ExportRoundTripsThroughLoad) {
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ASSERT_EQ(Admin({"load", "--db", db_, tsv}).exit_code, 0);
  const std::string exported = dir_.Sub("export.tsv");
  ProcessResult ex = Admin({"export", "--db", db_, "--out", exported});
  ASSERT_EQ(ex.exit_code, 0) << Describe(ex);
  EXPECT_TRUE(Contains(ex.err, "exported 3 edges"));
  // Loading the export into a fresh store gives the same graph.
  const std::string other = dir_.Sub("db2");
  ProcessResult load = Admin({"load", "--db", other, exported});
  ASSERT_EQ(load.exit_code, 0) << Describe(load);
  ProcessResult a = Admin({"stats", "--db", db_});
  ProcessResult b = Admin({"stats", "--db", other});
  EXPECT_EQ(WithoutDiskLine(a.out), WithoutDiskLine(b.out));
  // The confidence survives: Babbage's born_in edge had 0.9.
  ProcessResult json = Admin({"export", "--db", db_, "--format", "jsonl", "--relation", "born_in"});
  ASSERT_EQ(json.exit_code, 0) << Describe(json);
  EXPECT_TRUE(Contains(json.out, "\"subject\":\"Charles Babbage\""));
  EXPECT_TRUE(Contains(json.out, "\"confidence\":0.9"));
  EXPECT_FALSE(Contains(json.out, "collaborated_with"));
}

TEST_F(tools_admin_load, ExportRejectsUnknownFormatAndRelation) {
  std::string tsv = dir_.WriteFile("good.tsv", kGoodTsv);
  ASSERT_EQ(Admin({"load", "--db", db_, tsv}).exit_code, 0);
  ProcessResult bad_format = Admin({"export", "--db", db_, "--format", "xml"});
  EXPECT_EQ(bad_format.exit_code, 2) << Describe(bad_format);
  EXPECT_TRUE(Contains(bad_format.err, "--format"));
  ProcessResult bad_rel = Admin({"export", "--db", db_, "--relation", "married_to"});
  EXPECT_EQ(bad_rel.exit_code, 2) << Describe(bad_rel);
  EXPECT_TRUE(Contains(bad_rel.err, "married_to"));
}

}  // namespace
}  // namespace kgraph::admin
