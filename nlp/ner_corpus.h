// Named-entity training and measuring corpora (WikiGold, SEC filings,
// UniversalNER, CoNLL04, GUM) read into Sentences whose spans use the one
// label set PERSON, ORG, GPE, MISC, as data/nlp/ner_corpora.tsv maps them.
// Pure functions over plain data; thread-safe.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/sentence.h"

namespace kgraph::nlp {

// The four types every corpus is mapped to, in printing order.
const std::vector<std::string>& NerLabelSet();

// How one corpus is read and normalized: its rows of data/nlp/ner_corpora.tsv.
struct NerCorpusSpec {
  std::string name;
  // "iob1": whitespace-separated columns, form first, tag last, IOB1,
  //         "-DOCSTART-" lines between documents (WikiGold, SEC filings).
  // "iob2": tab-separated ID FORM TAG ..., IOB2, '#' comment lines (UNER).
  // "spert": SpERT JSON (CoNLL04).
  // "gum":  CoNLL-U with Entity= in MISC (GUM), see GumNerSentences.
  std::string format;
  // Corpus type -> PERSON/ORG/GPE/MISC; "" for a type that is read but is not
  // a named entity for us (GUM "time"). A type not in the map is an error,
  // so a typo in the data or the table cannot silently become O.
  absl::flat_hash_map<std::string, std::string> type_map;
  // The label-set types this corpus annotates. The others (UNER has no MISC)
  // are unknown rather than O: training masks them, scoring leaves them out.
  std::set<std::string> annotated_types;
  // Lower-cased words dropped from the start of every span ("the", "a").
  absl::flat_hash_set<std::string> leading_determiners;
  // Lower-cased titles dropped from the start of PERSON spans ("president",
  // "dr."), loaded from the file the "titles" row names. Empty = keep titles.
  absl::flat_hash_set<std::string> titles;
  // Lower-cased role words ("borrower"): a PERSON span made only of these is
  // not a name, so it is removed and its words masked (see NerSentence).
  absl::flat_hash_set<std::string> role_words;
};

// data/nlp/ner_corpora.tsv of the source tree this library was built from.
std::string DefaultNerCorpusTable();

// Reads the rows of `corpus_name` from the corpus table at `path` (format
// in the table's header comment). A "titles" file is resolved relative to the
// table's directory. NotFound if the table or the corpus is missing;
// InvalidArgument "path:line: message" for a malformed row.
absl::StatusOr<NerCorpusSpec> LoadNerCorpusSpec(const std::string& path,
                                                absl::string_view corpus_name);

// A sentence prepared for training or scoring: words in `masked` ranges
// [first, second) have no known label (neither an entity nor O).
struct NerSentence {
  Sentence sentence;
  std::vector<std::pair<size_t, size_t>> masked;
};

// Parses IOB1 or IOB2 column text (spec.format "iob1" or "iob2").
// Forms are joined by single spaces into `text`, and offsets point into it.
// `id` is the "# sent_id" when there is one (UNER, so that it lines up with
// the UD file), else "doc<N>:<line>": the document index (counting
// "-DOCSTART-" lines) and the line of the first word, so that splits can keep
// documents together. Errors name "file_name:line".
absl::StatusOr<std::vector<Sentence>> ParseIobNer(absl::string_view text,
                                                  const std::string& file_name,
                                                  const NerCorpusSpec& spec);

// Parses SpERT JSON: an array of {"tokens": [...], "entities": [{"type",
// "start", "end" (exclusive)}]}. `id` is "orig_id" when present. Errors name
// "file_name:line" for bad JSON and "file_name: sentence N" for bad content.
absl::StatusOr<std::vector<Sentence>> ParseSpertNer(absl::string_view json,
                                                    const std::string& file_name,
                                                    const NerCorpusSpec& spec);

// Sets `entities` of already-read CoNLL-U sentences (ReadConllu keeps MISC)
// from their Entity= mentions ("GRP-etype-..." as GUM's global.Entity
// names the fields), keeping the named ones: a mention is named when its
// syntactic head is PROPN. The head is the first word of the span whose head
// lies outside the span (GUM mentions are subtrees). GUM's "minspan" field is
// not used: it lists several words of nested phrases ("the school of Dr.
// William Glennie" -> school, Dr., Glennie), not a head. GUM mentions hold
// whole noun phrases, so the name is cut out of the mention: relative
// clauses, appositions, conjuncts, possessors and prepositional modifiers
// other than of/for/on/de... are left out ("University of Basel, where he
// ..." -> "University of Basel"; "City Hall in New York" -> "City Hall"), as
// are lower-case words at the edges. Nested names keep the outermost one.
// Errors (a close without an open, a mention left open at the sentence end,
// a type not in the map) name the sentence id and word number.
absl::StatusOr<std::vector<Sentence>> GumNerSentences(std::vector<Sentence> sentences,
                                                      const NerCorpusSpec& spec);

// Reads a file in spec.format: "gum" through ReadConllu and GumNerSentences
// (whose errors are then prefixed with the path), the others as above.
absl::StatusOr<std::vector<Sentence>> ReadNerCorpus(const std::string& path,
                                                    const NerCorpusSpec& spec);

// Applies the spec's span normalization: strips leading determiners from
// every span and titles from PERSON spans (never a span's last word, nor
// before a lower-case word: "Professor of Linguistics"), then
// removes PERSON spans made only of role words and masks their words.
// Types the corpus does not annotate are a per-type mask, not a word mask:
// use spec.annotated_types for them.
std::vector<NerSentence> NormalizeNerSentences(std::vector<Sentence> sentences,
                                               const NerCorpusSpec& spec);

}  // namespace kgraph::nlp
