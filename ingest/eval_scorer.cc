#include "ingest/eval_scorer.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/name_key.h"

namespace kgraph::ingest {
namespace {

// Lenient matches need this many characters in the shorter key.
constexpr size_t kMinSuffixChars = 4;

std::vector<std::string> Keys(const std::string& name,
                              const std::vector<std::string>& aliases) {
  std::vector<std::string> keys;
  std::string k = NameKey(name);
  if (!k.empty()) keys.push_back(k);
  for (const std::string& a : aliases) {
    std::string ak = NameKey(a);
    if (!ak.empty()) keys.push_back(ak);
  }
  return keys;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Keys of the entity named `name` in a list of (name, keys).
template <typename Entity>
std::vector<std::string> KeysOfName(const std::string& name,
                                    const std::vector<Entity>& entities) {
  for (const Entity& e : entities) {
    if (e.name == name) return Keys(e.name, e.aliases);
  }
  return Keys(name, {});
}

void ScoreEntities(const GoldDocument& g, const ExtractedDocument& p,
                   bool lenient, Counts& counts,
                   std::map<std::string, Counts>* by_type,
                   std::vector<std::string>* fps,
                   std::vector<std::string>* misses) {
  std::vector<bool> used(p.entities.size(), false);
  for (const GoldEntity& ge : g.entities) {
    ++counts.gold;
    if (by_type) ++(*by_type)[ge.type].gold;
    auto gk = Keys(ge.name, ge.aliases);
    bool found = false;
    for (size_t i = 0; i < p.entities.size(); ++i) {
      const ExtractedEntity& pe = p.entities[i];
      if (pe.type != ge.type) continue;
      if (!KeysMatch(gk, Keys(pe.name, pe.aliases), lenient)) continue;
      found = true;
      if (!used[i]) {
        used[i] = true;
        break;
      }
    }
    if (found) {
      ++counts.found;
      if (by_type) ++(*by_type)[ge.type].found;
    } else if (misses) {
      misses->push_back(absl::StrCat(g.doc, g.article ? absl::StrCat("#", g.article) : "",
                                     "  entity  ", ge.name, " (", ge.type, ")"));
    }
  }
  // A prediction is correct when it matches any gold entity by name and type.
  for (size_t i = 0; i < p.entities.size(); ++i) {
    const ExtractedEntity& pe = p.entities[i];
    if (!g.annotated_entity_types.empty() &&
        std::find(g.annotated_entity_types.begin(), g.annotated_entity_types.end(), pe.type) ==
            g.annotated_entity_types.end()) {
      continue;  // a type the gold line does not annotate is not scored
    }
    auto pk = Keys(pe.name, pe.aliases);
    bool ok = false;
    for (const GoldEntity& ge : g.entities) {
      if (ge.type == pe.type && KeysMatch(pk, Keys(ge.name, ge.aliases), lenient)) {
        ok = true;
        break;
      }
    }
    if (ok) {
      ++counts.tp;
      if (by_type) ++(*by_type)[pe.type].tp;
    } else {
      ++counts.fp;
      if (by_type) ++(*by_type)[pe.type].fp;
      if (fps) {
        fps->push_back(absl::StrCat(g.doc, g.article ? absl::StrCat("#", g.article) : "",
                                    "  entity  ", pe.name, " (", pe.type, ")"));
      }
    }
  }
}

bool TripleMatches(const ExtractedTriple& t, const ExtractedDocument& p,
                   const GoldTriple& gt, const GoldDocument& g,
                   const RelationVocabulary& vocab, bool lenient) {
  const RelationSpec* spec = vocab.Find(t.relation);
  bool relation_ok = t.relation == gt.relation ||
                     (spec != nullptr && spec->broader == gt.relation);
  if (!relation_ok) return false;
  auto ps = KeysOfName(t.subject, p.entities);
  auto po = KeysOfName(t.object, p.entities);
  auto gs = KeysOfName(gt.subject, g.entities);
  auto go = KeysOfName(gt.object, g.entities);
  if (KeysMatch(ps, gs, lenient) && KeysMatch(po, go, lenient)) return true;
  const RelationSpec* gold_spec = vocab.Find(gt.relation);
  bool symmetric = (spec != nullptr && spec->symmetric) ||
                   (gold_spec != nullptr && gold_spec->symmetric);
  return symmetric && KeysMatch(ps, go, lenient) && KeysMatch(po, gs, lenient);
}

// Why a missed gold triple was missed, as far as the extraction shows: a
// name not found, or the dependency path between the two names with the cue
// that dropped a match on it (ExtractedDocument::paths, kept when extraction
// ran with record_paths; no path recorded for the pair means that no parsed
// sentence held both as relation arguments). Names match strictly, as the
// strict pass, the only one listing misses, does.
std::string MissReason(const GoldTriple& gt, const GoldDocument& g, const ExtractedDocument& p) {
  auto named = [&](const std::string& gold_name) {
    const auto gk = KeysOfName(gold_name, g.entities);
    std::vector<std::string> names;
    for (const ExtractedEntity& e : p.entities) {
      if (KeysMatch(gk, Keys(e.name, e.aliases), false)) names.push_back(e.name);
    }
    return names;
  };
  const std::vector<std::string> subjects = named(gt.subject), objects = named(gt.object);
  if (subjects.empty() || objects.empty()) {
    return subjects.empty() && objects.empty() ? "neither name found"
           : subjects.empty()                  ? "subject not found"
                                               : "object not found";
  }
  if (!p.paths_recorded) return "";
  // A pair can meet in several sentences: a real path first, and with it
  // the cue that dropped the match.
  const ExtractedDocument::PairPath* best = nullptr;
  for (const ExtractedDocument::PairPath& pp : p.paths) {
    const bool pair = std::find(subjects.begin(), subjects.end(), pp.subject) != subjects.end() &&
                      std::find(objects.begin(), objects.end(), pp.object) != objects.end();
    if (!pair) continue;
    if (best == nullptr || (best->path.empty() && !pp.path.empty())) best = &pp;
  }
  if (best == nullptr) return "no path recorded for the pair";
  if (best->path.empty()) return "no dependency path (longer than 8 edges, or not connected)";
  return absl::StrCat("path ", best->path, best->cue.empty() ? "" : ", ", best->cue);
}

void ScoreTriples(const GoldDocument& g, const ExtractedDocument& p,
                  const RelationVocabulary& vocab, bool lenient,
                  Counts& counts, std::map<std::string, Counts>& by_relation,
                  std::map<std::string, Counts>* by_rule, std::vector<std::string>* fps,
                  std::vector<std::string>* misses) {
  const std::string doc =
      absl::StrCat(g.doc, g.article ? absl::StrCat("#", g.article) : "");
  for (const GoldTriple& gt : g.triples) {
    if (!gt.required) continue;
    ++counts.gold;
    ++by_relation[gt.relation].gold;
    bool found = false;
    for (const ExtractedTriple& t : p.triples) {
      if (TripleMatches(t, p, gt, g, vocab, lenient)) {
        found = true;
        break;
      }
    }
    if (found) {
      ++counts.found;
      ++by_relation[gt.relation].found;
    } else if (misses) {
      const std::string why = MissReason(gt, g, p);
      misses->push_back(absl::StrCat(doc, "  triple  (", gt.subject, ", ", gt.relation, ", ",
                                     gt.object, ")", why.empty() ? "" : "  [", why,
                                     why.empty() ? "" : "]"));
    }
  }
  for (const ExtractedTriple& t : p.triples) {
    if (!g.annotated_relations.empty()) {
      const RelationSpec* spec = vocab.Find(t.relation);
      auto annotated = [&](const std::string& r) {
        return std::find(g.annotated_relations.begin(), g.annotated_relations.end(), r) !=
               g.annotated_relations.end();
      };
      if (!annotated(t.relation) && !(spec != nullptr && !spec->broader.empty() && annotated(spec->broader))) {
        continue;  // a relation the gold line does not annotate is not scored
      }
    }
    bool required_match = false, optional_match = false;
    for (const GoldTriple& gt : g.triples) {
      if (!TripleMatches(t, p, gt, g, vocab, lenient)) continue;
      (gt.required ? required_match : optional_match) = true;
    }
    if (required_match) {
      ++counts.tp;
      ++by_relation[t.relation].tp;
      if (by_rule) ++(*by_rule)[t.rule].tp;
    } else if (!optional_match) {
      ++counts.fp;
      ++by_relation[t.relation].fp;
      if (by_rule) ++(*by_rule)[t.rule].fp;
      if (fps) {
        fps->push_back(absl::StrCat(doc, "  triple  (", t.subject, ", ",
                                    t.relation, ", ", t.object, ")  [", t.rule,
                                    "] ", t.evidence.sentence.substr(0, 160)));
      }
    }
  }
}

std::string Line(const std::string& label, const Counts& c) {
  return absl::StrFormat("%-28s P=%.3f R=%.3f F1=%.3f  (tp=%d fp=%d found=%d/%d)\n",
                         label, c.Precision(), c.Recall(), c.F1(), c.tp, c.fp,
                         c.found, c.gold);
}

}  // namespace

bool KeysMatch(const std::vector<std::string>& a,
               const std::vector<std::string>& b, bool lenient) {
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (x == y) return true;
      if (!lenient) continue;
      const std::string& shorter = x.size() < y.size() ? x : y;
      const std::string& longer = x.size() < y.size() ? y : x;
      if (shorter.size() >= kMinSuffixChars && EndsWith(longer, shorter)) {
        return true;
      }
    }
  }
  return false;
}

