// The merge of model and rule mentions (ingest/entity_merger.h) on
// hand-made mentions: which side decides spans and types, and what rule
// metadata survives.
#include "ingest/entity_merger.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kgraph::ingest {
namespace {

struct Doc {
  std::string text;
  std::vector<Token> tokens;
  explicit Doc(std::string t) : text(std::move(t)) {
    tokens = Tokenize(text, {});
  }
  // Token range of occurrence `nth` (0: the first) of `s`.
  std::pair<size_t, size_t> Range(const std::string& s, int nth = 0) const {
    size_t at = text.find(s);
    for (int k = 0; k < nth; ++k) at = text.find(s, at + 1);
    size_t first = tokens.size(), last = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].start >= at && tokens[i].end <= at + s.size()) {
        first = std::min(first, i);
        last = i + 1;
      }
    }
    return {first, last};
  }
  NameMention Rule(const std::string& s, const std::string& type, CueStrength strength,
                   int nth = 0) const {
    NameMention m;
    std::tie(m.first, m.last) = Range(s, nth);
    m.surface = s;
    m.type = type;
    m.strength = strength;
    return m;
  }
  ModelMention Model(const std::string& s, const std::string& type) const {
    const size_t at = text.find(s);
    return {at, at + s.size(), type};
  }
};

std::vector<std::string> Names(const Doc& d, const std::vector<NameMention>& ms) {
  std::vector<std::string> out;
  for (const NameMention& m : ms) {
    out.push_back(d.text.substr(d.tokens[m.first].start, d.tokens[m.last - 1].end - d.tokens[m.first].start) +
                  "/" + m.type);
  }
  return out;
}

TEST(ingest_entity_merger, TheModelDecidesNamesTheRulesKeepProductsDatesAndPlaces) {
  const Doc d("Northern and Eastern Shipping Plc sold Lumina phones in France on 12 May to Harlan Fisk.");
  const std::vector<NameMention> rules = {
      d.Rule("Northern", "GPE", kWeak),          // cut short, and mistyped
      d.Rule("Eastern Shipping Plc", "ORG", kContext),
      d.Rule("Lumina", "PRODUCT", kContext),
      d.Rule("France", "GPE", kStrong),          // a known country: kept
      d.Rule("12 May", "MISC", kContext),
      d.Rule("Harlan", "GPE", kGuess),           // a guess the model corrects
  };
  const std::vector<ModelMention> model = {
      d.Model("Northern and Eastern Shipping Plc", "ORG"),
      d.Model("Lumina", "ORG"),    // overlaps a rule product: dropped
      d.Model("France", "PERSON"), // the rules' strong cue for GPE wins
      d.Model("Harlan Fisk", "PERSON"),
  };
  const std::vector<NameMention> merged = MergeModelMentions(rules, model, d.tokens);
  EXPECT_EQ(Names(d, merged),
            (std::vector<std::string>{"Northern and Eastern Shipping Plc/ORG", "Lumina/PRODUCT",
                                      "France/GPE", "12 May/MISC", "Harlan Fisk/PERSON"}));
}

TEST(ingest_entity_merger, GuessesTheModelDoesNotSeeGoOtherRuleNamesStay) {
  const Doc d("Velto said Okafor met Brandt of Kestrel Motors and Harwick.");
  const std::vector<NameMention> rules = {
      d.Rule("Velto", "PERSON", kGuess),
      d.Rule("Okafor", "PERSON", kWeak),
      d.Rule("Brandt", "PERSON", kContext),
      d.Rule("Kestrel Motors", "ORG", kStrong),
      d.Rule("Harwick", "PERSON", kGuess),  // no model name: dropped
  };
  const std::vector<ModelMention> model = {d.Model("Velto", "ORG")};
  const std::vector<NameMention> merged = MergeModelMentions(rules, model, d.tokens);
  EXPECT_EQ(Names(d, merged), (std::vector<std::string>{"Velto/ORG", "Okafor/PERSON",
                                                        "Brandt/PERSON", "Kestrel Motors/ORG"}));
}

