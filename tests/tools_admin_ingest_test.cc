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
  EXPECT_TRUE(Contains(r.out, "documents          2 (2 written, 0 unchanged, 0 duplicate, 0 failed"));
  EXPECT_TRUE(Contains(r.out, "last committed     b ("));
  ProcessResult again = Admin({"ingest", "--db", db_, in});
  ASSERT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Contains(again.out, "documents          2 (0 written, 2 unchanged, 0 duplicate, 0 failed"));
}

TEST_F(tools_admin_ingest, MissingFileExitsNonZeroAfterCommittingTheRest) {
  const std::string in =
      dir_.WriteFile("good.jsonl", Doc("a", "Orion Foods Inc said it agreed to acquire Lark Brands Corp."));
  const std::string missing = dir_.Sub("no-such-file.jsonl");
  ProcessResult r = Admin({"ingest", "--db", db_, missing, in});
  EXPECT_EQ(r.exit_code, 3) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "no-such-file.jsonl: cannot open"));
  EXPECT_TRUE(Contains(r.out, "input files        2 (1 could not be read)"));
  EXPECT_TRUE(Contains(r.out, "documents          1 (1 written, 0 unchanged, 0 duplicate, 0 failed"));
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
  EXPECT_TRUE(Contains(r.out, "documents          3 (2 written, 0 unchanged, 0 duplicate, 1 failed: 1 unreadable, 0 not stored)"))
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

// A scraped page: each article is a headline, a comment counter, a body.
std::string Page(const std::vector<std::pair<std::string, std::string>>& articles) {
  std::string page = "Home Blog\nPAGES\n";
  for (const auto& [title, body] : articles) page += title + "\n0\n" + body + "\n\n";
  return page;
}

const std::pair<std::string, std::string> kArticle1 = {
    "Orion Foods buys Lark Brands", "Orion Foods Inc said it agreed to acquire Lark Brands Corp."};
const std::pair<std::string, std::string> kArticle2 = {
    "Delta Rail bids for Hale", "Delta Rail Corp said it made a tender offer for Hale Corp."};
const std::pair<std::string, std::string> kArticle3 = {
    "Pine Medical names a chief", "Pine Medical Corp named Ann Weller chief executive officer."};
const std::pair<std::string, std::string> kArticle4 = {
    "North Air expands", "North Air Ltd said it opened a base in Chicago."};

int CountLines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

TEST_F(tools_admin_ingest, EditedPageUpdatesOnlyItsChangedArticlesAndRetractsRemovedOnes) {
  const std::string page = dir_.WriteFile("page.txt", Page({kArticle1, kArticle2, kArticle3}));
  ProcessResult first = Admin({"ingest", "--db", db_, page});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  ProcessResult listed = Admin({"documents", "list", "--db", db_});
  ASSERT_EQ(listed.exit_code, 0) << Describe(listed);
  EXPECT_EQ(CountLines(listed.out), 3) << listed.out;
  // A new article on top, article 2 gone: nothing is renumbered.
  dir_.WriteFile("page.txt", Page({kArticle4, kArticle1, kArticle3}));
  ProcessResult second = Admin({"ingest", "--db", db_, page});
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  EXPECT_TRUE(Contains(second.out, "documents          3 (1 written, 2 unchanged, 0 duplicate, 0 failed"))
      << Describe(second);
  EXPECT_TRUE(Contains(second.out, "retracted          1 ")) << Describe(second);
  ProcessResult after = Admin({"documents", "list", "--db", db_});
  EXPECT_EQ(CountLines(after.out), 3) << after.out;
  EXPECT_TRUE(Contains(after.out, "North Air expands"));
  EXPECT_FALSE(Contains(after.out, "Delta Rail bids for Hale")) << after.out;
  ProcessResult v = Admin({"verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

TEST_F(tools_admin_ingest, SameFileNameInAnotherDirectoryIsNeverMerged) {
  std::filesystem::create_directories(dir_.Sub("one"));
  std::filesystem::create_directories(dir_.Sub("two"));
  const std::string a = dir_.WriteFile("one/page.txt", Page({kArticle1, kArticle2}));
  const std::string b = dir_.WriteFile("two/page.txt", Page({kArticle3, kArticle4}));
  ProcessResult r = Admin({"ingest", "--db", db_, a, b});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "documents          4 (4 written, 0 unchanged")) << Describe(r);
  ProcessResult listed = Admin({"documents", "list", "--db", db_});
  EXPECT_EQ(CountLines(listed.out), 4) << listed.out;
}

TEST_F(tools_admin_ingest, CopyUnderAnotherNameIsADuplicateStoredOnce) {
  const std::string contents = Page({kArticle1, kArticle2});
  const std::string a = dir_.WriteFile("page.txt", contents);
  const std::string b = dir_.WriteFile("copy-of-page.txt", contents);
  ProcessResult r = Admin({"ingest", "--db", db_, a, b});
  ASSERT_EQ(r.exit_code, 0) << Describe(r);
  EXPECT_TRUE(Contains(r.out, "documents          4 (2 written, 0 unchanged, 2 duplicate")) << Describe(r);
  EXPECT_TRUE(Contains(r.err, "same text as stored document page.txt#")) << Describe(r);
  ProcessResult listed = Admin({"documents", "list", "--db", db_});
  EXPECT_EQ(CountLines(listed.out), 2) << listed.out;
}

TEST_F(tools_admin_ingest, DocumentsShowAndDeleteRetractExactly) {
  const std::string page = dir_.WriteFile("page.txt", Page({kArticle1, kArticle2}));
  ASSERT_EQ(Admin({"ingest", "--db", db_, page}).exit_code, 0);
  ProcessResult listed = Admin({"documents", "list", "--db", db_, "--limit", "1"});
  ASSERT_EQ(listed.exit_code, 0) << Describe(listed);
  const std::string id = listed.out.substr(0, listed.out.find('\t'));
  EXPECT_TRUE(Contains(listed.err, "more: --after '" + id + "'"));
  ProcessResult shown = Admin({"documents", "show", "--db", db_, id});
  ASSERT_EQ(shown.exit_code, 0) << Describe(shown);
  EXPECT_TRUE(Contains(shown.out, "source    " + std::filesystem::weakly_canonical(page).string()));
  ProcessResult del = Admin({"documents", "delete", "--db", db_, id});
  ASSERT_EQ(del.exit_code, 0) << Describe(del);
  ProcessResult missing = Admin({"documents", "show", "--db", db_, id});
  EXPECT_EQ(missing.exit_code, 4) << Describe(missing);
  ProcessResult v = Admin({"verify", "--db", db_});
  EXPECT_EQ(v.exit_code, 0) << Describe(v);
}

}  // namespace
}  // namespace kgraph::admin
