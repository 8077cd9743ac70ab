#include "nlp/tagger.h"

#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlp/model_file.h"

namespace kgraph::nlp {
namespace {

enum Template : uint32_t {
  kBias, kLower, kForm, kSuf1, kSuf2, kSuf3, kSuf4, kPre1, kPre2, kPre3, kShape,
  kPrev1Word, kNext1Word, kPrev2Word, kNext2Word, kPrevTag, kPrev2Tags, kPrevTagWord,
  kNextSuf3, kPrevSuf3, kAmb0, kAmb1, kAmb2, kPrevShape, kNextShape, kWordNext,
  kPrevWordWord, kFirstCap, kRight1, kRight2, kRight1Word, kPrevRight, kRight12,
};

constexpr uint64_t kNone = 0x6e6f6e65;  // padding value beyond the sentence

std::string Suffix(absl::string_view s, size_t n) {
  return std::string(s.size() <= n ? s : s.substr(s.size() - n));
}
std::string Prefix(absl::string_view s, size_t n) {
  return std::string(s.size() <= n ? s : s.substr(0, n));
}

}  // namespace

std::string LowerAscii(absl::string_view s) { return absl::AsciiStrToLower(s); }

std::string WordShape(absl::string_view s) {
  std::string out;
  char last = 0;
  int run = 0;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    char k = absl::ascii_isupper(c) ? 'X' : absl::ascii_islower(c) ? 'x'
             : absl::ascii_isdigit(c) ? 'd' : c >= 0x80 ? 'u' : ch;
    if (k == last) {
      if (++run > 2) continue;
    } else {
      run = 1;
      last = k;
    }
    out += k;
  }
  return out;
}

struct Tagger::WordInfo {
  uint64_t lower, form, shape, amb;
  uint64_t suf[4], pre[3];
  bool cap;
};

std::vector<Tagger::WordInfo> Tagger::Prepare(const Sentence& sentence) const {
  std::vector<WordInfo> out(sentence.words.size());
  for (size_t i = 0; i < sentence.words.size(); ++i) {
    const std::string& form = sentence.words[i].form;
    const std::string lower = LowerAscii(form);
    WordInfo& w = out[i];
    w.lower = HashString(lower);
    w.form = HashString(form);
    w.shape = HashString(WordShape(form));
    auto it = ambiguity_.find(lower);
    w.amb = it == ambiguity_.end() ? kNone : it->second;
    for (size_t k = 0; k < 4; ++k) w.suf[k] = HashString(Suffix(lower, k + 1));
    for (size_t k = 0; k < 3; ++k) w.pre[k] = HashString(Prefix(lower, k + 1));
    w.cap = !form.empty() && absl::ascii_isupper(static_cast<unsigned char>(form[0]));
  }
  return out;
}

