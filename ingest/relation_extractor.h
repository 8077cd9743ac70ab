// Relation extractor: runs the pattern set over one placeholder sentence,
// enforces the vocabulary's subject/object types, expands coordinated
// objects ("tariffs on A, B and C"), and drops negated or down-weights hedged
// matches. Immutable after construction; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "ingest/pattern_set.h"
#include "ingest/placeholder_sentence.h"
#include "ingest/relation_vocabulary.h"

namespace kgraph::ingest {

// A hedged match's ("may", "considering") confidence is multiplied by this,
// for surface and dependency rules alike. Every confidence is below 1, so a
// hedged one is below 0.3, the default floor (ExtractorConfig::min_confidence):
// nothing hedged is reported by default, since a hedge is no fact. A lower floor shows
// hedged triples, ranked below the plain ones.
inline constexpr double kHedgeFactor = 0.3;
// A triple reached through a resolved pronoun or description is less
// certain than one between names (the resolution may be wrong).
inline constexpr double kAnaphoraFactor = 0.85;

struct SentenceRelation {
  int subject = -1;  // Entity indices.
  int object = -1;
  std::string relation;
  double confidence = 0.0;
  std::string rule;
  // A match a blocker word dropped (blockers.tsv): no triple, but the pair
  // counts as read, so that no other reader (the relation classifier) gives
  // it the relation the blocker ruled out.
  bool blocked = false;
};

struct CueWords {
  absl::flat_hash_set<std::string> negators;  // Drop the triple.
  absl::flat_hash_set<std::string> hedges;    // Lower its confidence.
  absl::flat_hash_set<std::string> list_connectors;
  // Modifiers that make a role noun's holder a past one ("former").
  absl::flat_hash_set<std::string> past_modifiers;
  // Per relation: words that, between a surface match's subject and object
  // or right after the object, drop it ("29 pct of X" is no takeover),
  // unless one of the lifting words is there too ("all", "majority").
  struct Blocker {
    absl::flat_hash_set<std::string> block, lift;
  };
  absl::flat_hash_map<std::string, Blocker> blockers;

  // Reads data_dir/relations/{negators,hedges,list_connectors,
  // past_modifiers}.txt and blockers.tsv.
  static absl::StatusOr<CueWords> Load(const std::string& data_dir);
};

class RelationExtractor {
 public:
  // REQUIRES: the arguments outlive the extractor.
  RelationExtractor(const PatternSet& patterns,
                    const RelationVocabulary& vocabulary, const CueWords& cues)
      : patterns_(patterns), vocabulary_(vocabulary), cues_(cues) {}

  // `entity_types[i]` is the type of entity i, `entity_names[i]` (optional)
  // its name: a blocker may be the last word of a MISC measure ("42
  // percent"). Results are in rule order, then match order; duplicates are
  // left for the caller to merge.
  std::vector<SentenceRelation> Extract(
      const PlaceholderSentence& sentence, const std::vector<std::string>& entity_types,
      const std::vector<std::string>* entity_names = nullptr) const;

 private:
  const PatternSet& patterns_;
  const RelationVocabulary& vocabulary_;
  const CueWords& cues_;
};

}  // namespace kgraph::ingest