absl::StatusOr<std::vector<GoldDocument>> LoadGold(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::vector<GoldDocument> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      nlohmann::json j = nlohmann::json::parse(line);
      GoldDocument g;
      g.doc = j.value("doc", "");
      g.article = j.value("article", 0);
      g.title = j.value("title", "");
      g.text = j.value("text", "");
      for (const auto& e : j.value("entities", nlohmann::json::array())) {
        g.entities.push_back({e.value("name", ""), e.value("type", ""),
                              e.value("aliases", std::vector<std::string>{})});
      }
      for (const auto& t : j.value("triples", nlohmann::json::array())) {
        g.triples.push_back({t.value("subject", ""), t.value("relation", ""),
                             t.value("object", ""), t.value("required", true)});
      }
      g.annotated_relations = j.value("annotated_relations", std::vector<std::string>{});
      g.annotated_entity_types = j.value("annotated_entity_types", std::vector<std::string>{});
      out.push_back(std::move(g));
    } catch (const nlohmann::json::exception& e) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": ", e.what()));
    }
  }
  return out;
}

EvalReport Score(const std::vector<GoldDocument>& gold,
                 const std::vector<ExtractedDocument>& predicted,
                 const RelationVocabulary& vocabulary) {
  EvalReport r;
  for (size_t i = 0; i < gold.size(); ++i) {
    static const ExtractedDocument kEmpty;
    const ExtractedDocument& p = i < predicted.size() ? predicted[i] : kEmpty;
    ScoreEntities(gold[i], p, false, r.entities_strict, &r.entity_type_strict,
                  &r.false_positives, &r.misses);
    ScoreEntities(gold[i], p, true, r.entities_lenient, nullptr, nullptr,
                  nullptr);
    ScoreTriples(gold[i], p, vocabulary, false, r.triples_strict,
                 r.relation_strict, &r.rule_strict, &r.false_positives, &r.misses);
    ScoreTriples(gold[i], p, vocabulary, true, r.triples_lenient,
                 r.relation_lenient, &r.rule_lenient, nullptr, nullptr);
  }
  return r;
}

