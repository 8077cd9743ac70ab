// kgraph-admin checkpoint: an openable, consistent copy of a store.
#include <cstdio>
#include <iostream>

#include "storage/graph_store.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

int RunCheckpoint(const std::string& db, const std::string& out) {
  auto store = storage::GraphStore::Open(db, storage::StoreOptions{.create_if_missing = false});
  if (!store.ok()) {
    std::cerr << "kgraph-admin checkpoint: " << store.status().message() << "\n";
    return 1;
  }
  absl::Status s = (*store)->Checkpoint(out);
  if (!s.ok()) {
    std::cerr << "kgraph-admin checkpoint: " << s.message() << "\n";
    return 1;
  }
  std::printf("checkpoint written to %s\n", out.c_str());
  return 0;
}

}  // namespace

void RegisterCheckpointCommand(CLI::App& app, int* exit_code) {
  auto db = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("checkpoint", "Write an openable copy of the store to OUT");
  cmd->add_option("--db", *db, "Store directory")->required();
  cmd->add_option("out", *out, "Output directory (must not exist)")->required();
  cmd->callback([db, out, exit_code] { *exit_code = RunCheckpoint(*db, *out); });
}

}  // namespace kgraph::admin
