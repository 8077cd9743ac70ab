// Pattern set: relation rules loaded from pattern files and compiled once into
// RE2 regexes plus a literal prefilter. Rules match "placeholder sentences",
// where each entity mention is rewritten to <TYPE:index> (or <GPE:index:c> for
// countries) and other words are case-folded and joined by single spaces.
// File format: docs/EXTRACTION.md. Immutable after Load; thread-safe for
// concurrent matching.
//
// Prefilter: re2::FilteredRE2 derives from each rule the literal strings
// ("atoms") any match must contain; an Aho-Corasick automaton finds the atoms
// of a sentence in a single pass, and only the rules whose atom condition
// holds are run. The filter only ever skips rules that cannot
// match, so results equal running every rule. (An RE2::Set of the rules
// themselves, used before, builds a DFA whose states explode with the rules'
// bounded gaps; its cache was reset over and over, which made matching slow
// and serialized threads on the cache lock.)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/relation_vocabulary.h"
#include "re2/filtered_re2.h"
#include "re2/re2.h"

namespace kgraph::ingest {

struct PatternRule {
  std::string id;
  std::string relation;
  double confidence = 0.0;
  std::string source;  // The pattern as written, for messages.
  std::unique_ptr<RE2> regex;
  int subject_group = 0;  // Capture group numbers (1-based).
  int object_group = 0;
};

struct RuleMatch {
  const PatternRule* rule = nullptr;
  size_t subject_offset = 0;  // Byte offsets of the placeholders.
  size_t object_offset = 0;
  size_t match_begin = 0;
  size_t match_end = 0;
};

class PatternSet {
 public:
  // Loads rules from each file in order. Every rule's relation must be in
  // `vocabulary`. Errors name file and line.
  static absl::StatusOr<std::unique_ptr<PatternSet>> Load(
      const std::vector<std::string>& paths,
      const RelationVocabulary& vocabulary);

  // Every match of every rule in `sentence`, rules in file order; a rule
  // reports overlapping matches that start at different words.
  std::vector<RuleMatch> Match(const std::string& sentence) const;

  size_t size() const { return rules_.size(); }

  ~PatternSet();

 private:
  class AtomMatcher;

  PatternSet();
  // Appends to `candidates` the indices of rules that may match `sentence`,
  // in ascending order.
  void Candidates(const std::string& sentence,
                  std::vector<int>& candidates) const;

  static constexpr int kMinAtomLength = 3;

  std::vector<PatternRule> rules_;
  // Rule index of each FilteredRE2 regexp id.
  std::vector<int> filtered_rule_;
  // Rules the filter cannot judge (see pattern_set.cc); always run.
  std::vector<int> unfiltered_rules_;
  re2::FilteredRE2 filter_{kMinAtomLength};
  // Finds the literal atoms of filter_; nullptr when there are none.
  std::unique_ptr<const AtomMatcher> atoms_;
};

// Expands the {S} {O} {E} {W} {NAME} markers of a pattern into RE2 syntax.
// Exposed for tests. `macros` maps NAME to its expansion.
absl::StatusOr<std::string> ExpandPattern(
    const std::string& pattern,
    const std::vector<std::pair<std::string, std::string>>& macros);

}  // namespace kgraph::ingest
