#include "pipeline/document_conversion.h"

#include <algorithm>

#include <xxhash.h>

namespace kgraph::pipeline {

uint64_t TextHash(std::string_view title, std::string_view text) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  XXH3_64bits_update(st, title.data(), title.size());
  XXH3_64bits_update(st, "\0", 1);
  XXH3_64bits_update(st, text.data(), text.size());
  const uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return h == 0 ? 1 : h;
}

storage::DocumentInput ToDocumentInput(const ingest::ExtractedDocument& doc,
                                       std::string_view source_text) {
  storage::DocumentInput in;
  in.doc_id = doc.doc_id;
  in.title = doc.title;
  in.date = doc.date;
  in.url = doc.url;
  in.content_hash = XXH3_64bits(source_text.data(), source_text.size());
  in.text_hash = TextHash(doc.title, source_text);
  in.entities.reserve(doc.entities.size());
  for (const auto& e : doc.entities) {
    // Dates, times and measures (MISC) are extracted, and scored, but are no
    // graph nodes: no relation takes them, and a node "13 Feb 94" would only
    // gather co-mentions.
    if (e.type == "MISC") continue;
    storage::EntityInput ei;
    ei.name = e.name;
    ei.type = e.type;
    ei.aliases = e.aliases;
    ei.mentions = std::max<int64_t>(1, static_cast<int64_t>(e.mentions.size()));
    ei.attributes = e.attributes;
    in.entities.push_back(std::move(ei));
  }
  in.triples.reserve(doc.triples.size() + doc.co_mentions.size());
  for (const auto& t : doc.triples) {
    storage::TripleInput ti;
    ti.subject = t.subject;
    ti.relation = t.relation;
    ti.object = t.object;
    ti.confidence = std::clamp(t.confidence, 0.0, 1.0);
    ti.rule = t.rule;
    ti.sentence = t.evidence.sentence;
    ti.start = t.evidence.start;
    ti.end = t.evidence.end;
    ti.subject_mention = {t.subject_mention.start, t.subject_mention.end, t.subject_resolved_from};
    ti.object_mention = {t.object_mention.start, t.object_mention.end, t.object_resolved_from};
    in.triples.push_back(std::move(ti));
  }
  // Co-mentions are one evidence record per document; the edge weight is
  // then the number of documents in which the pair co-occurs. Co-occurring
  // is not evidence of any relation, so there is no confidence to give.
  for (const auto& c : doc.co_mentions) {
    storage::TripleInput ti;
    ti.subject = c.a;
    ti.relation = kCoMentionRelation;
    ti.object = c.b;
    ti.confidence = 0.0;
    ti.rule = kCoMentionRule;
    in.triples.push_back(std::move(ti));
  }
  return in;
}

}  // namespace kgraph::pipeline
