#include "ingest/document_reader.h"

#include <regex>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace kgraph::ingest {
namespace {

class DocumentReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ingest_reader_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  struct Result {
    std::vector<SourceDocument> docs;
    std::vector<std::string> errors;
  };
  Result Read(const std::string& path) {
    Result r;
    absl::Status s = ReadDocuments(path, [&](absl::StatusOr<SourceDocument> d) {
      if (d.ok()) r.docs.push_back(*d);
      else r.errors.emplace_back(d.status().message());
    });
    EXPECT_TRUE(s.ok()) << s;
    return r;
  }

  std::filesystem::path dir_;
};

TEST_F(DocumentReaderTest, ScrapedPageSplitsArticlesAndDropsBoilerplate) {
  auto r = Read(Write("page.txt",
                      "DD\nMM\nYYYY\n\nPAGES\n\nspot_img\n\nHome Blog Page 3\n\n"
                      "First Headline Here\n\n0\n\nBody one.\n\nMore body.\n\n"
                      "Second Headline\n\n0\n\nBody two.\n"));
  ASSERT_EQ(r.docs.size(), 2u);
  // Ids are the file name and a content hash, not positions.
  EXPECT_TRUE(std::regex_match(r.docs[0].id, std::regex("page\\.txt#[0-9a-f]{12}"))) << r.docs[0].id;
  EXPECT_EQ(r.docs[0].title, "First Headline Here");
  EXPECT_EQ(r.docs[0].text, "First Headline Here\n\nBody one.\n\nMore body.");
  EXPECT_TRUE(std::regex_match(r.docs[1].id, std::regex("page\\.txt#[0-9a-f]{12}"))) << r.docs[1].id;
  EXPECT_NE(r.docs[0].id, r.docs[1].id);
  EXPECT_TRUE(r.errors.empty());
}

TEST_F(DocumentReaderTest, JsonLinesWithBadLinesContinue) {
  std::string big(50u << 20, 'a');
  std::string content =
      "{\"id\": \"a\", \"text\": \"Alpha text.\", \"date\": \"26-FEB-1987 15:01\"}\n"
      "{\"id\": \"b\", \"text\": \"trunc\n"
      "{\"id\": \"c\", \"text\": \"bad \xff\xfe utf8\"}\n"
      "{\"text\": \"" + big + "\"}\n"
      "{\"text\": \"No id here.\", \"url\": \"http://x/y\"}\n";
  auto r = Read(Write("docs.jsonl", content));
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "a");
  EXPECT_EQ(r.docs[0].date, "1987-02-26");
  EXPECT_FALSE(r.docs[1].id.empty());
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_NE(r.errors[0].find("docs.jsonl:2"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[1].find("docs.jsonl:3"), std::string::npos) << r.errors[1];
  EXPECT_NE(r.errors[2].find("docs.jsonl:4"), std::string::npos) << r.errors[2];
}

TEST_F(DocumentReaderTest, JsonLinesIdsAndNonObjects) {
  std::string content =
      "{\"id\": 42, \"text\": \"Numbered id.\"}\n"
      "{\"doc\": \"d-1\", \"text\": \"Doc key.\", \"title\": \"T \\u00e9\"}\n"
      "[1, 2]\n"
      "{\"text\": \"x\"} trailing\n"
      "{\"id\": \"e\", \"text\": 7}\n";
  auto r = Read(Write("ids.jsonl", content));
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "42");
  EXPECT_EQ(r.docs[1].id, "d-1");
  EXPECT_EQ(r.docs[1].title, "T \xC3\xA9") << "escapes are decoded";
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_NE(r.errors[0].find("ids.jsonl:3: expected a JSON object"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[1].find("ids.jsonl:4: malformed JSON"), std::string::npos) << r.errors[1];
  EXPECT_NE(r.errors[2].find("ids.jsonl:5: missing or empty \"text\""), std::string::npos)
      << r.errors[2];
}

TEST_F(DocumentReaderTest, EmptyBinaryAndInvalidUtf8FilesAreErrors) {
  std::vector<std::string> paths = {
      Write("empty.txt", ""), Write("bin.txt", std::string("\x00\x01\x02garbage\x00", 11)),
      Write("bad.txt", "Fine line\nbad \xc3\x28 line\n"),
      Write("long.txt", std::string(50u << 20, 'x')),
      Write("good.txt", "Only Title\n\n0\n\nSome body text.\n")};
  std::vector<std::string> errors;
  size_t docs = 0;
  for (const std::string& p : paths) {
    auto r = Read(p);
    docs += r.docs.size();
    errors.insert(errors.end(), r.errors.begin(), r.errors.end());
  }
  EXPECT_EQ(docs, 1u);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_NE(errors[0].find("empty.txt"), std::string::npos);
  EXPECT_NE(errors[1].find("binary"), std::string::npos);
  EXPECT_NE(errors[2].find("bad.txt:2"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find("long.txt"), std::string::npos);
}

TEST_F(DocumentReaderTest, HtmlDropsScriptsAndNav) {
  auto r = Read(Write("a.html",
                      "<html><head><title>T</title><script>var x=1;</script>"
                      "</head><body><nav>Menu</nav><p>Hello world.</p></body></html>"));
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].title, "T");
  EXPECT_EQ(r.docs[0].text, "Hello world.");
}

TEST_F(DocumentReaderTest, MissingFileIsAnError) {
  absl::Status s = ReadDocuments((dir_ / "nope").string(), [](auto) {});
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace kgraph::ingest
