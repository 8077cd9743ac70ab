#include "ingest/context_typing.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ingest/dependency_path.h"

namespace kgraph::ingest {

void RetypeFromContext(const DependencyPatternSet& rules, const std::vector<nlp::Sentence>& ud,
                       const std::vector<bool>& parsed,
                       const std::vector<std::vector<int>>& ud_entity,
                       const std::vector<NameMention>& mentions,
                       const std::vector<int>& entity_of_mention,
                       std::vector<std::string>* entity_types, std::vector<std::string>* retyped) {
  std::vector<std::string>& types = *entity_types;
  retyped->assign(types.size(), "");
  if (rules.typing_rules().empty()) return;
  std::vector<bool> cued(types.size(), false);
  for (size_t mi = 0; mi < mentions.size(); ++mi) {
    if (mentions[mi].strength >= kContext) cued[entity_of_mention[mi]] = true;
  }
  // Decided on the types as the recognizers left them: one retyped name is
  // no anchor for another in the same pass.
  const std::vector<std::string> before = types;
  for (size_t k = 0; k < ud.size(); ++k) {
    if (!parsed[k]) continue;
    const nlp::Sentence& s = ud[k];
    // "the U.K.'s car and aircraft engine maker" parsed with "car" as the
    // head: a coordinated noun is too often a misparsed compound to anchor.
    // (Verbs anchor: "grew up in X and later moved to Y".)
    std::vector<bool> coordinated(s.words.size(), false);
    for (const nlp::Word& d : s.words) {
      if (d.deprel == "conj" && d.head >= 1 && s.words[d.head - 1].upos != "VERB") {
        coordinated[d.head - 1] = true;
      }
    }
    for (size_t e = 0; e < s.entities.size(); ++e) {
      const int ent = ud_entity[k][e];
      if (cued[ent] || !(*retyped)[ent].empty()) continue;
      const nlp::EntitySpan& span = s.entities[e];
      const size_t head = SpanHead(s, span.begin, span.end);
      const TypingRule* rule = nullptr;
      for (size_t f = 0; f < s.entities.size() && rule == nullptr; ++f) {
        const int other = ud_entity[k][f];
        if (other == ent) continue;
        const nlp::EntitySpan& anchor = s.entities[f];
        const DependencyPath path = PathBetween(s, head, SpanHead(s, anchor.begin, anchor.end));
        rule = rules.MatchTyping(path.text, before[ent], before[other]);
      }
      for (size_t w = 0; w < s.words.size() && rule == nullptr; ++w) {
        if (w >= span.begin && w < span.end) continue;
        if (coordinated[w]) continue;
        const DependencyPath path = PathBetween(s, head, w);
        if (path.text.empty()) continue;
        rule = rules.MatchTyping(
            absl::StrCat(path.text, " @", absl::AsciiStrToLower(s.words[w].lemma)), before[ent], "");
      }
      if (rule == nullptr) continue;
      types[ent] = rule->new_type;
      (*retyped)[ent] = rule->id;
    }
  }
}

std::vector<TypedPhrase> FindTypedPhrases(const DependencyPatternSet& rules,
                                          const std::vector<nlp::Sentence>& ud,
                                          const std::vector<bool>& parsed,
                                          const std::vector<std::vector<int>>& ud_entity,
                                          const std::vector<std::string>& entity_types,
                                          const absl::flat_hash_set<std::string>& categories,
                                          const absl::flat_hash_set<std::string>& modified_categories,
                                          const absl::flat_hash_set<std::string>& leading_words) {
  std::vector<TypedPhrase> out;
  if (rules.phrase_rules().empty()) return out;
  for (size_t k = 0; k < ud.size(); ++k) {
    if (!parsed[k]) continue;
    const nlp::Sentence& s = ud[k];
    std::vector<int> entity_at(s.words.size(), -1);  // index into s.entities
    for (size_t e = 0; e < s.entities.size(); ++e) {
      for (size_t w = s.entities[e].begin; w < s.entities[e].end && w < s.words.size(); ++w) {
        entity_at[w] = static_cast<int>(e);
      }
    }
    for (size_t w = 0; w < s.words.size(); ++w) {
      const nlp::Word& head = s.words[w];
      if (entity_at[w] >= 0 || (head.upos != "NOUN" && head.upos != "PROPN")) continue;
      const std::string lemma = absl::AsciiStrToLower(head.lemma);
      const bool alone = categories.contains(lemma);
      if (!alone && !modified_categories.contains(lemma)) continue;
      // The modifiers to the left: each word before the phrase that hangs,
      // through compound/amod/flat edges inside it, on the head.
      size_t begin = w;
      bool name_inside = false;
      while (begin > 0) {
        const size_t b = begin - 1;
        size_t at = b;
        bool joins = false;
        for (int steps = 0; steps < 4; ++steps) {
          const nlp::Word& x = s.words[at];
          if (x.head < 1 || (x.deprel != "compound" && x.deprel != "amod" && x.deprel != "flat")) break;
          const size_t h = static_cast<size_t>(x.head - 1);
          if (h < b || h > w) break;
          if (h == w) {
            joins = true;
            break;
          }
          at = h;
        }
        if (!joins) break;
        name_inside |= entity_at[b] >= 0;
        begin = b;
      }
      while (begin < w && leading_words.contains(absl::AsciiStrToLower(s.words[begin].form))) ++begin;
      if (name_inside || (!alone && begin == w)) continue;
      const TypingRule* rule = nullptr;
      for (size_t f = 0; f < s.entities.size() && rule == nullptr; ++f) {
        const nlp::EntitySpan& anchor = s.entities[f];
        const DependencyPath path = PathBetween(s, w, SpanHead(s, anchor.begin, anchor.end));
        rule = rules.MatchPhrase(path.text, entity_types[ud_entity[k][f]]);
      }
      if (rule == nullptr) continue;
      out.push_back({k, begin, w + 1, rule->new_type, rule->id});
    }
  }
  return out;
}

}  // namespace kgraph::ingest
