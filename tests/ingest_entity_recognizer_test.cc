// Entity recognizer tests on hand-made sentences (never copied from gold
// files): spans, types, titles, headlines, datelines, Reuters markup, and
// Unicode punctuation.
#include "ingest/entity_recognizer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ingest/gazetteer.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"
#include "tests/testing/recognizer_test.h"

namespace kgraph::ingest {
namespace {

class EntityRecognizerTest : public testing::RecognizerTest {
 protected:
  // The mention with this surface, or nullptr.
  static const NameMention* Find(const std::vector<NameMention>& ms,
                                 const std::string& surface) {
    for (const NameMention& m : ms) {
      if (m.surface == surface) return &m;
    }
    return nullptr;
  }

  static std::string Describe(const std::vector<NameMention>& ms) {
    std::string out;
    for (const NameMention& m : ms) out += "[" + m.surface + "/" + m.type + "] ";
    return out;
  }

  // The type of the mention with this surface, "(none)" if there is none.
  static std::string TypeOf(const std::vector<NameMention>& ms, const std::string& surface) {
    const NameMention* m = Find(ms, surface);
    return m == nullptr ? "(none)" : m->type;
  }
};

TEST_F(EntityRecognizerTest, TitleSplitsOrganizationFromPerson) {
  auto ms = Recognize("Ruritania Central Bank Chair Anna Petrov kept rates unchanged.");
  const NameMention* org = Find(ms, "Ruritania Central Bank");
  const NameMention* person = Find(ms, "Anna Petrov");
  ASSERT_NE(org, nullptr) << Describe(ms);
  ASSERT_NE(person, nullptr) << Describe(ms);
  EXPECT_EQ(org->type, "ORG");
  EXPECT_EQ(person->type, "PERSON");
  EXPECT_EQ(Find(ms, "Chair Anna Petrov"), nullptr);
}

TEST_F(EntityRecognizerTest, NameBeforeATitleIsTheEmployer) {
  auto ms = Recognize("Velmora Director Tomas Quill said output fell.");
  const NameMention* org = Find(ms, "Velmora");
  ASSERT_NE(org, nullptr) << Describe(ms);
  EXPECT_EQ(org->type, "ORG");
  ASSERT_NE(Find(ms, "Tomas Quill"), nullptr) << Describe(ms);
}

TEST_F(EntityRecognizerTest, HonorificsAreStripped) {
  auto ms = Recognize("Mrs. Dalloway greeted Dr. Harriet Vane at noon.");
  const NameMention* a = Find(ms, "Dalloway");
  const NameMention* b = Find(ms, "Harriet Vane");
  ASSERT_NE(a, nullptr) << Describe(ms);
  ASSERT_NE(b, nullptr) << Describe(ms);
  EXPECT_EQ(a->type, "PERSON");
  EXPECT_EQ(b->type, "PERSON");
  // The honorific form is how the text names them: kept as a titled form
  // (an alias), never as the name.
  EXPECT_EQ(a->titled, std::vector<std::string>{"Mrs. Dalloway"});
  EXPECT_EQ(b->titled, std::vector<std::string>{"Dr. Harriet Vane"});
}

// A title before an ordinary word begins a name ("General Electric" is no
// person called Electric); before a surname that is also a word it still
// introduces the person ("President Bush"); multi-word titles stay whole.
TEST_F(EntityRecognizerTest, TitleBeforeAnOrdinaryWordBeginsAName) {
  auto ms = Recognize(
      "General Electric Chairman Jack Welch met President Bush and General Secretary Cyril "
      "Ramaphosa, and Lark Brands hired Tom Cruise.");
  EXPECT_EQ(TypeOf(ms, "General Electric"), "ORG") << Describe(ms);
  EXPECT_EQ(Find(ms, "Electric"), nullptr) << Describe(ms);
  EXPECT_EQ(TypeOf(ms, "Jack Welch"), "PERSON") << Describe(ms);
  EXPECT_EQ(TypeOf(ms, "Bush"), "PERSON") << Describe(ms);
  EXPECT_EQ(TypeOf(ms, "Cyril Ramaphosa"), "PERSON") << Describe(ms);
  EXPECT_EQ(TypeOf(ms, "Lark Brands"), "ORG") << Describe(ms);
  EXPECT_EQ(TypeOf(ms, "Tom Cruise"), "PERSON") << Describe(ms);
}

// Share classes and series ("Class A", "Series B", "Class II") are no
// entities.
TEST_F(EntityRecognizerTest, ShareClassesAreNoEntities) {
  auto ms = Recognize("Acme Corp will sell Class A shares, Series B stock and Class II notes.");
  EXPECT_EQ(Find(ms, "Class A"), nullptr) << Describe(ms);
  EXPECT_EQ(Find(ms, "Series B"), nullptr) << Describe(ms);
  EXPECT_EQ(Find(ms, "Class II"), nullptr) << Describe(ms);
  EXPECT_NE(Find(ms, "Acme Corp"), nullptr) << Describe(ms);
}

TEST_F(EntityRecognizerTest, DemonymBeforeTitleIsACountry) {
  auto ms = Recognize("French President Karl Weber met the delegation.");
  const NameMention* gpe = Find(ms, "French");
  ASSERT_NE(gpe, nullptr) << Describe(ms);
  EXPECT_EQ(gpe->type, "GPE");
  EXPECT_EQ(gpe->canonical, "France");
  EXPECT_TRUE(gpe->is_country);
  // A demonym with no title or place noun after it is no entity.
  auto plain = Recognize("The French wine sold well.");
  EXPECT_EQ(Find(plain, "French"), nullptr) << Describe(plain);
}

TEST_F(EntityRecognizerTest, TitleCaseHeadlineYieldsOnlyKnownNames) {
  auto ms = Recognize(
      "Stocks Rally As Quorvex Beats Big Expectations\n\n"
      "Shares of Quorvex Systems rose on Tuesday in Chicago.");
  for (const NameMention& m : ms) {
    if (m.in_headline) {
      EXPECT_NE(m.surface, "Stocks Rally") << Describe(ms);
      EXPECT_NE(m.surface, "Big Expectations") << Describe(ms);
    }
  }
  EXPECT_NE(Find(ms, "Quorvex Systems"), nullptr) << Describe(ms);
  EXPECT_NE(Find(ms, "Chicago"), nullptr) << Describe(ms);
}

TEST_F(EntityRecognizerTest, ReutersTickerBecomesAttribute) {
  auto ms = Recognize("Giorgio Foods <GFI> said it would close two plants.");
  const NameMention* org = Find(ms, "Giorgio Foods");
  ASSERT_NE(org, nullptr) << Describe(ms);
  EXPECT_EQ(org->type, "ORG");
  EXPECT_EQ(org->ticker, "GFI");
  EXPECT_EQ(Find(ms, "GFI"), nullptr) << Describe(ms);
  auto markup = Recognize("Shares of <Pellworth Inc> fell.");
  const NameMention* m = Find(markup, "Pellworth Inc");
  ASSERT_NE(m, nullptr) << Describe(markup);
  EXPECT_EQ(m->type, "ORG");
}

TEST_F(EntityRecognizerTest, UnicodeLettersQuotesAndDashes) {
  auto ms = Recognize(
      "Economist Lars Sløk said the plan was “ambitious” — and costly for "
      "Nordvik Bank.");
  const NameMention* p = Find(ms, "Lars Sløk");
  ASSERT_NE(p, nullptr) << Describe(ms);
  EXPECT_EQ(p->type, "PERSON");
  const NameMention* org = Find(ms, "Nordvik Bank");
  ASSERT_NE(org, nullptr) << Describe(ms);
  EXPECT_EQ(org->type, "ORG");
  for (const NameMention& m : ms) {
    EXPECT_EQ(m.surface.find("—"), std::string::npos) << m.surface;
    EXPECT_NE(m.surface, "ambitious");
  }
}

TEST_F(EntityRecognizerTest, SentenceInitialDictionaryWordIsNoName) {
  auto ms = Recognize("Tensions rose in Belgrade on Monday.");
  EXPECT_EQ(Find(ms, "Tensions"), nullptr) << Describe(ms);
  const NameMention* city = Find(ms, "Belgrade");
  ASSERT_NE(city, nullptr) << Describe(ms);
  EXPECT_EQ(city->type, "GPE");
  // The same word capitalized inside a sentence of the article is a name.
  auto brand = Recognize("Meta cut prices. Analysts said Meta would gain.");
  EXPECT_NE(Find(brand, "Meta"), nullptr) << Describe(brand);
}

TEST_F(EntityRecognizerTest, MonthAbbreviationsAreNoNames) {
  // Month abbreviations are dates (MISC), never people or organizations.
  auto ms = Recognize("On Oct. 5 the board of Halvard Industries met in Sept. again.");
  const NameMention* oct = Find(ms, "Oct.");
  ASSERT_NE(oct, nullptr) << Describe(ms);
  EXPECT_EQ(oct->type, "MISC");
  const NameMention* sept = Find(ms, "Sept.");
  ASSERT_NE(sept, nullptr) << Describe(ms);
  EXPECT_EQ(sept->type, "MISC");
  EXPECT_NE(Find(ms, "Halvard Industries"), nullptr) << Describe(ms);
}

TEST_F(EntityRecognizerTest, TimesDatesAndMeasuresAreMisc) {
  auto ms = Recognize(
      "At 0730 GMT on 9 Feb 94 the Torvane Group said 12 percent of "
      "10, 000 acres near Ostrava burned.");
  for (const char* name : {"0730 GMT", "9 Feb 94", "12 percent", "10, 000 acres"}) {
    const NameMention* m = Find(ms, name);
    ASSERT_NE(m, nullptr) << name << " " << Describe(ms);
    EXPECT_EQ(m->type, "MISC") << name;
  }
  EXPECT_EQ(Find(ms, "GMT"), nullptr) << Describe(ms);
}

TEST_F(EntityRecognizerTest, TitledPersonKeepsTitledForm) {
  auto ms = Recognize("Yesterday Senator Alda Brenn spoke.");
  const NameMention* p = Find(ms, "Alda Brenn");
  ASSERT_NE(p, nullptr) << Describe(ms);
  ASSERT_FALSE(p->titled.empty());
  EXPECT_EQ(p->titled[0], "Senator Alda Brenn");
}

TEST_F(EntityRecognizerTest, LoneTitleCaseWordDefaultsToPerson) {
  auto ms = Recognize("Brannigan fired twice from the window.");
  const NameMention* m = Find(ms, "Brannigan");
  ASSERT_NE(m, nullptr) << Describe(ms);
  EXPECT_EQ(m->type, "PERSON");
  // Acronyms stay organizations.
  auto acr = Recognize("The report came from QXR on Friday.");
  const NameMention* a = Find(acr, "QXR");
  ASSERT_NE(a, nullptr) << Describe(acr);
  EXPECT_EQ(a->type, "ORG");
}

TEST_F(EntityRecognizerTest, CityStateGetsQualifiedForm) {
  auto ms = Recognize("Elsa Marr was born in Tupelo, Miss., in 1921.");
  const NameMention* city = Find(ms, "Tupelo");
  ASSERT_NE(city, nullptr) << Describe(ms);
  EXPECT_EQ(city->type, "GPE");
  EXPECT_EQ(city->qualified, "Tupelo, Miss.");
  const NameMention* state = Find(ms, "Miss.");
  ASSERT_NE(state, nullptr) << Describe(ms);
  EXPECT_EQ(state->canonical, "Mississippi");
}

TEST_F(EntityRecognizerTest, WireDatelines) {
  auto a = Recognize("Paris AFP");
  ASSERT_NE(Find(a, "Paris"), nullptr) << Describe(a);
  const NameMention* afp = Find(a, "AFP");
  ASSERT_NE(afp, nullptr) << Describe(a);
  EXPECT_EQ(afp->type, "ORG");

  auto b = Recognize("SAN FRANCISCO (AP)");
  const NameMention* sf = Find(b, "SAN FRANCISCO");
  ASSERT_NE(sf, nullptr) << Describe(b);
  EXPECT_EQ(sf->type, "GPE");
  const NameMention* ap = Find(b, "AP");
  ASSERT_NE(ap, nullptr) << Describe(b);
  EXPECT_EQ(ap->type, "ORG");
  EXPECT_EQ(ap->alias_of, -1);

  auto c = Recognize("XQ1234 Cairo Radio Nile Valley in Arabic 1700 GMT");
  const NameMention* radio = Find(c, "Radio Nile Valley");
  ASSERT_NE(radio, nullptr) << Describe(c);
  EXPECT_EQ(radio->type, "ORG");
}

TEST_F(EntityRecognizerTest, ParenthesizedAcronymOfLowercaseTermIsNoName) {
  auto ms = Recognize("The lab trained a mixture-of-experts (MoE) model for Corvid Labs.");
  EXPECT_EQ(Find(ms, "MoE"), nullptr) << Describe(ms);
}

}  // namespace
}  // namespace kgraph::ingest
