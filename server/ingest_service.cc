#include "server/ingest_service.h"

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/support/proto_buffer_reader.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/text_limits.h"
#include "server/rpc_log.h"
#include "server/status_util.h"
#include "server/unary_call.h"

namespace kgraph::server {
namespace {

constexpr char kIngestDocuments[] = "kgraph.v1.IngestService/IngestDocuments";
constexpr char kIngestDocumentStream[] = "kgraph.v1.IngestService/IngestDocumentStream";
constexpr char kUpsertTriples[] = "kgraph.v1.IngestService/UpsertTriples";
constexpr char kDeleteDocument[] = "kgraph.v1.IngestService/DeleteDocument";

// Bounds on what a stream remembers of its committed ids: a stream may be
// endless, and gRPC refuses metadata beyond a few KB.
constexpr size_t kMaxReplyIdBytes = 256 << 10;
constexpr size_t kMaxTrailerIdBytes = 4 << 10;

absl::Status CheckWritable(const ServiceContext& svc) {
  if (svc.options.read_only) {
    return absl::FailedPreconditionError("server runs with --read_only; writes are refused");
  }
  return absl::OkStatus();
}

// Metadata values must be printable ASCII, and ',' separates the ids.
std::string PercentEncode(std::string_view id) {
  std::string out;
  for (char ch : id) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == ',' || c == '%') {
      absl::StrAppendFormat(&out, "%%%02X", c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// What one stream has committed, in stream order: for the reply, the error
// of a failed call (which carries no reply) and the log line. Remembers the
// ids of the last kMaxReplyIdBytes only.
class CommittedDocs {
 public:
  void Add(const std::string& doc_id) {
    ++count_;
    id_bytes_ += doc_id.size();
    ids_.push_back(doc_id);
    while (id_bytes_ > kMaxReplyIdBytes) {
      id_bytes_ -= ids_.front().size();
      ids_.pop_front();
    }
  }

  int64_t count() const { return count_; }

  // Appended to the message of a failed call.
  std::string Describe() const {
    if (count_ == 0) return " (no earlier document was committed)";
    return absl::StrCat(" (", count_, count_ == 1 ? " earlier document was" : " earlier documents were",
                        " committed; last: ", QuoteForMessage(ids_.back()), ")");
  }

  void ToReply(v1::IngestDocumentsResponse* reply) const {
    reply->mutable_committed_doc_ids()->Assign(ids_.begin(), ids_.end());
    reply->set_committed_doc_ids_omitted(count_ - static_cast<int64_t>(ids_.size()));
  }

  // kgraph-committed-count, kgraph-committed-ids (the last ones that fit in
  // kMaxTrailerIdBytes, percent-encoded, comma-separated, in stream order) and
  // kgraph-committed-ids-omitted (how many earlier ones are not listed).
  void ToTrailers(grpc::CallbackServerContext* ctx) const {
    std::vector<std::string> listed;
    size_t bytes = 0;
    for (auto it = ids_.rbegin(); it != ids_.rend(); ++it) {
      std::string encoded = PercentEncode(*it);
      if (bytes + encoded.size() + 1 > kMaxTrailerIdBytes) break;
      bytes += encoded.size() + 1;
      listed.push_back(std::move(encoded));
    }
    std::string value;
    for (auto it = listed.rbegin(); it != listed.rend(); ++it) {
      if (!value.empty()) value.push_back(',');
      value += *it;
    }
    ctx->AddTrailingMetadata("kgraph-committed-count", absl::StrCat(count_));
    ctx->AddTrailingMetadata("kgraph-committed-ids", value);
    ctx->AddTrailingMetadata("kgraph-committed-ids-omitted",
                             absl::StrCat(count_ - static_cast<int64_t>(listed.size())));
  }

  RpcLogFields LogFields() const {
    RpcLogFields fields = {{"committed", count_}};
    if (count_ > 0) fields.push_back({"last_committed", QuoteForMessage(ids_.back())});
    return fields;
  }

 private:
  int64_t count_ = 0;
  std::deque<std::string> ids_;
  size_t id_bytes_ = 0;
};

// Parses one stream message. Done here rather than by gRPC, which takes a
// message that fails to parse (garbage, invalid UTF-8 in a string field) for
// the end of the stream and would end the call OK with documents lost.
absl::Status ParseDocument(grpc::ByteBuffer* buffer, int64_t index, v1::Document* doc) {
  doc->Clear();
  grpc::ProtoBufferReader reader(buffer);
  const bool parsed = reader.status().ok() && doc->ParseFromZeroCopyStream(&reader);
  buffer->Clear();
  if (parsed) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("documents[", index, "]: message does not parse as kgraph.v1.Document"));
}

// Validates, converts and commits one document; errors name its field.
absl::StatusOr<storage::IngestResult> CommitDocument(ServiceContext* svc,
                                                     const TextExtractor& extractor,
                                                     const v1::Document& doc, int64_t index) {
  const std::string field = absl::StrCat("documents[", index, "]");
  absl::StatusOr<storage::DocumentInput> input = ToDocumentInput(doc, extractor, field);
  if (!input.ok()) return input.status();
  absl::StatusOr<storage::IngestResult> result = svc->store->IngestDocument(*input);
  if (!result.ok()) {
    return absl::Status(result.status().code(),
                        absl::StrCat(field, ": ", result.status().message()));
  }
  return result;
}

void SetBytes(const google::protobuf::MessageLite& message, grpc::ByteBuffer* out) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer buffer(&slice, 1);
  out->Swap(&buffer);
}

// What both document streams share: admission, what was committed, and the
// call's one log line and metric. A failed call carries no reply, so its
// status message and trailing metadata say what was committed.
class StreamCall {
 public:
  StreamCall(ServiceContext* svc, grpc::CallbackServerContext* ctx, const char* method)
      : svc_(svc), ctx_(ctx), method_(method), start_(absl::Now()), peer_(ctx->peer()) {}

