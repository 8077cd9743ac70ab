#include "ingest/extracted_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace kgraph::ingest {

std::string ToJsonLine(const ExtractedDocument& doc) {
  nlohmann::ordered_json j;
  j["doc"] = doc.doc_id;
  j["title"] = doc.title;
  if (!doc.date.empty()) j["date"] = doc.date;
  if (!doc.url.empty()) j["url"] = doc.url;
  nlohmann::ordered_json entities = nlohmann::ordered_json::array();
  for (const ExtractedEntity& e : doc.entities) {
    nlohmann::ordered_json je;
    je["name"] = e.name;
    je["type"] = e.type;
    je["aliases"] = e.aliases;
    nlohmann::ordered_json mentions = nlohmann::ordered_json::array();
    for (const Mention& m : e.mentions) mentions.push_back({m.start, m.end});
    je["mentions"] = std::move(mentions);
    if (!e.attributes.empty()) je["attributes"] = e.attributes;
    entities.push_back(std::move(je));
  }
  j["entities"] = std::move(entities);
  nlohmann::ordered_json triples = nlohmann::ordered_json::array();
  for (const ExtractedTriple& t : doc.triples) {
    nlohmann::ordered_json jt;
    jt["subject"] = t.subject;
    jt["relation"] = t.relation;
    jt["object"] = t.object;
    jt["confidence"] = static_cast<double>(static_cast<int>(t.confidence * 1000 + 0.5)) / 1000;
    jt["rule"] = t.rule;
    jt["evidence"] = {{"sentence", t.evidence.sentence},
                      {"start", t.evidence.start},
                      {"end", t.evidence.end}};
    triples.push_back(std::move(jt));
  }
  j["triples"] = std::move(triples);
  nlohmann::ordered_json co = nlohmann::ordered_json::array();
  for (const CoMention& c : doc.co_mentions) {
    co.push_back({{"a", c.a}, {"b", c.b}, {"count", c.count}});
  }
  j["co_mentions"] = std::move(co);
  // Invalid UTF-8 cannot reach here (readers reject it), but never throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<ExtractedDocument> FromJsonLine(absl::string_view line) {
  try {
    nlohmann::json j = nlohmann::json::parse(line);
    ExtractedDocument doc;
    doc.doc_id = j.value("doc", "");
    doc.title = j.value("title", "");
    doc.date = j.value("date", "");
    doc.url = j.value("url", "");
    for (const auto& je : j.value("entities", nlohmann::json::array())) {
      ExtractedEntity e;
      e.name = je.value("name", "");
      e.type = je.value("type", "");
      e.aliases = je.value("aliases", std::vector<std::string>{});
      for (const auto& m : je.value("mentions", nlohmann::json::array())) {
        if (m.is_array() && m.size() == 2) {
          e.mentions.push_back({m[0].get<size_t>(), m[1].get<size_t>()});
        }
      }
      doc.entities.push_back(std::move(e));
    }
    for (const auto& jt : j.value("triples", nlohmann::json::array())) {
      ExtractedTriple t;
      t.subject = jt.value("subject", "");
      t.relation = jt.value("relation", "");
      t.object = jt.value("object", "");
      t.confidence = jt.value("confidence", 1.0);
      t.rule = jt.value("rule", "");
      if (jt.contains("evidence") && jt["evidence"].is_object()) {
        t.evidence.sentence = jt["evidence"].value("sentence", "");
        t.evidence.start = jt["evidence"].value("start", size_t{0});
        t.evidence.end = jt["evidence"].value("end", size_t{0});
      }
      doc.triples.push_back(std::move(t));
    }
    return doc;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("bad prediction JSON: ", e.what()));
  }
}

}  // namespace kgraph::ingest
