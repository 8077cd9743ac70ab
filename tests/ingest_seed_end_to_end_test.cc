// Extracts the seed page end to end and checks two headline facts with
// evidence. Needs $KGRAPH_SHARED (set by the test harness).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ingest/document_reader.h"
#include "ingest/extractor.h"

namespace kgraph::ingest {
namespace {

TEST(SeedEndToEndTest, FindsBidAndSupplyWithEvidence) {
  const char* shared = std::getenv("KGRAPH_SHARED");
  std::string page = std::string(shared ? shared : "") +
                     "/corpus/seed/news-blog-page-19.txt";
  if (shared == nullptr || !std::filesystem::exists(page)) {
    GTEST_SKIP() << "KGRAPH_SHARED not set or seed page missing: " << page;
  }
  ExtractorConfig config;
  if (const char* src = std::getenv("KGRAPH_SOURCE")) {
    config.data_dir = std::string(src) + "/data";
  }
  auto extractor = Extractor::Create(config);
  ASSERT_TRUE(extractor.ok()) << extractor.status();
  std::vector<ExtractedDocument> docs;
  std::vector<SourceDocument> sources;
  ASSERT_TRUE(ReadDocuments(page, [&](absl::StatusOr<SourceDocument> d) {
                ASSERT_TRUE(d.ok()) << d.status();
                sources.push_back(*d);
                docs.push_back((*extractor)->Extract(*d));
              }).ok());
  ASSERT_EQ(docs.size(), 5u);
  auto find = [&](const std::string& s, const std::string& r,
                  const std::string& o) -> const ExtractedTriple* {
    for (size_t i = 0; i < docs.size(); ++i) {
      for (const ExtractedTriple& t : docs[i].triples) {
        if (t.subject.find(s) != std::string::npos && t.relation == r &&
            t.object.find(o) != std::string::npos) {
          // Evidence offsets point at the sentence in the document text.
          EXPECT_EQ(sources[i].text.substr(t.evidence.start,
                                           t.evidence.end - t.evidence.start),
                    t.evidence.sentence);
          return &t;
        }
      }
    }
    return nullptr;
  };
  const ExtractedTriple* bid = find("Netflix", "bids_for", "Warner Bros. Discovery");
  ASSERT_NE(bid, nullptr);
  EXPECT_NE(bid->evidence.sentence.find("Warner Bros"), std::string::npos);
  const ExtractedTriple* supply = find("Huawei", "supplies", "China Telecom");
  ASSERT_NE(supply, nullptr);
  EXPECT_NE(supply->evidence.sentence.find("chips from Huawei"), std::string::npos);
  EXPECT_GT(supply->confidence, 0.0);
  EXPECT_FALSE(supply->rule.empty());
}

TEST(SeedEndToEndTest, OutputIsDeterministic) {
  ExtractorConfig config;
  if (const char* src = std::getenv("KGRAPH_SOURCE")) {
    config.data_dir = std::string(src) + "/data";
  }
  auto extractor = Extractor::Create(config);
  ASSERT_TRUE(extractor.ok()) << extractor.status();
  SourceDocument doc;
  doc.id = "d";
  doc.text = "Amazon CEO Andy Jassy spoke. Jassy said Amazon will invest in Zoox Labs.";
  auto a = (*extractor)->Extract(doc);
  auto b = (*extractor)->Extract(doc);
  ASSERT_EQ(a.entities.size(), b.entities.size());
  ASSERT_EQ(a.triples.size(), b.triples.size());
  for (size_t i = 0; i < a.triples.size(); ++i) {
    EXPECT_EQ(a.triples[i].subject, b.triples[i].subject);
  }
}

TEST(ExtractorConfigTest, BadPatternFileNamesFileAndLine) {
  std::string path = std::filesystem::temp_directory_path() / "bad_patterns.txt";
  {
    std::ofstream out(path);
    out << "# comment\nr1\tno_such_relation\t0.5\t{S} x {O}\n";
  }
  ExtractorConfig config;
  if (const char* src = std::getenv("KGRAPH_SOURCE")) {
    config.data_dir = std::string(src) + "/data";
  }
  config.extra_pattern_files = {path};
  auto extractor = Extractor::Create(config);
  ASSERT_FALSE(extractor.ok());
  EXPECT_NE(extractor.status().message().find("bad_patterns.txt:2"),
            std::string::npos)
      << extractor.status();
}

}  // namespace
}  // namespace kgraph::ingest
