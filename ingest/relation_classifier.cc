#include "ingest/relation_classifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ingest/dependency_path.h"
#include "nlp/model_file.h"

namespace kgraph::ingest {
namespace {

constexpr const char* kComponent = "relation";
constexpr const char* kBuildHint =
    "kgraph-admin train relations --train ../shared/eval/conll04/train.gold.jsonl "
    "--out data/models/relation.model";

enum Template : uint32_t {
  kBias, kTypes, kPath, kPathTypes, kEdges, kEdgesTypes, kPathLemma, kFirstEdge, kLastEdge,
  kBetween, kBetweenWord, kDistance, kNoPath, kFirstLastEdge,
};

using nlp::FeatureKey;
using nlp::HashString;

std::string Lower(const nlp::Word& w) {
  return absl::AsciiStrToLower(w.lemma.empty() ? w.form : w.lemma);
}

// The path's edges alone: "^nsubj >xcomp >obj".
std::string Edges(absl::string_view path) {
  std::vector<absl::string_view> edges;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find(' ', i);
    if (j == absl::string_view::npos) j = path.size();
    const absl::string_view tok = path.substr(i, j - i);
    if (!tok.empty() && (tok[0] == '^' || tok[0] == '>' || tok[0] == '=')) edges.push_back(tok);
    i = j + 1;
  }
  return absl::StrJoin(edges, " ");
}

}  // namespace

void RelationClassifier::Features(const MentionPair& p, std::vector<uint64_t>* out) const {
  out->clear();
  const nlp::Sentence& s = *p.sentence;
  const uint64_t types = FeatureKey(kTypes, HashString(p.subject_type), HashString(p.object_type));
  out->push_back(FeatureKey(kBias, 0));
  out->push_back(types);
  const DependencyPath path = PathBetween(s, p.subject_head, p.object_head);
  if (path.text.empty()) {
    out->push_back(FeatureKey(kNoPath, types));
  } else {
    const uint64_t ph = HashString(path.text), eh = HashString(Edges(path.text));
    out->push_back(FeatureKey(kPath, ph));
    out->push_back(FeatureKey(kPathTypes, ph, types));
    out->push_back(FeatureKey(kEdges, eh));
    out->push_back(FeatureKey(kEdgesTypes, eh, types));
    for (size_t i : path.inner) out->push_back(FeatureKey(kPathLemma, HashString(Lower(s.words[i])), types));
    const std::string edges = Edges(path.text);
    const size_t first_space = edges.find(' '), last_space = edges.rfind(' ');
    const uint64_t first = HashString(edges.substr(0, first_space));
    const uint64_t last = HashString(last_space == std::string::npos ? edges : edges.substr(last_space + 1));
    out->push_back(FeatureKey(kFirstEdge, first, types));
    out->push_back(FeatureKey(kLastEdge, last, types));
    out->push_back(FeatureKey(kFirstLastEdge, first, last, types));
  }
  // Words between the two mentions, in text order.
  const size_t lo = std::min(p.subject_end, p.object_end), hi = std::max(p.subject_begin, p.object_begin);
  const bool subject_first = p.subject_begin < p.object_begin;
  const size_t between = hi > lo ? hi - lo : 0;
  if (between <= 5) {
    std::vector<std::string> words;
    for (size_t i = lo; i < hi; ++i) words.push_back(Lower(s.words[i]));
    out->push_back(FeatureKey(kBetween, HashString(absl::StrJoin(words, " ")), types, subject_first));
  }
  for (size_t i = lo; i < hi && i < lo + 12; ++i) {
    out->push_back(FeatureKey(kBetweenWord, HashString(Lower(s.words[i])), types, subject_first));
  }
  const uint64_t bucket = between == 0 ? 0 : between <= 2 ? 1 : between <= 5 ? 2 : between <= 10 ? 3 : 4;
  out->push_back(FeatureKey(kDistance, bucket, types, subject_first));
}

RelationGuess RelationClassifier::Classify(const MentionPair& pair) const {
  RelationGuess guess;
  if (labels_.size() < 2) return guess;
  std::vector<uint64_t> features;
  Features(pair, &features);
  std::vector<float> scores(labels_.size(), 0.0f);
  model_.Score(features, scores.data());
  const size_t best = static_cast<size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
  if (best == 0 || scores[best] - scores[0] < threshold_[best]) return guess;
  guess.relation = labels_[best];
  guess.confidence = confidence_[best];
  return guess;
}

namespace {

struct Example {
  MentionPair pair;
  int label = 0;
};

// Byte spans of each gold entity's name and aliases in the text.
std::vector<std::pair<size_t, size_t>> Occurrences(const std::string& text, const GoldEntity& e) {
  std::vector<std::pair<size_t, size_t>> out;
  std::vector<std::string> forms = {e.name};
  forms.insert(forms.end(), e.aliases.begin(), e.aliases.end());
  for (const std::string& f : forms) {
    if (f.empty()) continue;
    for (size_t at = text.find(f); at != std::string::npos; at = text.find(f, at + 1)) {
      out.emplace_back(at, at + f.size());
    }
  }
  return out;
}

bool IsName(const std::string& t) { return t == "PERSON" || t == "ORG" || t == "GPE"; }

}  // namespace

