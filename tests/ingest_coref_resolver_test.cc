// Declarative coreference cases (tests/data/coref.cases, format in its
// header): hand-written documents with their names marked, tagged and parsed
// by the committed models, resolved by CorefResolver; plus the resolver's
// contract (own spans, byte offsets, data-file errors).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ingest/coref_resolver.h"
#include "nlp/pipeline.h"
#include "tests/testing/case_file.h"

namespace kgraph::ingest {
namespace {

std::string SourceDir() {
  const char* s = std::getenv("KGRAPH_SOURCE");
  return s ? s : ".";
}

struct Expectation {
  std::string anaphor;  // text to find
  int occurrence = 1;
  std::string name;  // empty: must not resolve at all
  bool negated = false;
};

struct Case {
  std::string where;
  std::string text;  // with the brackets removed
  struct Name {
    size_t begin, end;  // bytes of text
    std::string type;
  };
  std::vector<Name> names;
  std::vector<Expectation> expectations;
};

// "[ORG Orion Foods Inc] said it ..." -> text without brackets and the names.
bool ParseMarked(absl::string_view line, Case* c) {
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '[') {
      const size_t close = line.find(']', i);
      const size_t space = line.find(' ', i);
      if (close == absl::string_view::npos || space == absl::string_view::npos || space > close) {
        return false;
      }
      Case::Name n;
      n.type = std::string(line.substr(i + 1, space - i - 1));
      n.begin = c->text.size();
      c->text.append(std::string(line.substr(space + 1, close - space - 1)));
      n.end = c->text.size();
      c->names.push_back(n);
      i = close + 1;
    } else {
      c->text.push_back(line[i++]);
    }
  }
  return true;
}

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  const std::string path = SourceDir() + "/tests/data/coref.cases";
  std::vector<testing::CaseLine> lines;
  EXPECT_TRUE(testing::ReadCaseFile(path, &lines)) << path;
  for (const testing::CaseLine& l : lines) {
    const std::string where = absl::StrCat("coref.cases:", l.line);
    if (l.kind == testing::CaseLine::kCase) {
      Case c;
      c.where = where;
      EXPECT_TRUE(ParseMarked(l.text, &c)) << where << ": bad [TYPE name] marking";
      cases.push_back(std::move(c));
      continue;
    }
    EXPECT_TRUE(l.kind != testing::CaseLine::kEntity && l.kind != testing::CaseLine::kNotEntity)
        << where << ": no entity lines in coreference cases";
    EXPECT_FALSE(cases.empty()) << where << ": expectation before a case";
    if (cases.empty() || l.kind == testing::CaseLine::kEntity ||
        l.kind == testing::CaseLine::kNotEntity) {
      continue;
    }
    Expectation e;
    e.negated = l.kind == testing::CaseLine::kMustNot;
    std::vector<std::string> parts = testing::CaseFields(l.text, '=');
    e.anaphor = parts[0];
    if (parts.size() > 1) e.name = parts[1];
    EXPECT_LE(parts.size(), 2u) << where << ": one '=' at most";
    if (size_t at = e.anaphor.rfind('@'); at != std::string::npos) {
      EXPECT_TRUE(absl::SimpleAtoi(e.anaphor.substr(at + 1), &e.occurrence)) << where;
      e.anaphor.resize(at);
    }
    EXPECT_TRUE(e.negated || !e.name.empty()) << where << ": '->' needs '= NAME'";
    cases.back().expectations.push_back(e);
  }
  return cases;
}

// The byte offset of the n-th whole-word occurrence of `what` in `text`.
size_t FindOccurrence(const std::string& text, const std::string& what, int n) {
  size_t from = 0;
  while (true) {
    const size_t p = text.find(what, from);
    if (p == std::string::npos) return p;
    const bool left = p == 0 || !absl::ascii_isalnum(text[p - 1]);
    const bool right =
        p + what.size() >= text.size() || !absl::ascii_isalnum(text[p + what.size()]);
    if (left && right && --n == 0) return p;
    from = p + 1;
  }
}

class CorefCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nlp::PipelineOptions options;
    options.ner = false;  // the names are given by the cases
    auto p = nlp::NlpPipeline::Load(options);
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = p->release();
    auto r = CorefResolver::Create({});
    ASSERT_TRUE(r.ok()) << r.status();
    resolver_ = r->release();
  }
  static void TearDownTestSuite() {
    delete pipeline_;
    delete resolver_;
  }

  // Tokenizes, tags and parses the case text and gives each sentence its
  // marked names as word spans.
  std::vector<nlp::Sentence> Annotate(const Case& c) {
    std::vector<nlp::Sentence> doc = pipeline_->Annotate(c.text);
    for (const Case::Name& name : c.names) {
      bool placed = false;
      for (nlp::Sentence& s : doc) {
        size_t b = s.words.size(), e = 0;
        for (size_t i = 0; i < s.words.size(); ++i) {
          if (s.words[i].start >= name.begin && s.words[i].end <= name.end) {
            b = std::min(b, i);
            e = i + 1;
          }
        }
        if (b < e) {
          s.entities.push_back({b, e, name.type});
          placed = true;
          break;
        }
      }
      EXPECT_TRUE(placed) << c.where << ": name '"
                          << c.text.substr(name.begin, name.end - name.begin)
                          << "' is no run of words";
    }
    for (nlp::Sentence& s : doc) {
      std::sort(
          s.entities.begin(), s.entities.end(),
          [](const nlp::EntitySpan& a, const nlp::EntitySpan& b) { return a.begin < b.begin; });
    }
    return doc;
  }

  static nlp::NlpPipeline* pipeline_;
  static CorefResolver* resolver_;
};

nlp::NlpPipeline* CorefCases::pipeline_ = nullptr;
CorefResolver* CorefCases::resolver_ = nullptr;

std::string AntecedentText(const std::string& text, const std::vector<nlp::Sentence>& doc,
                           const CorefMention& m) {
  const nlp::Sentence& s = doc[m.antecedent_sentence];
  const nlp::EntitySpan& e = s.entities[m.antecedent_entity];
  return text.substr(s.words[e.begin].start, s.words[e.end - 1].end - s.words[e.begin].start);
}

TEST_F(CorefCases, AllCasesHold) {
  const std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 10u);
  for (const Case& c : cases) {
    const std::vector<nlp::Sentence> doc = Annotate(c);
    const std::vector<CorefMention> resolved = resolver_->Resolve(doc);
    std::string got;
    for (const CorefMention& m : resolved) {
      absl::StrAppend(&got, "  ", c.text.substr(m.byte_begin, m.byte_end - m.byte_begin), " -> ",
                      AntecedentText(c.text, doc, m), " (", m.sieve, ")\n");
    }
    for (const Expectation& e : c.expectations) {
      const size_t at = FindOccurrence(c.text, e.anaphor, e.occurrence);
      ASSERT_NE(at, std::string::npos) << c.where << ": '" << e.anaphor << "' is not in the text";
      const CorefMention* hit = nullptr;
      for (const CorefMention& m : resolved) {
        if (m.byte_begin <= at && at + e.anaphor.size() <= m.byte_end) hit = &m;
      }
      const std::string ant = hit ? AntecedentText(c.text, doc, *hit) : "";
      if (!e.negated) {
        EXPECT_TRUE(hit != nullptr && ant == e.name)
            << c.where << ": " << e.anaphor << " -> " << e.name << " expected in\n  " << c.text
            << "\nresolved:\n"
            << got;
      } else if (e.name.empty()) {
        EXPECT_TRUE(hit == nullptr) << c.where << ": " << e.anaphor << " must not resolve in\n  "
                                    << c.text << "\nresolved:\n"
                                    << got;
      } else {
        EXPECT_NE(ant, e.name) << c.where << ": " << e.anaphor << " must not point to " << e.name
                               << " in\n  " << c.text << "\nresolved:\n"
                               << got;
      }
    }
  }
}

