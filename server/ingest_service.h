// IngestService (kgraph.v1): documents (client-streaming, and a bidi stream
// that acknowledges each commit), bare triples and document retraction. The
// document streams take raw bytes and parse each message here, so a message
// that does not parse fails the call naming its index instead of passing for
// the end of the stream. Text-only documents go through a pluggable
// TextExtractor (FAILED_PRECONDITION without one). All methods need the admin
// scope.
//
// Thread safety: handlers run concurrently; GraphStore serializes writers.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "kgraph/v1/ingest.grpc.pb.h"
#include "server/service_context.h"
#include "storage/graph_store.h"

namespace kgraph::server {

// Turns a text-only document into what storage ingests (entities, triples,
// provenance). Called on a worker thread; must be thread-safe.
using TextExtractor = std::function<absl::StatusOr<storage::DocumentInput>(const v1::Document&)>;

// Limits on one Document's fields (docs/API.md). A doc id is echoed in every
// acknowledgement, log line and error; text is extracted on a shared worker
// thread, so its size bounds the CPU of one message (a news article is well
// under 100 KB; split longer texts, or ingest them with kgraph-admin).
inline constexpr size_t kMaxDocIdBytes = 2048;
inline constexpr size_t kMaxDocumentTextBytes = 1 << 20;
inline constexpr size_t kMaxTitleBytes = 4096;
inline constexpr size_t kMaxUrlBytes = 8192;

// Validates `doc` and converts its explicit entities and triples; triple
// endpoints not listed as entities are added as untyped entities. `field`
// prefixes error messages (e.g. "documents[3]"), which name the offending
// field and quote at most a short excerpt of its value. Uses `extractor` (may
// be empty) when the document has text but no triples.
absl::StatusOr<storage::DocumentInput> ToDocumentInput(const v1::Document& doc,
                                                       const TextExtractor& extractor,
                                                       const std::string& field);

// The document methods on the raw (ByteBuffer) callback API, the rest typed.
using IngestServiceBase = v1::IngestService::WithRawCallbackMethod_IngestDocuments<
    v1::IngestService::WithRawCallbackMethod_IngestDocumentStream<
        v1::IngestService::WithCallbackMethod_UpsertTriples<
            v1::IngestService::WithCallbackMethod_DeleteDocument<v1::IngestService::Service>>>>;

class IngestServiceImpl final : public IngestServiceBase {
 public:
  IngestServiceImpl(ServiceContext* svc, TextExtractor extractor)
      : svc_(svc), extractor_(std::move(extractor)) {}

  // Reads v1::Document messages, replies with a v1::IngestDocumentsResponse.
  grpc::ServerReadReactor<grpc::ByteBuffer>* IngestDocuments(grpc::CallbackServerContext* ctx,
                                                             grpc::ByteBuffer* response) override;
  // Reads v1::Document messages, writes one v1::DocumentResult for each.
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* IngestDocumentStream(
      grpc::CallbackServerContext* ctx) override;
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
