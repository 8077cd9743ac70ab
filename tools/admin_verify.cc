// kgraph-admin verify: exits non-zero if the store is inconsistent.
// kgraph-admin recover: opens a store for writing, which makes anew the
// empty database an interrupted creation left, then verifies it.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "storage/graph_store.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

int RunVerify(const std::string& db, bool recover) {
  const char* const command = recover ? "recover" : "verify";
  storage::StoreOptions opts;
  opts.read_only = !recover;
  if (recover) {
    // Recovery never creates a store where there was none.
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) {
      std::cerr << "kgraph-admin recover: " << db << ": no database here\n";
      return 1;
    }
  }
  auto store = storage::GraphStore::Open(db, opts);
  if (!store.ok()) {
    std::cerr << "kgraph-admin " << command << ": " << store.status().message() << "\n";
    return 1;
  }
  auto report = (*store)->Verify();
  if (!report.ok()) {
    std::cerr << "kgraph-admin " << command << ": " << report.status().message() << "\n";
    return 1;
  }
  std::printf("checked %lld entities, %lld edges, %lld evidence records\n",
              static_cast<long long>(report->entities_checked),
              static_cast<long long>(report->edges_checked),
              static_cast<long long>(report->evidence_checked));
  for (const auto& p : report->problems) std::printf("PROBLEM: %s\n", p.c_str());
  std::printf(report->ok() ? "OK\n" : "FAILED: %zu problem(s)\n", report->problems.size());
  return report->ok() ? 0 : 1;
}

}  // namespace

void RegisterVerifyCommand(CLI::App& app, int* exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("verify", "Check edge twins, evidence and counters");
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->callback([db, exit_code] { *exit_code = RunVerify(*db, /*recover=*/false); });
}

void RegisterRecoverCommand(CLI::App& app, int* exit_code) {
  auto db = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "recover", "Make anew the empty store an interrupted creation left, then verify");
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->callback([db, exit_code] { *exit_code = RunVerify(*db, /*recover=*/true); });
}

}  // namespace kgraph::admin
