// kgraph-admin subcommands. Each Register* function adds one subcommand to the
// CLI11 app; its callback sets *exit_code. Commands live in their own files so
// each can grow without touching the others.
#pragma once

#include <CLI/CLI.hpp>

namespace kgraph::admin {

void RegisterLoadCommand(CLI::App& app, int* exit_code);        // admin_load.cc
void RegisterStatsCommand(CLI::App& app, int* exit_code);       // admin_stats.cc
void RegisterVerifyCommand(CLI::App& app, int* exit_code);      // admin_verify.cc
void RegisterRecoverCommand(CLI::App& app, int* exit_code);     // admin_verify.cc
void RegisterDocumentsCommand(CLI::App& app, int* exit_code);   // admin_documents.cc
void RegisterCheckpointCommand(CLI::App& app, int* exit_code);  // admin_checkpoint.cc
void RegisterExportCommand(CLI::App& app, int* exit_code);      // admin_export.cc
void RegisterExtractCommand(CLI::App& app, int* exit_code);     // admin_extract.cc
void RegisterEvalCommand(CLI::App& app, int* exit_code);        // admin_eval.cc
void RegisterIngestCommand(CLI::App& app, int* exit_code);      // admin_ingest.cc
void RegisterTrainCommand(CLI::App& app, int* exit_code);       // admin_nlp.cc
void RegisterEvalNlpCommand(CLI::App& app, int* exit_code);     // admin_nlp.cc
void RegisterAnnotateCommand(CLI::App& app, int* exit_code);    // admin_annotate.cc

}  // namespace kgraph::admin