TEST(ingest_entity_merger, GuessesThatRepeatAWordOfALongerNameStay) {
  const Doc d("Lisa Cook met Kestrel Motors. Cook said Kestrel grew, and Motors and Lisa fell.");
  const std::vector<NameMention> rules = {
      d.Rule("Lisa Cook", "PERSON", kContext),
      d.Rule("Kestrel Motors", "ORG", kStrong),
      d.Rule("Cook", "PERSON", kGuess, 1),
      d.Rule("Kestrel", "ORG", kGuess, 1),
      d.Rule("Motors", "ORG", kGuess, 1),   // not the ORG's first word: dropped
      d.Rule("Lisa", "PERSON", kGuess, 1),  // not the PERSON's last word: dropped
  };
  const std::vector<NameMention> merged = MergeModelMentions(rules, {}, d.tokens);
  EXPECT_EQ(Names(d, merged), (std::vector<std::string>{"Lisa Cook/PERSON", "Kestrel Motors/ORG",
                                                        "Cook/PERSON", "Kestrel/ORG"}));
}

TEST(ingest_entity_merger, AModelPersonInsideAGuessedRunTrimsTheWordsBeforeIt) {
  const Doc d("Democrat Bill Okafor met Soprano Judy Kaye, Garrick Holt and Senator Ann Weller.");
  const std::vector<NameMention> rules = {
      d.Rule("Democrat Bill Okafor", "PERSON", kGuess),
      d.Rule("Soprano Judy Kaye", "PERSON", kWeak),
      d.Rule("Garrick Holt", "PERSON", kGuess),
      d.Rule("Senator Ann Weller", "PERSON", kStrong),  // a strong cue: kept whole
  };
  const std::vector<ModelMention> model = {d.Model("Bill Okafor", "PERSON"),
                                           d.Model("Judy", "PERSON"),  // does not end the run
                                           d.Model("Holt", "PERSON"),  // one word: a surname
                                           d.Model("Ann Weller", "PERSON")};
  const std::vector<NameMention> merged = MergeModelMentions(rules, model, d.tokens);
  EXPECT_EQ(Names(d, merged),
            (std::vector<std::string>{"Bill Okafor/PERSON", "Soprano Judy Kaye/PERSON",
                                      "Garrick Holt/PERSON", "Senator Ann Weller/PERSON"}));
}

TEST(ingest_entity_merger, ModelPlacesHeadlinesAndCommasChangeNothing) {
  const Doc d("Nvidia rose in Davos, Switzerland on Monday.");
  const std::vector<NameMention> rules = {
      d.Rule("Nvidia", "PERSON", kGuess),
      d.Rule("Davos", "GPE", kContext),
      d.Rule("Switzerland", "GPE", kContext),
  };
  // The model's places are not used (the guess stays, typed by the rules),
  // and a model ORG across a comma joins nothing.
  const std::vector<ModelMention> model = {d.Model("Nvidia", "GPE"),
                                           d.Model("Davos, Switzerland", "ORG")};
  EXPECT_EQ(Names(d, MergeModelMentions(rules, model, d.tokens)),
            (std::vector<std::string>{"Nvidia/PERSON", "Davos/GPE", "Switzerland/GPE"}));
  NameMention headline = d.Rule("Nvidia", "PERSON", kGuess);
  headline.in_headline = true;
  EXPECT_EQ(Names(d, MergeModelMentions({headline}, {d.Model("Nvidia rose", "ORG")}, d.tokens)),
            (std::vector<std::string>{"Nvidia/PERSON"}));
}

TEST(ingest_entity_merger, SameSpanKeepsTheRuleMetadataAndTheModelType) {
  const Doc d("Avon Products <AVP> said Avon would grow.");
  NameMention avon = d.Rule("Avon Products", "PERSON", kWeak);
  avon.ticker = "AVP";
  avon.titled = {"Mr. Avon"};
  const std::vector<ModelMention> model = {d.Model("Avon Products", "ORG")};
  const std::vector<NameMention> merged = MergeModelMentions({avon}, model, d.tokens);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].type, "ORG");
  EXPECT_EQ(merged[0].ticker, "AVP");
  EXPECT_TRUE(merged[0].titled.empty());  // titles are a person's
  EXPECT_EQ(merged[0].strength, kWeak);   // the rules' cue, for the alias vote
}

TEST(ingest_entity_merger, ModelMiscAndSpansInsideNoWholeTokenAreIgnored) {
  const Doc d("Quorra-based Selwyn rose.");
  const std::vector<ModelMention> model = {d.Model("Quorra-based Selwyn", "MISC"),
                                           d.Model("orr", "ORG")};
  EXPECT_TRUE(MergeModelMentions({}, model, d.tokens).empty());
}

}  // namespace
}  // namespace kgraph::ingest