  absl::Status Admit() {
    absl::Status admitted = AdmitCall(*svc_, *ctx_, Scope::kAdmin);
    if (admitted.ok()) admitted = CheckWritable(*svc_);
    admitted_ = admitted.ok();
    return admitted;
  }

  // The status to finish with, logged now.
  grpc::Status Close(const absl::Status& status, RpcLogFields fields = {}) {
    absl::Status final_status = status;
    if (!status.ok() && admitted_) {
      final_status =
          absl::Status(status.code(), absl::StrCat(status.message(), committed.Describe()));
      committed.ToTrailers(ctx_);
    }
    grpc::Status grpc_status = ToGrpcStatus(final_status);
    Report(grpc_status, std::move(fields));
    return grpc_status;
  }

  // The end of the client's stream: OK, but logged only in Done(). A read
  // also ends when the transport fails the call (e.g. a message over gRPC's
  // size limit, which gRPC answers itself), and that shows only as a
  // cancellation, which is known by then.
  grpc::Status CloseAtEndOfStream(RpcLogFields fields = {}) {
    deferred_fields_ = std::move(fields);
    deferred_ = true;
    return grpc::Status::OK;
  }

  // From OnDone.
  void Done() {
    if (!deferred_) return;
    Report(cancelled ? grpc::Status(grpc::StatusCode::CANCELLED,
                                    absl::StrCat("call ended by the client or the transport",
                                                 committed.Describe()))
                     : grpc::Status::OK,
           std::move(deferred_fields_));
  }

  // Why the stream stops before the next document, if it must.
  absl::Status StopReason() const {
    if (cancelled) return absl::CancelledError("call cancelled");
    if (svc_->draining) return absl::UnavailableError("server is shutting down");
    return absl::OkStatus();
  }

