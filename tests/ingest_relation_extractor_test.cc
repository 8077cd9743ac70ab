// CueWords: the relation cue files (negators, hedges, list connectors, past
// modifiers, blockers) load from a data directory, and a malformed blockers
// line names its file and line.
#include "ingest/relation_extractor.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/testing/temp_dir.h"

namespace kgraph::ingest {
namespace {

// A data directory with the four word lists and `blockers`.
void WriteCueFiles(const testing::TempDir& dir, const std::string& blockers) {
  std::filesystem::create_directories(dir.Sub("relations"));
  dir.WriteFile("relations/negators.txt", "not\n");
  dir.WriteFile("relations/hedges.txt", "may\n");
  dir.WriteFile("relations/list_connectors.txt", "and\n");
  dir.WriteFile("relations/past_modifiers.txt", "former\n");
  dir.WriteFile("relations/blockers.tsv", blockers);
}

TEST(CueWordsTest, LoadsBlockersWithAndWithoutLiftingWords) {
  testing::TempDir dir;
  WriteCueFiles(dir,
                "# comment\n"
                "acquires\tstake|PCT\tall|majority\n"
                "sues\tdropped\n");
  auto cues = CueWords::Load(dir.path());
  ASSERT_TRUE(cues.ok()) << cues.status();
  ASSERT_TRUE(cues->blockers.contains("acquires"));
  const CueWords::Blocker& acquires = cues->blockers.at("acquires");
  EXPECT_TRUE(acquires.block.contains("stake"));
  EXPECT_TRUE(acquires.block.contains("pct"));  // folded
  EXPECT_TRUE(acquires.lift.contains("majority"));
  ASSERT_TRUE(cues->blockers.contains("sues"));
  EXPECT_TRUE(cues->blockers.at("sues").lift.empty());
  EXPECT_FALSE(cues->blockers.contains("merges_with"));
  EXPECT_TRUE(cues->negators.contains("not"));
}

TEST(CueWordsTest, MalformedBlockerLineNamesFileAndLine) {
  for (const std::string bad : {"acquires\n", "acquires\tstake\tall\textra\n", "\tstake\n"}) {
    testing::TempDir dir;
    WriteCueFiles(dir, "# relation, block, lift\n" + bad);
    auto cues = CueWords::Load(dir.path());
    ASSERT_FALSE(cues.ok()) << bad;
    EXPECT_NE(cues.status().message().find("blockers.tsv:2"), std::string::npos) << cues.status();
  }
}

}  // namespace
}  // namespace kgraph::ingest
