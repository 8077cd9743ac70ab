#include "server/ingest_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/name_key.h"
#include "server/rpc_log.h"
#include "server/status_util.h"
#include "server/unary_call.h"

namespace kgraph::server {
namespace {

constexpr char kIngestDocuments[] = "kgraph.v1.IngestService/IngestDocuments";
constexpr char kUpsertTriples[] = "kgraph.v1.IngestService/UpsertTriples";
constexpr char kDeleteDocument[] = "kgraph.v1.IngestService/DeleteDocument";

absl::Status CheckWritable(const ServiceContext& svc) {
  if (svc.options.read_only) {
    return absl::FailedPreconditionError("server runs with --read_only; writes are refused");
  }
  return absl::OkStatus();
}

// One client stream of documents. Each document is ingested on the work pool
// (never on the gRPC thread), then the next one is read.
class IngestDocumentsCall : public grpc::ServerReadReactor<v1::Document> {
 public:
  IngestDocumentsCall(ServiceContext* svc, grpc::CallbackServerContext* ctx,
                      const TextExtractor* extractor, v1::IngestDocumentsResponse* response)
      : svc_(svc), extractor_(extractor), response_(response), start_(absl::Now()),
        peer_(ctx->peer()) {
    absl::Status admitted = AdmitCall(*svc, *ctx, Scope::kAdmin);
    if (admitted.ok()) admitted = CheckWritable(*svc);
    if (!admitted.ok()) {
      FinishWith(admitted);
      return;
    }
    StartRead(&doc_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: all documents are in
      FinishWith(absl::OkStatus());
      return;
    }
    if (!svc_->pool->Submit([this] { IngestOne(); })) {
      FinishWith(svc_->draining ? absl::UnavailableError("server is shutting down")
                                : absl::ResourceExhaustedError("server overloaded"));
    }
  }

  void OnCancel() override { cancelled_ = true; }
  void OnDone() override { delete this; }

 private:
  void IngestOne() {
    if (cancelled_) return FinishWith(absl::CancelledError("call cancelled"));
    if (svc_->draining) return FinishWith(absl::UnavailableError("server is shutting down"));
    const std::string field = absl::StrCat("documents[", index_, "]");
    absl::StatusOr<storage::DocumentInput> input = ToDocumentInput(doc_, *extractor_, field);
    if (!input.ok()) return FinishWith(Committed(input.status()));
    absl::StatusOr<storage::IngestResult> result = svc_->store->IngestDocument(*input);
    if (!result.ok()) {
      return FinishWith(Committed(absl::Status(
          result.status().code(), absl::StrCat(field, ": ", result.status().message()))));
    }
    ++index_;
    response_->set_documents(response_->documents() + 1);
    if (result->unchanged) response_->set_unchanged(response_->unchanged() + 1);
    if (result->replaced) response_->set_replaced(response_->replaced() + 1);
    response_->set_entities_created(response_->entities_created() + result->entities_created);
    response_->set_edges_created(response_->edges_created() + result->edges_created);
    response_->set_evidence_written(response_->evidence_written() + result->evidence_written);
    StartRead(&doc_);
  }

  // Tells the client how far the stream got before the failure.
  absl::Status Committed(const absl::Status& status) const {
    return absl::Status(status.code(), absl::StrCat(status.message(), " (", index_,
                                                    " earlier documents were committed)"));
  }

  void FinishWith(const absl::Status& status) {
    grpc::Status grpc_status = ToGrpcStatus(status);
    const absl::Duration latency = absl::Now() - start_;
    LogRpc(kIngestDocuments, grpc_status, latency, response_->documents(), peer_);
    svc_->metrics->Record(kIngestDocuments, grpc_status.error_code(),
                          absl::ToDoubleSeconds(latency));
    Finish(grpc_status);
  }

