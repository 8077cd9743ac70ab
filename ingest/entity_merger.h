// Entity merger: the statistical recognizer's mentions (nlp/'s NER) combined
// with the rule recognizer's (ingest/entity_recognizer.h): the model joins
// names the rules cut, types the rules' guesses and removes the guesses it
// does not take for names; the rules' knowledge stays where the model has
// none (products, dates, tickers, known places, titles). Pure function;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ingest/entity_recognizer.h"
#include "ingest/tokenizer.h"

namespace kgraph::ingest {

// A mention from the model: byte offsets into the document text.
struct ModelMention {
  size_t start = 0;
  size_t end = 0;
  std::string type;  // PERSON, ORG, GPE or MISC
};

// The mentions to resolve, in text order. The rules' mentions, changed
// where the model says otherwise, with the gazetteers as the check:
// - a model PERSON or ORG mention that covers rule name mentions (PERSON,
//   ORG, GPE) wholly, none of them with a strong cue (kContext, kStrong) for
//   another type, makes them one mention with the model's span (cut to whole
//   tokens) and type: "Northern" "and" "Eastern Shipping Plc" become one ORG
//   (joins only for ORG, never across a comma), a guess typed PERSON becomes
//   the ORG it is. The rule mention keeps its metadata (ticker; titled forms
//   only if a PERSON) and its cue strength, so the alias resolver's vote still
//   weighs the rules' cues;
// - a weakly typed PERSON run that a model PERSON of two or more words ends
//   but starts later in takes the model's span: the words before it were a
//   title the rules did not know ("Democrat Bill Clinton"), unless they are
//   initials ("E. Howard Hunt");
// - the model's GPE and MISC are not used: places come from the gazetteers
//   (an unknown capitalized word the model calls a place is, on news, more
//   often a brand it has not seen), and dates, measures and products from
//   the rules;
// - a one-word rule guess (kGuess: a Title Case word with no cue, taken for
//   a surname) that no model name overlaps is dropped, unless it repeats the
//   last word of a longer PERSON name or the first word of a longer ORG name
//   in the document (a short form: "Cook" after "Lisa Cook");
// - nothing in a headline changes (Title Case misleads the model), and a
//   name only the model sees is not added.
std::vector<NameMention> MergeModelMentions(const std::vector<NameMention>& rules,
                                            const std::vector<ModelMention>& model,
                                            const std::vector<Token>& tokens);

}  // namespace kgraph::ingest
