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
    std::vector<bool> coordinated(s.words.size(), false);
    for (const nlp::Word& d : s.words) {
      if (d.deprel == "conj" && d.head >= 1) coordinated[d.head - 1] = true;
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

}  // namespace kgraph::ingest
