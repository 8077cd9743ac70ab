// Crash safety of every command that creates or writes a store: kgraph-admin
// ingest, kgraph-admin load and kgraphd's start are killed with SIGKILL, at
// seeded random times (half of them in the first 0.5 s, where the store is
// created) and at each named crash point of store creation. After every kill
// the store must either not exist yet or open and pass `kgraph-admin verify`.
//
// KGRAPH_KILL_ITERATIONS sets the number of random kills (default 50); the
// long run documented in docs/RELIABILITY.md sets it to 500.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using ::kgraph::testing::TempDir;

enum class Command { kIngest, kLoad, kServe };
const char* CommandName(Command c) {
  switch (c) {
    case Command::kIngest: return "ingest";
    case Command::kLoad: return "load";
    case Command::kServe: return "kgraphd";
  }
  return "?";
}

// Documents of invented companies and people, enough that ingesting them
// takes a few seconds.
void WriteNewsJsonl(const std::string& path, int docs) {
  std::ofstream out(path, std::ios::binary);
  static const char* kFirst[] = {"Anna", "Boris", "Carla", "David", "Elena", "Frank"};
  static const char* kLast[] = {"Weller", "Ruiz", "Okafor", "Lindqvist", "Moreau", "Tanaka"};
  for (int i = 0; i < docs; ++i) {
    const std::string buyer = "Orion" + std::to_string(i % 97) + " Foods Inc";
    const std::string target = "Lark" + std::to_string(i % 89) + " Brands Corp";
    const std::string person = std::string(kFirst[i % 6]) + " " + kLast[(i / 6) % 6];
    out << "{\"id\":\"k" << i << "\",\"date\":\"2024-03-" << (1 + i % 28) / 10 << (1 + i % 28) % 10
        << "\",\"text\":\"" << buyer << " said it agreed to acquire " << target << ". " << person
        << " is the chief executive of " << buyer << ". " << target
        << " is based in Chicago.\"}\n";
  }
}

void WriteTriplesTsv(const std::string& path, int lines) {
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < lines; ++i) {
    out << "n" << (i % 3000) << "\tr" << (i % 7) << "\tm" << (i / 3000) << "\n";
  }
}

class KillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = testing::AdminBinary();
    if (admin_.empty()) GTEST_SKIP() << "no kgraph-admin path was compiled in";
#ifdef KGRAPHD_BINARY
    kgraphd_ = KGRAPHD_BINARY;
