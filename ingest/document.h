// Plain data produced by the extraction pipeline: source documents going in,
// typed entities, triples and co-mentions coming out. No storage or RPC types
// here: other modules convert these structs. Value types; no shared state.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace kgraph::ingest {

// One article to extract from. `text` is UTF-8; every offset below is a byte
// offset into it.
struct SourceDocument {
  std::string id;
  std::string title;
  std::string date;  // YYYY-MM-DD or "".
  std::string url;
  std::string text;
  std::string source;  // "file:line" (or "file:article N"), for error messages.
  // The resolved path (or URL) of the input it came from: the key of that
  // source's manifest in the store. "" when read from no file.
  std::string source_key;
  // Read, but with a caveat the operator should see ("FILE:7: field
  // \"date\": unparseable date ...; stored undated").
  std::vector<std::string> warnings;
};

struct Mention {
  size_t start = 0;
  size_t end = 0;  // Exclusive.
};

struct ExtractedEntity {
  std::string name;  // Canonical name.
  std::string type;  // PERSON ORG GPE PRODUCT MISC.
  std::vector<std::string> aliases;
  std::vector<Mention> mentions;
  std::map<std::string, std::string> attributes;  // e.g. {"ticker", "AVP"}.
};

struct Evidence {
  std::string sentence;
  size_t start = 0;  // Byte offsets of the sentence in SourceDocument::text.
  size_t end = 0;
};

struct ExtractedTriple {
  std::string subject;  // Canonical entity names.
  std::string relation;
  std::string object;
  double confidence = 0.0;
  std::string rule;  // Id of the pattern that produced the triple.
  Evidence evidence;
  // When an argument was a pronoun or description resolved by coreference,
  // its own surface form ("it", "the company"); "" when it was a name.
  std::string subject_resolved_from, object_resolved_from;
  // The arguments' mentions in the evidence sentence (the name, or the
  // resolved pronoun or description): byte offsets into the document's
  // text, as Evidence's, so that a viewer can highlight them.
  Mention subject_mention, object_mention;
};

// A pronoun or definite description that coreference resolved to an entity.
// Kept apart from the entity's mentions and aliases: "it" never names
// anything on its own and must not merge entities across documents.
struct ExtractedCorefMention {
  std::string entity;   // canonical name of the entity it refers to
  std::string surface;  // "it", "the company"
  size_t start = 0;     // byte offsets in SourceDocument::text
  size_t end = 0;
  std::string sieve;    // the sieve that resolved it
};

// Untyped co-occurrence of two entities in one sentence; a < b.
struct CoMention {
  std::string a;
  std::string b;
  int count = 0;
};

struct ExtractedDocument {
  std::string doc_id;
  std::string title;
  std::string date;
  std::string url;
  std::vector<ExtractedEntity> entities;
  std::vector<ExtractedTriple> triples;
  std::vector<CoMention> co_mentions;
  std::vector<ExtractedCorefMention> coref_mentions;  // in text order
  // With ExtractorConfig::record_paths only (for eval's miss list; never
  // written out): the dependency path between two entity mentions of a
  // parsed sentence (names and pronouns resolved to them, dates and
  // measures left out), as the dependency patterns saw it, with the cue on
  // it that dropped any match ("negated", "past") or lowered it ("hedged").
  struct PairPath {
    std::string subject, object, path, cue;
  };
  bool paths_recorded = false;
  std::vector<PairPath> paths;
};

}  // namespace kgraph::ingest
