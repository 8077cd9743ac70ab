#include "tools/client/output_format.h"

#include <algorithm>
#include <set>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace kgraph::client {
namespace {

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// A co-mention has no confidence to show; its weight counts documents.
std::string Confidence(const v1::Edge& e) {
  if (e.co_mention()) return "-";
  return absl::StrFormat("%.2f", e.properties().confidence_mean());
}

}  // namespace

void PrintTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

void PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
}

void PrintEntities(const google::protobuf::RepeatedPtrField<v1::Entity>& entities,
                   std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"ID", "NAME", "TYPE", "DEGREE", "MENTIONS"}};
  for (const v1::Entity& e : entities) {
    rows.push_back({absl::StrCat(e.id()), e.name(), e.type(),
                    absl::StrCat(e.out_degree() + e.in_degree()), absl::StrCat(e.mentions())});
  }
  PrintTable(rows, out);
}

void PrintEntity(const v1::Entity& e, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"id", absl::StrCat(e.id())},
      {"name", e.name()},
      {"type", e.type()},
      {"aliases", absl::StrJoin(e.aliases(), ", ")},
      {"mentions", absl::StrCat(e.mentions())},
      {"out_degree", absl::StrCat(e.out_degree())},
      {"in_degree", absl::StrCat(e.in_degree())}};
  for (const auto& [key, value] : e.attributes()) rows.push_back({key, value});
  PrintTable(rows, out);
}

void PrintEdges(const google::protobuf::RepeatedPtrField<v1::Edge>& edges, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"SOURCE", "RELATION", "TARGET", "WEIGHT", "CONFIDENCE"}};
  for (const v1::Edge& e : edges) {
    rows.push_back({e.source_name(), e.relation(), e.target_name(),
                    absl::StrCat(e.properties().weight(), e.co_mention() ? " docs" : ""),
                    Confidence(e)});
  }
  PrintTable(rows, out);
}

void PrintPaths(const v1::FindPathsResponse& response, std::ostream& out) {
  if (response.paths().empty()) out << "no path found\n";
  int n = 0;
  for (const v1::Path& path : response.paths()) {
    out << "path " << ++n << " (" << path.edges_size() << " hops, cost "
        << absl::StrFormat("%.3g", path.cost()) << "):\n";
    for (int i = 0; i < path.edges_size(); ++i) {
      const v1::Edge& e = path.edges(i);
      // Undirected walks may cross an edge against its direction: show it as stored.
      const bool backwards = i < path.nodes_size() && path.nodes(i).id() != e.source_id();
      out << "  " << (i < path.nodes_size() ? path.nodes(i).name() : "?")
          << (backwards ? "  <-[" : "  -[") << e.relation() << (backwards ? "]-  " : "]->  ")
          << (i + 1 < path.nodes_size() ? path.nodes(i + 1).name() : "?") << "   (weight "
          << e.properties().weight();
      if (e.co_mention()) {
        out << " documents, co-mention)\n";
      } else {
        out << ", confidence " << Confidence(e) << ")\n";
      }
    }
  }
}

void PrintDocuments(const google::protobuf::RepeatedPtrField<v1::DocumentInfo>& documents,
                    std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"ID", "DATE", "SOURCE", "TITLE"}};
  for (const v1::DocumentInfo& d : documents) {
    rows.push_back({d.doc_id(), d.date().empty() ? "-" : d.date(),
                    d.source().empty() ? (d.bulk() ? "(bulk load)" : "-") : d.source(), d.title()});
  }
  PrintTable(rows, out);
}

void PrintDocument(const v1::DocumentInfo& d, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"doc_id", d.doc_id()},
                                                {"title", d.title()},
                                                {"date", d.date()},
                                                {"url", d.url()},
                                                {"source", d.source()}};
  if (d.bulk()) {
    rows.push_back({"bulk_triples", absl::StrCat(d.bulk_triples())});
  } else {
    rows.push_back({"evidence", absl::StrCat(d.evidence())});
    rows.push_back({"entities", absl::StrCat(d.entities())});
  }
  PrintTable(rows, out);
}

void PrintDot(const std::vector<v1::Entity>& nodes, const std::vector<v1::Edge>& edges,
              std::ostream& out) {
  out << "digraph kgraph {\n  rankdir=LR;\n  node [shape=box];\n";
  std::set<uint64_t> seen;
  for (const v1::Entity& n : nodes) {
    if (!seen.insert(n.id()).second) continue;
    out << "  n" << n.id() << " [label=" << DotQuote(n.name()) << "];\n";
  }
  for (const v1::Edge& e : edges) {
    for (auto [id, name] : {std::pair{e.source_id(), e.source_name()},
                            std::pair{e.target_id(), e.target_name()}}) {
      if (seen.insert(id).second) out << "  n" << id << " [label=" << DotQuote(name) << "];\n";
    }
    out << "  n" << e.source_id() << " -> n" << e.target_id()
        << " [label=" << DotQuote(e.relation()) << "];\n";
  }
  out << "}\n";
}

std::string MarkedSentence(const v1::Evidence& evidence) {
  const std::string& sentence = evidence.sentence();
  // Each mention as bytes of the sentence; left out unless wholly inside it
  // (older stores and bulk triples have none).
  std::vector<std::pair<uint64_t, uint64_t>> spans;
  for (const v1::MentionSpan* m : {&evidence.subject_mention(), &evidence.object_mention()}) {
    if (m->end() <= m->start() || m->start() < evidence.start()) continue;
    const uint64_t b = m->start() - evidence.start(), e = m->end() - evidence.start();
    if (e > sentence.size()) continue;
    spans.emplace_back(b, e);
  }
  std::sort(spans.begin(), spans.end());
  if (spans.size() == 2 && spans[1].first < spans[0].second) spans.pop_back();  // overlapping
  std::string out;
  size_t at = 0;
  for (const auto& [b, e] : spans) {
    absl::StrAppend(&out, sentence.substr(at, b - at), "[", sentence.substr(b, e - b), "]");
    at = e;
  }
  absl::StrAppend(&out, sentence.substr(at));
  return out;
}

std::string TruncationNote(v1::TruncationReason reason) {
  if (reason == v1::NOT_TRUNCATED) return "";
  return absl::StrCat("(partial result: ", v1::TruncationReason_Name(reason),
                      " budget reached)\n");
}

const char* StatusCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

}  // namespace kgraph::client
