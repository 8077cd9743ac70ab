// No silent loss over gRPC ingest: a raw client (grpc::GenericStub, bytes no
// generated stub would send) streams valid documents around garbage and
// invalid UTF-8 to a real kgraphd, and the call must fail naming the bad
// message's index after committing exactly the documents before it. Also the
// per-document acknowledgements of IngestDocumentStream and the field-named
// validation of Document values (date, names, sizes).
#include <grpcpp/generic/generic_stub.h>

#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

constexpr char kIngestDocuments[] = "/kgraph.v1.IngestService/IngestDocuments";
constexpr char kIngestDocumentStream[] = "/kgraph.v1.IngestService/IngestDocumentStream";

// Bytes that are no Document: field number 0 with wire type 7 does not exist.
const std::string kGarbage("\x07\xff\xfe garbage", 11);

v1::Document Doc(const std::string& id, const std::string& subject, const std::string& object) {
  v1::Document doc;
  doc.set_doc_id(id);
  v1::DocumentTriple* t = doc.add_triples();
  t->set_subject(subject);
  t->set_relation("acquires");
  t->set_object(object);
  t->set_sentence(subject + " acquires " + object + ".");
  return doc;
}

std::string Bytes(const v1::Document& doc) { return doc.SerializeAsString(); }

// One streaming call opened by method name and driven with raw messages on a
// completion queue, one operation at a time.
class RawCall {
 public:
  RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method)
      : stub_(channel) {
    deadline_ = std::chrono::system_clock::now() + std::chrono::seconds(60);
    ctx_.set_deadline(deadline_);
    call_ = stub_.PrepareCall(&ctx_, method, &cq_);
    call_->StartCall(Tag(1));
    EXPECT_TRUE(Await(1));
  }
  ~RawCall() {
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  // False once the call is over (the server may already have failed it).
  bool Write(const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    call_->Write(buffer, Tag(2));
    return Await(2);
  }

  // Next message from the server; false at the end of its stream.
  bool Read(std::string* bytes) {
    grpc::ByteBuffer buffer;
    call_->Read(&buffer, Tag(3));
    if (!Await(3)) return false;
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(buffer.Dump(&slices).ok());
    bytes->clear();
    for (const grpc::Slice& s : slices) bytes->append(reinterpret_cast<const char*>(s.begin()), s.size());
    return true;
  }

  // Half-closes, reads what the server still sends into `replies`, and
  // returns the call's status.
  grpc::Status Finish(std::vector<std::string>* replies = nullptr) {
    call_->WritesDone(Tag(4));
    Await(4);
    std::string bytes;
    while (Read(&bytes)) {
      if (replies != nullptr) replies->push_back(bytes);
    }
    grpc::Status status;
    call_->Finish(&status, Tag(5));
    EXPECT_TRUE(Await(5));
    return status;
  }

  // Every value of trailing metadata `key`, in order.
  std::vector<std::string> Trailer(const std::string& key) const {
    std::vector<std::string> values;
    auto [begin, end] = ctx_.GetServerTrailingMetadata().equal_range(key);
    for (auto it = begin; it != end; ++it) values.emplace_back(it->second.data(), it->second.size());
    return values;
  }

 private:
  static void* Tag(intptr_t n) { return reinterpret_cast<void*>(n); }
  bool Await(intptr_t n) {
    void* tag = nullptr;
    bool ok = false;
    // The call's own deadline bounds the wait; this only guards a lost event.
    EXPECT_EQ(cq_.AsyncNext(&tag, &ok, deadline_ + std::chrono::seconds(5)),
              grpc::CompletionQueue::GOT_EVENT);
    EXPECT_EQ(tag, Tag(n));
    return ok;
  }

  grpc::ClientContext ctx_;
  grpc::CompletionQueue cq_;
  grpc::GenericStub stub_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  std::chrono::system_clock::time_point deadline_;
};

