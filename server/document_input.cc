// Proto Document -> storage::DocumentInput, with field-named validation.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "ingest/date_parse.h"
#include "model/name_key.h"
#include "model/text_limits.h"
#include "server/ingest_service.h"

namespace kgraph::server {
namespace {

absl::Status Invalid(const std::string& at, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(at, ": ", problem));
}

// A doc id is a single line of bounded size (it is echoed in acks and logs).
absl::Status CheckDocId(const std::string& id, const std::string& at) {
  if (id.empty()) return Invalid(at, "required");
  if (id.size() > kMaxDocIdBytes) {
    return Invalid(at, absl::StrCat("doc id of ", id.size(), " bytes exceeds the limit of ",
                                    kMaxDocIdBytes, ": ", QuoteForMessage(id)));
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    if (c < 0x20 || c == 0x7f) {
      return Invalid(at, absl::StrCat("control character at byte ", i, ": ", QuoteForMessage(id)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSize(const std::string& value, size_t limit, const std::string& at) {
  if (value.size() <= limit) return absl::OkStatus();
  return Invalid(at, absl::StrCat(value.size(), " bytes exceed the limit of ", limit));
}

absl::Status CheckName(const std::string& name, const std::string& at) {
  absl::Status valid = ValidateEntityName(name);
  return valid.ok() ? valid : Invalid(at, valid.message());
}

// The document's date as YYYY-MM-DD ("" if it has none). Storage would drop
// a date it cannot read, so a bad one is refused instead.
absl::StatusOr<std::string> DayOf(const v1::Document& doc, const std::string& field) {
  if (doc.date().empty()) return std::string();
  absl::StatusOr<std::string> day = ingest::ParseDate(doc.date());
  if (!day.ok()) return Invalid(field + ".date", day.status().message());
  return day;
}

// The fields both ways of ingesting share: id, sizes.
absl::Status CheckDocumentFields(const v1::Document& doc, const std::string& field) {
  absl::Status s = CheckDocId(doc.doc_id(), field + ".doc_id");
  if (!s.ok()) return s;
  s = CheckSize(doc.title(), kMaxTitleBytes, field + ".title");
  if (s.ok()) s = CheckSize(doc.url(), kMaxUrlBytes, field + ".url");
  if (s.ok()) s = CheckSize(doc.text(), kMaxDocumentTextBytes, field + ".text");
  return s;
}

}  // namespace

absl::StatusOr<storage::DocumentInput> ToDocumentInput(const v1::Document& doc,
                                                       const TextExtractor& extractor,
                                                       const std::string& field) {
  absl::Status checked = CheckDocumentFields(doc, field);
  if (!checked.ok()) return checked;
  absl::StatusOr<std::string> day = DayOf(doc, field);
  if (!day.ok()) return day.status();
  if (doc.triples().empty() && doc.entities().empty()) {
    if (!doc.has_text() || doc.text().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": has neither triples, entities nor text"));
    }
    if (!extractor) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, " (", QuoteForMessage(doc.doc_id()),
          "): carries only text and this server has no text extractor wired in; "
          "send entities and triples instead"));
    }
    absl::StatusOr<storage::DocumentInput> extracted = extractor(doc);
    if (!extracted.ok()) {
      return absl::Status(extracted.status().code(),
                          absl::StrCat(field, ".text: ", extracted.status().message()));
    }
    extracted->doc_id = doc.doc_id();
    extracted->date = *day;
    return extracted;
  }
  storage::DocumentInput input;
  input.doc_id = doc.doc_id();
  input.title = doc.title();
  input.date = *day;
  input.url = doc.url();
  // Same id and same content => a no-op re-ingest in storage.
  input.content_hash = storage::DocumentHash(doc.SerializeAsString());
  std::set<std::string> known_keys;
  for (int i = 0; i < doc.entities_size(); ++i) {
    const v1::DocumentEntity& e = doc.entities(i);
    const std::string at = absl::StrCat(field, ".entities[", i, "]");
    absl::Status name = CheckName(e.name(), at + ".name");
    if (!name.ok()) return name;
    for (int a = 0; a < e.aliases_size(); ++a) {
      name = CheckName(e.aliases(a), absl::StrCat(at, ".aliases[", a, "]"));
      if (!name.ok()) return name;
    }
    if (e.mentions() < 0) return Invalid(at + ".mentions", "must be >= 0");
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
    if (t.relation().empty()) return Invalid(at + ".relation", "required");
    absl::Status valid = CheckName(t.relation(), at + ".relation");
    if (!valid.ok()) return valid;
    // Written so that NaN fails too.
    if (!(t.confidence() >= 0 && t.confidence() <= 1)) {
      return Invalid(at + ".confidence", "must be in (0, 1]");
    }
    for (const std::string* name : {&t.subject(), &t.object()}) {
      valid = CheckName(*name, at + (name == &t.subject() ? ".subject" : ".object"));
      if (!valid.ok()) return valid;
      const std::string key = NameKey(*name);
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
    triple.subject_mention = {t.subject_mention().start(), t.subject_mention().end(),
                              t.subject_mention().resolved_from()};
    triple.object_mention = {t.object_mention().start(), t.object_mention().end(),
                             t.object_mention().resolved_from()};
    input.triples.push_back(std::move(triple));
  }
  return input;
}

}  // namespace kgraph::server
