// Sentence splitter over tokens. Survives abbreviations (U.S., Bros., Corp.,
// Mr.), decimals (kept inside number tokens) and closing quotes; blank lines
// always end a sentence, so headlines and captions stand alone. Pure
// function; thread-safe.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "ingest/tokenizer.h"

namespace kgraph::ingest {

// A sentence is the token range [begin, end).
struct SentenceSpan {
  size_t begin = 0;
  size_t end = 0;
};

// `sentence_starters` are folded words that, capitalized after an
// abbreviation's period, begin a new sentence ("Corp. The deal ...").
std::vector<SentenceSpan> SplitSentences(
    const std::vector<Token>& tokens,
    const absl::flat_hash_set<std::string>& sentence_starters);

}  // namespace kgraph::ingest