void Tagger::Features(const std::vector<WordInfo>& words, size_t i, int t1, int t2,
                      const std::vector<int>* right, std::vector<uint64_t>* out) const {
  out->clear();
  const WordInfo& w = words[i];
  auto lower_at = [&](long j) {
    return j < 0 || j >= static_cast<long>(words.size()) ? kNone : words[j].lower;
  };
  const long ii = static_cast<long>(i);
  const uint64_t p1 = t1 < 0 ? kNone : static_cast<uint64_t>(t1) + 1;
  const uint64_t p2 = t2 < 0 ? kNone : static_cast<uint64_t>(t2) + 1;
  out->push_back(FeatureKey(kBias, 0));
  out->push_back(FeatureKey(kLower, w.lower));
  out->push_back(FeatureKey(kForm, w.form));
  for (uint32_t k = 0; k < 4; ++k) out->push_back(FeatureKey(kSuf1 + k, w.suf[k]));
  for (uint32_t k = 0; k < 3; ++k) out->push_back(FeatureKey(kPre1 + k, w.pre[k]));
  out->push_back(FeatureKey(kShape, w.shape));
  out->push_back(FeatureKey(kPrev1Word, lower_at(ii - 1)));
  out->push_back(FeatureKey(kNext1Word, lower_at(ii + 1)));
  out->push_back(FeatureKey(kPrev2Word, lower_at(ii - 2)));
  out->push_back(FeatureKey(kNext2Word, lower_at(ii + 2)));
  out->push_back(FeatureKey(kPrevTag, p1));
  out->push_back(FeatureKey(kPrev2Tags, p1, p2));
  out->push_back(FeatureKey(kPrevTagWord, p1, w.lower));
  out->push_back(FeatureKey(kNextSuf3, i + 1 < words.size() ? words[i + 1].suf[2] : kNone));
  out->push_back(FeatureKey(kPrevSuf3, i > 0 ? words[i - 1].suf[2] : kNone));
  out->push_back(FeatureKey(kAmb0, w.amb));
  out->push_back(FeatureKey(kAmb1, i + 1 < words.size() ? words[i + 1].amb : kNone));
  out->push_back(FeatureKey(kAmb2, i + 2 < words.size() ? words[i + 2].amb : kNone));
  out->push_back(FeatureKey(kPrevShape, i > 0 ? words[i - 1].shape : kNone));
  out->push_back(FeatureKey(kNextShape, i + 1 < words.size() ? words[i + 1].shape : kNone));
  out->push_back(FeatureKey(kWordNext, w.lower, lower_at(ii + 1)));
  out->push_back(FeatureKey(kPrevWordWord, lower_at(ii - 1), w.lower));
  out->push_back(FeatureKey(kFirstCap, i == 0 ? 1 : 2, w.cap ? 1 : 2));
  if (right != nullptr) {
    const uint64_t r1 = i + 1 < words.size() ? static_cast<uint64_t>((*right)[i + 1]) + 1 : kNone;
    const uint64_t r2 = i + 2 < words.size() ? static_cast<uint64_t>((*right)[i + 2]) + 1 : kNone;
    out->push_back(FeatureKey(kRight1, r1));
    out->push_back(FeatureKey(kRight2, r2));
    out->push_back(FeatureKey(kRight1Word, r1, w.lower));
    out->push_back(FeatureKey(kPrevRight, p1, r1));
    out->push_back(FeatureKey(kRight12, r1, r2));
  }
}

std::vector<int> Tagger::Decode(const std::vector<WordInfo>& words, const PerceptronModel& model,
                                const std::vector<int>* right) const {
  std::vector<int> tags(words.size());
  std::vector<uint64_t> features;
  std::vector<float> scores(tags_.size());
  int t1 = -1, t2 = -1;
  for (size_t i = 0; i < words.size(); ++i) {
    Features(words, i, t1, t2, right, &features);
    std::fill(scores.begin(), scores.end(), 0.0f);
    model.Score(features, scores.data());
    tags[i] = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    t2 = t1;
    t1 = tags[i];
  }
  return tags;
}

void Tagger::Tag(Sentence* sentence) const {
  const std::vector<WordInfo> words = Prepare(*sentence);
  const std::vector<int> first = Decode(words, first_pass_, nullptr);
  const std::vector<int> tags = Decode(words, model_, &first);
  for (size_t i = 0; i < words.size(); ++i) {
    Word& w = sentence->words[i];
    w.upos = upos_[tags[i]];
    w.xpos = xpos_[tags[i]];
    w.lemma = Lemma(w, tags[i]);
  }
}

std::string Tagger::Lemma(const Word& word, int tag) const {
  const std::string& form = word.form;
  if (auto it = lemma_lexicon_.find(absl::StrCat(form, "\t", tag)); it != lemma_lexicon_.end()) {
    return it->second;
  }
  const std::string lower = LowerAscii(form);
  // The longest suffix with a rule for this tag whose strip fits the word.
  for (size_t n = std::min<size_t>(lower.size(), 6);; --n) {
    auto it = suffix_rules_.find(absl::StrCat(tag, "\t", Suffix(lower, n)));
    if (it != suffix_rules_.end() && it->second.strip <= lower.size()) {
      const EditScript& e = it->second;
      const std::string& base = e.keep_case ? form : lower;
      return base.substr(0, base.size() - e.strip) + e.append;
    }
    if (n == 0) break;
  }
  return upos_[tag] == "PROPN" ? form : lower;
}

bool Tagger::SawForm(absl::string_view form) const {
  for (size_t tag = 0; tag < tags_.size(); ++tag) {
    if (lemma_lexicon_.contains(absl::StrCat(form, "\t", tag))) return true;
  }
  return false;
}