absl::StatusOr<std::unique_ptr<RelationClassifier>> RelationClassifier::Train(
    const std::vector<GoldDocument>& gold, const nlp::NlpPipeline& pipeline,
    const TrainOptions& options, TrainReport* report) {
  const int epochs = options.epochs, folds = options.folds;
  const uint64_t seed = options.seed;
  if (pipeline.parser() == nullptr) return absl::FailedPreconditionError("the pipeline has no parser");
  std::unique_ptr<RelationClassifier> c(new RelationClassifier());
  c->labels_ = {""};
  // The documents' sentences, kept alive for the examples' pointers.
  std::vector<std::unique_ptr<nlp::Sentence>> sentences;
  std::vector<Example> examples;
  std::vector<size_t> doc_of;  // example -> document, for the folds
  TrainReport r;
  for (size_t d = 0; d < gold.size(); ++d) {
    const GoldDocument& g = gold[d];
    if (g.text.empty()) continue;
    ++r.documents;
    std::vector<std::pair<size_t, size_t>> names;
    std::vector<std::vector<std::pair<size_t, size_t>>> spans(g.entities.size());
    for (size_t e = 0; e < g.entities.size(); ++e) {
      if (!IsName(g.entities[e].type)) continue;
      spans[e] = Occurrences(g.text, g.entities[e]);
      names.insert(names.end(), spans[e].begin(), spans[e].end());
    }
    for (nlp::Sentence& s : pipeline.tokenizer().Tokenize(g.text)) {
      pipeline.tagger().Tag(&s);
      ParseWithNames(pipeline, names, &s);
      sentences.push_back(std::make_unique<nlp::Sentence>(std::move(s)));
      const nlp::Sentence& sent = *sentences.back();
      // The first occurrence of each entity in this sentence.
      struct Located {
        size_t entity, begin, end, head;
      };
      std::vector<Located> located;
      for (size_t e = 0; e < g.entities.size(); ++e) {
        for (const auto& [b, en] : spans[e]) {
          const auto [first, last] = WordsOverlapping(sent, b, en);
          if (first < last) {
            located.push_back({e, first, last, SpanHead(sent, first, last)});
            break;
          }
        }
      }
      for (const Located& a : located) {
        for (const Located& b : located) {
          if (a.entity == b.entity || a.head == b.head) continue;
          Example ex;
          ex.pair = {&sent, a.begin, a.end, a.head, b.begin, b.end, b.head,
                     g.entities[a.entity].type, g.entities[b.entity].type};
          for (const GoldTriple& t : g.triples) {
            if (t.subject != g.entities[a.entity].name || t.object != g.entities[b.entity].name) continue;
            auto it = std::find(c->labels_.begin(), c->labels_.end(), t.relation);
            if (it == c->labels_.end()) {
              c->labels_.push_back(t.relation);
              it = c->labels_.end() - 1;
            }
            ex.label = static_cast<int>(it - c->labels_.begin());
          }
          r.related += ex.label != 0;
          examples.push_back(std::move(ex));
          doc_of.push_back(d);
        }
      }
    }
  }
  r.pairs = examples.size();
  // Folds of documents, dealt in a seeded random order (the files' own order
  // may group documents by kind).
  std::vector<int> fold_of_doc(gold.size(), 0);
  {
    std::vector<size_t> docs(gold.size());
    std::iota(docs.begin(), docs.end(), 0);
    std::mt19937_64 rng(seed ^ 0x5eedf01dULL);
    std::shuffle(docs.begin(), docs.end(), rng);
    for (size_t k = 0; k < docs.size(); ++k) fold_of_doc[docs[k]] = static_cast<int>(k % folds);
  }
  if (c->labels_.size() < 2) return absl::InvalidArgumentError("no related pairs found in the gold files");
  const int num_labels = static_cast<int>(c->labels_.size());
  // Trains on the examples whose fold differs from `held_out` (-1: all).
  auto train = [&](int held_out) {
    nlp::PerceptronTrainer trainer(num_labels);
    std::vector<size_t> order;
    for (size_t i = 0; i < examples.size(); ++i) {
      if (held_out < 0 || fold_of_doc[doc_of[i]] != held_out) order.push_back(i);
    }
    std::mt19937_64 rng(seed);
    std::vector<uint64_t> features;
    std::vector<float> scores(num_labels);
    for (int epoch = 0; epoch < epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      for (size_t i : order) {
        c->Features(examples[i].pair, &features);
        std::fill(scores.begin(), scores.end(), 0.0f);
        trainer.Score(features, scores.data());
        const int predicted = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
        trainer.Update(features, examples[i].label, predicted);
        trainer.Tick();
      }
    }
    return trainer.Average();
  };
  // Cross-validation: each held-out prediction's margin over "none", and
  // whether it was right; then per relation the least margin at which
  // precision reaches the target.
  struct Held {
    float margin;
    bool correct;
  };
  std::vector<std::vector<Held>> held(num_labels);
  std::vector<size_t> gold_of(num_labels, 0);
  c->threshold_.assign(num_labels, 0.0f);
  c->confidence_.assign(num_labels, 1.0);
  std::vector<uint64_t> features;
  std::vector<float> scores(num_labels);
  for (int f = 0; f < folds; ++f) {
    c->model_ = train(f);
    for (size_t i = 0; i < examples.size(); ++i) {
      if (fold_of_doc[doc_of[i]] != f) continue;
      const int label = examples[i].label;
      ++gold_of[label];
      c->Features(examples[i].pair, &features);
      std::fill(scores.begin(), scores.end(), 0.0f);
      c->model_.Score(features, scores.data());
      const int p = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
      if (p == 0) continue;
      held[p].push_back({scores[p] - scores[0], p == label});
    }
  }
  size_t found = 0, reported = 0, gold_related = 0;
  for (int l = 1; l < num_labels; ++l) {
    gold_related += gold_of[l];
    std::sort(held[l].begin(), held[l].end(), [](const Held& x, const Held& y) { return x.margin > y.margin; });
    // The longest prefix (by margin) whose precision is at least the target.
    size_t right = 0, best_n = 0, best_right = 0;
    for (size_t n = 1; n <= held[l].size(); ++n) {
      right += held[l][n - 1].correct;
      if (static_cast<double>(right) / n >= options.target_precision) {
        best_n = n;
        best_right = right;
      }
    }
    TrainReport::PerRelation pr;
    pr.relation = c->labels_[l];
    if (best_n == 0) {
      c->threshold_[l] = std::numeric_limits<float>::infinity();
      c->confidence_[l] = 0;
    } else {
      c->threshold_[l] = held[l][best_n - 1].margin;
      c->confidence_[l] = static_cast<double>(best_right) / best_n;
      found += best_right;
      reported += best_n;
    }
    pr.precision = c->confidence_[l];
    pr.recall = gold_of[l] == 0 ? 0 : static_cast<double>(best_right) / gold_of[l];
    pr.threshold = c->threshold_[l];
    r.relations.push_back(pr);
  }
  r.precision = reported == 0 ? 0 : static_cast<double>(found) / reported;
  r.recall = gold_related == 0 ? 0 : static_cast<double>(found) / gold_related;
  c->model_ = train(-1);
  if (report != nullptr) *report = r;
  return c;
}

