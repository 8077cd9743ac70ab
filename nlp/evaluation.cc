#include "nlp/evaluation.h"

#include "absl/strings/ascii.h"
#include "nlp/dependency_parser.h"

namespace kgraph::nlp {

Sentence WordsOnly(const Sentence& gold) {
  Sentence s;
  s.text = gold.text;
  s.start = gold.start;
  for (const Word& gw : gold.words) {
    Word w;
    w.form = gw.form;
    w.start = gw.start;
    w.end = gw.end;
    w.space_after = gw.space_after;
    s.words.push_back(std::move(w));
  }
  return s;
}

GoldTokenScores EvaluateGoldTokens(const NlpPipeline& nlp, const std::vector<Sentence>& gold) {
  GoldTokenScores scores;
  for (const Sentence& g : gold) {
    Sentence s = WordsOnly(g);
    nlp.Annotate(&s);
    for (size_t i = 0; i < s.words.size(); ++i) {
      const Word& p = s.words[i];
      const Word& gw = g.words[i];
      ++scores.words;
      scores.upos += p.upos == gw.upos;
      scores.xpos += p.xpos == gw.xpos;
      scores.lemma += p.lemma == gw.lemma;
      if (p.upos != gw.upos) ++scores.upos_confusions[{gw.upos, p.upos}];
      if (!nlp.tagger().SawForm(gw.form)) {
        const bool right = p.upos == gw.upos;
        ++scores.unseen_words;
        scores.unseen_upos += right;
        if (!gw.form.empty() && absl::ascii_isupper(static_cast<unsigned char>(gw.form[0]))) {
          ++scores.unseen_capitalized;
          scores.unseen_capitalized_upos += right;
        }
      }
      auto& by_relation = scores.head_errors_by_relation[UniversalRelation(gw.deprel)];
      ++by_relation.first;
      if (p.head == gw.head) {
        ++scores.uas;
        scores.las += UniversalRelation(p.deprel) == UniversalRelation(gw.deprel);
      } else {
        ++by_relation.second;
      }
    }
  }
  return scores;
}

absl::StatusOr<RawTextScores> EvaluateRawText(const NlpPipeline& nlp,
                                              const std::vector<Sentence>& gold) {
  std::vector<Sentence> system;
  for (const Sentence& g : gold) {
    if (g.text.empty()) continue;
    for (Sentence& s : nlp.Annotate(g.text)) system.push_back(std::move(s));
  }
  absl::StatusOr<TokenAlignment> a = AlignTokens(system, gold);
  if (!a.ok()) return a.status();
  RawTextScores scores;
  scores.alignment = *std::move(a);
  // System word -> gold word, to compare heads across the alignment.
  std::vector<std::vector<long>> to_gold(system.size());
  for (size_t i = 0; i < system.size(); ++i) to_gold[i].assign(system[i].words.size(), -1);
  for (const auto& [sw, gw] : scores.alignment.pairs) {
    to_gold[sw.sentence][sw.word] = static_cast<long>(gw.word);
  }
  for (const auto& [sw, gw] : scores.alignment.pairs) {
    const Word& p = system[sw.sentence].words[sw.word];
    const Word& g = gold[gw.sentence].words[gw.word];
    scores.upos += p.upos == g.upos;
    scores.lemma += p.lemma == g.lemma;
    bool head_ok = false;
    if (p.head == 0) {
      head_ok = g.head == 0;
    } else if (p.head > 0) {
      const long h = to_gold[sw.sentence][p.head - 1];
      head_ok = h >= 0 && g.head == h + 1;
    }
    if (head_ok) {
      ++scores.uas;
      scores.las += UniversalRelation(p.deprel) == UniversalRelation(g.deprel);
    }
  }
  return scores;
}

}  // namespace kgraph::nlp
