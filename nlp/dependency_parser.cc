#include "nlp/dependency_parser.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlp/model_file.h"

namespace kgraph::nlp {
namespace {

enum Move { kShift = 0, kReduce = 1 };  // then 2 + 2l = LEFT(l), 3 + 2l = RIGHT(l)
inline int LeftMove(int label) { return 2 + 2 * label; }
inline int RightMove(int label) { return 3 + 2 * label; }
inline bool IsLeft(int move) { return move >= 2 && move % 2 == 0; }
inline bool IsRight(int move) { return move >= 3 && move % 2 == 1; }
inline int MoveLabel(int move) { return (move - 2) / 2; }

constexpr uint64_t kNoneKey = 0x4e4f4e45ULL;  // no such node
constexpr uint64_t kRootKey = 0x524f4f54ULL;  // the artificial root

}  // namespace

std::string UniversalRelation(const std::string& deprel) {
  const size_t colon = deprel.find(':');
  return colon == std::string::npos ? deprel : deprel.substr(0, colon);
}

struct DependencyParser::WordKeys {
  uint64_t w = kNoneKey, p = kNoneKey, u = kNoneKey, m = kNoneKey;  // m: lemma
};

struct DependencyParser::State {
  explicit State(int words)
      : n(words), head(words + 1, -1), label(words + 1, -1), lc1(words + 1, -1),
        lc2(words + 1, -1), rc1(words + 1, -1), rc2(words + 1, -1), nleft(words + 1, 0),
        nright(words + 1, 0), lset(words + 1, {0, 0}), rset(words + 1, {0, 0}),
        in_stack(words + 1, 0) {
    stack.reserve(words + 1);
    Push(0);
  }
  bool Terminal() const { return b > n; }
  int S(size_t i) const {
    return stack.size() > i ? stack[stack.size() - 1 - i] : -1;
  }
  int N(int i) const { return b + i <= n ? b + i : -1; }
  void Push(int w) {
    stack.push_back(w);
    in_stack[w] = 1;
  }
  void Pop() {
    in_stack[stack.back()] = 0;
    stack.pop_back();
  }
  void AddArc(int h, int d, int l) {
    head[d] = h;
    label[d] = l;
    auto& set = d < h ? lset[h] : rset[h];
    set[(l >> 6) & 1] |= uint64_t{1} << (l & 63);
    if (d < h) {
      ++nleft[h];
      if (lc1[h] < 0 || d < lc1[h]) {
        lc2[h] = lc1[h];
        lc1[h] = d;
      } else if (lc2[h] < 0 || d < lc2[h]) {
        lc2[h] = d;
      }
    } else {
      ++nright[h];
      if (d > rc1[h]) {
        rc2[h] = rc1[h];
        rc1[h] = d;
      } else if (d > rc2[h]) {
        rc2[h] = d;
      }
    }
    if (h == 0) root_used = true;
  }
  void Apply(int move) {
    if (move == kShift) {
      Push(b++);
    } else if (move == kReduce) {
      Pop();
    } else if (IsLeft(move)) {
      AddArc(b, S(0), MoveLabel(move));
      Pop();
    } else {
      AddArc(S(0), b, MoveLabel(move));
      Push(b++);
    }
  }

