// Within-document coreference of third-person pronouns and definite
// descriptions to named mentions ("Orion Foods Inc said it ..." -> it ->
// Orion Foods Inc; "the company" -> the nearest ORG), by deterministic sieves
// in the manner of Lee et al. (2013) over nlp/ sentences (tags and trees).
// Created once from data files; Resolve() is const, thread-safe and
// deterministic. See docs/EXTRACTION.md (Coreference).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "nlp/sentence.h"

namespace kgraph::ingest {

// A resolved pronoun or description. It is never a name or an alias: it keeps
// its own span and only points to the named mention it refers to.
struct CorefMention {
  enum class Kind { kPronoun, kDescription };
  Kind kind = Kind::kPronoun;
  size_t sentence = 0;  // index into the document's sentences
  size_t begin = 0;     // words [begin, end) of that sentence ("the company")
  size_t end = 0;
  size_t head = 0;        // the pronoun, or the description's noun
  size_t byte_begin = 0;  // UTF-8 byte offsets of the span (the words' offsets)
  size_t byte_end = 0;
  // The named mention: sentences[antecedent_sentence].entities[antecedent_entity].
  size_t antecedent_sentence = 0;
  size_t antecedent_entity = 0;
  // The sieve that resolved it: "speech-subject", "pronoun", "head-match",
  // "description".
  std::string sieve;
};

struct CorefConfig {
  // Holds pronouns.tsv, descriptions.tsv, speech_verbs.txt, pleonastic.txt
  // and given_names.tsv. Empty: $KGRAPH_DATA_DIR/coref, else the compiled-in
  // data/coref of the source tree.
  std::string data_dir;
  // The farthest an antecedent may be, in sentences before the anaphor's
  // (0 = the same sentence only). A pronoun may reach a name through an
  // already resolved pronoun or description of the same name, each link
  // within the window.
  int pronoun_window = 3;
  int description_window = 5;
  // iso-codes' country list (Debian package iso-codes), so that "the
  // country" points to a country and "the city" to a place that is not one.
  // A missing file is tolerated (no name is then known to be a country),
  // besides the names of data/coref/countries.txt.
  std::string iso_3166_file = "/usr/share/iso-codes/json/iso_3166-1.json";
};

class CorefResolver {
 public:
  // Loads the data files. NotFound names a missing file; InvalidArgument
  // "path:line: message" a malformed line.
  static absl::StatusOr<std::unique_ptr<CorefResolver>> Create(const CorefConfig& config);

  // Resolves one document: its sentences in order, tagged and parsed (words
  // with upos, xpos, lemma, head, deprel), `entities` holding the named
  // mentions (from the NER or given; spans may nest). Give names only: a
  // date or a measure passed as MISC could become the antecedent of "it". Returns the resolved
  // anaphors in text order; an anaphor with no compatible named antecedent
  // within the window is left out. Sentences without a parse (head -1) get
  // no syntactic preferences but are still read.
  std::vector<CorefMention> Resolve(const std::vector<nlp::Sentence>& document) const;

  // Whether `sentence` (tagged) holds "the" followed within three words by a
  // noun of descriptions.tsv ("the company"): such a description resolves
  // only in a parsed sentence, so callers that parse selectively parse it.
  bool HasDefiniteDescription(const nlp::Sentence& sentence) const;

 private:
  struct PronounEntry {
    enum class Role { kSubj, kObj, kPoss, kRefl };
    Role role = Role::kSubj;
    int gender = 0;  // 0 unknown, 1 male, 2 female
    // Per type: bit 1 singular accepted, bit 2 plural accepted.
    absl::flat_hash_map<std::string, int> accepts;
  };
  struct Pleonastic {
    bool always = false;   // pleonastic whatever follows ("it is raining")
    bool passive = false;  // only with "it" as the passive subject ("it is said")
  };
  class Document;  // per-call state (coref_resolver.cc)

  CorefResolver() = default;

  CorefConfig config_;
  absl::flat_hash_map<std::string, PronounEntry> pronouns_;
  struct DescriptionEntry {
    std::string type;
    int gender = 0;   // PERSON: 1 male ("the man"), 2 female
    int country = 0;  // GPE: 1 a country ("the nation"), 2 not a country ("the city")
  };
  absl::flat_hash_map<std::string, DescriptionEntry> descriptions_;  // lemma ->
  absl::flat_hash_set<std::string> countries_;                       // lower-case country names
  // Nouns of people ("woman", "spokesman") -> gender (0 unknown): the
  // PERSON descriptions and person_nouns.txt.
  absl::flat_hash_map<std::string, int> person_nouns_;
  absl::flat_hash_set<std::string> speech_verbs_;
  absl::flat_hash_map<std::string, Pleonastic> pleonastic_;
  absl::flat_hash_map<std::string, int> gendered_words_;  // lower-case -> 1 male, 2 female
};

// data/coref of the source tree (or $KGRAPH_DATA_DIR/coref).
std::string DefaultCorefDataDir();

}  // namespace kgraph::ingest
