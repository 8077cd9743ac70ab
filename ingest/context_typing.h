// Context typing: after parsing, a name whose type rests on no strong cue is
// retyped where a typing rule of the dependency patterns places it ("GSK
// launched Horizant": Horizant is a product, not the person the recognizers
// guessed), and common-noun product phrases become mentions where a phrase
// rule places them ("HP develops printers"). Both run before coreference and
// relations read the types. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "ingest/dependency_patterns.h"
#include "ingest/entity_recognizer.h"
#include "nlp/sentence.h"

namespace kgraph::ingest {

// `ud` are the document's UD sentences (those with parsed[k] set carry a
// tree), ud_entity[k][e] the entity of ud[k].entities[e]; `mentions` and
// `entity_of_mention` the resolved name mentions. An entity is retyped only
// if its current type is a rule's from-type and none of its mentions has a
// context or strong cue (kContext, kStrong): a legal suffix, a title or a
// gazetteer entry outweighs the sentence's syntax. The first matching rule
// wins; retyped[ent] gets its id (empty where nothing changed).
void RetypeFromContext(const DependencyPatternSet& rules, const std::vector<nlp::Sentence>& ud,
                       const std::vector<bool>& parsed,
                       const std::vector<std::vector<int>>& ud_entity,
                       const std::vector<NameMention>& mentions,
                       const std::vector<int>& entity_of_mention,
                       std::vector<std::string>* entity_types, std::vector<std::string>* retyped);

// A common-noun phrase a phrase rule made a mention: words [begin, end) of
// ud[sentence], of `type`, by rule `rule`.
struct TypedPhrase {
  size_t sentence = 0, begin = 0, end = 0;
  std::string type, rule;
};

// The product phrases of the parsed sentences: a NOUN or PROPN outside every
// name whose lemma is in `categories` ("printers"), or in
// `modified_categories` with a compound, adjective or flat modifier
// ("IOM services", not "services"), with those modifiers to its left (less
// any of `leading_words` that begin it: "several new drugs" is "drugs"), whose
// path to a name matches a phrase rule ("HP develops printers": `^obj
// develop >nsubj` to an ORG). A phrase whose modifiers include a name is
// left alone: the name is the product ("the Zelvora phone").
std::vector<TypedPhrase> FindTypedPhrases(const DependencyPatternSet& rules,
                                          const std::vector<nlp::Sentence>& ud,
                                          const std::vector<bool>& parsed,
                                          const std::vector<std::vector<int>>& ud_entity,
                                          const std::vector<std::string>& entity_types,
                                          const absl::flat_hash_set<std::string>& categories,
                                          const absl::flat_hash_set<std::string>& modified_categories,
                                          const absl::flat_hash_set<std::string>& leading_words);

}  // namespace kgraph::ingest
