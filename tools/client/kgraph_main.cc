// kgraph: command-line client for kgraphd. Subcommands map one-to-one onto
// GraphService RPCs (and `documents delete` onto IngestService.DeleteDocument);
// entity names are resolved through the server (GetEntity) and an ambiguous
// name lists its candidates instead of guessing.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "kgraph/v1/graph.grpc.pb.h"
#include "kgraph/v1/ingest.grpc.pb.h"
#include "tools/client/client_connection.h"
#include "tools/client/output_format.h"

namespace kgraph::client {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRpcError = 1;
constexpr int kExitAmbiguous = 2;

struct Globals {
  ConnectionOptions connection;
  std::string token_file;
  bool json = false;
  bool dot = false;
};

class Client {
 public:
  explicit Client(std::unique_ptr<ClientConnection> connection)
      : connection_(std::move(connection)),
        stub_(v1::GraphService::NewStub(connection_->channel())),
        ingest_stub_(v1::IngestService::NewStub(connection_->channel())) {}

  v1::GraphService::Stub& stub() { return *stub_; }
  v1::IngestService::Stub& ingest_stub() { return *ingest_stub_; }
  std::unique_ptr<grpc::ClientContext> Context() const { return connection_->NewContext(); }

 private:
  std::unique_ptr<ClientConnection> connection_;
  std::unique_ptr<v1::GraphService::Stub> stub_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
};

int ReportError(const grpc::Status& status) {
  std::cerr << "kgraph: " << StatusCodeName(status.error_code()) << ": "
            << status.error_message() << "\n";
  return kExitRpcError;
}

// "#123" or --id selects by id; anything else is a name or alias.
v1::EntityRef RefFor(const std::string& arg) {
  v1::EntityRef ref;
  uint64_t id = 0;
  if (arg.size() > 1 && arg[0] == '#' && absl::SimpleAtoi(arg.substr(1), &id)) {
    ref.set_id(id);
  } else {
    ref.set_name(arg);
  }
  return ref;
}

// Resolves `arg` to exactly one entity; prints candidates if ambiguous.
// Returns the exit code to use on failure, or kExitOk.
int Resolve(Client& client, const std::string& arg, v1::Entity* out) {
  v1::GetEntityRequest request;
  *request.mutable_entity() = RefFor(arg);
  v1::GetEntityResponse response;
  grpc::Status status = client.stub().GetEntity(client.Context().get(), request, &response);
  if (!status.ok()) return ReportError(status);
  if (response.ambiguous()) {
    std::cerr << "kgraph: \"" << arg << "\" is ambiguous; pick one by id (#ID):\n";
    google::protobuf::RepeatedPtrField<v1::Entity> all;
    *all.Add() = response.entity();
    for (const v1::Entity& e : response.alternatives()) *all.Add() = e;
    PrintEntities(all, std::cerr);
    return kExitAmbiguous;
  }
  *out = response.entity();
  return kExitOk;
}

v1::Direction ParseDirection(const std::string& s) {
  if (s == "out") return v1::OUT;
  if (s == "in") return v1::IN;
  return v1::BOTH;
}

struct FilterFlags {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  double min_confidence = 0;
  int64_t min_mentions = 0;
  bool co_mentions = false;

  void Add(CLI::App* cmd) {
    cmd->add_option("--rel", include, "follow only these relations (repeatable)");
    cmd->add_option("--exclude_rel", exclude, "never follow these relations");
    cmd->add_option("--min_confidence", min_confidence, "minimum mean edge confidence");
    cmd->add_option("--min_mentions", min_mentions, "minimum edge weight (mentions + bulk)");
    cmd->add_flag("--co-mentions", co_mentions,
                  "also follow co-mention edges (two entities named in one sentence; "
                  "weight = documents), left out by default");
  }
  void Fill(v1::EdgeFilter* filter) const {
    for (const std::string& r : include) filter->add_include_relations(r);
    for (const std::string& r : exclude) filter->add_exclude_relations(r);
    filter->set_min_confidence(min_confidence);
    filter->set_min_mentions(min_mentions);
    filter->set_include_co_mentions(co_mentions);
  }
};

void PrintNeighborhood(const google::protobuf::RepeatedPtrField<v1::NeighborNode>& nodes,
                       const google::protobuf::RepeatedPtrField<v1::Edge>& edges,
                       v1::TruncationReason truncated, const Globals& g) {
  if (g.dot) {
    std::vector<v1::Entity> entities;
    for (const v1::NeighborNode& n : nodes) entities.push_back(n.entity());
    PrintDot(entities, {edges.begin(), edges.end()}, std::cout);
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"HOP", "ID", "NAME", "TYPE", "DEGREE"}};
  for (const v1::NeighborNode& n : nodes) {
    rows.push_back({absl::StrCat(n.hop()), absl::StrCat(n.entity().id()), n.entity().name(),
                    n.entity().type(),
                    absl::StrCat(n.entity().out_degree() + n.entity().in_degree())});
  }
  PrintTable(rows, std::cout);
  std::cout << "\n";
  PrintEdges(edges, std::cout);
  std::cout << TruncationNote(truncated);
}

}  // namespace

