// The document catalog over gRPC: GraphService.ListDocuments paged by id
// (after/limit: every document exactly once, in order), its source filter and
// limit checks, GetDocument and its NOT_FOUND, DeleteDocument, and scopes (a
// read token lists, only an admin token deletes), and the `kgraph documents`
// subcommands that call them.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/server_test_env.h"

namespace kgraph::testing {
namespace {

constexpr int kDocs = 23;  // not a multiple of the page sizes below

std::string DocId(int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "doc-%02d", i);
  return buf;
}

// Even documents come from a.txt, odd ones from b.txt.
std::string SourceOf(int i) { return i % 2 == 0 ? "/news/a.txt" : "/news/b.txt"; }

std::unique_ptr<grpc::ClientContext> TokenCtx(const std::string& token) {
  auto ctx = Ctx();
  ctx->AddMetadata("authorization", "Bearer " + token);
  return ctx;
}

class server_documents : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("documents");
    auto store = OpenStore(dir_);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < kDocs; ++i) {
      storage::DocumentInput doc;
      doc.doc_id = DocId(i);
      doc.title = "Title " + std::to_string(i);
      doc.date = "1987-03-01";
      doc.url = "http://example.com/" + std::to_string(i);
      doc.source = SourceOf(i);
      doc.content_hash = 1000 + i;
      doc.entities = {{"Acme", "ORG", {}, 1, {}}, {"Bolt " + std::to_string(i), "ORG", {}, 1, {}}};
      storage::TripleInput t;
      t.subject = "Acme";
      t.relation = "acquired";
      t.object = "Bolt " + std::to_string(i);
      t.confidence = 0.9;
      t.rule = "test";
      t.sentence = "Acme acquired Bolt.";
      doc.triples = {t};
      auto result = store->IngestDocument(doc);
      ASSERT_TRUE(result.ok()) << result.status();
    }
    std::ofstream tokens(dir_ + "/tokens");
    tokens << "reader-secret read\nadmin-secret admin\n";
    tokens.close();
    server::ServerOptions options = TestServerOptions();
    options.auth_tokens_file = dir_ + "/tokens";
    sut_ = ServerUnderTest::Start(std::move(store), options);
    ASSERT_NE(sut_, nullptr);
  }
  void TearDown() override {
    sut_.reset();
    std::filesystem::remove_all(dir_);
  }

  grpc::Status List(const std::string& after, int limit, const std::string& source,
                    v1::ListDocumentsResponse* response) {
    v1::ListDocumentsRequest request;
    request.set_after(after);
    request.set_limit(limit);
    request.set_source(source);
    return sut_->graph->ListDocuments(TokenCtx("reader-secret").get(), request, response);
  }

  // Follows next_after to the end; the ids in the order received.
  std::vector<std::string> ListAll(int limit, const std::string& source, int* pages) {
    std::vector<std::string> ids;
    std::string after;
    *pages = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      v1::ListDocumentsResponse response;
      grpc::Status status = List(after, limit, source, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      ++*pages;
      EXPECT_LE(response.documents_size(), limit);
      for (const v1::DocumentInfo& d : response.documents()) ids.push_back(d.doc_id());
      if (response.next_after().empty()) break;
      EXPECT_EQ(response.next_after(), ids.back());
      after = response.next_after();
    }
    return ids;
  }

  std::string dir_;
  std::unique_ptr<ServerUnderTest> sut_;
};

TEST_F(server_documents, PagesCoverEveryDocumentOnceInOrder) {
  std::vector<std::string> expected;
  for (int i = 0; i < kDocs; ++i) expected.push_back(DocId(i));
  for (int limit : {1, 5, 22, 23, 1000}) {
    int pages = 0;
    EXPECT_EQ(ListAll(limit, "", &pages), expected) << "limit " << limit;
    EXPECT_EQ(pages, (kDocs + limit - 1) / limit) << "limit " << limit;
  }
  // 0 is the default (100): all 23 in one page, nothing after.
  v1::ListDocumentsResponse response;
  ASSERT_TRUE(List("", 0, "", &response).ok());
  EXPECT_EQ(response.documents_size(), kDocs);
  EXPECT_TRUE(response.next_after().empty());
  // An `after` that is not itself stored starts at the next id.
  response.Clear();
  ASSERT_TRUE(List("doc-10x", 2, "", &response).ok());
  ASSERT_EQ(response.documents_size(), 2);
  EXPECT_EQ(response.documents(0).doc_id(), "doc-11");
  EXPECT_EQ(response.next_after(), "doc-12");
}

TEST_F(server_documents, SourceFilter) {
  std::vector<std::string> a, b;
  for (int i = 0; i < kDocs; ++i) (i % 2 == 0 ? a : b).push_back(DocId(i));
  int pages = 0;
  EXPECT_EQ(ListAll(4, "/news/a.txt", &pages), a);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ListAll(4, "/news/b.txt", &pages), b);
  EXPECT_EQ(ListAll(4, "/news/none.txt", &pages), std::vector<std::string>());
  v1::ListDocumentsResponse response;
  ASSERT_TRUE(List("", 3, "/news/b.txt", &response).ok());
  for (const v1::DocumentInfo& d : response.documents()) EXPECT_EQ(d.source(), "/news/b.txt");
}

