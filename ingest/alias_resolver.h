// Alias resolver: groups one document's name mentions into entities. Links a
// surname to the full name ("Powell" -> "Jerome Powell"), a short form or
// acronym to the organization ("Paramount", "WBD", "Fed"), a parenthesized
// acronym to the name before it, and gazetteer variants to one place
// ("U.S." -> "United States"). Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ingest/entity_recognizer.h"
#include "ingest/tokenizer.h"

namespace kgraph::ingest {

struct ResolvedEntity {
  std::string name;  // Canonical: the longest well-typed form.
  std::string type;
  std::vector<std::string> aliases;  // Other surface forms, distinct keys.
  std::vector<size_t> mentions;      // Indices into the mention vector.
  std::string ticker;
  bool is_country = false;
};

struct Resolution {
  std::vector<ResolvedEntity> entities;   // In order of first mention.
  std::vector<int> entity_of_mention;     // Parallel to the mentions.
};

Resolution ResolveAliases(const std::vector<NameMention>& mentions,
                          const std::vector<Token>& tokens);

}  // namespace kgraph::ingest