#endif
    ASSERT_TRUE(fs::exists(admin_)) << admin_ << " was not built";
    ASSERT_TRUE(fs::exists(kgraphd_)) << kgraphd_ << " was not built";
    // Private copies: a rebuild during a long run must not swap (or, while
    // relinking, remove) the binaries under the test.
    for (std::string* bin : {&admin_, &kgraphd_}) {
      const std::string copy = dir_.Sub(fs::path(*bin).filename().string());
      std::error_code ec;
      fs::copy_file(*bin, copy, fs::copy_options::overwrite_existing, ec);
      ASSERT_FALSE(ec) << "copying " << *bin << ": " << ec.message();
      *bin = copy;
    }
    news_ = dir_.Sub("news.jsonl");
    WriteNewsJsonl(news_, 3000);
    triples_ = dir_.Sub("triples.tsv");
    WriteTriplesTsv(triples_, 300000);
  }

  std::vector<std::string> Argv(Command c, const std::string& db) const {
    switch (c) {
      case Command::kIngest: return {admin_, "ingest", "--db", db, "--threads", "1", news_};
      case Command::kLoad: return {admin_, "load", "--db", db, triples_};
      case Command::kServe: return {kgraphd_, "--db", db, "--listen", "127.0.0.1:0"};
    }
    return {};
  }

  // Runs `c` on `db`, with KGRAPH_CRASH_POINT=`crash_point` if not empty, and
  // SIGKILLs it after `delay` unless it died or finished first. Returns how
  // it ended, for the log line.
  std::string RunAndKill(Command c, const std::string& db, std::chrono::milliseconds delay,
                         const std::string& crash_point) {
    if (!crash_point.empty()) ::setenv("KGRAPH_CRASH_POINT", crash_point.c_str(), 1);
    testing::Child child = testing::Spawn(Argv(c, db));
    ::unsetenv("KGRAPH_CRASH_POINT");
    EXPECT_GT(child.pid, 0);
    if (child.pid <= 0) return "spawn failed";
    const auto start = Clock::now();
    int status = 0;
    bool exited = false;
    while (Clock::now() - start < delay) {
      if (::waitpid(child.pid, &status, WNOHANG) == child.pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (exited) {
      ::close(child.out_fd);
      ::close(child.err_fd);
      if (WIFSIGNALED(status)) return "died by signal " + std::to_string(WTERMSIG(status));
      EXPECT_EQ(WEXITSTATUS(status), 0) << CommandName(c) << " failed on its own";
      return "finished";
    }
    ::kill(child.pid, SIGKILL);
    testing::ProcessResult r = testing::Wait(child);
    return r.signaled ? "killed" : "finished";
  }

  // The store is absent (the kill came before creation) or it verifies.
  // Returns whether a store existed.
  bool CheckStore(const std::string& db) {
    std::error_code ec;
    if (!fs::exists(db, ec) || fs::is_empty(db, ec)) {
      // Nothing of an interrupted creation may stay in the way: creating
      // the store now succeeds and leaves no scratch directory behind.
      auto s = GraphStore::Open(db, StoreOptions{});
      EXPECT_TRUE(s.ok()) << s.status();
      for (const auto& e : fs::directory_iterator(fs::path(db).parent_path())) {
        EXPECT_EQ(e.path().filename().string().find(".creating-"), std::string::npos)
            << "scratch directory left after creation: " << e.path();
      }
      return false;
    }
    testing::ProcessResult v = testing::Run({admin_, "verify", "--db", db});
    EXPECT_EQ(v.exit_code, 0) << "verify failed:\n" << v.out << v.err;
    auto s = GraphStore::Open(db, StoreOptions{});
    EXPECT_TRUE(s.ok()) << s.status();
    return true;
  }

  TempDir dir_;
  std::string admin_;
  std::string kgraphd_;
  std::string news_;
  std::string triples_;
};
using storage_kill = KillTest;

TEST_F(storage_kill, EveryCreationCrashPointLeavesNoStoreOrAWholeOne) {
  const char* kPoints[] = {"create:after-families", "create:after-stamp", "create:before-rename",
                           "create:after-rename"};
  int n = 0;
  for (Command c : {Command::kIngest, Command::kLoad, Command::kServe}) {
    for (const char* point : kPoints) {
      SCOPED_TRACE(::testing::Message() << CommandName(c) << " at " << point);
      const std::string db = dir_.Sub("cp" + std::to_string(n++));
      const std::string how = RunAndKill(c, db, std::chrono::milliseconds(20000), point);
      EXPECT_EQ(how, "died by signal 9") << "the crash point was not reached";
      const bool existed = CheckStore(db);
      // Before the rename nothing is at the target; after it, all of it.
      EXPECT_EQ(existed, std::string(point) == "create:after-rename");
      if (HasFatalFailure()) return;
    }
  }
}

TEST_F(storage_kill, RandomKillsNeverLeaveAStoreThatCannotOpen) {
  int iterations = 50;
  if (const char* env = std::getenv("KGRAPH_KILL_ITERATIONS"); env != nullptr && *env) {
    iterations = std::atoi(env);
  }
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> early(0, 499), late(500, 1500);
  const std::string shared_db = dir_.Sub("shared");
  int stores = 0, early_kills = 0;
  for (int i = 0; i < iterations; ++i) {
    const Command c = static_cast<Command>(i % 3);
    // Even iterations start from nothing, so early kills land in creation;
    // odd ones write into a store that earlier iterations filled.
    const std::string db = i % 2 == 0 ? dir_.Sub("r" + std::to_string(i)) : shared_db;
    const bool is_early = (i / 2) % 2 == 0;
    const std::chrono::milliseconds delay(is_early ? early(rng) : late(rng));
    early_kills += is_early ? 1 : 0;
    SCOPED_TRACE(::testing::Message() << "iteration " << i << ": " << CommandName(c) << " on "
                                      << db << ", kill after " << delay.count() << " ms");
    const std::string how = RunAndKill(c, db, delay, "");
    stores += CheckStore(db) ? 1 : 0;
    std::printf("kill %3d: %-7s %-6s after %4lld ms: %s\n", i, CommandName(c),
                i % 2 == 0 ? "fresh" : "shared", static_cast<long long>(delay.count()),
                how.c_str());
    if (HasFatalFailure()) return;
  }
  std::printf("%d kills, %d in the first 0.5 s, %d left a store that verified\n", iterations,
              early_kills, stores);
  EXPECT_GE(early_kills * 2, iterations);
}

}  // namespace
}  // namespace kgraph::storage