class server_ingest_stream : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("ingest-stream");
    auto store = OpenStore(dir_);
    ASSERT_NE(store, nullptr);
    store_ = store.get();  // owned by the server from here on
    sut_ = ServerUnderTest::Start(std::move(store));
    ASSERT_NE(sut_, nullptr);
  }
  void TearDown() override {
    if (sut_ != nullptr) sut_->server->Shutdown();
    std::filesystem::remove_all(dir_);
  }

  bool Stored(const std::string& doc_id) {
    absl::StatusOr<bool> has = store_->HasDocument(doc_id);
    EXPECT_TRUE(has.ok()) << has.status();
    return has.ok() && *has;
  }

  // Streams `docs` through the generated stub's IngestDocuments.
  grpc::Status Send(const std::vector<v1::Document>& docs, v1::IngestDocumentsResponse* response) {
    auto ctx = Ctx(60'000);
    auto writer = sut_->ingest->IngestDocuments(ctx.get(), response);
    for (const v1::Document& d : docs) {
      if (!writer->Write(d)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::string dir_;
  storage::GraphStore* store_ = nullptr;
  std::unique_ptr<ServerUnderTest> sut_;
};

TEST_F(server_ingest_stream, GarbageMessageFailsTheCallNamingItsIndex) {
  ASSERT_FALSE(v1::Document().ParseFromString(kGarbage));
  ::testing::internal::CaptureStderr();  // the server's per-RPC log line
  RawCall call(sut_->channel, kIngestDocuments);
  ASSERT_TRUE(call.Write(Bytes(Doc("doc-0", "Alpha Corp", "Beta Corp"))));
  call.Write(kGarbage);
  call.Write(Bytes(Doc("doc-2", "Gamma Corp", "Delta Corp")));  // may find the call over
  grpc::Status status = call.Finish();
  const std::string log = ::testing::internal::GetCapturedStderr();

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[1]: message does not parse as kgraph.v1.Document"),
            std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("(1 earlier document was committed; last: \"doc-0\")"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(call.Trailer("kgraph-committed-count"), std::vector<std::string>{"1"});
  EXPECT_EQ(call.Trailer("kgraph-committed-ids"), std::vector<std::string>{"doc-0"});
  EXPECT_EQ(call.Trailer("kgraph-committed-ids-omitted"), std::vector<std::string>{"0"});
  EXPECT_NE(log.find("\"code\":\"INVALID_ARGUMENT\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"committed\":1,\"last_committed\":\"\\\"doc-0\\\"\""), std::string::npos)
      << log;
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("doc-2"));
}

TEST_F(server_ingest_stream, ReplyListsTheCommittedIds) {
  v1::IngestDocumentsResponse response;
  grpc::Status status =
      Send({Doc("doc-0", "Alpha Corp", "Beta Corp"), Doc("doc-1", "Gamma Corp", "Delta Corp")},
           &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.documents(), 2);
  EXPECT_EQ(std::vector<std::string>(response.committed_doc_ids().begin(),
                                     response.committed_doc_ids().end()),
            (std::vector<std::string>{"doc-0", "doc-1"}));
  EXPECT_EQ(response.committed_doc_ids_omitted(), 0);
  // An unchanged re-send is committed too (it is stored), and listed.
  status = Send({Doc("doc-1", "Gamma Corp", "Delta Corp")}, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.unchanged(), 1);
  ASSERT_EQ(response.committed_doc_ids_size(), 1);
  EXPECT_EQ(response.committed_doc_ids(0), "doc-1");
}

TEST_F(server_ingest_stream, FailedCallNamesCommittedIdsInItsTrailers) {
  // Commas and percent signs in ids are percent-encoded in the list; so is
  // anything outside printable ASCII (metadata values must be).
  RawCall call(sut_->channel, kIngestDocuments);
  ASSERT_TRUE(call.Write(Bytes(Doc("a,b%c", "Alpha Corp", "Beta Corp"))));
  ASSERT_TRUE(call.Write(Bytes(Doc("caf\xc3\xa9 1", "Gamma Corp", "Delta Corp"))));
  v1::Document no_id = Doc("", "Epsilon Corp", "Zeta Corp");
  call.Write(Bytes(no_id));
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[2].doc_id: required"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("2 earlier documents were committed; last: \"caf\xc3\xa9 1\""),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(call.Trailer("kgraph-committed-count"), std::vector<std::string>{"2"});
  EXPECT_EQ(call.Trailer("kgraph-committed-ids"), std::vector<std::string>{"a%2Cb%25c,caf%C3%A9%201"});
}

TEST_F(server_ingest_stream, TrailerListOfCommittedIdsIsCapped) {
  // 200 ids of 100 bytes: more than the 4 KiB the trailer lists. It keeps the
  // last ones, in stream order, and says how many it left out.
  auto id = [](int i) { return absl::StrCat(std::string(96, 'x'), absl::Dec(i, absl::kZeroPad4)); };
  RawCall call(sut_->channel, kIngestDocuments);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(call.Write(Bytes(Doc(id(i), absl::StrCat("Alpha ", i), "Beta Corp"))));
  }
  call.Write(kGarbage);
  grpc::Status status = call.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[200]"), std::string::npos);
  EXPECT_EQ(call.Trailer("kgraph-committed-count"), std::vector<std::string>{"200"});
  std::vector<std::string> ids = call.Trailer("kgraph-committed-ids");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_LE(ids[0].size(), 4096u);
  std::vector<std::string> listed = absl::StrSplit(ids[0], ',');
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.back(), id(199));
  const int omitted = 200 - static_cast<int>(listed.size());
  EXPECT_GT(omitted, 0);
  EXPECT_EQ(listed.front(), id(omitted));
  EXPECT_EQ(call.Trailer("kgraph-committed-ids-omitted"),
            std::vector<std::string>{absl::StrCat(omitted)});
}