  absl::Status Unsubmitted() const {
    return svc_->draining ? absl::UnavailableError("server is shutting down")
                          : absl::ResourceExhaustedError("server overloaded");
  }

  CommittedDocs committed;
  std::atomic<bool> cancelled{false};

 private:
  void Report(const grpc::Status& status, RpcLogFields fields) {
    const absl::Duration latency = absl::Now() - start_;
    if (admitted_) {
      RpcLogFields all = committed.LogFields();
      all.insert(all.end(), fields.begin(), fields.end());
      fields = std::move(all);
    }
    LogRpc(method_, status, latency, committed.count(), peer_, fields);
    svc_->metrics->Record(method_, status.error_code(), absl::ToDoubleSeconds(latency));
  }

  ServiceContext* const svc_;
  grpc::CallbackServerContext* const ctx_;
  const char* const method_;
  const absl::Time start_;
  const std::string peer_;
  bool admitted_ = false;
  bool deferred_ = false;
  RpcLogFields deferred_fields_;
};

// IngestDocuments: one client stream of documents. Each is parsed and
// committed on the work pool (never on the gRPC thread) before the next one
// is read; the first failure ends the call.
class IngestDocumentsCall : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  IngestDocumentsCall(ServiceContext* svc, grpc::CallbackServerContext* ctx,
                      const TextExtractor* extractor, grpc::ByteBuffer* reply)
      : svc_(svc), extractor_(extractor), reply_(reply), call_(svc, ctx, kIngestDocuments) {
    absl::Status admitted = call_.Admit();
    if (admitted.ok()) {
      StartRead(&in_);
    } else {
      Finish(call_.Close(admitted));
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side (all documents are in), or the call broke
      call_.committed.ToReply(&reply_msg_);
      SetBytes(reply_msg_, reply_);
      return Finish(call_.CloseAtEndOfStream());
    }
    if (!svc_->pool->Submit([this] { IngestOne(); })) Finish(call_.Close(call_.Unsubmitted()));
  }

  void OnCancel() override { call_.cancelled = true; }
  void OnDone() override {
    call_.Done();
    delete this;
  }

 private:
  void IngestOne() {
    absl::Status s = call_.StopReason();
    if (s.ok()) s = ParseDocument(&in_, index_, &doc_);
    if (!s.ok()) return Finish(call_.Close(s));
    absl::StatusOr<storage::IngestResult> result =
        CommitDocument(svc_, *extractor_, doc_, index_);
    if (!result.ok()) return Finish(call_.Close(result.status()));
    ++index_;
    call_.committed.Add(doc_.doc_id());
    reply_msg_.set_documents(reply_msg_.documents() + 1);
    if (result->unchanged) reply_msg_.set_unchanged(reply_msg_.unchanged() + 1);
    if (!result->duplicate_of.empty()) reply_msg_.set_duplicates(reply_msg_.duplicates() + 1);
    if (result->replaced) reply_msg_.set_replaced(reply_msg_.replaced() + 1);
    reply_msg_.set_entities_created(reply_msg_.entities_created() + result->entities_created);
    reply_msg_.set_edges_created(reply_msg_.edges_created() + result->edges_created);
    reply_msg_.set_evidence_written(reply_msg_.evidence_written() + result->evidence_written);
    StartRead(&in_);
  }

  ServiceContext* const svc_;
  const TextExtractor* const extractor_;
  grpc::ByteBuffer* const reply_;
  StreamCall call_;
  grpc::ByteBuffer in_;
  v1::Document doc_;
  v1::IngestDocumentsResponse reply_msg_;
  int64_t index_ = 0;
};

// A document's own fault: its result says why and the stream goes on. Any
// other failure is the server's or the store's, and ends the call.
bool IsDocumentError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kNotFound:
      return true;
    default:
      return false;
  }
}

