// Tests of nlp/named_entity_tagger: BILOU validity and conversion, decoding
// that never emits an invalid sequence, deterministic tiny training and
// byte-identical save/load, masked words not learned, a capitalized run's
// last word deciding its first word's type, bad model files, the
// gazetteer stored in the model, and (when ../shared and data/models/ner.model
// exist) the quality floors on CoNLL04 dev and UNER EWT dev.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlp/named_entity_tagger.h"
#include "nlp/ner_corpus.h"
#include "nlp/span_scorer.h"
#include "nlp/tagger.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::nlp {
namespace {

using Strings = std::vector<std::string>;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "Word/UPOS/XPOS/LABEL ..." with LABEL one of O, PER, ORG, GPE, MISC (a
// whole span of one type is written with the same tag on each word; a '|'
// before a word starts a new span of the same type), '?' = masked.
NerSentence Make(const std::string& text) {
  NerSentence ns;
  Sentence& s = ns.sentence;
  std::string open;
  size_t begin = 0;
  auto close = [&](size_t end) {
    if (!open.empty()) s.entities.push_back({begin, end, open});
    open.clear();
  };
  for (absl::string_view piece : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    std::string tok(piece);
    bool split = false;
    if (tok[0] == '|') {
      split = true;
      tok = tok.substr(1);
    }
    Strings parts = absl::StrSplit(tok, '/');
    Word w;
    w.form = parts[0];
    w.upos = parts[1];
    w.xpos = parts[2];
    const size_t i = s.words.size();
    s.words.push_back(w);
    std::string type = parts[3];
    if (type == "PER") type = "PERSON";
    if (type == "?") {
      close(i);
      ns.masked.push_back({i, i + 1});
      continue;
    }
    if (type == "O") {
      close(i);
      continue;
    }
    if (type != open || split) {
      close(i);
      open = type;
      begin = i;
    }
  }
  close(s.words.size());
  return ns;
}

NerCorpus TinyCorpus() {
  NerCorpus c;
  c.name = "tiny";
  for (
      const char* t : {
          "John/PROPN/NNP/PER Smith/PROPN/NNP/PER works/VERB/VBZ/O for/ADP/IN/O Acme/PROPN/NNP/ORG "
          "Corp/PROPN/NNP/ORG in/ADP/IN/O Paris/PROPN/NNP/GPE ./PUNCT/./O",
          "Mary/PROPN/NNP/PER visited/VERB/VBD/O France/PROPN/NNP/GPE and/CCONJ/CC/O "
          "Germany/PROPN/NNP/GPE ./PUNCT/./O",
          "The/DET/DT/O Olympics/PROPN/NNPS/MISC were/AUX/VBD/O held/VERB/VBN/O in/ADP/IN/O "
          "London/PROPN/NNP/GPE ./PUNCT/./O",
          "Globex/PROPN/NNP/ORG Inc/PROPN/NNP/ORG hired/VERB/VBD/O Peter/PROPN/NNP/PER ./PUNCT/./O",
          "She/PRON/PRP/O said/VERB/VBD/O that/SCONJ/IN/O Berlin/PROPN/NNP/GPE is/AUX/VBZ/O "
          "big/ADJ/JJ/O "
          "./PUNCT/./O",
          "Anna/PROPN/NNP/PER Lee/PROPN/NNP/PER of/ADP/IN/O Initech/PROPN/NNP/ORG met/VERB/VBD/O "
          "Bob/PROPN/NNP/PER in/ADP/IN/O Rome/PROPN/NNP/GPE ./PUNCT/./O",
          "Apple/PROPN/NNP/ORG sells/VERB/VBZ/O phones/NOUN/NNS/O ./PUNCT/./O",
          "Tom/PROPN/NNP/PER lives/VERB/VBZ/O in/ADP/IN/O Madrid/PROPN/NNP/GPE ./PUNCT/./O",
      }) {
    c.sentences.push_back(Make(t));
  }
  return c;
}

NerGazetteer TinyGazetteer() {
  NerGazetteer g;
  g.Add(0, "France");
  g.Add(0, "United States");
  g.Add(2, "Paris");
  g.Add(2, "New York City");
  g.Add(3, "John");
  g.Add(4, "Inc");
  return g;
}

TrainOptions Options(int epochs = 5) {
  TrainOptions o;
  o.max_epochs = epochs;
  o.patience = epochs;
  o.seed = 7;
  return o;
}

// ---- BILOU ----

TEST(BilouTest, Validity) {
  EXPECT_TRUE(ValidBilou({}));
  EXPECT_TRUE(ValidBilou({"O", "U-PERSON", "B-ORG", "I-ORG", "L-ORG", "O"}));
  EXPECT_TRUE(ValidBilou({"B-GPE", "L-GPE", "U-GPE"}));
  EXPECT_FALSE(ValidBilou({"O", "I-PERSON"}));      // I after O
  EXPECT_FALSE(ValidBilou({"L-PERSON"}));           // L without B
  EXPECT_FALSE(ValidBilou({"B-PERSON", "L-ORG"}));  // type changes
  EXPECT_FALSE(ValidBilou({"B-PERSON"}));           // open at the end
  EXPECT_FALSE(ValidBilou({"B-PERSON", "I-PERSON"}));
  EXPECT_FALSE(ValidBilou({"B-PERSON", "O", "L-PERSON"}));
  EXPECT_FALSE(ValidBilou({"B-PERSON", "U-PERSON"}));
  EXPECT_FALSE(ValidBilou({"X-PERSON"}));
  EXPECT_FALSE(ValidBilou({"PERSON"}));
}

TEST(BilouTest, SpansRoundTrip) {
  std::mt19937 rng(1);
  const Strings types = {"PERSON", "ORG", "GPE", "MISC"};
  for (int trial = 0; trial < 2000; ++trial) {
    const size_t n = rng() % 12;
    std::vector<EntitySpan> spans;
    size_t i = 0;
    while (i < n) {
      if (rng() % 2) {
        ++i;
        continue;
      }
      const size_t len = 1 + rng() % std::min<size_t>(4, n - i);
      spans.push_back({i, i + len, types[rng() % 4]});
      i += len;
    }
    const Strings labels = SpansToBilou(spans, n);
    ASSERT_TRUE(ValidBilou(labels));
    const std::vector<EntitySpan> back = BilouToSpans(labels);
    ASSERT_EQ(back.size(), spans.size());
    for (size_t k = 0; k < spans.size(); ++k) {
      EXPECT_EQ(back[k].begin, spans[k].begin);
      EXPECT_EQ(back[k].end, spans[k].end);
      EXPECT_EQ(back[k].type, spans[k].type);
    }
  }
  // Lenient reading of invalid input: an L without its B still gives a span.
  const std::vector<EntitySpan> lenient = BilouToSpans({"O", "I-ORG", "L-ORG", "B-GPE"});
  ASSERT_EQ(lenient.size(), 2u);
  EXPECT_EQ(lenient[0].begin, 1u);
  EXPECT_EQ(lenient[0].end, 3u);
  EXPECT_EQ(lenient[1].type, "GPE");
}

TEST(BilouTest, ConstrainedDecodingNeverInvalid) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-5, 5);
  const Strings& names = NamedEntityTagger::LabelNames();
  ASSERT_EQ(names.size(), static_cast<size_t>(NamedEntityTagger::kNumLabels));
  for (int trial = 0; trial < 20000; ++trial) {
    const size_t n = 1 + rng() % 10;
    Strings labels;
    int prev = -1;
    for (size_t i = 0; i < n; ++i) {
      float scores[NamedEntityTagger::kNumLabels];
      for (float& s : scores) s = u(rng);
      // Strongly prefer an illegal label now and then.
      if (rng() % 3 == 0) scores[1 + rng() % 16] = 100;
      prev = NamedEntityTagger::BestAllowed(scores, prev, i + 1 == n);
      ASSERT_GE(prev, 0);
      labels.push_back(names[prev]);
    }
    ASSERT_TRUE(ValidBilou(labels)) << absl::StrJoin(labels, " ");
  }
}

