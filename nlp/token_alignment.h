// Aligns system words with gold words over the same text, as the CoNLL 2018
// shared task's evaluation script (conll18_ud_eval.py) does, so that a
// raw-text run can be scored: word and sentence F1 here, and UPOS/UAS/LAS by
// the caller on the matched pairs. Pure functions; thread-safe.
//
// Both sides' forms are concatenated with all whitespace removed; the two
// concatenations must be identical (else InvalidArgument naming the first
// difference). A word's span is the range its own form covers in that
// concatenation, and a system word matches a gold word iff their spans are
// identical. Words of a multi-word token are compared by span as well, which
// is exact for English, whose parts spell the token ("do" + "n't"); the
// official script's LCS over the forms inside a multi-word token is not
// done, so "del" -> "de" "el" style tokens would not align. A word whose
// form is all whitespace has an empty span and never matches.
// A sentence matches iff its span (first word's start to last word's end)
// is identical on both sides.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlp/sentence.h"

namespace kgraph::nlp {

// A word by position: sentences[sentence].words[word].
struct WordRef {
  size_t sentence = 0;
  size_t word = 0;
  bool operator==(const WordRef& o) const {
    return sentence == o.sentence && word == o.word;
  }
};

struct TokenAlignment {
  size_t gold_words = 0;
  size_t system_words = 0;
  size_t matched_words = 0;
  // (system word, gold word), in text order.
  std::vector<std::pair<WordRef, WordRef>> pairs;

  size_t gold_sentences = 0;
  size_t system_sentences = 0;
  size_t matched_sentences = 0;

  double WordPrecision() const;
  double WordRecall() const;
  double WordF1() const;
  double SentenceF1() const;
};

// 2PR/(P+R) from counts; 0 when nothing matched.
double F1(size_t matched, size_t system, size_t gold);

// Aligns `system` with `gold`, which must spell the same text up to
// whitespace. The Sentence objects are only read; the result refers to them
// by index.
absl::StatusOr<TokenAlignment> AlignTokens(const std::vector<Sentence>& system,
                                           const std::vector<Sentence>& gold);

}  // namespace kgraph::nlp
