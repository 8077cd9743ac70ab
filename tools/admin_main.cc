// kgraph-admin: bulk load, extract and ingest corpora, evaluate extraction,
// inspect and verify a store. Each subcommand lives in its own admin_*.cc.
#include <CLI/CLI.hpp>

#include "tools/admin_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kgraph-admin: build, inspect and check kgraph stores"};
  app.require_subcommand(1);
  int exit_code = 0;
  kgraph::admin::RegisterLoadCommand(app, &exit_code);
  kgraph::admin::RegisterStatsCommand(app, &exit_code);
  kgraph::admin::RegisterVerifyCommand(app, &exit_code);
  kgraph::admin::RegisterRecoverCommand(app, &exit_code);
  kgraph::admin::RegisterDocumentsCommand(app, &exit_code);
  kgraph::admin::RegisterCheckpointCommand(app, &exit_code);
  kgraph::admin::RegisterExportCommand(app, &exit_code);
  kgraph::admin::RegisterExtractCommand(app, &exit_code);
  kgraph::admin::RegisterEvalCommand(app, &exit_code);
  kgraph::admin::RegisterIngestCommand(app, &exit_code);
  kgraph::admin::RegisterTrainCommand(app, &exit_code);
  kgraph::admin::RegisterEvalNlpCommand(app, &exit_code);
  kgraph::admin::RegisterAnnotateCommand(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
