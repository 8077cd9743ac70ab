// Named-entity recognizer: BILOU labels over PERSON, ORG, GPE, MISC chosen
// greedily left to right by a linear model trained with averaged
// passive-aggressive steps (word, affix, shape, POS and word windows, the two
// previous labels, capitalization, gazetteer membership, and the capitalized
// run a word is in: its ends, neighbours and gazetteer matches, a lookahead
// the greedy decoder otherwise lacks), decoding constrained so that it never
// emits an invalid BILOU sequence. The gazetteer entries are stored in the
// model file, so a model is self-contained. A loaded NamedEntityTagger is
// immutable: Recognize() may be called from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlp/ner_corpus.h"
#include "nlp/perceptron.h"
#include "nlp/sentence.h"
#include "nlp/span_scorer.h"
#include "nlp/tagger.h"
#include "nlp/word_clusters.h"

namespace kgraph::nlp {

// ---- BILOU labels (pure functions, for tests and scorers) ----

// "O", or "B-TYPE" / "I-TYPE" / "L-TYPE" / "U-TYPE".
// True iff every span opened by B- continues with I- of the same type and is
// closed by L- of that type, and I-/L- never follow anything else; the
// sequence must not end inside a span.
bool ValidBilou(const std::vector<std::string>& labels);
// Spans -> labels (spans must not overlap; later overlapping ones are dropped).
std::vector<std::string> SpansToBilou(const std::vector<EntitySpan>& spans, size_t num_words);
// Labels -> spans. Invalid sequences are read leniently (an I-/L- without its
// B- opens a span), so that any labels give spans.
std::vector<EntitySpan> BilouToSpans(const std::vector<std::string>& labels);

// ---- gazetteers ----

// Token-sequence lists the recognizer's features look up. Entries are stored
// as hashes of their lower-cased tokens, never as text.
class NerGazetteer {
 public:
  // The lists, in feature order (a list's index is part of its features).
  static const std::vector<std::string>& ListNames();

  struct Files {
    std::string iso_3166_1 = "/usr/share/iso-codes/json/iso_3166-1.json";
    std::string iso_3166_2 = "/usr/share/iso-codes/json/iso_3166-2.json";
    std::string cities;      // cities.tsv (generated at build time; header '#')
    std::string gazetteers;  // directory of first_names.txt, org_suffixes.txt, ...
    std::string nlp_titles;  // data/nlp/person_titles.txt (honorifics: Mr., Dr.)
    // data/gazetteers of the source tree, cities from $KGRAPH_GENERATED_DATA_DIR
    // or else the source tree's build/data (the default build directory).
    static Files Default();
  };
  // Loads every list; an unreadable or malformed file is an error naming it.
  static absl::StatusOr<NerGazetteer> Load(const Files& files);

  // Adds `entry` (words separated by spaces) to list `list`.
  void Add(int list, const std::string& entry);
  // Per word, 4 bits per list (list k at bits 4k..4k+3: U, B, I, L), for every
  // entry of at most kMaxWords words the sentence contains (case ignored).
  std::vector<uint32_t> Match(const std::vector<uint64_t>& lower_hashes) const;

  size_t num_entries() const { return num_entries_; }
  void Write(ByteWriter* out) const;
  absl::Status Read(ByteReader* in);

  static constexpr size_t kMaxWords = 6;
  static uint64_t TokenHash(absl::string_view lower_token);

