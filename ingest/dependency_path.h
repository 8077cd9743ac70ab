// Dependency paths: how mentions are placed on a UD sentence and parsed, and
// the route through its tree between two words, written as text for
// dependency patterns to match (see ingest/dependency_patterns.h and
// docs/EXTRACTION.md). Pure functions over nlp::Sentence; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "nlp/pipeline.h"
#include "nlp/sentence.h"

namespace kgraph::ingest {

// Paths longer than this many edges are not written (patterns never span
// them, and long paths are mostly parse errors).
inline constexpr int kMaxPathEdges = 8;

// The words of `sentence` that overlap bytes [begin, end) of the text, as
// [first, last); first >= last when none does. How a mention found on the
// surface tokens (or in a gold file) is placed on the UD words.
std::pair<size_t, size_t> WordsOverlapping(const nlp::Sentence& sentence, size_t begin, size_t end);

// Parses a tagged sentence as extraction does: the words inside `names`
// (byte spans) are first tagged PROPN/NNP, whatever the tagger thought of
// made-up or capitalized words ("Brixton Mining" as DET NOUN): the parser
// attaches names much better so. Shared by the extractor and the
// classifier's training, so that both see the same trees.
void ParseWithNames(const nlp::NlpPipeline& pipeline,
                    const std::vector<std::pair<size_t, size_t>>& names, nlp::Sentence* sentence);

// The word of [begin, end) that governs the others: the first whose head is
// outside the span (or the root). `begin` if the sentence is not parsed.
size_t SpanHead(const nlp::Sentence& sentence, size_t begin, size_t end);

// Climbs word i's conj edges (at most kMaxPathEdges) to the first conjunct,
// whose place a conjunct takes in a path; i itself when it is none.
size_t FirstConjunct(const nlp::Sentence& sentence, size_t i);

// The path from word `from` to word `to` (0-based word indices): up from
// `from` to their lowest common ancestor, then down to `to`. Each edge is
// "^rel" (up, from a dependent to its head) or ">rel" (down, to a dependent),
// with the relation as parsed ("nsubj:pass"); each word passed between the
// two ends is written as its lower-cased lemma, so that
//   "Orion agreed to buy Lark"        -> "^nsubj agree >xcomp buy >obj"
//   "Lark was bought by Orion" (Orion to Lark) -> "^obl:agent buy >nsubj:pass"
// Conjuncts share their first conjunct's role: each end first climbs its
// `conj` edges, so "Orion bought Lark and Wren" gives Wren Lark's path. Two
// ends that are conjuncts of one another give "=conj" then the role of the
// first conjunct and its head ("Orion and Lark merged" -> "=conj ^nsubj
// merge"). Empty when the sentence is not parsed, the words are not
// connected, or the path has more than kMaxPathEdges edges.
struct DependencyPath {
  std::string text;
  // The words passed between the two ends, in path order (for "=conj", the
  // first conjunct's head): the trigger and chain words whose dependents
  // say whether the relation is negated or hedged.
  std::vector<size_t> inner;
};
DependencyPath PathBetween(const nlp::Sentence& sentence, size_t from, size_t to);

}  // namespace kgraph::ingest