std::string FormatReport(const EvalReport& r, bool list_errors) {
  std::string out;
  absl::StrAppend(&out, Line("entities (strict)", r.entities_strict),
                  Line("entities (lenient)", r.entities_lenient),
                  Line("triples (strict)", r.triples_strict),
                  Line("triples (lenient)", r.triples_lenient));
  // The three name types the NER model and issue targets are about.
  Counts names;
  for (const char* type : {"PERSON", "ORG", "GPE"}) {
    auto it = r.entity_type_strict.find(type);
    if (it == r.entity_type_strict.end()) continue;
    names.tp += it->second.tp;
    names.fp += it->second.fp;
    names.found += it->second.found;
    names.gold += it->second.gold;
  }
  absl::StrAppend(&out, Line("entities PERSON/ORG/GPE", names));
  absl::StrAppend(&out, "\nper entity type (strict):\n");
  for (const auto& [type, c] : r.entity_type_strict) {
    absl::StrAppend(&out, Line("  " + type, c));
  }
  absl::StrAppend(&out, "\nper relation (strict | lenient F1):\n");
  for (const auto& [rel, c] : r.relation_strict) {
    auto it = r.relation_lenient.find(rel);
    absl::StrAppend(&out, Line("  " + rel, c));
    if (it != r.relation_lenient.end()) {
      absl::StrAppend(&out, Line("  " + rel + " (lenient)", it->second));
    }
  }
  absl::StrAppend(&out,
                  "\nper rule (strict | lenient; tp and fp of the triples each rule produced):\n");
  for (const auto& [rule, c] : r.rule_strict) {
    const auto it = r.rule_lenient.find(rule);
    const Counts l = it == r.rule_lenient.end() ? Counts{} : it->second;
    absl::StrAppend(&out, absl::StrFormat("  %-26s P=%.3f  (tp=%d fp=%d)  | P=%.3f  (tp=%d fp=%d)\n",
                                          rule, c.Precision(), c.tp, c.fp, l.Precision(), l.tp,
                                          l.fp));
  }
  if (list_errors) {
    absl::StrAppend(&out, "\nfalse positives (strict):\n");
    for (const std::string& s : r.false_positives) absl::StrAppend(&out, "  ", s, "\n");
    absl::StrAppend(&out, "\nmisses (strict):\n");
    for (const std::string& s : r.misses) absl::StrAppend(&out, "  ", s, "\n");
  }
  return out;
}

}  // namespace kgraph::ingest

