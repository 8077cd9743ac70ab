// `kgraph-admin eval-nlp FILE --coref`: measures ingest/CorefResolver on a
// GUM CoNLL-U file (ingest/coref_gum.h: gold tokens, tags and trees from the
// committed models, gold PROPN-headed mentions as the named antecedents).
// A plain function the CLI calls; no shared state.
#pragma once

#include <string>

namespace kgraph::admin {

// Prints "COREF pronouns A (c/n) descriptions B (c/n) overall C", then the
// misses split into wrong and unresolved, the resolutions outside the
// measured set, the figures per sieve, and with `list_misses` every miss.
// `models_dir` holds tagger.model and parser.model; `coref_data_dir` empty =
// the default data/coref. Returns 0, 1 on an error.
int EvalCoref(const std::string& file, const std::string& models_dir,
              const std::string& coref_data_dir, bool list_misses);

}  // namespace kgraph::admin
