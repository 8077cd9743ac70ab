// Alias resolver tests on hand-made text (never copied from gold files):
// surnames, acronyms, possessives, demonyms, qualified places and the
// document-level type correction for lone words.
#include "ingest/alias_resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "ingest/entity_recognizer.h"
#include "ingest/gazetteer.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"
#include "tests/testing/recognizer_test.h"

namespace kgraph::ingest {
namespace {

class AliasResolverTest : public testing::RecognizerTest {
 protected:
  Resolution Resolve(const std::string& text) {
    mentions_ = Recognize(text);
    return ResolveAliases(mentions_, tokens_);
  }

  static const ResolvedEntity* Find(const Resolution& r, const std::string& name) {
    for (const ResolvedEntity& e : r.entities) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }
  static bool HasAlias(const ResolvedEntity& e, const std::string& alias) {
    return std::find(e.aliases.begin(), e.aliases.end(), alias) != e.aliases.end();
  }
  static std::string Describe(const Resolution& r) {
    std::string out;
    for (const ResolvedEntity& e : r.entities) {
      out += "[" + e.name + "/" + e.type;
      for (const std::string& a : e.aliases) out += " ~" + a;
      out += "] ";
    }
    return out;
  }

  std::vector<NameMention> mentions_;
};

TEST_F(AliasResolverTest, SurnameLinksToFullName) {
  auto r = Resolve("Jerome Pellham spoke on Monday. Pellham said rates would hold.");
  const ResolvedEntity* e = Find(r, "Jerome Pellham");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_EQ(e->type, "PERSON");
  EXPECT_TRUE(HasAlias(*e, "Pellham")) << Describe(r);
  EXPECT_EQ(Find(r, "Pellham"), nullptr) << Describe(r);
}

TEST_F(AliasResolverTest, TwoCandidatesStayApart) {
  auto r = Resolve(
      "Anna Smith met John Smith in Lyon. Smith said the talks went well.");
  EXPECT_NE(Find(r, "Anna Smith"), nullptr) << Describe(r);
  EXPECT_NE(Find(r, "John Smith"), nullptr) << Describe(r);
  const ResolvedEntity* a = Find(r, "Anna Smith");
  EXPECT_FALSE(HasAlias(*a, "Smith")) << Describe(r);
}

TEST_F(AliasResolverTest, ParenthesizedAcronymAndLaterUse) {
  auto r = Resolve(
      "The Quellwater Holdings Group (QHG) reported a loss. QHG shares fell.");
  const ResolvedEntity* e = Find(r, "Quellwater Holdings Group");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_EQ(e->type, "ORG");
  EXPECT_TRUE(HasAlias(*e, "QHG")) << Describe(r);
}

TEST_F(AliasResolverTest, AcronymBeforeFullName) {
  auto r = Resolve("Voters backed the NVP (National Vanguard Party) on Sunday.");
  const ResolvedEntity* e = Find(r, "National Vanguard Party");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_TRUE(HasAlias(*e, "NVP")) << Describe(r);
}

TEST_F(AliasResolverTest, AcronymByInitials) {
  auto r = Resolve(
      "Talks between Harlow Bridge Capital and its lenders resumed. "
      "HBC declined to comment.");
  const ResolvedEntity* e = Find(r, "Harlow Bridge Capital");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_TRUE(HasAlias(*e, "HBC")) << Describe(r);
}

TEST_F(AliasResolverTest, PossessiveIsNotPartOfTheName) {
  auto r = Resolve("Stellan Technologies’ new chip and Orbix Systems's server shipped.");
  EXPECT_NE(Find(r, "Stellan Technologies"), nullptr) << Describe(r);
  EXPECT_NE(Find(r, "Orbix Systems"), nullptr) << Describe(r);
}

TEST_F(AliasResolverTest, DemonymJoinsItsCountry) {
  auto r = Resolve("German Chancellor Karl Weber visited Germany's north.");
  const ResolvedEntity* e = Find(r, "Germany");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_EQ(e->type, "GPE");
  EXPECT_TRUE(e->is_country);
  EXPECT_TRUE(HasAlias(*e, "German")) << Describe(r);
  int germanies = 0;
  for (const ResolvedEntity& x : r.entities) germanies += x.name == "Germany";
  EXPECT_EQ(germanies, 1) << Describe(r);
}

TEST_F(AliasResolverTest, GazetteerVariantsShareOnePlace) {
  auto r = Resolve("The U.S. economy grew. Growth in the United States slowed.");
  const ResolvedEntity* e = Find(r, "United States");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_TRUE(HasAlias(*e, "U.S.")) << Describe(r);
}

TEST_F(AliasResolverTest, QualifiedPlaceIsAnAlias) {
  auto r = Resolve("Ada Brandt was born in Tupelo, Miss., and moved away.");
  const ResolvedEntity* city = Find(r, "Tupelo");
  ASSERT_NE(city, nullptr) << Describe(r);
  EXPECT_TRUE(HasAlias(*city, "Tupelo, Miss.")) << Describe(r);
  const ResolvedEntity* state = Find(r, "Mississippi");
  ASSERT_NE(state, nullptr) << Describe(r);
  EXPECT_TRUE(HasAlias(*state, "Miss.")) << Describe(r);
}

TEST_F(AliasResolverTest, DatelineAgencyIsNotAnAliasOfThePlace) {
  auto r = Resolve("DAYTON, Ohio (AP)");
  const ResolvedEntity* ap = Find(r, "AP");
  ASSERT_NE(ap, nullptr) << Describe(r);
  EXPECT_EQ(ap->type, "ORG");
  const ResolvedEntity* ohio = Find(r, "Ohio");
  ASSERT_NE(ohio, nullptr) << Describe(r);
  EXPECT_FALSE(HasAlias(*ohio, "AP")) << Describe(r);
}

TEST_F(AliasResolverTest, LoneWordWithoutFullNameInAnArticleIsAnOrganization) {
  auto r = Resolve(
      "Zentrix raised its forecast. Investors cheered the news. "
      "Zentrix shares rose 4% on Tuesday.");
  const ResolvedEntity* e = Find(r, "Zentrix");
  ASSERT_NE(e, nullptr) << Describe(r);
  EXPECT_EQ(e->type, "ORG");
  // A one-sentence document keeps the person default.
  auto one = Resolve("Brannigan fired twice from the window.");
  const ResolvedEntity* p = Find(one, "Brannigan");
  ASSERT_NE(p, nullptr) << Describe(one);
  EXPECT_EQ(p->type, "PERSON");
}

}  // namespace
}  // namespace kgraph::ingest