TEST_F(server_ingest_stream, StreamAcknowledgesEachDocumentAsItCommits) {
  auto ctx = Ctx(60'000);
  auto stream = sut_->ingest->IngestDocumentStream(ctx.get());
  v1::DocumentResult ack;

  ASSERT_TRUE(stream->Write(Doc("doc-0", "Alpha Corp", "Beta Corp")));
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.index(), 0);
  EXPECT_EQ(ack.doc_id(), "doc-0");
  EXPECT_EQ(ack.code(), 0) << ack.message();
  EXPECT_EQ(ack.edges_created(), 1);
  EXPECT_EQ(ack.entities_created(), 2);
  // Acknowledged means committed: the store has it before the call ends.
  EXPECT_TRUE(Stored("doc-0"));

  // A document that fails validation is refused on its own; the stream goes on.
  v1::Document bad = Doc("doc-1", "Gamma Corp", "Delta Corp");
  bad.set_date("March the 3rd");
  ASSERT_TRUE(stream->Write(bad));
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.index(), 1);
  EXPECT_EQ(ack.doc_id(), "doc-1");
  EXPECT_EQ(ack.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_NE(ack.message().find("documents[1].date: unparseable date \"March the 3rd\""),
            std::string::npos)
      << ack.message();

  ASSERT_TRUE(stream->Write(Doc("doc-0", "Alpha Corp", "Beta Corp")));  // again: unchanged
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.index(), 2);
  EXPECT_EQ(ack.code(), 0) << ack.message();
  EXPECT_TRUE(ack.unchanged());

  v1::Document changed = Doc("doc-0", "Alpha Corp", "Epsilon Corp");
  ASSERT_TRUE(stream->Write(changed));
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.index(), 3);
  EXPECT_TRUE(ack.replaced());

  stream->WritesDone();
  EXPECT_FALSE(stream->Read(&ack));
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("doc-1"));
}

