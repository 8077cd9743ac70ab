// How the kgraph client prints replies: aligned text tables by default,
// protobuf JSON with --json, Graphviz DOT with --dot.
//
// Thread safety: pure functions writing to the given stream.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include "kgraph/v1/graph.pb.h"

namespace kgraph::client {

enum class OutputFormat { kTable, kJson, kDot };

// Columns padded to their widest cell; the first row is the header.
void PrintTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out);

// The message as protobuf JSON (field names in lowerCamelCase, e.g. "paths").
void PrintJson(const google::protobuf::Message& message, std::ostream& out);

void PrintEntities(const google::protobuf::RepeatedPtrField<v1::Entity>& entities,
                   std::ostream& out);
void PrintEntity(const v1::Entity& entity, std::ostream& out);
void PrintEdges(const google::protobuf::RepeatedPtrField<v1::Edge>& edges, std::ostream& out);
void PrintPaths(const v1::FindPathsResponse& response, std::ostream& out);
// The document catalog: one line per document, or one document's record.
void PrintDocuments(const google::protobuf::RepeatedPtrField<v1::DocumentInfo>& documents,
                    std::ostream& out);
void PrintDocument(const v1::DocumentInfo& document, std::ostream& out);

// The evidence sentence with the subject's and the object's mentions in
// brackets ("[The company] said it agreed to buy [Lark Brands Inc]"), where
// the reply locates them inside the sentence; the plain sentence otherwise.
std::string MarkedSentence(const v1::Evidence& evidence);

// A digraph of the given nodes and edges; node labels are entity names.
void PrintDot(const std::vector<v1::Entity>& nodes, const std::vector<v1::Edge>& edges,
              std::ostream& out);

std::string TruncationNote(v1::TruncationReason reason);

// "NOT_FOUND", "UNAVAILABLE", ...
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace kgraph::client
