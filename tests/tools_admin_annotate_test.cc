// End-to-end tests of `kgraph-admin annotate` with the committed models: the
// JSON output's offsets point at each word's bytes of the input (UTF-8, as
// docs/API.md says), the output is identical for any --threads, entities are
// found, and a missing model directory fails naming the file.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/testing/subprocess.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::admin {
namespace {

using ::kgraph::testing::ProcessResult;
using ::kgraph::testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

class AdminAnnotateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = testing::AdminBinary();
    if (bin_.empty()) GTEST_SKIP() << "no kgraph-admin path was compiled in";
    ASSERT_TRUE(std::filesystem::exists(bin_)) << bin_ << " was not built";
  }
  ProcessResult Admin(std::vector<std::string> args) {
    args.insert(args.begin(), bin_);
    return testing::Run(args);
  }
  TempDir dir_;
  std::string bin_;
};
using tools_admin_annotate = AdminAnnotateTest;

const char kTexts[][200] = {
    "Orion Foods Inc said it agreed to buy Lark Brands. The company\\u2019s shares rose 5% in "
    "Boston.",
    "Ann Weller, who runs Pine Medical Corp, didn't comment on Monday.",
    "Caf\\u00e9 owners in Z\\u00fcrich met Mr. Smith of the U.S. Treasury."};

TEST_F(tools_admin_annotate, OffsetsPointAtTheWordsAndThreadsDoNotChangeTheOutput) {
  std::string jsonl;
  for (size_t i = 0; i < 3; ++i) {
    jsonl += "{\"id\":\"d" + std::to_string(i) + "\",\"text\":\"" + kTexts[i] + "\"}\n";
  }
  const std::string in = dir_.WriteFile("in.jsonl", jsonl);
  const std::string one = dir_.Sub("one.jsonl"), three = dir_.Sub("three.jsonl");
  ProcessResult r1 = Admin({"annotate", in, "--out", one});
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  ProcessResult r3 = Admin({"annotate", in, "--out", three, "--threads", "3"});
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  EXPECT_EQ(ReadAll(one), ReadAll(three));

  std::istringstream lines(ReadAll(one));
  std::string line;
  size_t docs = 0, entities = 0;
  bool saw_clitic = false;
  while (std::getline(lines, line)) {
    const nlohmann::json j = nlohmann::json::parse(line);
    ++docs;
    EXPECT_EQ(j["offset_unit"], "utf8_bytes");
    // The document's own text, as the reader decoded it.
    const std::string doc_text =
        nlohmann::json::parse(std::string("\"") + kTexts[docs - 1] + "\"").get<std::string>();
    for (const auto& s : j["sentences"]) {
      for (const auto& w : s["words"]) {
        const size_t start = w["start"], end = w["end"];
        ASSERT_LE(end, doc_text.size());
        EXPECT_EQ(doc_text.substr(start, end - start), w["form"].get<std::string>());
        EXPECT_FALSE(w["upos"].get<std::string>().empty());
        EXPECT_GE(w["head"].get<int>(), 0);
        saw_clitic = saw_clitic || w["form"] == "n't";
      }
      for (const auto& e : s["entities"]) {
        ++entities;
        const size_t start = e["start"], end = e["end"];
        EXPECT_LT(start, end);
        EXPECT_LE(end, doc_text.size());
      }
    }
  }
  EXPECT_EQ(docs, 3u);
  EXPECT_TRUE(saw_clitic) << "didn't -> did n't, as UD English tokenizes it";
  EXPECT_GE(entities, 5u) << ReadAll(one);
}

TEST_F(tools_admin_annotate, MissingModelsFailNamingTheFileAndTheCommand) {
  const std::string in = dir_.WriteFile("in.jsonl", "{\"id\":\"a\",\"text\":\"Acme bought Widget.\"}\n");
  ProcessResult r = Admin({"annotate", in, "--out", dir_.Sub("o.jsonl"), "--models",
                           dir_.Sub("no-models")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no-models/tagger.model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kgraph-admin train tagger"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kgraph::admin