  int n;
  std::vector<int> stack;
  int b = 1;
  std::vector<int> head, label, lc1, lc2, rc1, rc2, nleft, nright;
  std::vector<std::array<uint64_t, 2>> lset, rset;
  std::vector<char> in_stack;
  bool root_used = false;
};

namespace {

// Legal moves in `state` for a parser with `labels` labels, `root` being the
// label of the root arc (the only one allowed from the artificial root, and
// only once).
template <typename StateT>
bool Legal(const StateT& s, int move, int root) {
  const int s0 = s.S(0);
  const bool buffer = !s.Terminal();
  if (move == kShift) return buffer;
  if (move == kReduce) return s0 > 0 && s.head[s0] >= 0;
  const int l = MoveLabel(move);
  if (IsLeft(move)) return buffer && s0 > 0 && s.head[s0] < 0 && l != root;
  // RIGHT
  if (!buffer || s0 < 0) return false;
  if (s0 == 0) return l == root && !s.root_used;
  return l != root;
}

}  // namespace

std::vector<DependencyParser::WordKeys> DependencyParser::Prepare(const Sentence& sentence,
                                                                  size_t begin,
                                                                  size_t end) const {
  std::vector<WordKeys> keys(end - begin + 1);
  keys[0] = {kRootKey, kRootKey, kRootKey, kRootKey};
  for (size_t i = begin; i < end; ++i) {
    const Word& w = sentence.words[i];
    keys[i - begin + 1] = {HashString(LowerAscii(w.form)), HashString(w.xpos),
                           HashString(w.upos), HashString(LowerAscii(w.lemma))};
  }
  return keys;
}

void DependencyParser::Features(const State& s, const std::vector<WordKeys>& words,
                                std::vector<uint64_t>* out) const {
  out->clear();
  uint32_t t = 0;
  auto add1 = [&](uint64_t a) { out->push_back(FeatureKey(t++, a)); };
  auto add2 = [&](uint64_t a, uint64_t b) { out->push_back(FeatureKey(t++, a, b)); };
  auto add3 = [&](uint64_t a, uint64_t b, uint64_t c) {
    out->push_back(FeatureKey(t++, a, b, c));
  };
  auto W = [&](int i) { return i < 0 ? kNoneKey : words[i].w; };
  auto P = [&](int i) { return i < 0 ? kNoneKey : words[i].p; };
  auto U = [&](int i) { return i < 0 ? kNoneKey : words[i].u; };
  auto L = [&](int i) {
    return i < 0 || s.label[i] < 0 ? kNoneKey : static_cast<uint64_t>(s.label[i]) + 1;
  };
  auto H = [&](int i) { return i < 0 ? -1 : s.head[i]; };
  auto LC1 = [&](int i) { return i < 0 ? -1 : s.lc1[i]; };
  auto LC2 = [&](int i) { return i < 0 ? -1 : s.lc2[i]; };
  auto RC1 = [&](int i) { return i < 0 ? -1 : s.rc1[i]; };
  auto RC2 = [&](int i) { return i < 0 ? -1 : s.rc2[i]; };

  const int s0 = s.S(0), s1 = s.S(1), n0 = s.N(0), n1 = s.N(1), n2 = s.N(2);
  const int s0h = H(s0), s0h2 = H(s0h), s0l = LC1(s0), s0l2 = LC2(s0), s0r = RC1(s0),
            s0r2 = RC2(s0), n0l = LC1(n0), n0l2 = LC2(n0);
  const uint64_t s0wp = FeatureKey(1000, W(s0), P(s0));
  const uint64_t n0wp = FeatureKey(1000, W(n0), P(n0));

  add1(0);  // bias
  // Single words.
  add1(s0wp); add1(W(s0)); add1(P(s0)); add1(U(s0));
  add1(n0wp); add1(W(n0)); add1(P(n0)); add1(U(n0));
  add2(W(n1), P(n1)); add1(W(n1)); add1(P(n1));
  add2(W(n2), P(n2)); add1(W(n2)); add1(P(n2));
  add2(W(s1), P(s1)); add1(W(s1)); add1(P(s1));
  // Pairs.
  add2(s0wp, n0wp); add2(s0wp, W(n0)); add2(W(s0), n0wp); add2(s0wp, P(n0));
  add2(P(s0), n0wp); add2(W(s0), W(n0)); add2(P(s0), P(n0)); add2(P(n0), P(n1));
  add2(U(s0), U(n0)); add3(P(s1), P(s0), P(n0)); add2(W(s1), W(s0));
  // Three words.
  add3(P(n0), P(n1), P(n2)); add3(P(s0), P(n0), P(n1)); add3(P(s0h), P(s0), P(n0));
  add3(P(s0), P(s0l), P(n0)); add3(P(s0), P(s0r), P(n0)); add3(P(s0), P(n0), P(n0l));
  // Distance between s0 and n0.
  const uint64_t d = s0 >= 0 && n0 >= 0 ? static_cast<uint64_t>(std::min(n0 - s0, 6)) : 0;
  add2(W(s0), d); add2(P(s0), d); add2(W(n0), d); add2(P(n0), d);
  add3(W(s0), W(n0), d); add3(P(s0), P(n0), d);
  // Valency.
  const uint64_t s0vr = s0 >= 0 ? std::min(s.nright[s0], 4) : 9;
  const uint64_t s0vl = s0 >= 0 ? std::min(s.nleft[s0], 4) : 9;
  const uint64_t n0vl = n0 >= 0 ? std::min(s.nleft[n0], 4) : 9;
  add2(W(s0), s0vr); add2(P(s0), s0vr); add2(W(s0), s0vl); add2(P(s0), s0vl);
  add2(W(n0), n0vl); add2(P(n0), n0vl);
  // Heads and children.
  add1(W(s0h)); add1(P(s0h)); add1(L(s0));
  add1(W(s0l)); add1(P(s0l)); add1(L(s0l));
  add1(W(s0r)); add1(P(s0r)); add1(L(s0r));
  add1(W(n0l)); add1(P(n0l)); add1(L(n0l));
  // Third order.
  add1(W(s0h2)); add1(P(s0h2)); add1(L(s0h));
  add1(W(s0l2)); add1(P(s0l2)); add1(L(s0l2));
  add1(W(s0r2)); add1(P(s0r2)); add1(L(s0r2));
  add1(W(n0l2)); add1(P(n0l2)); add1(L(n0l2));
  add3(P(s0), P(s0l), P(s0l2)); add3(P(s0), P(s0r), P(s0r2));
  add3(P(s0), P(s0h), P(s0h2)); add3(P(n0), P(n0l), P(n0l2));
  // Label sets.
  auto set_key = [&](const std::array<uint64_t, 2>& set) { return FeatureKey(1001, set[0], set[1]); };
  const uint64_t s0sr = s0 >= 0 ? set_key(s.rset[s0]) : kNoneKey;
  const uint64_t s0sl = s0 >= 0 ? set_key(s.lset[s0]) : kNoneKey;
  const uint64_t n0sl = n0 >= 0 ? set_key(s.lset[n0]) : kNoneKey;
  add2(W(s0), s0sr); add2(P(s0), s0sr); add2(W(s0), s0sl); add2(P(s0), s0sl);
  add2(W(n0), n0sl); add2(P(n0), n0sl);
  // Whether the root still has a slot.
  add2(s.root_used ? 1 : 2, P(n0));
  // Lemmas and universal tags: less sparse than forms and Penn tags.
  auto M = [&](int i) { return i < 0 ? kNoneKey : words[i].m; };
  add1(M(s0)); add1(M(n0)); add2(M(s0), M(n0)); add2(M(s0), P(n0)); add2(P(s0), M(n0));
  add3(U(s0), U(n0), U(n1)); add3(U(s0h), U(s0), U(n0)); add3(U(s1), U(s0), U(n0));
  add2(L(s0), P(n0)); add3(L(s0l), L(s0r), P(s0)); add2(W(n0), P(n1));
}

void DependencyParser::Parse(Sentence* sentence) const {
  const size_t n = sentence->words.size();
  size_t first_root = 0;
  for (size_t begin = 0; begin < n; begin += kMaxParseWords) {
    const size_t end = std::min(n, begin + kMaxParseWords);
    ParseChunk(sentence, begin, end);
    for (size_t i = begin; i < end; ++i) {
      Word& w = sentence->words[i];
      if (w.head != 0) continue;
      if (begin == 0) {
        first_root = i + 1;
      } else {
        w.head = static_cast<int>(first_root);
        w.deprel = "parataxis";
      }
    }
  }
}

void DependencyParser::ParseChunk(Sentence* sentence, size_t begin, size_t end) const {
  const std::vector<WordKeys> words = Prepare(*sentence, begin, end);
  State state(static_cast<int>(end - begin));
  std::vector<uint64_t> features;
  const int moves = 2 + 2 * static_cast<int>(labels_.size());
  std::vector<float> scores(moves);
  while (!state.Terminal()) {
    Features(state, words, &features);
    std::fill(scores.begin(), scores.end(), 0.0f);
    model_.Score(features, scores.data());
    int best = -1;
    for (int m = 0; m < moves; ++m) {
      if (Legal(state, m, root_label_) && (best < 0 || scores[m] > scores[best])) best = m;
    }
    state.Apply(best);
  }
  AttachHeadless(&state, root_label_,
                 label_index_.count("dep") ? label_index_.at("dep") : root_label_);
  for (int i = 1; i <= state.n; ++i) {
    Word& w = sentence->words[begin + i - 1];
    w.head = state.head[i] == 0 ? 0 : static_cast<int>(begin) + state.head[i];
    w.deprel = labels_[state.label[i]];
  }
}

// Words left without a head when the buffer runs out: the first becomes the
// root if there is none, the others attach to the root as `dep_label`.
void DependencyParser::AttachHeadless(State* state, int root_label, int dep_label) {
  int root = 0;
  for (int i = 1; i <= state->n; ++i) {
    if (state->head[i] == 0) root = i;
  }
  for (int i = 1; i <= state->n; ++i) {
    if (state->head[i] >= 0) continue;
    if (root == 0) {
      state->head[i] = 0;
      state->label[i] = root_label;
      root = i;
    } else {
      state->head[i] = root;
      state->label[i] = dep_label;
    }
  }
}

namespace {

// Goldberg & Nivre (2012): the number of gold arcs that become unreachable.
template <typename StateT>
int MoveCost(const StateT& s, int move, const std::vector<int>& gold_head,
             const std::vector<int>& gold_label,
             const std::vector<std::vector<int>>& gold_children) {
  const int s0 = s.S(0), b = s.b;
  int cost = 0;
  if (move == kShift) {
    if (gold_head[b] >= 0 && s.in_stack[gold_head[b]]) ++cost;
    for (int k : gold_children[b]) cost += s.in_stack[k] && s.head[k] < 0;
    return cost;
  }
  if (move == kReduce) {
    for (int k : gold_children[s0]) cost += k >= b;
    return cost;
  }
  const int l = MoveLabel(move);
  if (IsLeft(move)) {
    if (gold_head[s0] != b && gold_head[s0] >= b) ++cost;
    if (gold_head[s0] == b && gold_label[s0] != l) ++cost;
    for (int k : gold_children[s0]) cost += k >= b;
    return cost;
  }
  // RIGHT: b gets head s0 and is pushed.
  if (gold_head[b] != s0 && (gold_head[b] > b || s.in_stack[gold_head[b]])) ++cost;
  if (gold_head[b] == s0 && gold_label[b] != l) ++cost;
  for (int k : gold_children[b]) cost += s.in_stack[k] && s.head[k] < 0;
  return cost;
}

}  // namespace

Sentence DependencyParser::FollowOracle(const Sentence& gold) {
  std::map<std::string, int> index;
  std::vector<std::string> labels;
  for (const Word& w : gold.words) {
    if (index.emplace(w.deprel, static_cast<int>(labels.size())).second) labels.push_back(w.deprel);
  }
  if (!index.count("root")) {
    index["root"] = static_cast<int>(labels.size());
    labels.push_back("root");
  }
  const int n = static_cast<int>(gold.words.size());
  std::vector<int> head(n + 1, -1), label(n + 1, -1);
  std::vector<std::vector<int>> children(n + 1);
  for (int i = 1; i <= n; ++i) {
    head[i] = gold.words[i - 1].head;
    label[i] = index.at(gold.words[i - 1].deprel);
    if (head[i] >= 0 && head[i] <= n) children[head[i]].push_back(i);
  }
  const int moves = 2 + 2 * static_cast<int>(labels.size());
  const int root = index.at("root");
  State state(n);
  while (!state.Terminal()) {
    int best = -1, best_cost = 1 << 30;
    for (int m = 0; m < moves; ++m) {
      if (!Legal(state, m, root)) continue;
      const int c = MoveCost(state, m, head, label, children);
      if (c < best_cost) {
        best = m;
        best_cost = c;
      }
    }
    state.Apply(best);
  }
  AttachHeadless(&state, root, root);
  Sentence out = gold;
  for (int i = 1; i <= n; ++i) {
    out.words[i - 1].head = state.head[i];
    out.words[i - 1].deprel = labels[state.label[i]];
  }
  return out;
}

absl::StatusOr<std::unique_ptr<DependencyParser>> DependencyParser::Train(
    const std::vector<Sentence>& train, const std::vector<Sentence>& dev,
    const TrainOptions& options) {
  auto parser = std::make_unique<DependencyParser>();
  std::map<std::string, int> label_counts;
  for (const Sentence& s : train) {
    for (const Word& w : s.words) {
      if (w.head < 0 || w.deprel.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("training sentence ", s.id, " has a word without head or relation"));
      }
      ++label_counts[w.deprel];
    }
  }
  if (label_counts.empty()) return absl::InvalidArgumentError("no training words");
  if (!label_counts.count("root")) return absl::InvalidArgumentError("no 'root' relation");
  for (const auto& [label, count] : label_counts) {
    parser->label_index_[label] = static_cast<int>(parser->labels_.size());
    parser->labels_.push_back(label);
  }
  if (parser->labels_.size() > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat(parser->labels_.size(), " relations; at most 128 are supported"));
  }
  parser->root_label_ = parser->label_index_.at("root");
  const int moves = 2 + 2 * static_cast<int>(parser->labels_.size());
  PerceptronTrainer trainer(moves);

  struct Gold {
    std::vector<int> head, label;
    std::vector<std::vector<int>> children;
    std::vector<WordKeys> keys;
  };
  std::vector<Gold> gold;
  for (const Sentence& s : train) {
    const int n = static_cast<int>(s.words.size());
    if (n > static_cast<int>(kMaxParseWords)) continue;
    Gold g;
    g.head.assign(n + 1, -1);
    g.label.assign(n + 1, -1);
    g.children.resize(n + 1);
    for (int i = 1; i <= n; ++i) {
      g.head[i] = s.words[i - 1].head;
      g.label[i] = parser->label_index_.at(s.words[i - 1].deprel);
      g.children[g.head[i]].push_back(i);
    }
    g.keys = parser->Prepare(s, 0, s.words.size());
    gold.push_back(std::move(g));
  }

  std::vector<size_t> order(gold.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(static_cast<uint32_t>(options.seed));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::vector<uint64_t> features;
  std::vector<float> scores(moves);
  std::vector<int> costs(moves);
  EarlyStopping stopping(options.patience);
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    size_t right = 0, total = 0;
    for (size_t gi : order) {
      const Gold& g = gold[gi];
      State state(static_cast<int>(g.keys.size()) - 1);
      while (!state.Terminal()) {
        parser->Features(state, g.keys, &features);
        std::fill(scores.begin(), scores.end(), 0.0f);
        trainer.Score(features, scores.data());
        int predicted = -1, best_gold = -1, min_cost = 1 << 30;
        for (int m = 0; m < moves; ++m) {
          if (!Legal(state, m, parser->root_label_)) {
            costs[m] = -1;
            continue;
          }
          costs[m] = MoveCost(state, m, g.head, g.label, g.children);
          min_cost = std::min(min_cost, costs[m]);
          if (predicted < 0 || scores[m] > scores[predicted]) predicted = m;
        }
        for (int m = 0; m < moves; ++m) {
          if (costs[m] == min_cost && (best_gold < 0 || scores[m] > scores[best_gold])) {
            best_gold = m;
          }
        }
        const bool optimal = costs[predicted] == min_cost;
        if (options.pa_step > 0) {
          // The rival is the best-scoring legal move that loses a gold arc.
          int rival = -1;
          for (int m = 0; m < moves; ++m) {
            if (costs[m] > min_cost && (rival < 0 || scores[m] > scores[rival])) rival = m;
          }
          const float step = rival < 0 ? 0.0f
                                       : PassiveAggressiveStep(scores[best_gold], scores[rival],
                                                               options.pa_step, features.size());
          if (step > 0) trainer.Update(features, best_gold, rival, step);
        } else if (!optimal) {
          trainer.Update(features, best_gold, predicted);
        }
        trainer.Tick();
        right += optimal;
        ++total;
        // Exploration: after the first epoch, follow the model's own
        // mistakes nine times in ten, so it learns to recover from them.
        const bool explore = epoch > 1 && coin(rng) < 0.9;
        state.Apply(optimal || explore ? predicted : best_gold);
      }
    }
    parser->model_ = trainer.Average();
    const ParserScores ds = EvaluateParser(*parser, dev, dev);
    const double las = ds.words ? double(ds.las) / ds.words : 0;
    if (options.progress) {
      options.progress(absl::StrFormat(
          "parser epoch %d: train moves %.4f, dev UAS %.4f LAS %.4f, %d features", epoch,
          double(right) / std::max<size_t>(total, 1), ds.words ? double(ds.uas) / ds.words : 0.0,
          las, parser->model_.num_features()));
    }
    if (stopping.Offer(dev.empty() ? epoch : las, std::move(parser->model_))) break;
  }
  parser->model_ = stopping.TakeBest();
  return parser;
}