void Tagger::BuildLexicons(const std::vector<Sentence>& train, int ambiguity_min_count) {
  std::map<std::string, std::map<std::string, int>> lemma_counts;
  std::map<std::string, std::map<int, int>> amb_counts;
  // (tag, suffix) -> script key -> count
  std::map<std::string, std::map<std::string, int>> rule_counts;
  for (const Sentence& s : train) {
    for (const Word& w : s.words) {
      const int tag = tag_index_.at(absl::StrCat(w.upos, "\t", w.xpos));
      ++lemma_counts[absl::StrCat(w.form, "\t", tag)][w.lemma];
      ++amb_counts[LowerAscii(w.form)][tag];
      const std::string lf = LowerAscii(w.form), ll = LowerAscii(w.lemma);
      size_t p = 0;
      while (p < lf.size() && p < ll.size() && lf[p] == ll[p]) ++p;
      if (lf.size() - p > 255) continue;
      const std::string append = ll.substr(p);
      const size_t strip = lf.size() - p;
      const bool keep = w.lemma != ll &&
                        w.lemma == w.form.substr(0, w.form.size() - strip) + append;
      const std::string script = absl::StrCat(strip, "\t", keep ? 1 : 0, "\t", append);
      for (size_t n = 0; n <= std::min<size_t>(lf.size(), 6); ++n) {
        ++rule_counts[absl::StrCat(tag, "\t", Suffix(lf, n))][script];
      }
    }
  }
  for (const auto& [key, lemmas] : lemma_counts) {
    auto best = std::max_element(lemmas.begin(), lemmas.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    lemma_lexicon_[key] = best->first;
  }
  for (const auto& [form, tags] : amb_counts) {
    int seen = 0;
    for (const auto& [tag, count] : tags) seen += count;
    if (seen < ambiguity_min_count) continue;
    std::string sig;
    for (const auto& [tag, count] : tags) absl::StrAppend(&sig, tag, ",");
    ambiguity_[form] = HashString(sig);
  }
  for (const auto& [key, scripts] : rule_counts) {
    auto best = std::max_element(scripts.begin(), scripts.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    std::vector<std::string> parts = absl::StrSplit(best->first, absl::MaxSplits('\t', 2));
    EditScript e;
    e.strip = static_cast<uint8_t>(std::stoi(parts[0]));
    e.keep_case = parts[1] == "1";
    e.append = parts[2];
    suffix_rules_[key] = e;
  }
}

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::Train(const std::vector<Sentence>& train,
                                                      const std::vector<Sentence>& dev,
                                                      const TrainOptions& options) {
  auto tagger = std::make_unique<Tagger>();
  std::map<std::string, int> tag_counts;
  for (const Sentence& s : train) {
    for (const Word& w : s.words) ++tag_counts[absl::StrCat(w.upos, "\t", w.xpos)];
  }
  if (tag_counts.empty()) return absl::InvalidArgumentError("no training words");
  for (const auto& [tag, count] : tag_counts) {
    std::vector<std::string> parts = absl::StrSplit(tag, absl::MaxSplits('\t', 1));
    tagger->tag_index_[tag] = static_cast<int>(tagger->tags_.size());
    tagger->tags_.push_back(tag);
    tagger->upos_.push_back(parts[0]);
    tagger->xpos_.push_back(parts[1]);
  }
  tagger->BuildLexicons(train, options.ambiguity_min_count);

  auto prepare_all = [&](const std::vector<Sentence>& sentences,
                         std::vector<std::vector<WordInfo>>* words,
                         std::vector<std::vector<int>>* tags) {
    for (const Sentence& s : sentences) {
      words->push_back(tagger->Prepare(s));
      std::vector<int> g;
      for (const Word& w : s.words) {
        auto it = tagger->tag_index_.find(absl::StrCat(w.upos, "\t", w.xpos));
        g.push_back(it == tagger->tag_index_.end() ? -1 : it->second);
      }
      tags->push_back(std::move(g));
    }
  };
  std::vector<std::vector<WordInfo>> words, dev_words;
  std::vector<std::vector<int>> gold, dev_gold;
  prepare_all(train, &words, &gold);
  prepare_all(dev, &dev_words, &dev_gold);
  std::vector<size_t> all(train.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;

  // Pass 1 on everything.
  tagger->first_pass_ = tagger->TrainPass(words, gold, nullptr, all, dev_words, dev_gold,
                                          nullptr, options, "pass 1");
  if (options.tagger_passes < 2) {
    tagger->model_ = tagger->first_pass_;
    return tagger;
  }
  // Jackknifed pass-1 tags of the training sentences: each fold tagged by a
  // model that did not see it, so pass 2 learns from realistic errors.
  constexpr size_t kFolds = 4;
  std::vector<std::vector<int>> right(train.size()), dev_right;
  for (size_t fold = 0; fold < kFolds; ++fold) {
    std::vector<size_t> rest;
    for (size_t i = 0; i < train.size(); ++i) {
      if (i % kFolds != fold) rest.push_back(i);
    }
    TrainOptions fold_options = options;
    fold_options.progress = nullptr;
    const PerceptronModel m = tagger->TrainPass(words, gold, nullptr, rest, dev_words, dev_gold,
                                                nullptr, fold_options, "fold");
    for (size_t i = fold; i < train.size(); i += kFolds) {
      right[i] = tagger->Decode(words[i], m, nullptr);
    }
    if (options.progress) options.progress(absl::StrCat("tagger fold ", fold + 1, "/", kFolds, " tagged"));
  }
  for (const auto& w : dev_words) dev_right.push_back(tagger->Decode(w, tagger->first_pass_, nullptr));
  tagger->model_ = tagger->TrainPass(words, gold, &right, all, dev_words, dev_gold, &dev_right,
                                     options, "pass 2");
  return tagger;
}

PerceptronModel Tagger::TrainPass(const std::vector<std::vector<WordInfo>>& words,
                                  const std::vector<std::vector<int>>& gold,
                                  const std::vector<std::vector<int>>* right,
                                  const std::vector<size_t>& sentences,
                                  const std::vector<std::vector<WordInfo>>& dev_words,
                                  const std::vector<std::vector<int>>& dev_gold,
                                  const std::vector<std::vector<int>>* dev_right,
                                  const TrainOptions& options, const std::string& name) const {
  PerceptronTrainer trainer(static_cast<int>(tags_.size()));
  std::vector<size_t> order = sentences;
  std::mt19937 rng(static_cast<uint32_t>(options.seed));
  std::vector<uint64_t> features;
  std::vector<float> scores(tags_.size());
  EarlyStopping stopping(options.patience);
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    size_t correct = 0, total = 0;
    for (size_t si : order) {
      const auto& sentence = words[si];
      const std::vector<int>* r = right == nullptr ? nullptr : &(*right)[si];
      int t1 = -1, t2 = -1;
      for (size_t i = 0; i < sentence.size(); ++i) {
        Features(sentence, i, t1, t2, r, &features);
        std::fill(scores.begin(), scores.end(), 0.0f);
        trainer.Score(features, scores.data());
        const int guess = static_cast<int>(std::max_element(scores.begin(), scores.end()) -
                                           scores.begin());
        const int g = gold[si][i];
        if (options.pa_step > 0 && g >= 0) {
          int rival = -1;
          for (int c = 0; c < static_cast<int>(scores.size()); ++c) {
            if (c != g && (rival < 0 || scores[c] > scores[rival])) rival = c;
          }
          const float step = rival < 0 ? 0.0f
                                       : PassiveAggressiveStep(scores[g], scores[rival],
                                                               options.pa_step, features.size());
          if (step > 0) trainer.Update(features, g, rival, step);
        } else {
          trainer.Update(features, g, guess);
        }
        trainer.Tick();
        correct += guess == g;
        ++total;
        t2 = t1;
        t1 = guess;
      }
    }
    PerceptronModel model = trainer.Average();
    size_t dev_correct = 0, dev_total = 0;
    for (size_t d = 0; d < dev_words.size(); ++d) {
      const std::vector<int> tags =
          Decode(dev_words[d], model, dev_right == nullptr ? nullptr : &(*dev_right)[d]);
      for (size_t i = 0; i < tags.size(); ++i) {
        ++dev_total;
        dev_correct += dev_gold[d][i] >= 0 && upos_[tags[i]] == upos_[dev_gold[d][i]];
      }
    }
    // Unknown dev tag pairs count as errors (dev_gold -1).
    const double upos = dev_total == 0 ? 0 : double(dev_correct) / dev_total;
    if (options.progress) {
      options.progress(absl::StrFormat("tagger %s epoch %d: train %.4f, dev UPOS %.4f, %d features",
                                       name, epoch, double(correct) / std::max<size_t>(total, 1),
                                       upos, model.num_features()));
    }
    if (stopping.Offer(dev_words.empty() ? epoch : upos, std::move(model))) break;
  }
  return stopping.TakeBest();
}

TaggerScores EvaluateTagger(const Tagger& tagger, const std::vector<Sentence>& gold) {
  TaggerScores scores;
  for (const Sentence& g : gold) {
    Sentence s = g;
    tagger.Tag(&s);
    for (size_t i = 0; i < s.words.size(); ++i) {
      ++scores.words;
      scores.upos += s.words[i].upos == g.words[i].upos;
      scores.xpos += s.words[i].xpos == g.words[i].xpos;
      scores.lemma += s.words[i].lemma == g.words[i].lemma;
    }
  }
  return scores;
}

void Tagger::Serialize(ByteWriter* out) const {
  out->Varint(tags_.size());
  for (const std::string& t : tags_) out->String(t);
  // Sorted, so that the same model always writes the same bytes.
  auto sorted = [](const auto& map) {
    std::vector<std::pair<std::string, typename std::decay_t<decltype(map)>::mapped_type>> v(
        map.begin(), map.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return v;
  };
  const auto amb = sorted(ambiguity_);
  out->Varint(amb.size());
  for (const auto& [form, h] : amb) {
    out->String(form);
    out->U64(h);
  }
  const auto lex = sorted(lemma_lexicon_);
  out->Varint(lex.size());
  for (const auto& [key, lemma] : lex) {
    out->String(key);
    out->String(lemma);
  }
  const auto rules = sorted(suffix_rules_);
  out->Varint(rules.size());
  for (const auto& [key, e] : rules) {
    out->String(key);
    out->U8(e.strip);
    out->U8(e.keep_case ? 1 : 0);
    out->String(e.append);
  }
  first_pass_.Write(out);
  model_.Write(out);
}

absl::Status Tagger::Deserialize(ByteReader* in) {
  uint64_t n = 0;
  if (!in->Varint(&n)) return in->status();
  if (n == 0 || n > 4096) {
    in->Fail(absl::StrCat(n, " tags"));
    return in->status();
  }
  for (uint64_t i = 0; i < n; ++i) {
    std::string t;
    if (!in->String(&t)) return in->status();
    std::vector<std::string> parts = absl::StrSplit(t, absl::MaxSplits('\t', 1));
    if (parts.size() != 2) {
      in->Fail("a tag without its UPOS and XPOS");
      return in->status();
    }
    tag_index_[t] = static_cast<int>(tags_.size());
    tags_.push_back(t);
    upos_.push_back(parts[0]);
    xpos_.push_back(parts[1]);
  }
  if (!in->Varint(&n)) return in->status();
  for (uint64_t i = 0; i < n && in->ok(); ++i) {
    std::string form;
    uint64_t h = 0;
    if (in->String(&form) && in->U64(&h)) ambiguity_[form] = h;
  }
  if (!in->Varint(&n)) return in->status();
  for (uint64_t i = 0; i < n && in->ok(); ++i) {
    std::string key, lemma;
    if (in->String(&key) && in->String(&lemma)) lemma_lexicon_[key] = lemma;
  }
  if (!in->Varint(&n)) return in->status();
  for (uint64_t i = 0; i < n && in->ok(); ++i) {
    std::string key;
    EditScript e;
    uint8_t keep = 0;
    if (in->String(&key) && in->U8(&e.strip) && in->U8(&keep) && in->String(&e.append)) {
      e.keep_case = keep != 0;
      suffix_rules_[key] = e;
    }
  }
  if (!in->ok()) return in->status();
  for (PerceptronModel* pass : {&first_pass_, &model_}) {
    absl::StatusOr<PerceptronModel> model = PerceptronModel::Read(in);
    if (!model.ok()) return model.status();
    if (model->num_classes() != static_cast<int>(tags_.size())) {
      in->Fail("perceptron classes differ from the tag count");
      return in->status();
    }
    *pass = *std::move(model);
  }
  return in->Finish();
}

absl::Status Tagger::Save(const std::string& path, const std::string& training_checksum,
                          const std::string& info) const {
  ByteWriter out;
  Serialize(&out);
  return WriteModelFile(path, {"tagger", kVersion, kFeatures, training_checksum, info},
                        out.data());
}

absl::StatusOr<std::unique_ptr<Tagger>> Tagger::Load(const std::string& path) {
  absl::StatusOr<ModelFile> file = ReadModelFile(
      path, "tagger", kVersion,
      "kgraph-admin train tagger --train TRAIN.conllu --dev DEV.conllu --out " + path);
  if (!file.ok()) return file.status();
  auto tagger = std::make_unique<Tagger>();
  ByteReader in(file->payload, path);
  if (absl::Status s = tagger->Deserialize(&in); !s.ok()) return s;
  return tagger;
}

}  // namespace kgraph::nlp