// IngestDocumentStream: reads a document, commits it on the work pool, writes
// its DocumentResult, and only then reads the next, so an acknowledged
// document is durable and an unacknowledged one may be resent.
class IngestStreamCall : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  IngestStreamCall(ServiceContext* svc, grpc::CallbackServerContext* ctx,
                   const TextExtractor* extractor)
      : svc_(svc), extractor_(extractor), call_(svc, ctx, kIngestDocumentStream) {
    absl::Status admitted = call_.Admit();
    if (admitted.ok()) {
      StartRead(&in_);
    } else {
      Finish(call_.Close(admitted));
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) return Finish(call_.CloseAtEndOfStream(Refused()));
    if (!svc_->pool->Submit([this] { IngestOne(); })) {
      Finish(call_.Close(call_.Unsubmitted(), Refused()));
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(call_.Close(absl::CancelledError("client went away"), Refused()));
    StartRead(&in_);
  }

  void OnCancel() override { call_.cancelled = true; }
  void OnDone() override {
    call_.Done();
    delete this;
  }

 private:
  void IngestOne() {
    absl::Status s = call_.StopReason();
    if (s.ok()) s = ParseDocument(&in_, index_, &doc_);
    if (!s.ok()) return Finish(call_.Close(s, Refused()));
    absl::StatusOr<storage::IngestResult> result =
        CommitDocument(svc_, *extractor_, doc_, index_);
    v1::DocumentResult ack;
    ack.set_index(index_);
    ack.set_doc_id(doc_.doc_id());
    ++index_;
    if (result.ok()) {
      call_.committed.Add(doc_.doc_id());
      ack.set_unchanged(result->unchanged);
      ack.set_duplicate_of(result->duplicate_of);
      ack.set_replaced(result->replaced);
      ack.set_entities_created(result->entities_created);
      ack.set_edges_created(result->edges_created);
      ack.set_evidence_written(result->evidence_written);
    } else {
      ack.set_code(static_cast<int32_t>(result.status().code()));
      ack.set_message(std::string(result.status().message()));
      ++refused_;
    }
    SetBytes(ack, &out_);
    if (!result.ok() && !IsDocumentError(result.status().code())) {
      // The client gets this document's result, then the call's status.
      return StartWriteAndFinish(&out_, grpc::WriteOptions(),
                                 call_.Close(result.status(), Refused()));
    }
    StartWrite(&out_);
  }

  RpcLogFields Refused() const { return {{"refused", refused_}}; }

  ServiceContext* const svc_;
  const TextExtractor* const extractor_;
  StreamCall call_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  v1::Document doc_;
  int64_t index_ = 0;
  int64_t refused_ = 0;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* IngestServiceImpl::IngestDocuments(
    grpc::CallbackServerContext* ctx, grpc::ByteBuffer* response) {
  return new IngestDocumentsCall(svc_, ctx, &extractor_, response);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestServiceImpl::IngestDocumentStream(grpc::CallbackServerContext* ctx) {
  return new IngestStreamCall(svc_, ctx, &extractor_);
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
      for (const auto& [name, part] : {std::pair{&t.subject(), ".subject"},
                                       std::pair{&t.object(), ".object"}}) {
        absl::Status valid = ValidateEntityName(*name);
        if (!valid.ok()) {
          return absl::InvalidArgumentError(absl::StrCat(at, part, ": ", valid.message()));
        }
      }
      if (t.relation().empty()) return absl::InvalidArgumentError(absl::StrCat(at, ".relation: required"));
      absl::Status valid = ValidateEntityName(t.relation());
      if (!valid.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(at, ".relation: ", valid.message()));
      }
      // Written so that NaN fails too.
      if (!(t.confidence() >= 0 && t.confidence() <= 1)) {
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
      return absl::NotFoundError(absl::StrCat("doc_id: no document ", QuoteForMessage(request->doc_id())));
    }
    *size = s.ok() ? 1 : 0;
    return s;
  });
}

}  // namespace kgraph::server