namespace kgraph::ingest {

std::vector<ExtractedDocument> AlignPredictions(
    const std::vector<GoldDocument>& gold,
    std::vector<ExtractedDocument> predicted) {
  std::map<std::string, size_t> by_id, by_title;
  for (size_t i = 0; i < predicted.size(); ++i) {
    by_id.emplace(predicted[i].doc_id, i);
    // Ids may carry a directory; the gold names the file only.
    size_t slash = predicted[i].doc_id.rfind('/');
    if (slash != std::string::npos) {
      by_id.emplace(predicted[i].doc_id.substr(slash + 1), i);
    }
    if (!predicted[i].title.empty()) by_title.emplace(NameKey(predicted[i].title), i);
  }
  std::vector<ExtractedDocument> out(gold.size());
  for (size_t g = 0; g < gold.size(); ++g) {
    std::string id = gold[g].article > 0
                         ? absl::StrCat(gold[g].doc, "#", gold[g].article)
                         : gold[g].doc;
    auto it = by_id.find(id);
    if (it == by_id.end() && !gold[g].title.empty()) {
      it = by_title.find(NameKey(gold[g].title));
      if (it == by_title.end()) it = by_id.end();
    }
    if (it == by_id.end() || it == by_title.end()) {
      auto t = by_title.find(NameKey(gold[g].title));
      if (gold[g].title.empty() || t == by_title.end()) continue;
      out[g] = predicted[t->second];
      continue;
    }
    out[g] = predicted[it->second];
  }
  return out;
}

}  // namespace kgraph::ingest