 private:
  static constexpr uint32_t kPrefixBit = 1u << 31;
  // Hash of a token sequence (chained) -> bit k = an entry of list k;
  // kPrefixBit = a proper prefix of a longer entry.
  absl::flat_hash_map<uint64_t, uint32_t> entries_;
  size_t num_entries_ = 0;
};

// A training or measuring corpus: its sentences and the label-set types it
// annotates (NerCorpusSpec::annotated_types). Predicting a type the corpus
// does not annotate where it says O is not counted as an error.
struct NerCorpus {
  std::string name;
  std::vector<NerSentence> sentences;
  std::set<std::string> annotated_types = {"PERSON", "ORG", "GPE", "MISC"};
};

// The types of the target figure (UNER has no MISC).
const std::set<std::string>& NerTargetTypes();

class NamedEntityTagger {
 public:
  static constexpr uint32_t kVersion = 5;
  static constexpr const char* kFeatures =
      "ner-v1: BILOU PERSON ORG GPE MISC; bias w0 W0 shape pre1-4 suf1-4 upos/xpos -2..+2 "
      "w-2..w+2 y-1 y-2y-1 y-1w0 y-1shape y-1upos w-1w0 w0w+1 upos-1upos0 upos0upos+1 "
      "caps(-1..+1) caps(-2..+2) first+cap gaz(list,bits) gazsig(-1,0,+1) gazsig0+cap y-1gazsig "
      "W-1 W+1 y-1w+1 cap0cap+1gazsig+1 upos-1,0,+1 y-2y-1cap0 suf3(w-1,w+1) gazsig+2w+1 "
      "cluster64/256(w-1,w0,w+1) cluster256(w0)+cap0 y-1cluster64; ner-v2: sentence-final "
      "glued period stripped; sentcase+cap0 caprun(kind+len, first, last, last suf3, last gaz, "
      "first gaz, exact gaz, before, after, comma-run gaz, y-1+last)";

  static absl::StatusOr<std::unique_ptr<NamedEntityTagger>> Load(const std::string& path);
  // Sentences must have form, upos and xpos set (run the tagger first).
  // Averaged passive-aggressive training (PA with margin 1, through
  // PerceptronTrainer); early stopping on `dev` (its NerTargetTypes F1); one progress line per
  // epoch. Deterministic for a given options.seed.
  // `cluster_text`: sentences (forms only) whose words are clustered, along
  // with the training sentences' own, into word classes by the exchange
  // algorithm (class-bigram likelihood, Martin et al. 1998), at 64 and 256
  // classes; pass TRAIN text only (e.g. the EWT train treebank).
  static absl::StatusOr<std::unique_ptr<NamedEntityTagger>> Train(
      const std::vector<NerCorpus>& train, const NerCorpus& dev, const TrainOptions& options,
      const NerGazetteer& gazetteer, const std::vector<Sentence>& cluster_text = {});
  absl::Status Save(const std::string& path, const std::string& training_checksum,
                    const std::string& info) const;

  // Replaces sentence->entities (words need form, upos, xpos).
  void Recognize(Sentence* sentence) const;
  // The label of every word, as strings (always ValidBilou).
  std::vector<std::string> Labels(const Sentence& sentence) const;

  const PerceptronModel& model() const { return model_; }
  const NerGazetteer& gazetteer() const { return gazetteer_; }
  void Prune(double fraction) { model_.Prune(fraction); }

  // Number of classes: O and B/I/L/U of the four types.
  static constexpr int kNumLabels = 17;
  static const std::vector<std::string>& LabelNames();
  // Whether label `next` may follow `prev` (-1 = sentence start); `last`:
  // `next` is the last word's label, which must close any open span.
  static bool Allowed(int prev, int next, bool last);
  // The highest-scoring allowed label (ties: the lowest index).
  static int BestAllowed(const float* scores, int prev, bool last);

 private:
  struct WordInfo;
  std::vector<WordInfo> Prepare(const Sentence& sentence) const;
  void Features(const std::vector<WordInfo>& words, size_t i, int y1, int y2,
                std::vector<uint64_t>* out) const;
  std::vector<int> Decode(const std::vector<WordInfo>& words, const PerceptronModel& model) const;

  // Classes of the training text's words (empty for a recognizer trained
  // without cluster text).
  WordClusters clusters_;
  NerGazetteer gazetteer_;
  PerceptronModel model_;
};

// Recognizes every sentence of `corpus` (a copy: gold is kept) and adds its
// gold and predicted spans, masked words left out, to `scorer`; construct the
// scorer with the types to measure (those the corpus annotates).
void ScoreNer(const NamedEntityTagger& tagger, const NerCorpus& corpus, SpanScorer* scorer);

}  // namespace kgraph::nlp