TEST_F(CorefCases, MentionsKeepTheirOwnSpanAndOffsets) {
  Case c;
  ASSERT_TRUE(
      ParseMarked("[ORG Orion Foods Inc] bought a mill. The company said it would expand it.", &c));
  const std::vector<nlp::Sentence> doc = Annotate(c);
  const std::vector<CorefMention> resolved = resolver_->Resolve(doc);
  ASSERT_FALSE(resolved.empty());
  const CorefMention& the_company = resolved[0];
  EXPECT_EQ(the_company.kind, CorefMention::Kind::kDescription);
  EXPECT_EQ(c.text.substr(the_company.byte_begin, the_company.byte_end - the_company.byte_begin),
            "The company");
  EXPECT_EQ(the_company.sentence, 1u);
  EXPECT_EQ(doc[1].words[the_company.head].form, "company");
  EXPECT_EQ(AntecedentText(c.text, doc, the_company), "Orion Foods Inc");
  // The names are untouched: the resolver only points to them.
  ASSERT_EQ(doc[0].entities.size(), 1u);
  EXPECT_TRUE(doc[1].entities.empty());
  // Deterministic: the same input gives the same output.
  const std::vector<CorefMention> again = resolver_->Resolve(doc);
  ASSERT_EQ(again.size(), resolved.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].byte_begin, resolved[i].byte_begin);
    EXPECT_EQ(again[i].antecedent_sentence, resolved[i].antecedent_sentence);
    EXPECT_EQ(again[i].antecedent_entity, resolved[i].antecedent_entity);
  }
}

TEST_F(CorefCases, ResolveFromManyThreadsGivesTheSameOutput) {
  std::vector<std::vector<nlp::Sentence>> docs;
  for (const Case& c : LoadCases()) docs.push_back(Annotate(c));
  std::vector<std::vector<CorefMention>> expected;
  for (const auto& d : docs) expected.push_back(resolver_->Resolve(d));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < docs.size(); ++i) {
          const std::vector<CorefMention> got = resolver_->Resolve(docs[i]);
          bool same = got.size() == expected[i].size();
          for (size_t k = 0; same && k < got.size(); ++k) {
            same = got[k].byte_begin == expected[i][k].byte_begin &&
                   got[k].antecedent_sentence == expected[i][k].antecedent_sentence &&
                   got[k].antecedent_entity == expected[i][k].antecedent_entity &&
                   got[k].sieve == expected[i][k].sieve;
          }
          mismatches[t] += same ? 0 : 1;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST_F(CorefCases, UnparsedSentencesAreStillRead) {
  Case c;
  ASSERT_TRUE(ParseMarked("[ORG Orion Foods Inc] bought a mill. It paid cash.", &c));
  std::vector<nlp::Sentence> doc = Annotate(c);
  for (nlp::Sentence& s : doc) {
    for (nlp::Word& w : s.words) {
      w.head = -1;
      w.deprel.clear();
    }
  }
  const std::vector<CorefMention> resolved = resolver_->Resolve(doc);
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(AntecedentText(c.text, doc, resolved[0]), "Orion Foods Inc");
}

TEST(CorefResolverData, MalformedFilesNameTheLine) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / "kgraph_coref_data_test").string();
  std::filesystem::create_directories(dir);
  for (const char* f : {"pronouns.tsv", "descriptions.tsv", "speech_verbs.txt", "pleonastic.txt",
                        "given_names.tsv", "countries.txt", "person_nouns.txt"}) {
    std::filesystem::copy_file(SourceDir() + "/data/coref/" + f, dir + "/" + f,
                               std::filesystem::copy_options::overwrite_existing);
  }
  {
    std::ofstream out(dir + "/descriptions.tsv", std::ios::app);
    out << "company\tCOMPANY\n";
  }
  CorefConfig config;
  config.data_dir = dir;
  auto r = CorefResolver::Create(config);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(), "descriptions.tsv:")) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "unknown type 'COMPANY'")) << r.status();

  std::filesystem::remove(dir + "/pronouns.tsv");
  r = CorefResolver::Create(config);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kgraph::ingest
