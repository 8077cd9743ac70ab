// Proto Document -> storage::DocumentInput, with field-named validation.
#include <set>

#include "absl/strings/str_cat.h"
#include "model/name_key.h"
#include "server/ingest_service.h"

namespace kgraph::server {

absl::StatusOr<storage::DocumentInput> ToDocumentInput(const v1::Document& doc,
                                                       const TextExtractor& extractor,
                                                       const std::string& field) {
  if (doc.doc_id().empty()) return absl::InvalidArgumentError(absl::StrCat(field, ".doc_id: required"));
  if (doc.triples().empty() && doc.entities().empty()) {
    if (!doc.has_text() || doc.text().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": has neither triples, entities nor text"));
    }
    if (!extractor) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, " (", doc.doc_id(),
          "): carries only text and this server has no text extractor wired in; "
          "send entities and triples instead"));
    }
    absl::StatusOr<storage::DocumentInput> extracted = extractor(doc);
    if (!extracted.ok()) return extracted.status();
    extracted->doc_id = doc.doc_id();
    return extracted;
  }
  storage::DocumentInput input;
  input.doc_id = doc.doc_id();
  input.title = doc.title();
  input.date = doc.date();
  input.url = doc.url();
  // Same id and same content => a no-op re-ingest in storage.
  input.content_hash = storage::DocumentHash(doc.SerializeAsString());
  std::set<std::string> known_keys;
  for (int i = 0; i < doc.entities_size(); ++i) {
    const v1::DocumentEntity& e = doc.entities(i);
    if (NameKey(e.name()).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".entities[", i, "].name: needs a letter or digit"));
    }
    if (e.mentions() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".entities[", i, "].mentions: must be >= 0"));
    }
    storage::EntityInput entity;
    entity.name = e.name();
    entity.type = e.type();
    entity.aliases.assign(e.aliases().begin(), e.aliases().end());
    entity.mentions = e.mentions() == 0 ? 1 : e.mentions();
    entity.attributes.insert(e.attributes().begin(), e.attributes().end());
    known_keys.insert(NameKey(e.name()));
    for (const std::string& alias : e.aliases()) known_keys.insert(NameKey(alias));
    input.entities.push_back(std::move(entity));
  }
  for (int i = 0; i < doc.triples_size(); ++i) {
    const v1::DocumentTriple& t = doc.triples(i);
    const std::string at = absl::StrCat(field, ".triples[", i, "]");
    if (t.relation().empty()) return absl::InvalidArgumentError(absl::StrCat(at, ".relation: required"));
    if (t.confidence() < 0 || t.confidence() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(at, ".confidence: must be in (0, 1]"));
    }
    for (const std::string* name : {&t.subject(), &t.object()}) {
      const std::string key = NameKey(*name);
      if (key.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            at, name == &t.subject() ? ".subject" : ".object", ": needs a letter or digit"));
      }
      // Storage wants every endpoint to be one of the document's entities.
      if (known_keys.insert(key).second) {
        storage::EntityInput entity;
        entity.name = *name;
        input.entities.push_back(std::move(entity));
      }
    }
    storage::TripleInput triple;
    triple.subject = t.subject();
    triple.relation = t.relation();
    triple.object = t.object();
    triple.confidence = t.confidence() == 0 ? 1.0 : t.confidence();
    triple.rule = t.rule();
    triple.sentence = t.sentence();
    triple.start = t.start();
    triple.end = t.end();
    input.triples.push_back(std::move(triple));
  }
  return input;
}

}  // namespace kgraph::server
