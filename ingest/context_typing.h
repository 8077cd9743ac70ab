// Context typing: after parsing, a name whose type rests on no strong cue is
// retyped where a typing rule of the dependency patterns places it ("GSK
// launched Horizant": Horizant is a product, not the person the recognizers
// guessed). Whole entities change type, before coreference and relations
// read the types. Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

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

}  // namespace kgraph::ingest
