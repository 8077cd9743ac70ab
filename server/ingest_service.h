// IngestService (kgraph.v1): documents (client-streaming), bare triples and
// document retraction. Documents that carry only text go through a pluggable
// TextExtractor; until one is wired in, such documents fail
// FAILED_PRECONDITION. All methods need the admin scope.
//
// Thread safety: handlers run concurrently; GraphStore serializes writers.
#pragma once

#include <functional>

#include "absl/status/statusor.h"
#include "kgraph/v1/ingest.grpc.pb.h"
#include "server/service_context.h"
#include "storage/graph_store.h"

namespace kgraph::server {

// Turns a text-only document into what storage ingests (entities, triples,
// provenance). Called on a worker thread; must be thread-safe.
using TextExtractor = std::function<absl::StatusOr<storage::DocumentInput>(const v1::Document&)>;

// Validates `doc` and converts its explicit entities and triples; triple
// endpoints not listed as entities are added as untyped entities. `field`
// prefixes error messages (e.g. "documents[3]"). Uses `extractor` (may be
// empty) when the document has text but no triples.
absl::StatusOr<storage::DocumentInput> ToDocumentInput(const v1::Document& doc,
                                                       const TextExtractor& extractor,
                                                       const std::string& field);

class IngestServiceImpl final : public v1::IngestService::CallbackService {
 public:
  IngestServiceImpl(ServiceContext* svc, TextExtractor extractor)
      : svc_(svc), extractor_(std::move(extractor)) {}

  grpc::ServerReadReactor<v1::Document>* IngestDocuments(
      grpc::CallbackServerContext* ctx, v1::IngestDocumentsResponse* response) override;
  grpc::ServerUnaryReactor* UpsertTriples(grpc::CallbackServerContext* ctx,
                                          const v1::UpsertTriplesRequest* request,
                                          v1::UpsertTriplesResponse* response) override;
  grpc::ServerUnaryReactor* DeleteDocument(grpc::CallbackServerContext* ctx,
                                           const v1::DeleteDocumentRequest* request,
                                           google::protobuf::Empty* response) override;

 private:
  ServiceContext* const svc_;
  const TextExtractor extractor_;
};

}  // namespace kgraph::server