TEST_F(server_ingest_stream, StreamEndsOnAMessageThatDoesNotParse) {
  RawCall call(sut_->channel, kIngestDocumentStream);
  ASSERT_TRUE(call.Write(Bytes(Doc("doc-0", "Alpha Corp", "Beta Corp"))));
  std::string bytes;
  ASSERT_TRUE(call.Read(&bytes));
  v1::DocumentResult ack;
  ASSERT_TRUE(ack.ParseFromString(bytes));
  EXPECT_EQ(ack.doc_id(), "doc-0");
  EXPECT_EQ(ack.code(), 0);
  call.Write(kGarbage);
  call.Write(Bytes(Doc("doc-2", "Gamma Corp", "Delta Corp")));
  std::vector<std::string> replies;
  grpc::Status status = call.Finish(&replies);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[1]: message does not parse"), std::string::npos)
      << status.error_message();
  EXPECT_TRUE(replies.empty());
  EXPECT_EQ(call.Trailer("kgraph-committed-count"), std::vector<std::string>{"1"});
  EXPECT_EQ(call.Trailer("kgraph-committed-ids"), std::vector<std::string>{"doc-0"});
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("doc-2"));
}

TEST_F(server_ingest_stream, InvalidUtf8InAStringFieldFailsTheCall) {
  // A valid document followed by a second `title` (field 2, wire type 2)
  // whose bytes are not UTF-8: "\xc3\x28" is a lead byte without its tail.
  std::string bad = Bytes(Doc("doc-1", "Epsilon Corp", "Zeta Corp"));
  bad += std::string("\x12\x02\xc3\x28", 4);
  {
    v1::Document parsed;
    ASSERT_FALSE(parsed.ParseFromString(bad)) << "this protobuf build does not check UTF-8";
  }
  RawCall call(sut_->channel, kIngestDocuments);
  ASSERT_TRUE(call.Write(Bytes(Doc("doc-0", "Alpha Corp", "Beta Corp"))));
  call.Write(bad);
  call.Write(Bytes(Doc("doc-2", "Gamma Corp", "Delta Corp")));
  grpc::Status status = call.Finish();

  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[1]: message does not parse"), std::string::npos)
      << status.error_message();
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("doc-1"));
  EXPECT_FALSE(Stored("doc-2"));
}

TEST_F(server_ingest_stream, MalformedDateIsInvalidArgumentNamingTheField) {
  v1::Document bad = Doc("doc-1", "Epsilon Corp", "Zeta Corp");
  bad.set_date("2024-02-31");
  v1::IngestDocumentsResponse response;
  grpc::Status status =
      Send({Doc("doc-0", "Alpha Corp", "Beta Corp"), bad, Doc("doc-2", "Gamma Corp", "Delta Corp")},
           &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("documents[1].date: unparseable date \"2024-02-31\""),
            std::string::npos)
      << status.error_message();
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("doc-1"));
  EXPECT_FALSE(Stored("doc-2"));
}

