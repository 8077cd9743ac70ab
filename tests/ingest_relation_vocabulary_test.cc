// RelationVocabulary: the TSV columns (types, broader, symmetric, objects per
// subject), a later file redefining a relation, files that predate the
// objects column, and errors that name file and line.
#include "ingest/relation_vocabulary.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace kgraph::ingest {
namespace {

TEST(RelationVocabularyTest, ReadsEveryColumn) {
  testing::TempDir dir;
  const std::string path = dir.WriteFile(
      "relations.tsv",
      "# relation\tsubject_types\tobject_types\tbroader\tsymmetric\tobjects\tmeaning\n"
      "subsidiary_of\tORG\tORG\t-\tno\tone\tis a unit of\n"
      "merges_with\tORG\tORG\t-\tyes\tmany\tcombines with\n"
      "ceo_of\tPERSON\tORG\tworks_for\tno\tmany\truns\n");
  auto vocab = RelationVocabulary::Load({path});
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  const RelationSpec* sub = vocab->Find("subsidiary_of");
  ASSERT_NE(sub, nullptr);
  EXPECT_TRUE(sub->one_object);
  EXPECT_FALSE(sub->symmetric);
  const RelationSpec* merge = vocab->Find("merges_with");
  ASSERT_NE(merge, nullptr);
  EXPECT_FALSE(merge->one_object);
  EXPECT_TRUE(merge->symmetric);
  const RelationSpec* ceo = vocab->Find("ceo_of");
  ASSERT_NE(ceo, nullptr);
  EXPECT_EQ(ceo->broader, "works_for");
  EXPECT_TRUE(vocab->Allows(*ceo, "PERSON", "ORG"));
  EXPECT_FALSE(vocab->Allows(*ceo, "ORG", "PERSON"));
  EXPECT_EQ(vocab->Find("acquires"), nullptr);
}

// Files written before the objects column carry the meaning in its place
// (or nothing): every relation then has many objects.
TEST(RelationVocabularyTest, OlderFilesMeanManyObjects) {
  testing::TempDir dir;
  const std::string path = dir.WriteFile("old.tsv",
                                         "subsidiary_of\tORG\tORG\t-\tno\tis a unit of\n"
                                         "sues\tORG\tORG\t-\tno\n");
  auto vocab = RelationVocabulary::Load({path});
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  EXPECT_FALSE(vocab->Find("subsidiary_of")->one_object);
  EXPECT_FALSE(vocab->Find("sues")->one_object);
}

TEST(RelationVocabularyTest, LaterFileRedefinesARelation) {
  testing::TempDir dir;
  const std::string base = dir.WriteFile("a.tsv", "subsidiary_of\tORG\tORG\t-\tno\tmany\tx\n");
  const std::string extra = dir.WriteFile("b.tsv", "subsidiary_of\tORG|GPE\tORG\t-\tno\tone\ty\n");
  auto vocab = RelationVocabulary::Load({base, extra});
  ASSERT_TRUE(vocab.ok()) << vocab.status();
  ASSERT_EQ(vocab->relations().size(), 1u);
  EXPECT_TRUE(vocab->Find("subsidiary_of")->one_object);
  EXPECT_TRUE(vocab->Find("subsidiary_of")->subject_types.contains("GPE"));
}

TEST(RelationVocabularyTest, BadLinesNameFileAndLine) {
  testing::TempDir dir;
  const std::string few = dir.WriteFile("few.tsv", "# header\nacquires\tORG\tORG\n");
  auto a = RelationVocabulary::Load({few});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("few.tsv:2"), std::string::npos) << a.status();
  const std::string sym = dir.WriteFile("sym.tsv", "acquires\tORG\tORG\t-\tmaybe\tone\n");
  auto b = RelationVocabulary::Load({sym});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("sym.tsv:1"), std::string::npos) << b.status();
  EXPECT_NE(b.status().message().find("symmetric"), std::string::npos) << b.status();
  // "One" is a typo of the column, not an older file's meaning.
  const std::string cased = dir.WriteFile("cased.tsv", "subsidiary_of\tORG\tORG\t-\tno\tOne\tx\n");
  auto c = RelationVocabulary::Load({cased});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("cased.tsv:1"), std::string::npos) << c.status();
  EXPECT_NE(c.status().message().find("objects"), std::string::npos) << c.status();
}

}  // namespace
}  // namespace kgraph::ingest
