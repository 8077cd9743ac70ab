// Scores an NlpPipeline against gold CoNLL-U sentences, as `kgraph-admin
// eval-nlp` prints and tests/nlp_quality_test checks: with gold tokens
// (tags, lemmas, trees word by word), and from each sentence's raw "# text"
// through the tokenizer, scored on words aligned as CoNLL 2018 does. LAS
// compares the universal part of the relation. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/pipeline.h"
#include "nlp/sentence.h"
#include "nlp/token_alignment.h"

namespace kgraph::nlp {

// The words of `gold` as a tokenizer would give them: form, offsets and
// spacing, the other columns empty.
Sentence WordsOnly(const Sentence& gold);

struct GoldTokenScores {
  size_t words = 0;
  size_t upos = 0, xpos = 0, lemma = 0, uas = 0, las = 0;
  // Words whose form training never saw (news is full of new names), and
  // those of them that start with a capital letter; with their UPOS right.
  size_t unseen_words = 0, unseen_upos = 0;
  size_t unseen_capitalized = 0, unseen_capitalized_upos = 0;
  // Where the errors are, for the next person to work on: (gold UPOS,
  // predicted UPOS) of every mistagged word, and per gold universal
  // relation the words and those whose head is wrong.
  std::map<std::pair<std::string, std::string>, size_t> upos_confusions;
  std::map<std::string, std::pair<size_t, size_t>> head_errors_by_relation;  // (words, wrong)
  double Rate(size_t correct) const { return words == 0 ? 0.0 : double(correct) / words; }
};
GoldTokenScores EvaluateGoldTokens(const NlpPipeline& nlp, const std::vector<Sentence>& gold);

struct RawTextScores {
  TokenAlignment alignment;
  size_t upos = 0, lemma = 0, uas = 0, las = 0;  // correct among aligned words
  // CoNLL 2018's F1 of `correct` over the system's and the gold words.
  double F1(size_t correct) const {
    return nlp::F1(correct, alignment.system_words, alignment.gold_words);
  }
};
// Gold sentences without a "# text" line are left out.
absl::StatusOr<RawTextScores> EvaluateRawText(const NlpPipeline& nlp,
                                              const std::vector<Sentence>& gold);

}  // namespace kgraph::nlp