// Each bad field value gets INVALID_ARGUMENT naming the field, with at most a
// short excerpt of the value.
TEST_F(server_ingest_stream, BadFieldValuesAreRefusedNamingTheField) {
  struct Case {
    v1::Document doc;
    std::string expected;  // in the message
  };
  std::vector<Case> cases;
  auto add = [&](v1::Document doc, std::string expected) {
    cases.push_back({std::move(doc), std::move(expected)});
  };
  v1::Document d = Doc("", "Alpha Corp", "Beta Corp");
  add(d, "documents[0].doc_id: required");
  d = Doc(std::string(3000, 'i'), "Alpha Corp", "Beta Corp");
  add(d, "documents[1].doc_id: doc id of 3000 bytes exceeds the limit of 2048");
  d = Doc("doc\nid", "Alpha Corp", "Beta Corp");
  add(d, "documents[2].doc_id: control character at byte 3");
  d.Clear();
  d.set_doc_id("empty");
  d.set_text("");
  add(d, "documents[3]: has neither triples, entities nor text");
  d.set_doc_id("big-text");
  d.set_text(std::string(1'500'000, 'a'));
  add(d, "documents[4].text: 1500000 bytes exceed the limit of 1048576");
  d = Doc("nul-name", "Alpha Corp", "Beta Corp");
  v1::DocumentEntity* e = d.add_entities();
  e->set_name(std::string("Acme\0Corp", 9));
  add(d, "documents[5].entities[0].name: name \"Acme\\x00Corp\" contains control character U+0000");
  d = Doc("long-name", std::string(2000, 'n'), "Beta Corp");
  add(d, "documents[6].triples[0].subject: name of 2000 bytes exceeds the limit of 1024");
  d = Doc("alias", "Alpha Corp", "Beta Corp");
  e = d.add_entities();
  e->set_name("Alpha Corp");
  e->add_aliases("--");
  add(d, "documents[7].entities[0].aliases[0]: name \"--\" has no letters or digits");
  d = Doc("nan", "Alpha Corp", "Beta Corp");
  d.mutable_triples(0)->set_confidence(std::nan(""));
  add(d, "documents[8].triples[0].confidence: must be in (0, 1]");
  d = Doc("month-13", "Alpha Corp", "Beta Corp");
  d.set_date("2024-13-01");
  add(d, "documents[9].date: unparseable date \"2024-13-01\"");
  d = Doc("long-date", "Alpha Corp", "Beta Corp");
  d.set_date(std::string(10'000, '7'));
  add(d, "documents[10].date: unparseable date \"7777");

  auto ctx = Ctx(60'000);
  auto stream = sut_->ingest->IngestDocumentStream(ctx.get());
  for (size_t i = 0; i < cases.size(); ++i) {
    ASSERT_TRUE(stream->Write(cases[i].doc));
    v1::DocumentResult ack;
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.index(), static_cast<int64_t>(i));
    EXPECT_EQ(ack.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT)) << ack.message();
    EXPECT_NE(ack.message().find(cases[i].expected), std::string::npos) << ack.message();
    EXPECT_LT(ack.message().size(), 400u) << "echoed input is not truncated";
  }
  // Accepted date forms: a day, an RFC 3339 timestamp (its day is kept), Reuters.
  v1::Document ok = Doc("iso", "Alpha Corp", "Beta Corp");
  ok.set_date("2024-02-29");
  ASSERT_TRUE(stream->Write(ok));
  ok = Doc("rfc3339", "Gamma Corp", "Delta Corp");
  ok.set_date("2024-05-01T12:00:00Z");
  ASSERT_TRUE(stream->Write(ok));
  ok = Doc("reuters", "Epsilon Corp", "Zeta Corp");  // one-digit day, as ParseDate reads it
  ok.set_date("1-MAR-1987 10:02:03.12");
  ASSERT_TRUE(stream->Write(ok));
  for (int i = 0; i < 3; ++i) {
    v1::DocumentResult ack;
    ASSERT_TRUE(stream->Read(&ack));
    EXPECT_EQ(ack.code(), 0) << ack.message();
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const Case& c : cases) {
    if (!c.doc.doc_id().empty()) {
      EXPECT_FALSE(Stored(c.doc.doc_id())) << c.doc.doc_id().substr(0, 20);
    }
  }
  EXPECT_TRUE(Stored("iso"));
  EXPECT_TRUE(Stored("rfc3339"));
  EXPECT_TRUE(Stored("reuters"));
}

// A message above gRPC's receive limit (4 MiB by default) ends the call with
// an error that gRPC itself sends, never with OK; the server's log line says
// the call did not end well (it used to say OK) and what was committed.
TEST_F(server_ingest_stream, OversizedMessageFailsTheCall) {
  v1::Document huge = Doc("huge", "Gamma Corp", "Delta Corp");
  huge.set_title(std::string(5 << 20, 't'));
  v1::IngestDocumentsResponse response;
  ::testing::internal::CaptureStderr();
  grpc::Status status =
      Send({Doc("doc-0", "Alpha Corp", "Beta Corp"), huge, Doc("doc-2", "Epsilon Corp", "Zeta Corp")},
           &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_TRUE(Stored("doc-0"));
  EXPECT_FALSE(Stored("huge"));
  EXPECT_FALSE(Stored("doc-2"));
  // Shutdown returns once every call is done, so its log line is written.
  sut_->server->Shutdown();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("\"rpc\":\"kgraph.v1.IngestService/IngestDocuments\",\"code\":\"CANCELLED\""),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("\"rpc\":\"kgraph.v1.IngestService/IngestDocuments\",\"code\":\"OK\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"committed\":1,"), std::string::npos) << log;
}

}  // namespace
}  // namespace kgraph::testing