// ---- gazetteer ----

TEST(NerGazetteerTest, MatchesMultiWordEntriesIgnoringCase) {
  NerGazetteer g = TinyGazetteer();
  std::vector<uint64_t> h;
  for (const char* w : {"in", "new", "YORK", "city", "and", "paris", "new"}) {
    h.push_back(NerGazetteer::TokenHash(LowerAscii(w)));
  }
  const std::vector<uint32_t> m = g.Match(h);
  const uint32_t city = 4 * 2;
  EXPECT_EQ(m[0], 0u);
  EXPECT_EQ(m[1], 1u << (city + 0));  // B
  EXPECT_EQ(m[2], 1u << (city + 1));  // I
  EXPECT_EQ(m[3], 1u << (city + 2));  // L
  EXPECT_EQ(m[4], 0u);
  EXPECT_EQ(m[5], 1u << (city + 3));  // U
  EXPECT_EQ(m[6], 0u);                // a prefix only
}

// ---- training, saving, loading ----

class NamedEntityTaggerTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return dir_.path() + "/" + name; }
  testing::TempDir dir_;
};

TEST_F(NamedEntityTaggerTest, TinyTrainingIsDeterministicAndSavesByteIdentical) {
  const NerCorpus train = TinyCorpus();
  auto a = NamedEntityTagger::Train({train}, train, Options(), TinyGazetteer());
  auto b = NamedEntityTagger::Train({train}, train, Options(), TinyGazetteer());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE((*a)->Save(Path("a.model"), "sum", "info").ok());
  ASSERT_TRUE((*b)->Save(Path("b.model"), "sum", "info").ok());
  EXPECT_EQ(ReadAll(Path("a.model")), ReadAll(Path("b.model")));

  auto loaded = NamedEntityTagger::Load(Path("a.model"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->gazetteer().num_entries(), TinyGazetteer().num_entries());
  ASSERT_TRUE((*loaded)->Save(Path("c.model"), "sum", "info").ok());
  EXPECT_EQ(ReadAll(Path("a.model")), ReadAll(Path("c.model")));

  // It learned its training data, and the loaded copy labels identically.
  SpanScorer scorer;
  ScoreNer(**loaded, train, &scorer);
  EXPECT_GT(scorer.Overall().F1(), 0.9);
  for (const NerSentence& s : train.sentences) {
    EXPECT_EQ((*a)->Labels(s.sentence), (*loaded)->Labels(s.sentence));
    EXPECT_TRUE(ValidBilou((*loaded)->Labels(s.sentence)));
  }
}

TEST_F(NamedEntityTaggerTest, WordClassesAreDeterministicAndSaved) {
  // Enough unlabeled text for the exchange clustering to run (>= 300 words
  // seen 3 times): a seeded stream of 400 word types.
  std::vector<Sentence> text;
  std::mt19937 rng(5);
  for (int s = 0; s < 600; ++s) {
    Sentence sentence;
    for (int i = 0; i < 8; ++i) {
      Word w;
      w.form = "w" + std::to_string(rng() % 400);
      sentence.words.push_back(w);
    }
    text.push_back(sentence);
  }
  const NerCorpus train = TinyCorpus();
  auto a = NamedEntityTagger::Train({train}, train, Options(2), TinyGazetteer(), text);
  auto b = NamedEntityTagger::Train({train}, train, Options(2), TinyGazetteer(), text);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Save(Path("a.model"), "", "").ok());
  ASSERT_TRUE((*b)->Save(Path("b.model"), "", "").ok());
  EXPECT_EQ(ReadAll(Path("a.model")), ReadAll(Path("b.model")));
  auto plain = NamedEntityTagger::Train({train}, train, Options(2), TinyGazetteer());
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE((*plain)->Save(Path("plain.model"), "", "").ok());
  EXPECT_GT(ReadAll(Path("a.model")).size(), ReadAll(Path("plain.model")).size());
  auto loaded = NamedEntityTagger::Load(Path("a.model"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE((*loaded)->Save(Path("c.model"), "", "").ok());
  EXPECT_EQ(ReadAll(Path("a.model")), ReadAll(Path("c.model")));
}

TEST_F(NamedEntityTaggerTest, MaskedWordsAreNotLearned) {
  // "Zork" is only ever seen masked: had it been trained as O (or as
  // anything), its word features would have weights. Train on sentences
  // where it is masked, then check that its word feature has no weights by
  // comparing with a model trained without the sentences at all... the
  // simplest observable: a model trained where every word is masked has no
  // features at all.
  NerCorpus all_masked;
  all_masked.name = "masked";
  all_masked.sentences.push_back(Make("Zork/PROPN/NNP/? visited/VERB/VBD/? Quux/PROPN/NNP/?"));
  all_masked.sentences.push_back(Make("Zork/PROPN/NNP/? left/VERB/VBD/?"));
  auto m = NamedEntityTagger::Train({all_masked}, all_masked, Options(3), NerGazetteer());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->model().num_features(), 0u);

  // Whatever gold label a masked word has, training ignores it: the models
  // trained with "works" masked as ORG and masked as O are byte-identical,
  // and differ from the one where the ORG label is trained.
  NerCorpus as_org = TinyCorpus(), as_o = TinyCorpus(), trained = TinyCorpus();
  as_org.sentences[0].sentence.entities.push_back({2, 3, "ORG"});
  as_org.sentences[0].masked.push_back({2, 3});
  as_o.sentences[0].masked.push_back({2, 3});
  trained.sentences[0].sentence.entities.push_back({2, 3, "ORG"});
  const NerCorpus dev = TinyCorpus();
  auto x = NamedEntityTagger::Train({as_org}, dev, Options(3), TinyGazetteer());
  auto y = NamedEntityTagger::Train({as_o}, dev, Options(3), TinyGazetteer());
  auto z = NamedEntityTagger::Train({trained}, dev, Options(3), TinyGazetteer());
  ASSERT_TRUE(x.ok() && y.ok() && z.ok());
  ASSERT_TRUE((*x)->Save(Path("x.model"), "", "").ok());
  ASSERT_TRUE((*y)->Save(Path("y.model"), "", "").ok());
  ASSERT_TRUE((*z)->Save(Path("z.model"), "", "").ok());
  EXPECT_EQ(ReadAll(Path("x.model")), ReadAll(Path("y.model")));
  EXPECT_NE(ReadAll(Path("x.model")), ReadAll(Path("z.model")));
}

TEST_F(NamedEntityTaggerTest, CapitalizedRunsLastWordDecidesTheFirstWordsType) {
  // Four-word names whose type only their last word tells: "... Holdings" is
  // an ORG, any other last word a PERSON. Deciding the first word, the greedy
  // decoder's word window reaches two words on, not the fourth; the
  // capitalized-run features see the run's last word. Every name is made of
  // fresh words, so nothing else about them was learned.
  std::mt19937 rng(11);
  const char* const syllables[] = {"ka", "ro", "vel", "tan", "mi", "sol", "fen", "dru",
                                   "bel", "qua", "zor", "pim", "lut", "gar", "nes", "hob"};
  auto name = [&] {
    std::string w;
    for (int k = 0; k < 2; ++k) w += syllables[rng() % 16];
    w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return w;
  };
  auto sentence = [&](bool org) {
    std::string t = "Yesterday/ADV/RB/O";
    const char* type = org ? "ORG" : "PER";
    for (int k = 0; k < 3; ++k) t += " " + name() + "/PROPN/NNP/" + type;
    t += org ? " Holdings/PROPN/NNP/ORG" : " " + name() + "/PROPN/NNP/PER";
    return t + " said/VERB/VBD/O ./PUNCT/./O";
  };
  NerCorpus train;
  train.name = "runs";
  for (int i = 0; i < 60; ++i) train.sentences.push_back(Make(sentence(i % 2 == 0)));
  auto ner = NamedEntityTagger::Train({train}, train, Options(8), NerGazetteer());
  ASSERT_TRUE(ner.ok()) << ner.status();
  for (bool org : {true, false}) {
    const NerSentence test = Make(sentence(org));
    const Strings labels = (*ner)->Labels(test.sentence);
    EXPECT_EQ(labels[1], org ? "B-ORG" : "B-PERSON") << absl::StrJoin(labels, " ");
    EXPECT_EQ(labels[4], org ? "L-ORG" : "L-PERSON") << absl::StrJoin(labels, " ");
  }
}

TEST_F(NamedEntityTaggerTest, RecognizeFillsEntities) {
  const NerCorpus train = TinyCorpus();
  auto m = NamedEntityTagger::Train({train}, train, Options(), TinyGazetteer());
  ASSERT_TRUE(m.ok());
  Sentence s = train.sentences[0].sentence;
  s.entities.clear();
  (*m)->Recognize(&s);
  ASSERT_FALSE(s.entities.empty());
  EXPECT_EQ(s.entities[0].type, "PERSON");
  EXPECT_EQ(s.entities[0].begin, 0u);
  EXPECT_EQ(s.entities[0].end, 2u);
  Sentence empty;
  (*m)->Recognize(&empty);
  EXPECT_TRUE(empty.entities.empty());
}

TEST_F(NamedEntityTaggerTest, BadTrainingInput) {
  NerCorpus bad = TinyCorpus();
  bad.sentences[0].sentence.entities[0].type = "LOC";
  EXPECT_FALSE(NamedEntityTagger::Train({bad}, bad, Options(1), NerGazetteer()).ok());
  EXPECT_FALSE(NamedEntityTagger::Train({}, bad, Options(1), NerGazetteer()).ok());
}

TEST_F(NamedEntityTaggerTest, MissingAndCorruptModels) {
  absl::StatusOr<std::unique_ptr<NamedEntityTagger>> missing =
      NamedEntityTagger::Load(Path("none.model"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_NE(missing.status().message().find(Path("none.model")), std::string::npos);
  EXPECT_NE(missing.status().message().find("kgraph-admin train ner"), std::string::npos);

  const NerCorpus train = TinyCorpus();
  auto m = NamedEntityTagger::Train({train}, train, Options(2), TinyGazetteer());
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE((*m)->Save(Path("ok.model"), "sum", "info").ok());
  const std::string good = ReadAll(Path("ok.model"));
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(Path(name), std::ios::binary) << bytes;
    return Path(name);
  };
  std::string flipped = good;
  flipped[flipped.size() - 5] ^= 0x40;
  EXPECT_FALSE(NamedEntityTagger::Load(write("flip.model", flipped)).ok());
  EXPECT_FALSE(NamedEntityTagger::Load(write("trunc.model", good.substr(0, good.size() / 2))).ok());
  EXPECT_FALSE(NamedEntityTagger::Load(write("junk.model", "not a model\n")).ok());
  EXPECT_FALSE(NamedEntityTagger::Load(write("empty.model", "")).ok());
}

// ---- quality on the real corpora ----

TEST(NamedEntityTaggerQualityTest, FloorsOnConll04DevAndUnerDev) {
  const std::string shared = KGRAPH_TEST_SHARED_DIR;
  const std::string source = KGRAPH_TEST_SOURCE_DIR;
  const std::string ner_model = source + "/data/models/ner.model";
  const std::string tagger_model = source + "/data/models/tagger.model";
  if (!std::filesystem::exists(shared + "/nlp") || !std::filesystem::exists(shared + "/eval")) {
    GTEST_SKIP() << shared << " (the corpora) is absent";
  }
  if (!std::filesystem::exists(ner_model) || !std::filesystem::exists(tagger_model)) {
    GTEST_SKIP() << ner_model << " or " << tagger_model << " is absent (not trained yet)";
  }
  auto tagger = Tagger::Load(tagger_model);
  ASSERT_TRUE(tagger.ok()) << tagger.status();
  auto ner = NamedEntityTagger::Load(ner_model);
  ASSERT_TRUE(ner.ok()) << ner.status();
  const std::string table = source + "/data/nlp/ner_corpora.tsv";
  struct Case {
    std::string corpus, path;
    double floor;
  };
  for (const Case& c : {Case{"conll04", shared + "/eval/conll04/conll04_dev.json", 0.82},
                        Case{"uner", shared + "/nlp/ner/uner-ewt/en_ewt-ud-dev.iob2", 0.61}}) {
    auto spec = LoadNerCorpusSpec(table, c.corpus);
    ASSERT_TRUE(spec.ok()) << spec.status();
    auto sentences = ReadNerCorpus(c.path, *spec);
    ASSERT_TRUE(sentences.ok()) << sentences.status();
    NerCorpus corpus;
    corpus.name = c.corpus;
    corpus.annotated_types = spec->annotated_types;
    corpus.sentences = NormalizeNerSentences(*std::move(sentences), *spec);
    for (NerSentence& s : corpus.sentences) (*tagger)->Tag(&s.sentence);
    SpanScorer scorer(NerTargetTypes());
    ScoreNer(**ner, corpus, &scorer);
    EXPECT_GE(scorer.Overall().F1(), c.floor) << c.corpus << "\n" << scorer.Format();
  }
}

}  // namespace
}  // namespace kgraph::nlp
