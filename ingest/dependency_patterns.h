// Dependency patterns: relation rules over the dependency path between a
// typed subject and object (ingest/dependency_path.h), and typing rules that
// retype a weakly typed name by its place in the tree ("X launched Y": Y is a
// product), loaded from pattern files (data/relations/dependency_patterns.txt;
// format in docs/EXTRACTION.md) and compiled once into RE2. Immutable after
// Load; thread-safe for concurrent matching.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "ingest/relation_vocabulary.h"
#include "re2/re2.h"

namespace kgraph::ingest {

struct DependencyRule {
  std::string id;
  std::string relation;
  double confidence = 0.0;
  // Types the rule accepts, within the vocabulary's; empty = the vocabulary's.
  absl::flat_hash_set<std::string> subject_types, object_types;
  std::string source;  // The path regex as written, for messages.
  std::unique_ptr<RE2> regex;  // matches the whole path
};

// "retype" lines: a name of one of `from_types` whose path to an anchor
// matches `regex` is of type `new_type`. The anchor is another name of one of
// `anchor_types`, or, when `anchor_types` is empty (`word` in the file), any
// word, whose lemma ends the path text after " @" ("^appos @product").
struct TypingRule {
  std::string id;
  std::string new_type;
  absl::flat_hash_set<std::string> from_types, anchor_types;
  std::string source;
  std::unique_ptr<RE2> regex;
};

// "phrase" lines share TypingRule: a common-noun phrase whose head is a
// product category word (ingest/context_typing.h) and whose path to a name of
// one of `anchor_types` matches `regex` becomes a mention of `new_type`
// ("HP develops printers"); from_types is unused.

class DependencyPatternSet {
 public:
  // Loads rules from each file in order. Every rule's relation must be in
  // `vocabulary`, and its types allowed by it. Errors name file and line.
  static absl::StatusOr<std::unique_ptr<DependencyPatternSet>> Load(
      const std::vector<std::string>& paths, const RelationVocabulary& vocabulary);

  // The rules, in file order, whose path regex matches all of `path` and
  // whose types accept the subject's and object's.
  std::vector<const DependencyRule*> Match(const std::string& path,
                                           const std::string& subject_type,
                                           const std::string& object_type) const;

  // The first typing rule that takes a name of `from_type` along `path` to
  // an anchor name of `anchor_type` ("" for a word anchor); null if none.
  const TypingRule* MatchTyping(const std::string& path, const std::string& from_type,
                                const std::string& anchor_type) const;

  // The first phrase rule whose path regex matches `path` to an anchor name
  // of `anchor_type`; null if none.
  const TypingRule* MatchPhrase(const std::string& path, const std::string& anchor_type) const;

  size_t size() const { return rules_.size(); }
  const std::vector<TypingRule>& typing_rules() const { return typing_rules_; }
  const std::vector<TypingRule>& phrase_rules() const { return phrase_rules_; }

 private:
  std::vector<DependencyRule> rules_;
  std::vector<TypingRule> typing_rules_;
  std::vector<TypingRule> phrase_rules_;
};

}  // namespace kgraph::ingest