absl::Status RelationClassifier::Save(const std::string& path, const std::string& training_checksum,
                                      const std::string& info) const {
  nlp::ByteWriter out;
  out.Varint(labels_.size());
  for (size_t l = 0; l < labels_.size(); ++l) {
    out.String(labels_[l]);
    out.F32(static_cast<float>(confidence_[l]));
    out.F32(threshold_[l]);
  }
  model_.Write(&out);
  nlp::ModelHeader header{kComponent, kVersion, kFeatures, training_checksum, info};
  return nlp::WriteModelFile(path, header, out.data());
}

absl::StatusOr<std::unique_ptr<RelationClassifier>> RelationClassifier::Load(const std::string& path) {
  absl::StatusOr<nlp::ModelFile> file = nlp::ReadModelFile(path, kComponent, kVersion, kBuildHint);
  if (!file.ok()) return file.status();
  if (file->header.features != kFeatures) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": feature set '", file->header.features,
                                                   "' is not this kgraph's '", kFeatures,
                                                   "'; rebuild it with: ", kBuildHint));
  }
  nlp::ByteReader in(file->payload, path);
  std::unique_ptr<RelationClassifier> c(new RelationClassifier());
  uint64_t n = 0;
  if (!in.Varint(&n)) return in.status();
  if (n < 1 || n > 1000) {
    in.Fail("bad relation label count");
    return in.status();
  }
  for (uint64_t l = 0; l < n; ++l) {
    std::string label;
    float confidence = 0, threshold = 0;
    if (!in.String(&label) || !in.F32(&confidence) || !in.F32(&threshold)) return in.status();
    if (!(confidence >= 0 && confidence <= 1) || std::isnan(threshold)) {
      in.Fail("relation confidence outside [0, 1] or threshold not a number");
      return in.status();
    }
    c->labels_.push_back(std::move(label));
    c->confidence_.push_back(confidence);
    c->threshold_.push_back(threshold);
  }
  absl::StatusOr<nlp::PerceptronModel> model = nlp::PerceptronModel::Read(&in);
  if (!model.ok()) return model.status();
  if (model->num_classes() != static_cast<int>(n)) {
    in.Fail("perceptron classes differ from the relation labels");
    return in.status();
  }
  c->model_ = *std::move(model);
  if (absl::Status s = in.Finish(); !s.ok()) return s;
  return c;
}

}  // namespace kgraph::ingest
