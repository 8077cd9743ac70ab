// GraphService's document catalog: ListDocuments and GetDocument, thin
// translations of GraphStore::ListDocuments / GetDocument (read scope).
// Kept apart from the graph queries, which share nothing with it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/text_limits.h"
#include "server/graph_service.h"
#include "server/ingest_service.h"
#include "server/unary_call.h"

namespace kgraph::server {
namespace {

constexpr char kListDocuments[] = "kgraph.v1.GraphService/ListDocuments";
constexpr char kGetDocument[] = "kgraph.v1.GraphService/GetDocument";

// One page's size: 0 means the default. Unlike page_size elsewhere, a limit
// above the maximum is an error rather than coerced, so a script that asks
// for 5000 learns it got fewer by design, not by the end of the catalog.
constexpr int32_t kDefaultDocumentLimit = 100;
constexpr int32_t kMaxDocumentLimit = 1000;

// `after` and `doc_id` name stored ids: bounded single lines, as ids are
// when ingested over gRPC. (A NUL would also reach the store's reserved keys.)
absl::Status CheckId(const std::string& id, const char* field) {
  if (id.size() > kMaxDocIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", id.size(),
                                                   " bytes exceed the limit of ", kMaxDocIdBytes,
                                                   ": ", QuoteForMessage(id)));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": control character at byte ", i, ": ", QuoteForMessage(id)));
    }
  }
  return absl::OkStatus();
}

void ToProto(const storage::DocumentInfo& d, v1::DocumentInfo* out) {
  out->set_doc_id(d.doc_id);
  out->set_title(d.title);
  out->set_date(d.date);
  out->set_url(d.url);
  out->set_source(d.source);
  out->set_bulk(d.bulk);
  out->set_bulk_triples(d.bulk_triples);
  out->set_evidence(d.evidence);
  out->set_entities(d.entities);
}

}  // namespace

grpc::ServerUnaryReactor* GraphServiceImpl::ListDocuments(grpc::CallbackServerContext* ctx,
                                                          const v1::ListDocumentsRequest* request,
                                                          v1::ListDocumentsResponse* response) {
  return StartUnaryCall(svc_, ctx, kListDocuments, Scope::kRead,
                        [this, request, response](const CallEnv&, int64_t* size) {
    const int32_t limit = request->limit() == 0 ? kDefaultDocumentLimit : request->limit();
    if (limit < 0 || limit > kMaxDocumentLimit) {
      return absl::InvalidArgumentError(absl::StrCat("limit: ", request->limit(),
                                                     " is out of range; use 1 to ",
                                                     kMaxDocumentLimit, " (0: ",
                                                     kDefaultDocumentLimit, ")"));
    }
    absl::Status valid = CheckId(request->after(), "after");
    if (!valid.ok()) return valid;
    if (request->source().size() > kMaxUrlBytes) {
      return absl::InvalidArgumentError(absl::StrCat("source: ", request->source().size(),
                                                     " bytes exceed the limit of ", kMaxUrlBytes));
    }
    // One more than asked: whether another page follows, without a second call.
    absl::StatusOr<std::vector<storage::DocumentInfo>> docs = svc_->store->ListDocuments(
        request->after(), static_cast<size_t>(limit) + 1, request->source());
    if (!docs.ok()) return docs.status();
    const bool more = docs->size() > static_cast<size_t>(limit);
    if (more) docs->resize(limit);
    for (const storage::DocumentInfo& d : *docs) ToProto(d, response->add_documents());
    if (more) response->set_next_after(docs->back().doc_id);
    *size = response->documents_size();
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* GraphServiceImpl::GetDocument(grpc::CallbackServerContext* ctx,
                                                        const v1::GetDocumentRequest* request,
                                                        v1::GetDocumentResponse* response) {
  return StartUnaryCall(svc_, ctx, kGetDocument, Scope::kRead,
                        [this, request, response](const CallEnv&, int64_t* size) {
    if (request->doc_id().empty()) return absl::InvalidArgumentError("doc_id: required");
    absl::Status valid = CheckId(request->doc_id(), "doc_id");
    if (!valid.ok()) return valid;
    absl::StatusOr<storage::DocumentInfo> doc = svc_->store->GetDocument(request->doc_id());
    if (absl::IsNotFound(doc.status())) {
      return absl::NotFoundError(
          absl::StrCat("doc_id: no document ", QuoteForMessage(request->doc_id())));
    }
    if (!doc.ok()) return doc.status();
    ToProto(*doc, response->mutable_document());
    *size = 1;
    return absl::OkStatus();
  });
}

}  // namespace kgraph::server