ParserScores EvaluateParser(const DependencyParser& parser, const std::vector<Sentence>& input,
                            const std::vector<Sentence>& gold) {
  ParserScores scores;
  for (size_t si = 0; si < input.size() && si < gold.size(); ++si) {
    Sentence s = input[si];
    parser.Parse(&s);
    const Sentence& g = gold[si];
    for (size_t i = 0; i < s.words.size() && i < g.words.size(); ++i) {
      ++scores.words;
      if (s.words[i].head == g.words[i].head) {
        ++scores.uas;
        scores.las += UniversalRelation(s.words[i].deprel) == UniversalRelation(g.words[i].deprel);
      }
    }
  }
  return scores;
}

void DependencyParser::Serialize(ByteWriter* out) const {
  out->Varint(labels_.size());
  for (const std::string& l : labels_) out->String(l);
  model_.Write(out);
}

absl::Status DependencyParser::Deserialize(ByteReader* in) {
  uint64_t n = 0;
  if (!in->Varint(&n)) return in->status();
  if (n == 0 || n > 128) {
    in->Fail(absl::StrCat(n, " relations"));
    return in->status();
  }
  for (uint64_t i = 0; i < n; ++i) {
    std::string l;
    if (!in->String(&l)) return in->status();
    label_index_[l] = static_cast<int>(labels_.size());
    labels_.push_back(l);
  }
  if (!label_index_.count("root")) {
    in->Fail("no 'root' relation");
    return in->status();
  }
  root_label_ = label_index_.at("root");
  absl::StatusOr<PerceptronModel> model = PerceptronModel::Read(in);
  if (!model.ok()) return model.status();
  if (model->num_classes() != 2 + 2 * static_cast<int>(labels_.size())) {
    in->Fail("perceptron classes do not match the relations");
    return in->status();
  }
  model_ = *std::move(model);
  return in->Finish();
}

absl::Status DependencyParser::Save(const std::string& path, const std::string& training_checksum,
                                    const std::string& info) const {
  ByteWriter out;
  Serialize(&out);
  return WriteModelFile(path, {"parser", kVersion, kFeatures, training_checksum, info},
                        out.data());
}

absl::StatusOr<std::unique_ptr<DependencyParser>> DependencyParser::Load(const std::string& path) {
  absl::StatusOr<ModelFile> file = ReadModelFile(
      path, "parser", kVersion,
      "kgraph-admin train parser --train TRAIN.conllu --dev DEV.conllu --out " + path);
  if (!file.ok()) return file.status();
  auto parser = std::make_unique<DependencyParser>();
  ByteReader in(file->payload, path);
  if (absl::Status s = parser->Deserialize(&in); !s.ok()) return s;
  return parser;
}

}  // namespace kgraph::nlp
