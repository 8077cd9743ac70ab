#include "ingest/extracted_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "model/json_text.h"
#include "model/name_key.h"

namespace kgraph::ingest {

namespace {

// JSON text is written directly rather than through a DOM: building an
// ordered_json tree per document was a quarter of `extract`'s CPU.

void AppendString(std::string* out, const std::string& s) { model::AppendJsonString(s, out); }

void AppendKey(std::string* out, const char* key) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void AppendStringField(std::string* out, const char* key, const std::string& value) {
  AppendKey(out, key);
  AppendString(out, value);
}

}  // namespace

std::string ToJsonLine(const ExtractedDocument& doc) {
  std::string out;
  out.reserve(1024);
  out.push_back('{');
  AppendStringField(&out, "doc", doc.doc_id);
  out.push_back(',');
  AppendStringField(&out, "title", doc.title);
  if (!doc.date.empty()) {
    out.push_back(',');
    AppendStringField(&out, "date", doc.date);
  }
  if (!doc.url.empty()) {
    out.push_back(',');
    AppendStringField(&out, "url", doc.url);
  }
  out.append(",\"entities\":[");
  for (size_t i = 0; i < doc.entities.size(); ++i) {
    const ExtractedEntity& e = doc.entities[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    AppendStringField(&out, "name", e.name);
    out.push_back(',');
    AppendStringField(&out, "type", e.type);
    out.append(",\"aliases\":[");
    for (size_t k = 0; k < e.aliases.size(); ++k) {
      if (k > 0) out.push_back(',');
      AppendString(&out, e.aliases[k]);
    }
    out.append("],\"mentions\":[");
    for (size_t k = 0; k < e.mentions.size(); ++k) {
      if (k > 0) out.push_back(',');
      absl::StrAppend(&out, "[", e.mentions[k].start, ",", e.mentions[k].end, "]");
    }
    out.push_back(']');
    if (!e.attributes.empty()) {
      out.append(",\"attributes\":{");
      bool first = true;
      for (const auto& [k, v] : e.attributes) {
        if (!first) out.push_back(',');
        first = false;
        AppendString(&out, k);
        out.push_back(':');
        AppendString(&out, v);
      }
      out.push_back('}');
    }
    out.push_back('}');
  }
  out.append("],\"triples\":[");
  for (size_t i = 0; i < doc.triples.size(); ++i) {
    const ExtractedTriple& t = doc.triples[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    AppendStringField(&out, "subject", t.subject);
    out.push_back(',');
    AppendStringField(&out, "relation", t.relation);
    out.push_back(',');
    AppendStringField(&out, "object", t.object);
    // Rounded to 3 decimals and printed the way nlohmann prints doubles
    // (shortest round-trip form), so consumers see the same numbers.
    out.append(",\"confidence\":");
    out.append(nlohmann::json(static_cast<double>(static_cast<int>(t.confidence * 1000 + 0.5)) / 1000)
                   .dump());
    out.push_back(',');
    AppendStringField(&out, "rule", t.rule);
    out.append(",\"evidence\":{");
    AppendStringField(&out, "sentence", t.evidence.sentence);
    absl::StrAppend(&out, ",\"start\":", t.evidence.start, ",\"end\":", t.evidence.end, "}");
    if (t.subject_mention.end > t.subject_mention.start) {
      absl::StrAppend(&out, ",\"subject_mention\":[", t.subject_mention.start, ",",
                      t.subject_mention.end, "]");
    }
    if (t.object_mention.end > t.object_mention.start) {
      absl::StrAppend(&out, ",\"object_mention\":[", t.object_mention.start, ",",
                      t.object_mention.end, "]");
    }
    if (!t.subject_resolved_from.empty()) {
      out.push_back(',');
      AppendStringField(&out, "subject_resolved_from", t.subject_resolved_from);
    }
    if (!t.object_resolved_from.empty()) {
      out.push_back(',');
      AppendStringField(&out, "object_resolved_from", t.object_resolved_from);
    }
    out.push_back('}');
  }
  out.append("],\"co_mentions\":[");
  for (size_t i = 0; i < doc.co_mentions.size(); ++i) {
    const CoMention& c = doc.co_mentions[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    AppendStringField(&out, "a", c.a);
    out.push_back(',');
    AppendStringField(&out, "b", c.b);
    absl::StrAppend(&out, ",\"count\":", c.count, "}");
  }
  out.push_back(']');
  if (!doc.coref_mentions.empty()) {
    out.append(",\"coref_mentions\":[");
    for (size_t i = 0; i < doc.coref_mentions.size(); ++i) {
      const ExtractedCorefMention& c = doc.coref_mentions[i];
      if (i > 0) out.push_back(',');
      out.push_back('{');
      AppendStringField(&out, "entity", c.entity);
      out.push_back(',');
      AppendStringField(&out, "surface", c.surface);
      absl::StrAppend(&out, ",\"start\":", c.start, ",\"end\":", c.end, ",");
      AppendStringField(&out, "sieve", c.sieve);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
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
      auto span = [&](const char* key, Mention* m) {
        if (jt.contains(key) && jt[key].is_array() && jt[key].size() == 2) {
          *m = {jt[key][0].get<size_t>(), jt[key][1].get<size_t>()};
        }
      };
      span("subject_mention", &t.subject_mention);
      span("object_mention", &t.object_mention);
      t.subject_resolved_from = jt.value("subject_resolved_from", "");
      t.object_resolved_from = jt.value("object_resolved_from", "");
      doc.triples.push_back(std::move(t));
    }
    for (const auto& jc : j.value("coref_mentions", nlohmann::json::array())) {
      ExtractedCorefMention c;
      c.entity = jc.value("entity", "");
      c.surface = jc.value("surface", "");
      c.start = jc.value("start", size_t{0});
      c.end = jc.value("end", size_t{0});
      c.sieve = jc.value("sieve", "");
      doc.coref_mentions.push_back(std::move(c));
    }
    return doc;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("bad prediction JSON: ", e.what()));
  }
}

}  // namespace kgraph::ingest