  ServiceContext* const svc_;
  const TextExtractor* const extractor_;
  v1::IngestDocumentsResponse* const response_;
  const absl::Time start_;
  const std::string peer_;
  v1::Document doc_;
  int64_t index_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

grpc::ServerReadReactor<v1::Document>* IngestServiceImpl::IngestDocuments(
    grpc::CallbackServerContext* ctx, v1::IngestDocumentsResponse* response) {
  return new IngestDocumentsCall(svc_, ctx, &extractor_, response);
}

grpc::ServerUnaryReactor* IngestServiceImpl::UpsertTriples(grpc::CallbackServerContext* ctx,
                                                           const v1::UpsertTriplesRequest* request,
                                                           v1::UpsertTriplesResponse* response) {
  return StartUnaryCall(svc_, ctx, kUpsertTriples, Scope::kAdmin,
                        [this, request, response](const CallEnv&, int64_t* size) {
    absl::Status writable = CheckWritable(*svc_);
    if (!writable.ok()) return writable;
    if (request->triples().empty()) return absl::InvalidArgumentError("triples: required");
    if (request->triples_size() > svc_->options.max_upsert_triples) {
      return absl::InvalidArgumentError(
          absl::StrCat("triples: at most ", svc_->options.max_upsert_triples, " per call"));
    }
    std::vector<storage::BulkTriple> triples;
    triples.reserve(request->triples_size());
    // The batch's identity for storage's idempotence check: its canonical content.
    std::string canonical;
    for (int i = 0; i < request->triples_size(); ++i) {
      const v1::Triple& t = request->triples(i);
      const std::string at = absl::StrCat("triples[", i, "]");
      if (NameKey(t.subject()).empty()) {
        return absl::InvalidArgumentError(absl::StrCat(at, ".subject: needs a letter or digit"));
      }
      if (NameKey(t.object()).empty()) {
        return absl::InvalidArgumentError(absl::StrCat(at, ".object: needs a letter or digit"));
      }
      if (t.relation().empty()) return absl::InvalidArgumentError(absl::StrCat(at, ".relation: required"));
      if (t.confidence() < 0 || t.confidence() > 1) {
        return absl::InvalidArgumentError(absl::StrCat(at, ".confidence: must be in (0, 1]"));
      }
      storage::BulkTriple triple{t.subject(), t.relation(), t.object(),
                                 t.confidence() == 0 ? 1.0 : t.confidence()};
      absl::StrAppend(&canonical, triple.subject, "\x1f", triple.relation, "\x1f", triple.object,
                      "\x1f", triple.confidence, "\n");
      triples.push_back(std::move(triple));
    }
    const std::string source = request->source().empty() ? "rpc" : request->source();
    absl::StatusOr<storage::BulkLoadResult> result =
        svc_->store->BulkLoad(triples, absl::StrCat("rpc:", source), storage::DocumentHash(canonical));
    if (!result.ok()) return result.status();
    response->set_triples(result->triples);
    response->set_new_edges(result->new_edges);
    response->set_new_entities(result->new_entities);
    response->set_already_applied(result->already_loaded);
    *size = result->triples;
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IngestServiceImpl::DeleteDocument(
    grpc::CallbackServerContext* ctx, const v1::DeleteDocumentRequest* request,
    google::protobuf::Empty*) {
  return StartUnaryCall(svc_, ctx, kDeleteDocument, Scope::kAdmin,
                        [this, request](const CallEnv&, int64_t* size) {
    absl::Status writable = CheckWritable(*svc_);
    if (!writable.ok()) return writable;
    if (request->doc_id().empty()) return absl::InvalidArgumentError("doc_id: required");
    absl::Status s = svc_->store->DeleteDocument(request->doc_id());
    if (absl::IsNotFound(s)) {
      return absl::NotFoundError(absl::StrCat("doc_id: no document \"", request->doc_id(), "\""));
    }
    *size = s.ok() ? 1 : 0;
    return s;
  });
}

}  // namespace kgraph::server