TEST_F(server_documents, ShowOneDocument) {
  v1::GetDocumentRequest request;
  request.set_doc_id("doc-07");
  v1::GetDocumentResponse response;
  grpc::Status status =
      sut_->graph->GetDocument(TokenCtx("reader-secret").get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::DocumentInfo& d = response.document();
  EXPECT_EQ(d.doc_id(), "doc-07");
  EXPECT_EQ(d.title(), "Title 7");
  EXPECT_EQ(d.date(), "1987-03-01");
  EXPECT_EQ(d.url(), "http://example.com/7");
  EXPECT_EQ(d.source(), "/news/b.txt");
  EXPECT_FALSE(d.bulk());
  EXPECT_EQ(d.evidence(), 1);
  EXPECT_EQ(d.entities(), 2);
}

TEST_F(server_documents, UnknownIdIsNotFoundWithAShortMessage) {
  v1::GetDocumentRequest request;
  request.set_doc_id(std::string(2000, 'z'));
  v1::GetDocumentResponse response;
  grpc::Status status =
      sut_->graph->GetDocument(TokenCtx("reader-secret").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("doc_id: no document \"zzz"), std::string::npos)
      << status.error_message();
  EXPECT_LT(status.error_message().size(), 200u) << status.error_message();

  request.set_doc_id("");
  status = sut_->graph->GetDocument(TokenCtx("reader-secret").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "doc_id: required");
}

TEST_F(server_documents, BadListArgumentsNameTheField) {
  v1::ListDocumentsResponse response;
  for (int limit : {-1, 1001}) {
    grpc::Status status = List("", limit, "", &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << limit;
    EXPECT_EQ(status.error_message().rfind("limit: ", 0), 0u) << status.error_message();
  }
  EXPECT_TRUE(List("", 1000, "", &response).ok());
  // A NUL would otherwise seek into the store's reserved catalog keys.
  grpc::Status status = List(std::string("\0s", 2), 5, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("after: control character at byte 0", 0), 0u)
      << status.error_message();
  status = List(std::string(5000, 'a'), 5, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(status.error_message().size(), 200u) << status.error_message();
  status = List("", 5, std::string(9000, 's'), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("source: ", 0), 0u) << status.error_message();
}

TEST_F(server_documents, DeleteNeedsAdminAndRemovesTheDocument) {
  v1::DeleteDocumentRequest del;
  del.set_doc_id("doc-04");
  google::protobuf::Empty empty;
  EXPECT_EQ(sut_->ingest->DeleteDocument(TokenCtx("reader-secret").get(), del, &empty).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status status = sut_->ingest->DeleteDocument(TokenCtx("admin-secret").get(), del, &empty);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::GetDocumentRequest get;
  get.set_doc_id("doc-04");
  v1::GetDocumentResponse doc;
  EXPECT_EQ(sut_->graph->GetDocument(TokenCtx("reader-secret").get(), get, &doc).error_code(),
            grpc::StatusCode::NOT_FOUND);
  int pages = 0;
  std::vector<std::string> ids = ListAll(5, "", &pages);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kDocs - 1));
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "doc-04"), 0);
  std::vector<std::string> a = ListAll(5, "/news/a.txt", &pages);
  EXPECT_EQ(std::count(a.begin(), a.end(), "doc-04"), 0);
  EXPECT_EQ(a.size(), 11u);
  // Deleting it again: NOT_FOUND.
  EXPECT_EQ(sut_->ingest->DeleteDocument(TokenCtx("admin-secret").get(), del, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(server_documents, ListingNeedsAToken) {
  v1::ListDocumentsRequest request;
  v1::ListDocumentsResponse response;
  EXPECT_EQ(sut_->graph->ListDocuments(Ctx().get(), request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// The `kgraph documents` subcommands against the same server: what a user
// types, and the exit code and messages a script sees.
struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

CommandResult RunClient(int port, const std::string& token, const std::string& args) {
  const std::string cmd = absl::StrCat(KGRAPH_TEST_BINARY_DIR, "/tools/client/kgraph --server 127.0.0.1:",
                                       port, " --token ", token, " ", args, " 2>&1");
  CommandResult result;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) result.out.append(buf, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST_F(server_documents, ClientSubcommands) {
  const int port = sut_->server->port();
  CommandResult r = RunClient(port, "reader-secret", "documents list --after doc-03 --limit 2");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("doc-04"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("doc-05"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("doc-03"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("doc-06  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--after 'doc-05'"), std::string::npos) << r.out;

  r = RunClient(port, "reader-secret", "documents list --source /news/b.txt --limit 3 --all --json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  size_t listed = 0;
  for (size_t at = r.out.find("\"docId\""); at != std::string::npos;
       at = r.out.find("\"docId\"", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, 11u) << r.out;
  EXPECT_EQ(r.out.find("doc-00"), std::string::npos) << r.out;

  r = RunClient(port, "reader-secret", "documents show doc-07");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Title 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/news/b.txt"), std::string::npos) << r.out;

  r = RunClient(port, "reader-secret", "documents show nope");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("NOT_FOUND: doc_id: no document \"nope\""), std::string::npos) << r.out;

  r = RunClient(port, "reader-secret", "documents list --limit 1001");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("INVALID_ARGUMENT: limit: "), std::string::npos) << r.out;

  r = RunClient(port, "reader-secret", "documents delete doc-07");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("PERMISSION_DENIED"), std::string::npos) << r.out;
  r = RunClient(port, "admin-secret", "documents delete doc-07");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = RunClient(port, "reader-secret", "documents show doc-07");
  EXPECT_EQ(r.exit_code, 1) << r.out;
}

}  // namespace
}  // namespace kgraph::testing
