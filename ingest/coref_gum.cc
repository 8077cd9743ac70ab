#include "ingest/coref_gum.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlp/conllu.h"
#include "nlp/evaluation.h"

namespace kgraph::ingest {
namespace {

using nlp::Sentence;

struct GoldMention {
  size_t begin = 0, end = 0, head = 0;
  std::string id, type;
};

absl::string_view EntityField(absl::string_view misc) {
  for (absl::string_view part : absl::StrSplit(misc, '|')) {
    if (absl::ConsumePrefix(&part, "Entity=")) return part;
  }
  return {};
}

// Word i's Entity= value: "(ID-type-...", "ID)" and "(ID-type-...)" in any
// sequence; a close matches the latest open of its ID.
absl::Status ParseEntityValue(absl::string_view v, size_t i, std::vector<GoldMention>* open,
                              std::vector<GoldMention>* done) {
  size_t p = 0;
  while (p < v.size()) {
    if (v[p] == '(') {
      size_t q = v.find_first_of("()", p + 1);
      if (q == absl::string_view::npos) q = v.size();
      std::vector<absl::string_view> f = absl::StrSplit(v.substr(p + 1, q - p - 1), '-');
      if (f.size() < 2 || f[0].empty() || f[1].empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("mention '", v.substr(p, q - p), "' lacks ID-type"));
      }
      GoldMention m{i, i + 1, 0, std::string(f[0]), std::string(f[1])};
      if (q < v.size() && v[q] == ')') {
        done->push_back(std::move(m));
        ++q;
      } else {
        open->push_back(std::move(m));
      }
      p = q;
    } else {
      size_t q = v.find(')', p);
      if (q == absl::string_view::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected '", v.substr(p), "' in Entity="));
      }
      const absl::string_view id = v.substr(p, q - p);
      auto it = std::find_if(open->rbegin(), open->rend(),
                             [&](const GoldMention& o) { return o.id == id; });
      if (it == open->rend())
        return absl::InvalidArgumentError(absl::StrCat("mention ", id, " closed but not open"));
      GoldMention m = *it;
      m.end = i + 1;
      done->push_back(std::move(m));
      open->erase(std::next(it).base());
      p = q + 1;
    }
  }
  return absl::OkStatus();
}

bool InSpan(int head, size_t b, size_t e) {
  return head >= 1 && static_cast<size_t>(head - 1) >= b && static_cast<size_t>(head - 1) < e;
}

// As data/nlp/ner_corpora.tsv maps GUM for the NER, except that "time"
// (dates, months) is no name at all and is left out before this is called.
std::string MapType(const std::string& gum) {
  if (gum == "person") return "PERSON";
  if (gum == "organization") return "ORG";
  if (gum == "place") return "GPE";
  return "MISC";
}

bool HasFeature(const std::string& feats, absl::string_view f) {
  for (absl::string_view part : absl::StrSplit(feats, '|')) {
    if (part == f) return true;
  }
  return false;
}

std::string DocumentOf(const std::string& sent_id) {
  const size_t dash = sent_id.rfind('-');
  return dash == std::string::npos ? sent_id : sent_id.substr(0, dash);
}

// The run of PROPN words around the head inside [b, e), with connectors
// between two of them.
std::pair<size_t, size_t> NameRun(const Sentence& s, size_t b, size_t e, size_t h) {
  static const absl::flat_hash_set<std::string> kConnectors = {"of",  "&",   "and", "de", "du",
                                                               "von", "van", "der", "la", "-"};
  auto propn = [&](size_t i) { return s.words[i].upos == "PROPN"; };
  size_t lo = h, hi = h + 1;
  while (lo > b) {
    if (propn(lo - 1)) {
      --lo;
    } else if (lo - 1 > b && kConnectors.contains(absl::AsciiStrToLower(s.words[lo - 1].form)) &&
               propn(lo - 2)) {
      lo -= 2;
    } else {
      break;
    }
  }
  while (hi < e) {
    if (propn(hi)) {
      ++hi;
    } else if (hi + 1 < e && kConnectors.contains(absl::AsciiStrToLower(s.words[hi].form)) &&
               propn(hi + 1)) {
      hi += 2;
    } else {
      break;
    }
  }
  return {lo, hi};
}

}  // namespace

