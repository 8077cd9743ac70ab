// kgraph-admin documents list|show|delete: the documents a store holds, where
// each came from, and exact retraction of one.
#include <cstdio>
#include <iostream>

#include "storage/graph_store.h"
#include "tools/admin_commands.h"

namespace kgraph::admin {
namespace {

struct DocumentsArgs {
  std::string db;
  std::string source;
  std::string after;
  size_t limit = 100;
  std::string doc_id;
};

absl::StatusOr<std::unique_ptr<storage::GraphStore>> OpenStore(const std::string& db,
                                                               bool read_only) {
  storage::StoreOptions opts;
  opts.read_only = read_only;
  opts.create_if_missing = false;
  return storage::GraphStore::Open(db, opts);
}

void PrintInfo(const storage::DocumentInfo& d) {
  std::printf("%s\n", d.doc_id.c_str());
  if (!d.title.empty()) std::printf("  title     %s\n", d.title.c_str());
  if (!d.date.empty()) std::printf("  date      %s\n", d.date.c_str());
  if (!d.url.empty()) std::printf("  url       %s\n", d.url.c_str());
  if (!d.source.empty()) std::printf("  source    %s\n", d.source.c_str());
  if (d.bulk) {
    std::printf("  bulk load of %lld triples\n", static_cast<long long>(d.bulk_triples));
  } else {
    std::printf("  evidence  %lld\n  entities  %lld\n", static_cast<long long>(d.evidence),
                static_cast<long long>(d.entities));
  }
}

int Fail(const char* what, const absl::Status& s) {
  std::cerr << "kgraph-admin documents " << what << ": " << s.message() << "\n";
  return absl::IsNotFound(s) ? 4 : 1;
}

int RunList(const DocumentsArgs& a) {
  auto store = OpenStore(a.db, /*read_only=*/true);
  if (!store.ok()) return Fail("list", store.status());
  auto docs = (*store)->ListDocuments(a.after, a.limit, a.source);
  if (!docs.ok()) return Fail("list", docs.status());
  for (const auto& d : *docs) {
    std::printf("%s\t%s\t%s\t%s\n", d.doc_id.c_str(), d.date.empty() ? "-" : d.date.c_str(),
                d.source.empty() ? (d.bulk ? "(bulk load)" : "-") : d.source.c_str(),
                d.title.c_str());
  }
  // The next page starts after the last id shown.
  if (docs->size() == a.limit && !docs->empty()) {
    std::fprintf(stderr, "more: --after '%s'\n", docs->back().doc_id.c_str());
  }
  return 0;
}

int RunShow(const DocumentsArgs& a) {
  auto store = OpenStore(a.db, /*read_only=*/true);
  if (!store.ok()) return Fail("show", store.status());
  auto d = (*store)->GetDocument(a.doc_id);
  if (!d.ok()) return Fail("show", d.status());
  PrintInfo(*d);
  return 0;
}

int RunDelete(const DocumentsArgs& a) {
  auto store = OpenStore(a.db, /*read_only=*/false);
  if (!store.ok()) return Fail("delete", store.status());
  absl::Status s = (*store)->DeleteDocument(a.doc_id);
  if (!s.ok()) return Fail("delete", s);
  std::printf("deleted %s: its evidence, and the edges and entities only it supported\n",
              a.doc_id.c_str());
  return 0;
}

}  // namespace

void RegisterDocumentsCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DocumentsArgs>();
  CLI::App* cmd = app.add_subcommand("documents", "List, show or delete stored documents");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "Documents in id order: id, date, source, title");
  list->add_option("--db", args->db, "Store directory")->required();
  list->add_option("--source", args->source, "Only documents read from this resolved path or URL");
  list->add_option("--after", args->after, "Start after this document id (paging)");
  list->add_option("--limit", args->limit, "At most this many")->capture_default_str();
  list->callback([args, exit_code] { *exit_code = RunList(*args); });
  CLI::App* show = cmd->add_subcommand("show", "One document's record");
  show->add_option("--db", args->db, "Store directory")->required();
  show->add_option("doc_id", args->doc_id, "Document id")->required();
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });
  CLI::App* del = cmd->add_subcommand("delete", "Retract exactly what one document contributed");
  del->add_option("--db", args->db, "Store directory")->required();
  del->add_option("doc_id", args->doc_id, "Document id")->required();
  del->callback([args, exit_code] { *exit_code = RunDelete(*args); });
}

}  // namespace kgraph::admin