int Main(int argc, char** argv) {
  Globals g;
  int exit_code = kExitOk;
  CLI::App app{"kgraph: query a kgraphd server"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags such as --json may follow the subcommand
  app.add_option("--server", g.connection.server, "kgraphd address")->capture_default_str();
  app.add_option("--token", g.connection.token, "bearer token");
  app.add_option("--token_file", g.token_file, "file holding the bearer token");
  app.add_option("--tls_ca", g.connection.tls_ca, "PEM CA of the server (enables TLS)");
  app.add_option("--tls_cert", g.connection.tls_cert, "PEM client certificate (mTLS)");
  app.add_option("--tls_key", g.connection.tls_key, "PEM client key (mTLS)");
  app.add_option("--tls_server_name", g.connection.tls_server_name,
                 "name to check in the server certificate");
  app.add_option("--timeout_ms", g.connection.timeout_ms, "per-call deadline")
      ->capture_default_str();
  auto* json_flag = app.add_flag("--json", g.json, "print the response as protobuf JSON");
  app.add_flag("--dot", g.dot, "print a Graphviz digraph (neighbors, path, subgraph)")
      ->excludes(json_flag);

  std::unique_ptr<Client> client;
  auto connect = [&]() -> bool {
    if (!g.token_file.empty()) {
      std::ifstream in(g.token_file);
      std::string token;
      if (!in || !std::getline(in, token)) {
        std::cerr << "kgraph: cannot read --token_file " << g.token_file << "\n";
        exit_code = kExitRpcError;
        return false;
      }
      g.connection.token = std::string(absl::StripAsciiWhitespace(token));
    }
    absl::StatusOr<std::unique_ptr<ClientConnection>> connection =
        ClientConnection::Connect(g.connection);
    if (!connection.ok()) {
      std::cerr << "kgraph: " << connection.status().message() << "\n";
      exit_code = kExitRpcError;
      return false;
    }
    client = std::make_unique<Client>(*std::move(connection));
    return true;
  };

  // search PREFIX
  std::string prefix;
  std::string order = "degree";
  int page_size = 20;
  bool all_pages = false;
  auto* search = app.add_subcommand("search", "entities whose name or alias starts with PREFIX");
  search->add_option("prefix", prefix)->required();
  search->add_option("--order", order, "degree|mentions")->capture_default_str();
  search->add_option("--limit", page_size, "results per page")->capture_default_str();
  search->add_flag("--all", all_pages, "follow next_page_token to the end");
  search->callback([&] {
    if (!connect()) return;
    v1::SearchEntitiesRequest request;
    request.set_prefix(prefix);
    request.set_order_by(order == "mentions" ? v1::MENTIONS : v1::DEGREE);
    request.set_page_size(page_size);
    v1::SearchEntitiesResponse all;
    while (true) {
      v1::SearchEntitiesResponse response;
      grpc::Status status =
          client->stub().SearchEntities(client->Context().get(), request, &response);
      if (!status.ok()) return void(exit_code = ReportError(status));
      all.mutable_entities()->MergeFrom(response.entities());
      all.set_next_page_token(response.next_page_token());
      all.set_truncated(response.truncated());
      if (!all_pages || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (g.json) return PrintJson(all, std::cout);
    PrintEntities(all.entities(), std::cout);
    if (!all.next_page_token().empty()) std::cout << "(more: use --all or --limit)\n";
    std::cout << TruncationNote(all.truncated());
  });

  // entity NAME
  std::string entity_arg;
  auto* entity = app.add_subcommand("entity", "one entity by name, alias or #id");
  entity->add_option("name", entity_arg)->required();
  entity->callback([&] {
    if (!connect()) return;
    v1::GetEntityRequest request;
    *request.mutable_entity() = RefFor(entity_arg);
    v1::GetEntityResponse response;
    grpc::Status status = client->stub().GetEntity(client->Context().get(), request, &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    PrintEntity(response.entity(), std::cout);
    if (!response.alternatives().empty()) {
      std::cout << "\nother entities with this name:\n";
      PrintEntities(response.alternatives(), std::cout);
    }
  });

  // neighbors NAME
  std::string start_arg;
  int hops = 1;
  std::string direction = "both";
  int fan_out = 0;
  int neighbor_page = 0;
  FilterFlags neighbor_filter;
  auto* neighbors = app.add_subcommand("neighbors", "the neighborhood of an entity");
  neighbors->add_option("name", start_arg)->required();
  neighbors->add_option("--hops", hops)->capture_default_str();
  neighbors->add_option("--direction", direction, "out|in|both")->capture_default_str();
  neighbors->add_option("--fanout", fan_out, "top edges per node by weight (0: server default)");
  neighbors->add_option("--limit", neighbor_page, "nodes per page (0: server default)");
  neighbors->add_flag("--all", all_pages, "follow next_page_token to the end");
  neighbor_filter.Add(neighbors);
  neighbors->callback([&] {
    if (!connect()) return;
    v1::Entity start;
    if ((exit_code = Resolve(*client, start_arg, &start)) != kExitOk) return;
    v1::GetNeighborsRequest request;
    request.mutable_entity()->set_id(start.id());
    request.set_hops(hops);
    request.set_direction(ParseDirection(direction));
    request.set_max_edges_per_node(fan_out);
    request.set_page_size(neighbor_page);
    neighbor_filter.Fill(request.mutable_filter());
    v1::GetNeighborsResponse all;
    while (true) {
      v1::GetNeighborsResponse response;
      grpc::Status status =
          client->stub().GetNeighbors(client->Context().get(), request, &response);
      if (!status.ok()) return void(exit_code = ReportError(status));
      all.mutable_nodes()->MergeFrom(response.nodes());
      all.mutable_edges()->MergeFrom(response.edges());
      all.set_next_page_token(response.next_page_token());
      all.set_truncated(response.truncated());
      *all.mutable_cost() = response.cost();
      if (!all_pages || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (g.json) return PrintJson(all, std::cout);
    PrintNeighborhood(all.nodes(), all.edges(), all.truncated(), g);
    if (!g.dot && !all.next_page_token().empty()) std::cout << "(more: use --all)\n";
  });

  // path A B
  std::string from_arg, to_arg, mode = "shortest", weight = "hops";
  int k = 3, max_hops = 0, path_limit = 0;
  bool directed = false;
  FilterFlags path_filter;
  auto* path = app.add_subcommand("path", "paths between two entities");
  path->add_option("from", from_arg)->required();
  path->add_option("to", to_arg)->required();
  path->add_option("--mode", mode, "shortest|k|all")->capture_default_str();
  path->add_option("--k", k, "paths for --mode k")->capture_default_str();
  path->add_option("--max_hops", max_hops, "0: server default");
  path->add_option("--limit", path_limit, "paths for --mode all (0: server default)");
  path->add_option("--weight", weight, "hops|inverse|neglog")->capture_default_str();
  path->add_flag("--directed", directed, "follow edges only in their direction");
  path_filter.Add(path);
  path->callback([&] {
    if (!connect()) return;
    v1::Entity from, to;
    if ((exit_code = Resolve(*client, from_arg, &from)) != kExitOk) return;
    if ((exit_code = Resolve(*client, to_arg, &to)) != kExitOk) return;
    v1::FindPathsRequest request;
    request.mutable_source()->set_id(from.id());
    request.mutable_target()->set_id(to.id());
    request.set_mode(mode == "k" ? v1::K_SHORTEST : mode == "all" ? v1::ALL_SIMPLE : v1::SHORTEST);
    request.set_k(k);
    request.set_max_hops(max_hops);
    request.set_limit(path_limit);
    request.set_directed(directed);
    request.set_weight(weight == "inverse"  ? v1::INVERSE_CONFIDENCE
                       : weight == "neglog" ? v1::NEGATIVE_LOG_CONFIDENCE
                                            : v1::HOPS);
    path_filter.Fill(request.mutable_filter());
    v1::FindPathsResponse response;
    grpc::Status status = client->stub().FindPaths(client->Context().get(), request, &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    if (g.dot) {
      std::vector<v1::Entity> nodes;
      std::vector<v1::Edge> edges;
      for (const v1::Path& p : response.paths()) {
        nodes.insert(nodes.end(), p.nodes().begin(), p.nodes().end());
        edges.insert(edges.end(), p.edges().begin(), p.edges().end());
      }
      return PrintDot(nodes, edges, std::cout);
    }
    PrintPaths(response, std::cout);
    std::cout << TruncationNote(response.truncated());
  });

  // subgraph A B ...
  std::vector<std::string> seed_args;
  int subgraph_hops = 1;
  FilterFlags subgraph_filter;
  auto* subgraph = app.add_subcommand("subgraph", "nodes and edges around seed entities");
  subgraph->add_option("seeds", seed_args)->required();
  subgraph->add_option("--hops", subgraph_hops)->capture_default_str();
  subgraph_filter.Add(subgraph);
  subgraph->callback([&] {
    if (!connect()) return;
    v1::GetSubgraphRequest request;
    for (const std::string& arg : seed_args) {
      v1::Entity seed;
      if ((exit_code = Resolve(*client, arg, &seed)) != kExitOk) return;
      request.add_seeds()->set_id(seed.id());
    }
    request.set_hops(subgraph_hops);
    subgraph_filter.Fill(request.mutable_filter());
    v1::GetSubgraphResponse response;
    grpc::Status status = client->stub().GetSubgraph(client->Context().get(), request, &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    PrintNeighborhood(response.nodes(), response.edges(), response.truncated(), g);
  });

  // evidence SUBJECT RELATION OBJECT
  std::string ev_subject, ev_relation, ev_object;
  int evidence_page = 0;
  auto* evidence = app.add_subcommand("evidence", "the sentences behind one edge");
  evidence->add_option("subject", ev_subject)->required();
  evidence->add_option("relation", ev_relation)->required();
  evidence->add_option("object", ev_object)->required();
  evidence->add_option("--limit", evidence_page, "sentences per page (0: server default)");
  evidence->add_flag("--all", all_pages, "follow next_page_token to the end");
  evidence->callback([&] {
    if (!connect()) return;
    v1::Entity subject, object;
    if ((exit_code = Resolve(*client, ev_subject, &subject)) != kExitOk) return;
    if ((exit_code = Resolve(*client, ev_object, &object)) != kExitOk) return;
    v1::GetEvidenceRequest request;
    request.mutable_source()->set_id(subject.id());
    request.set_relation(ev_relation);
    request.mutable_target()->set_id(object.id());
    request.set_page_size(evidence_page);
    v1::GetEvidenceResponse all;
    while (true) {
      v1::GetEvidenceResponse response;
      grpc::Status status =
          client->stub().GetEvidence(client->Context().get(), request, &response);
      if (!status.ok()) return void(exit_code = ReportError(status));
      *all.mutable_edge() = response.edge();
      all.mutable_evidence()->MergeFrom(response.evidence());
      all.set_next_page_token(response.next_page_token());
      if (!all_pages || response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (g.json) return PrintJson(all, std::cout);
    // The arguments are bracketed in the sentence; a pronoun or description
    // that stood for one is named ("subject: it").
    std::vector<std::vector<std::string>> rows = {
        {"DOC", "CONFIDENCE", "RULE", "RESOLVED", "SENTENCE"}};
    for (const v1::Evidence& e : all.evidence()) {
      std::vector<std::string> resolved;
      if (!e.subject_mention().resolved_from().empty()) {
        resolved.push_back("subject: " + e.subject_mention().resolved_from());
      }
      if (!e.object_mention().resolved_from().empty()) {
        resolved.push_back("object: " + e.object_mention().resolved_from());
      }
      rows.push_back({e.doc_id(), absl::StrCat(e.confidence()), e.rule(),
                      resolved.empty() ? "-" : absl::StrJoin(resolved, "; "),
                      client::MarkedSentence(e)});
    }
    PrintTable(rows, std::cout);
    if (all.evidence().empty()) std::cout << "(no evidence: the edge comes from bulk loads)\n";
  });

  // stats
  auto* stats = app.add_subcommand("stats", "store-wide counts");
  stats->callback([&] {
    if (!connect()) return;
    v1::GetStatsResponse response;
    grpc::Status status =
        client->stub().GetStats(client->Context().get(), v1::GetStatsRequest(), &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    PrintTable({{"entities", absl::StrCat(response.entities())},
                {"edges", absl::StrCat(response.edges())},
                {"evidence", absl::StrCat(response.evidence())},
                {"documents", absl::StrCat(response.documents())},
                {"disk_bytes", absl::StrCat(response.disk_bytes())}},
               std::cout);
    std::cout << "\n";
    std::vector<std::vector<std::string>> rows = {{"RELATION", "EDGES"}};
    for (const v1::RelationCount& r : response.relations()) {
      rows.push_back({r.name(), absl::StrCat(r.edges())});
    }
    PrintTable(rows, std::cout);
  });

  // documents list|show|delete
  std::string doc_source, doc_after, doc_id;
  int doc_limit = 0;
  bool doc_all = false;
  auto* documents = app.add_subcommand("documents", "list, show or delete stored documents");
  documents->require_subcommand(1);
  auto* doc_list = documents->add_subcommand("list", "documents in id order: id, date, source, title");
  doc_list->add_option("--source", doc_source, "only documents read from this resolved path or URL");
  doc_list->add_option("--after", doc_after, "start after this document id (paging)");
  doc_list->add_option("--limit", doc_limit, "documents per page, at most 1000 (0: server default)");
  doc_list->add_flag("--all", doc_all, "follow next_after to the end");
  doc_list->callback([&] {
    if (!connect()) return;
    v1::ListDocumentsRequest request;
    request.set_source(doc_source);
    request.set_after(doc_after);
    request.set_limit(doc_limit);
    v1::ListDocumentsResponse all;
    while (true) {
      v1::ListDocumentsResponse response;
      grpc::Status status =
          client->stub().ListDocuments(client->Context().get(), request, &response);
      if (!status.ok()) return void(exit_code = ReportError(status));
      all.mutable_documents()->MergeFrom(response.documents());
      all.set_next_after(response.next_after());
      if (!doc_all || response.next_after().empty()) break;
      request.set_after(response.next_after());
    }
    if (g.json) return PrintJson(all, std::cout);
    PrintDocuments(all.documents(), std::cout);
    // On stderr, so the table on stdout stays one line per document.
    if (!all.next_after().empty()) {
      std::cerr << "(more: --after '" << all.next_after() << "' or --all)\n";
    }
  });
  auto* doc_show = documents->add_subcommand("show", "one document's record");
  doc_show->add_option("doc_id", doc_id, "document id")->required();
  doc_show->callback([&] {
    if (!connect()) return;
    v1::GetDocumentRequest request;
    request.set_doc_id(doc_id);
    v1::GetDocumentResponse response;
    grpc::Status status = client->stub().GetDocument(client->Context().get(), request, &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    PrintDocument(response.document(), std::cout);
  });
  auto* doc_delete = documents->add_subcommand(
      "delete", "retract what one document contributed (needs an admin token)");
  doc_delete->add_option("doc_id", doc_id, "document id")->required();
  doc_delete->callback([&] {
    if (!connect()) return;
    v1::DeleteDocumentRequest request;
    request.set_doc_id(doc_id);
    google::protobuf::Empty response;
    grpc::Status status =
        client->ingest_stub().DeleteDocument(client->Context().get(), request, &response);
    if (!status.ok()) return void(exit_code = ReportError(status));
    if (g.json) return PrintJson(response, std::cout);
    std::cout << "deleted " << doc_id
              << ": its evidence, and the edges and entities only it supported\n";
  });

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}

}  // namespace kgraph::client

int main(int argc, char** argv) { return kgraph::client::Main(argc, argv); }
