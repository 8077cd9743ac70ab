// `kgraph-admin train ner` and the NER part of `kgraph-admin eval-nlp`, as
// plain functions the CLI calls: read NER corpora named CORPUS=PATH (corpus
// names of data/nlp/ner_corpora.tsv), tag them with a tagger model, train or
// measure a NamedEntityTagger. Each call is independent; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kgraph::admin {

// Trains the entity recognizer on every `train` item and early-stops on the
// FIRST `dev` item (its PERSON/ORG/GPE span F1); the other dev items are only
// measured and printed after training. Items are "CORPUS=PATH", CORPUS one of
// wikigold, sec, uner, conll04, gum; a train item may also be "text=PATH", a
// CoNLL-U file read as unlabeled text for word classes (with the training
// sentences' own words; without any text= item there are no word classes):
// give a treebank's TRAIN file (e.g. EWT train), never a measured one. A
// corpus listed twice is trained on twice (a weight). Every sentence is POS-tagged first with
// `tagger_model` (the features need UPOS/XPOS). epochs <= 0: the default (12,
// patience 3). Gazetteers from NerGazetteer::Files::Default(). Writes `out`
// with an info string naming the training files, their licences and the dev
// F1. Returns 0, 1 on a data or model error, 2 on a bad argument.
int TrainNer(const std::vector<std::string>& train, const std::vector<std::string>& dev,
             const std::string& out, int epochs, uint64_t seed, const std::string& tagger_model);

// Measures `ner_model` (tagging first with `tagger_model`) on `file` read as
// `corpus` (e.g. "uner", "../shared/nlp/ner/uner-ewt/en_ewt-ud-dev.iob2"):
// prints exact span+type precision/recall/F1 per type the corpus annotates
// and overall, then the PERSON/ORG/GPE-only overall F1 (the target figure)
// and the recognizer's speed in words/s (one thread, tagging excluded).
// Returns 0, 1 on an error.
int EvalNer(const std::string& file, const std::string& corpus, const std::string& ner_model,
            const std::string& tagger_model);

}  // namespace kgraph::admin