absl::StatusOr<std::vector<GumCorefDocument>> ReadGumCoref(const std::string& path) {
  absl::StatusOr<std::vector<Sentence>> read = nlp::ReadConllu(path);
  if (!read.ok()) return read.status();
  std::vector<GumCorefDocument> docs;
  // The entities named in the document's earlier sentences.
  absl::flat_hash_set<std::string> first_name;
  for (Sentence& s : *read) {
    const std::string doc_id = DocumentOf(s.id);
    if (docs.empty() || docs.back().id != doc_id) {
      docs.push_back({});
      docs.back().id = doc_id;
      first_name.clear();
    }
    GumCorefDocument& d = docs.back();
    const size_t si = d.sentences.size();
    const std::string where =
        absl::StrCat(path, ": sentence ", s.id.empty() ? absl::StrCat(si) : s.id);
    std::vector<GoldMention> open, mentions;
    for (size_t i = 0; i < s.words.size(); ++i) {
      absl::string_view v = EntityField(s.words[i].misc);
      if (v.empty()) continue;
      if (absl::Status st = ParseEntityValue(v, i, &open, &mentions); !st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(where, " word ", i + 1, ": ", st.message()));
      }
    }
    if (!open.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": mention ", open.back().id,
                                                     " opened at word ", open.back().begin + 1,
                                                     " is not closed"));
    }
    for (GoldMention& m : mentions) {
      size_t h = m.begin;
      while (h < m.end && InSpan(s.words[h].head, m.begin, m.end)) ++h;
      m.head = h == m.end ? m.begin : h;
    }
    // Candidates: PROPN-headed mentions, cut to their name.
    s.entities.clear();
    std::vector<std::string> ids;
    for (const GoldMention& m : mentions) {
      if (s.words[m.head].upos != "PROPN" || m.type == "time") continue;
      auto [b, e] = NameRun(s, m.begin, m.end, m.head);
      bool dup = false;
      for (const nlp::EntitySpan& x : s.entities) dup |= x.begin == b && x.end == e;
      if (dup) continue;
      s.entities.push_back({b, e, MapType(m.type)});
      ids.push_back(m.id);
    }
    // Anaphors, measured when their entity was named before them.
    auto named_before = [&](const std::string& id, size_t begin) {
      if (first_name.contains(id)) return true;  // an earlier sentence
      for (size_t k = 0; k < s.entities.size(); ++k) {
        if (ids[k] == id && s.entities[k].end <= begin) return true;
      }
      return false;
    };
    for (const GoldMention& m : mentions) {
      const nlp::Word& hw = s.words[m.head];
      GumCorefDocument::Anaphor a;
      a.sentence = si;
      a.head = m.head;
      a.entity = m.id;
      if (m.end == m.begin + 1 && hw.upos == "PRON" && HasFeature(hw.feats, "PronType=Prs") &&
          HasFeature(hw.feats, "Person=3")) {
        a.description = false;
      } else if (hw.upos == "NOUN") {
        bool definite = false;
        for (size_t i = m.begin; i < m.end; ++i) {
          const nlp::Word& w = s.words[i];
          const std::string lemma = absl::AsciiStrToLower(w.lemma);
          definite |= w.head == static_cast<int>(m.head) + 1 && w.deprel == "det" && lemma == "the";
        }
        if (!definite) continue;
        a.description = true;
      } else {
        continue;
      }
      if (named_before(m.id, m.begin)) d.anaphors.push_back(a);
    }
    first_name.insert(ids.begin(), ids.end());
    d.entity_ids.push_back(std::move(ids));
    d.sentences.push_back(std::move(s));
  }
  return docs;
}

CorefScores EvaluateGumCoref(const CorefResolver& resolver, const nlp::NlpPipeline& nlp,
                             const std::vector<GumCorefDocument>& documents) {
  CorefScores scores;
  for (const GumCorefDocument& d : documents) {
    std::vector<Sentence> doc;
    doc.reserve(d.sentences.size());
    for (const Sentence& g : d.sentences) {
      Sentence s = nlp::WordsOnly(g);
      nlp.Annotate(&s);
      s.entities = g.entities;
      doc.push_back(std::move(s));
    }
    const std::vector<CorefMention> resolved = resolver.Resolve(doc);
    absl::flat_hash_map<std::pair<size_t, size_t>, const CorefMention*> by_head;
    for (const CorefMention& m : resolved) by_head[{m.sentence, m.head}] = &m;
    absl::flat_hash_set<std::pair<size_t, size_t>> measured;
    for (const GumCorefDocument::Anaphor& a : d.anaphors) {
      measured.insert({a.sentence, a.head});
      size_t& total = a.description ? scores.descriptions : scores.pronouns;
      size_t& correct = a.description ? scores.descriptions_correct : scores.pronouns_correct;
      size_t& wrong = a.description ? scores.descriptions_wrong : scores.pronouns_wrong;
      ++total;
      auto it = by_head.find({a.sentence, a.head});
      const std::string& form = d.sentences[a.sentence].words[a.head].form;
      const std::string& where = d.sentences[a.sentence].id;
      if (it == by_head.end()) {
        scores.misses.push_back(absl::StrCat("unresolved ",
                                             a.description ? "description" : "pronoun", " '", form,
                                             "' in ", where, ": ", d.sentences[a.sentence].text));
        continue;
      }
      const CorefMention& m = *it->second;
      const bool ok = d.entity_ids[m.antecedent_sentence][m.antecedent_entity] == a.entity;
      if (!ok) {
        const Sentence& as = d.sentences[m.antecedent_sentence];
        const nlp::EntitySpan& e = as.entities[m.antecedent_entity];
        std::string name;
        for (size_t i = e.begin; i < e.end; ++i)
          absl::StrAppend(&name, i > e.begin ? " " : "", as.words[i].form);
        scores.misses.push_back(absl::StrCat(
            "wrong ", a.description ? "description" : "pronoun", " '", form, "' in ", where, " -> ",
            name, " [", e.type, "] (", m.sieve, ", ", a.sentence - m.antecedent_sentence,
            " sentences back): ", d.sentences[a.sentence].text));
      }
      CorefScores::SieveCounts& sieve = scores.by_sieve[m.sieve];
      ++sieve.measured;
      if (ok) {
        ++correct;
        ++sieve.correct;
      } else {
        ++wrong;
      }
    }
    for (const CorefMention& m : resolved) {
      if (!measured.contains({m.sentence, m.head})) {
        ++scores.resolved_unmeasured;
        ++scores.by_sieve[m.sieve].unmeasured;
      }
    }
  }
  return scores;
}

}  // namespace kgraph::ingest
