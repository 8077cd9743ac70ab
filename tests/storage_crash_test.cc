// Crash safety of bulk loads: `kgraph-admin load` is killed with SIGKILL at
// several points of a large load; the store must still open, pass Verify and
// show either none or all of the load.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/store_dump.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

using Clock = std::chrono::steady_clock;
using ::kgraph::testing::TempDir;

// Lines "a<i % kSources>\tr<i % 8>\tb<i / kSources>": every line is a distinct
// edge, over kSources + ceil(n / kSources) entities.
constexpr int64_t kSources = 2000;

void WriteBigTsv(const std::string& path, int64_t lines) {
  std::ofstream out(path, std::ios::binary);
  std::string buf;
  buf.reserve(1 << 20);
  char line[64];
  for (int64_t i = 0; i < lines; ++i) {
    int n = std::snprintf(line, sizeof line, "a%lld\tr%lld\tb%lld\n",
                          static_cast<long long>(i % kSources), static_cast<long long>(i % 8),
                          static_cast<long long>(i / kSources));
    buf.append(line, static_cast<size_t>(n));
    if (buf.size() > (1 << 20) - 64) {
      out << buf;
      buf.clear();
    }
  }
  out << buf;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testing::AdminBinary();
    if (bin_.empty()) GTEST_SKIP() << "KGRAPH_BIN is not set and no kgraph-admin path was compiled in";
    ASSERT_TRUE(std::filesystem::exists(bin_)) << bin_ << " was not built";
    db_ = dir_.Sub("db");
    // A store with text and bulk data that the killed loads must not disturb.
    auto s = GraphStore::Open(db_, StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_TRUE((*s)->BulkLoad({{"Ada", "knows", "Charles"}, {"Charles", "built", "Engine"}}, "base", 1).ok());
    DocumentInput d;
    d.doc_id = "base-doc";
    d.date = "2020-01-01";
    TripleInput t;
    t.subject = "Ada";
    t.relation = "wrote";
    t.object = "Notes";
    t.sentence = "Ada wrote the Notes.";
    d.triples = {t};
    ASSERT_TRUE((*s)->IngestDocument(d).ok());
    base_dump_ = testing::DumpStore(**s);
    auto st = (*s)->GetStats();
    ASSERT_TRUE(st.ok());
    base_entities_ = st->entities;
    base_edges_ = st->edges;
  }

  // Runs the load of `tsv` and SIGKILLs it `delay` after the start, or after
  // it prints "loading" when `after_read`. Returns true iff it was killed.
  bool LoadAndKill(const std::string& tsv, std::chrono::milliseconds delay, bool after_read) {
    testing::Child child = testing::Spawn({bin_, "load", "--db", db_, tsv});
    EXPECT_GT(child.pid, 0);
    if (child.pid <= 0) return false;
    std::string err;
    auto start = Clock::now();
    if (after_read) {
      while (err.find("loading") == std::string::npos &&
             testing::ReadSome(child.err_fd, &err, 50)) {
      }
      start = Clock::now();
    }
    while (Clock::now() - start < delay) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ::kill(child.pid, SIGKILL);
    testing::ProcessResult r = testing::Wait(child, err);
    if (!r.signaled) {
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    return r.signaled && r.signal == SIGKILL;
  }

  struct LoadTiming {
    std::chrono::milliseconds total{0};       // from spawn to exit
    std::chrono::milliseconds after_read{0};  // from "loading" to exit
  };

  // Runs the load of `tsv` into the fresh store `db` to the end.
  LoadTiming TimeLoad(const std::string& tsv, const std::string& db) {
    LoadTiming t;
    auto start = Clock::now();
    testing::Child child = testing::Spawn({bin_, "load", "--db", db, tsv});
    EXPECT_GT(child.pid, 0);
    if (child.pid <= 0) return t;
    std::string err;
    while (err.find("loading") == std::string::npos &&
           testing::ReadSome(child.err_fd, &err, 50)) {
    }
    auto read_done = Clock::now();
    testing::ProcessResult r = testing::Wait(child, err);
    auto end = Clock::now();
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    t.total = std::chrono::duration_cast<std::chrono::milliseconds>(end - start);
    t.after_read = std::chrono::duration_cast<std::chrono::milliseconds>(end - read_done);
    return t;
  }

  // The store opens, verifies, has no scratch files, and shows all or nothing.
  void CheckAllOrNothing(int64_t lines, bool* saw_everything) {
    auto s = GraphStore::Open(db_, StoreOptions{});
    ASSERT_TRUE(s.ok()) << s.status();
    for (const auto& entry : std::filesystem::directory_iterator(db_)) {
      EXPECT_NE(entry.path().filename().string().rfind("bulk-tmp-", 0), 0u)
          << "scratch directory survived reopen: " << entry.path();
    }
    auto st = (*s)->GetStats();
    ASSERT_TRUE(st.ok()) << st.status();
    const int64_t load_entities = kSources + (lines + kSources - 1) / kSources;
    if (st->edges == base_edges_) {
      *saw_everything = false;
      EXPECT_EQ(testing::DumpStore(**s), base_dump_) << "nothing of the load may be visible";
    } else {
      *saw_everything = true;
      EXPECT_EQ(st->edges, base_edges_ + lines) << "all of the load, or none";
      EXPECT_EQ(st->entities, base_entities_ + load_entities);
      auto v = (*s)->Verify();
      ASSERT_TRUE(v.ok()) << v.status();
      EXPECT_TRUE(v->ok()) << ::testing::PrintToString(v->problems);
    }
    // The base data is intact either way.
    auto ada = (*s)->FindByName("Ada");
    ASSERT_TRUE(ada.ok());
    ASSERT_EQ(ada->size(), 1u);
    EXPECT_EQ((*s)->Degree(ada->front(), Direction::kOut), 2);
  }

  TempDir dir_;
  std::string bin_;
  std::string db_;
  std::string base_dump_;
  int64_t base_entities_ = 0;
  int64_t base_edges_ = 0;
};
// ctest -R storage selects these tests.
using storage_crash = CrashTest;

TEST_F(storage_crash, KilledBulkLoadLeavesStoreOpenableAndAllOrNothing) {
  const int64_t lines = 600000;
  const std::string tsv = dir_.Sub("big.tsv");
  WriteBigTsv(tsv, lines);

  // Kill points are fractions of how long this load takes on this machine,
  // measured by an unkilled load into a scratch store: fixed delays were
  // either all before the load began or all after it ended on faster or
  // slower machines.
  const LoadTiming timing = TimeLoad(tsv, dir_.Sub("scratch-db"));
  if (HasFatalFailure()) return;
  std::printf("unkilled load: %lld ms in all, %lld ms after reading\n",
              static_cast<long long>(timing.total.count()),
              static_cast<long long>(timing.after_read.count()));

  struct KillPoint {
    double fraction;
    bool after_read;
  };
  const KillPoint points[] = {{0.15, false}, {0.35, true}, {0.6, true}, {0.85, true}};
  int killed = 0;
  for (const KillPoint& p : points) {
    const auto base = p.after_read ? timing.after_read : timing.total;
    const auto delay = std::chrono::milliseconds(static_cast<int64_t>(p.fraction * base.count()));
    SCOPED_TRACE(::testing::Message() << "kill " << delay.count() << " ms after "
                                      << (p.after_read ? "reading" : "start"));
    bool was_killed = LoadAndKill(tsv, delay, p.after_read);
    killed += was_killed ? 1 : 0;
    bool everything = false;
    CheckAllOrNothing(lines, &everything);
    if (HasFatalFailure()) return;
    std::printf("kill %lld ms after %s: %s, store shows %s of the load\n",
                static_cast<long long>(delay.count()), p.after_read ? "reading" : "start",
                was_killed ? "killed" : "load had finished", everything ? "all" : "none");
    if (everything) break;  // later loads of the same file are no-ops
  }
  EXPECT_GE(killed, 2) << "loads finished before the kill although it came well inside "
                          "the measured load time";
}

}  // namespace
}  // namespace kgraph::storage
