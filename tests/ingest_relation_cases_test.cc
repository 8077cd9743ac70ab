// Declarative extraction cases: tests/data/ingest/*.cases, read by one runner.
// Format: a sentence line, then lines "-> subject | relation | object" that
// must be extracted (with an optional fourth field: the prefix of the rule id
// that must have produced it, "dep:" for a dependency pattern), "!-> ..."
// that must not, "= name | TYPE" entities and "!= name" names that must be no
// entity of any type ("!= name | TYPE": of that type).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "ingest/extractor.h"
#include "tests/testing/case_file.h"

namespace kgraph::ingest {
namespace {

struct Case {
  std::string where;
  std::string sentence;
  std::vector<std::vector<std::string>> must, must_not, entities, not_entities;
};

std::string SourceDir() {
  const char* s = std::getenv("KGRAPH_SOURCE");
  return s ? s : ".";
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourceDir() + "/tests/data/ingest")) {
    if (entry.path().extension() != ".cases") continue;
    std::vector<testing::CaseLine> lines;
    EXPECT_TRUE(testing::ReadCaseFile(entry.path().string(), &lines)) << entry.path();
    const std::string file = entry.path().filename().string();
    for (const testing::CaseLine& l : lines) {
      if (l.kind == testing::CaseLine::kCase) {
        cases.push_back({file + ":" + std::to_string(l.line), l.text, {}, {}, {}, {}});
        continue;
      }
      EXPECT_FALSE(cases.empty()) << file << ":" << l.line << ": expectation before a case";
      if (cases.empty()) continue;
      Case& c = cases.back();
      (l.kind == testing::CaseLine::kMust        ? c.must
       : l.kind == testing::CaseLine::kMustNot   ? c.must_not
       : l.kind == testing::CaseLine::kNotEntity ? c.not_entities
                                                 : c.entities)
          .push_back(testing::CaseFields(l.text));
    }
  }
  return cases;
}

TEST(RelationCasesTest, AllCasesHold) {
  ExtractorConfig config;
  config.data_dir = SourceDir() + "/data";
  auto extractor = Extractor::Create(config);
  ASSERT_TRUE(extractor.ok()) << extractor.status();
  auto cases = LoadCases();
  ASSERT_GT(cases.size(), 10u);
  for (const Case& c : cases) {
    SourceDocument doc;
    doc.id = c.where;
    doc.text = c.sentence;
    ExtractedDocument out = (*extractor)->Extract(doc);
    auto has = [&](const std::vector<std::string>& t) {
      for (const ExtractedTriple& x : out.triples) {
        if (x.subject == t[0] && x.relation == t[1] && x.object == t[2] &&
            (t.size() < 4 || x.rule.rfind(t[3], 0) == 0)) {
          return true;
        }
      }
      return false;
    };
    std::string got;
    for (const ExtractedTriple& x : out.triples) {
      got += "(" + x.subject + ", " + x.relation + ", " + x.object + " [" + x.rule + "]) ";
    }
    // Provenance: each triple's argument mentions lie inside its evidence
    // sentence and spell the argument's name or alias, or the pronoun or
    // description it was resolved from.
    for (const ExtractedTriple& x : out.triples) {
      auto spells = [&](const Mention& m, const std::string& entity, const std::string& from) {
        if (m.end <= m.start || m.start < x.evidence.start || m.end > x.evidence.end) return false;
        const std::string at = c.sentence.substr(m.start, m.end - m.start);
        if (!from.empty()) return at == from;
        for (const ExtractedEntity& e : out.entities) {
          if (e.name != entity) continue;
          for (const Mention& em : e.mentions) {
            if (em.start == m.start && em.end == m.end) return true;
          }
        }
        return false;
      };
      EXPECT_TRUE(spells(x.subject_mention, x.subject, x.subject_resolved_from))
          << c.where << ": subject mention of (" << x.subject << ", " << x.relation << ", "
          << x.object << ") [" << x.rule << "]";
      EXPECT_TRUE(spells(x.object_mention, x.object, x.object_resolved_from))
          << c.where << ": object mention of (" << x.subject << ", " << x.relation << ", "
          << x.object << ") [" << x.rule << "]";
    }
    // Dates and measures co-occur with no one.
    for (const CoMention& cm : out.co_mentions) {
      for (const ExtractedEntity& e : out.entities) {
        if (e.type == "MISC") {
          EXPECT_TRUE(cm.a != e.name && cm.b != e.name) << c.where << ": co-mention with " << e.name;
        }
      }
    }
    for (const auto& t : c.must) {
      ASSERT_TRUE(t.size() == 3u || t.size() == 4u) << c.where;
      EXPECT_TRUE(has(t)) << c.where << ": " << c.sentence << "\n  missing ("
                          << t[0] << ", " << t[1] << ", " << t[2] << ")\n  got "
                          << got;
    }
    for (const auto& t : c.must_not) {
      EXPECT_FALSE(has(t)) << c.where << ": unexpected (" << t[0] << ", "
                           << t[1] << ", " << t[2] << ")";
    }
    for (const auto& e : c.entities) {
      ASSERT_EQ(e.size(), 2u) << c.where << ": '= NAME | TYPE' needs both fields";
      bool found = false;
      for (const ExtractedEntity& x : out.entities) {
        found |= x.name == e[0] && x.type == e[1];
      }
      EXPECT_TRUE(found) << c.where << ": no entity " << e[0] << " " << e[1];
    }
    for (const auto& e : c.not_entities) {
      for (const ExtractedEntity& x : out.entities) {
        EXPECT_FALSE(x.name == e[0] && (e.size() < 2 || x.type == e[1]))
            << c.where << ": unexpected entity " << x.name << " " << x.type;
      }
    }
  }
}

}  // namespace
}  // namespace kgraph::ingest
