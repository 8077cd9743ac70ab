// The relation classifier trained by the test itself on a few hand-made
// sentences (made-up names), parsed with the committed tagger and parser:
// it learns a construction, applies it to an unseen sentence, survives a
// save/load round trip unchanged, and rejects a damaged file.
#include "ingest/relation_classifier.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "ingest/dependency_path.h"
#include "nlp/pipeline.h"

namespace kgraph::ingest {
namespace {

GoldDocument Doc(const std::string& id, const std::string& text, const std::string& person,
                 const std::string& org, bool related) {
  GoldDocument g;
  g.doc = id;
  g.text = text;
  g.entities = {{person, "PERSON", {}}, {org, "ORG", {}}};
  if (related) g.triples = {{person, "works_for", org, true}};
  return g;
}

std::vector<GoldDocument> Training() {
  const std::vector<std::pair<std::string, std::string>> people = {
      {"Maria Lund", "Helix Corp"},     {"Tomas Berg", "Norrland Bank"},
      {"Ada Quill", "Orbix Systems"},   {"Ivo Marsh", "Kestrel Motors"},
      {"Lena Roth", "Pine Medical"},    {"Omar Vale", "Tarnwell Group"},
      {"Rita Holm", "Lumora Media"},    {"Egon Frei", "Castellan Group"}};
  std::vector<GoldDocument> out;
  for (size_t i = 0; i < people.size(); ++i) {
    const auto& [p, o] = people[i];
    out.push_back(Doc("w" + std::to_string(i), p + ", a spokesman for " + o + ", said sales rose.",
                      p, o, true));
    out.push_back(Doc("n" + std::to_string(i), p + " bought shares of " + o + " last week.", p, o,
                      false));
  }
  return out;
}

class RelationClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlp::PipelineOptions options;
    options.ner = false;
    auto p = nlp::NlpPipeline::Shared(options);
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = *p;
  }
  // The first sentence of `text`, parsed with `names` as names.
  nlp::Sentence Parse(const std::string& text, const std::vector<std::string>& names) {
    nlp::Sentence s = pipeline_->tokenizer().Tokenize(text).at(0);
    pipeline_->tagger().Tag(&s);
    std::vector<std::pair<size_t, size_t>> spans;
    for (const std::string& n : names) spans.emplace_back(text.find(n), text.find(n) + n.size());
    ParseWithNames(*pipeline_, spans, &s);
    return s;
  }
  MentionPair Pair(const nlp::Sentence& s, const std::string& text, const std::string& subject,
                   const std::string& object) {
    auto words = [&](const std::string& name, size_t* b, size_t* e) {
      const size_t at = text.find(name);
      *b = s.words.size();
      *e = 0;
      for (size_t w = 0; w < s.words.size(); ++w) {
        if (s.words[w].start >= at && s.words[w].end <= at + name.size()) {
          *b = std::min(*b, w);
          *e = w + 1;
        }
      }
    };
    MentionPair p;
    p.sentence = &s;
    words(subject, &p.subject_begin, &p.subject_end);
    words(object, &p.object_begin, &p.object_end);
    p.subject_head = SpanHead(s, p.subject_begin, p.subject_end);
    p.object_head = SpanHead(s, p.object_begin, p.object_end);
    p.subject_type = "PERSON";
    p.object_type = "ORG";
    return p;
  }
  std::shared_ptr<const nlp::NlpPipeline> pipeline_;
};

TEST_F(RelationClassifierTest, LearnsAConstructionAndRoundTrips) {
  RelationClassifier::TrainReport report;
  RelationClassifier::TrainOptions options;
  options.folds = 2;
  auto c = RelationClassifier::Train(Training(), *pipeline_, options, &report);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(report.documents, 16u);
  EXPECT_EQ(report.related, 8u);
  ASSERT_EQ(report.relations.size(), 1u);
  EXPECT_EQ(report.relations[0].relation, "works_for");
  EXPECT_GE(report.relations[0].precision, RelationClassifier::kDefaultTargetPrecision);

  const std::string yes = "Nils Falk, a spokesman for Brightmoor Capital, said costs fell.";
  const std::string no = "Nils Falk bought shares of Brightmoor Capital on Monday.";
  const nlp::Sentence sy = Parse(yes, {"Nils Falk", "Brightmoor Capital"});
  const nlp::Sentence sn = Parse(no, {"Nils Falk", "Brightmoor Capital"});
  const RelationGuess gy = (*c)->Classify(Pair(sy, yes, "Nils Falk", "Brightmoor Capital"));
  const RelationGuess gn = (*c)->Classify(Pair(sn, no, "Nils Falk", "Brightmoor Capital"));
  EXPECT_EQ(gy.relation, "works_for");
  EXPECT_GE(gy.confidence, RelationClassifier::kDefaultTargetPrecision);
  EXPECT_EQ(gn.relation, "");
  // The reverse direction is no relation.
  EXPECT_EQ((*c)->Classify(Pair(sy, yes, "Brightmoor Capital", "Nils Falk")).relation, "");

  const std::string path = testing::TempDir() + "/relation.model";
  ASSERT_TRUE((*c)->Save(path, "0", "test").ok());
  auto loaded = RelationClassifier::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const RelationGuess ly = (*loaded)->Classify(Pair(sy, yes, "Nils Falk", "Brightmoor Capital"));
  EXPECT_EQ(ly.relation, gy.relation);
  EXPECT_DOUBLE_EQ(ly.confidence, static_cast<float>(gy.confidence));

  // A damaged file and a missing one are errors that name the file.
  {
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[bytes.size() / 2] ^= 0x5a;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  auto damaged = RelationClassifier::Load(path);
  ASSERT_FALSE(damaged.ok());
  EXPECT_NE(damaged.status().message().find("relation.model"), std::string::npos) << damaged.status();
  auto missing = RelationClassifier::Load(testing::TempDir() + "/none.model");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("train relations"), std::string::npos) << missing.status();
}

}  // namespace
}  // namespace kgraph::ingest
