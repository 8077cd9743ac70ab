#include "ingest/coref_resolver.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest/data_file.h"
#include "nlohmann/json.hpp"

#ifndef KGRAPH_DATA_DIR
#define KGRAPH_DATA_DIR "data"
#endif

namespace kgraph::ingest {

std::string DefaultCorefDataDir() {
  if (const char* env = std::getenv("KGRAPH_DATA_DIR"); env && *env) {
    return std::string(env) + "/coref";
  }
  return std::string(KGRAPH_DATA_DIR) + "/coref";
}

namespace {

using nlp::Sentence;
using nlp::Word;

std::vector<absl::string_view> Fields(absl::string_view line) {
  std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
  for (absl::string_view& x : f) x = absl::StripAsciiWhitespace(x);
  return f;
}

bool IsSubject(const std::string& deprel) {
  return deprel == "nsubj" || deprel == "nsubj:pass" || deprel == "nsubj:outer";
}

// Heads, children and depths of one sentence's tree. Depth counts arcs from
// the root (the root's child has depth 1); an unparsed or cyclic word gets
// the sentence length, so it sorts last.
struct Tree {
  std::vector<std::vector<size_t>> children;
  std::vector<int> depth;
  bool parsed = true;

  explicit Tree(const Sentence& s) : children(s.words.size()), depth(s.words.size(), 0) {
    const size_t n = s.words.size();
    for (size_t i = 0; i < n; ++i) {
      const int h = s.words[i].head;
      if (h < 0 || h > static_cast<int>(n)) parsed = false;
      if (h >= 1 && h <= static_cast<int>(n)) children[h - 1].push_back(i);
    }
    for (size_t i = 0; i < n; ++i) {
      int d = 0;
      int h = s.words[i].head;
      size_t steps = 0;
      while (h >= 1 && h <= static_cast<int>(n) && steps <= n) {
        ++d;
        ++steps;
        h = s.words[h - 1].head;
      }
      depth[i] = (h == 0 && steps <= n) ? d + 1 : static_cast<int>(n);
    }
  }
  // The word's governor (0-based), or -1 for the root or an unparsed word.
  static int Governor(const Sentence& s, size_t i) {
    const int h = s.words[i].head;
    return h >= 1 && h <= static_cast<int>(s.words.size()) ? h - 1 : -1;
  }
};

}  // namespace

// Everything one Resolve() call builds: the document's trees, its named
// mentions with their agreement features, and the antecedent candidates
// (names, then resolved anaphors as they are found).
class CorefResolver::Document {
 public:
  Document(const CorefResolver& r, const std::vector<Sentence>& doc) : r_(r), doc_(doc) {
    trees_.reserve(doc.size());
    for (const Sentence& s : doc) trees_.emplace_back(s);
    in_sentence_.resize(doc.size());
    absl::flat_hash_map<std::string, int> cluster_of_key;
    // Single-word PERSON names join the latest multi-word PERSON name they end.
    absl::flat_hash_map<std::string, int> cluster_of_surname;
    for (size_t si = 0; si < doc.size(); ++si) {
      const Sentence& s = doc[si];
      for (size_t ei = 0; ei < s.entities.size(); ++ei) {
        const nlp::EntitySpan& e = s.entities[ei];
        if (e.begin >= e.end || e.end > s.words.size()) continue;
        Named n;
        n.sentence = si;
        n.entity = ei;
        n.begin = e.begin;
        n.end = e.end;
        n.type = e.type;
        n.head = SpanHead(si, e.begin, e.end);
        // "Orion Holdings" and "the Beatles" are plural, "United States" is
        // not; "Chao and Yang" is.
        n.plural = s.words[n.head].xpos == "NNPS";
        if (e.type == "PERSON") n.gender = NameGender(s, e.begin, e.end);
        std::vector<std::string> forms;
        for (size_t w = e.begin; w < e.end; ++w)
          forms.push_back(absl::AsciiStrToLower(s.words[w].form));
        n.country = r_.countries_.contains(absl::StrJoin(forms, " ")) ||
                    r_.countries_.contains(absl::StrJoin(forms, ""));
        if (n.country) n.plural = false;
        n.coordinated = s.words[n.head].deprel == "conj";
        for (size_t c : trees_[si].children[n.head]) {
          n.coordinated |= s.words[c].deprel == "conj" && (c < e.begin || c >= e.end);
        }
        if (e.type == "PERSON") {
          for (size_t c : trees_[si].children[n.head]) {
            if (c >= e.begin && c < e.end && s.words[c].deprel == "conj") n.plural = true;
          }
        }
        const std::string key = absl::StrCat(e.type, ":", absl::StrJoin(forms, " "));
        int cluster = -1;
        if (auto it = cluster_of_key.find(key); it != cluster_of_key.end()) {
          cluster = it->second;
        } else if (e.type == "PERSON" && forms.size() == 1) {
          if (auto jt = cluster_of_surname.find(forms[0]); jt != cluster_of_surname.end()) {
            cluster = jt->second;
          }
        }
        if (cluster < 0) {
          cluster = static_cast<int>(clusters_.size());
          clusters_.push_back({});
        }
        cluster_of_key[key] = cluster;
        if (e.type == "PERSON" && forms.size() > 1) cluster_of_surname[forms.back()] = cluster;
        n.cluster = cluster;
        if (n.gender != 0 && clusters_[cluster].name_gender == 0) {
          clusters_[cluster].name_gender = n.gender;
        }
        named_.push_back(n);
        Candidate c;
        c.sentence = si;
        c.begin = n.begin;
        c.end = n.end;
        c.head = n.head;
        c.named = static_cast<int>(named_.size()) - 1;
        Add(c);
      }
    }
    // Common nouns that are subjects compete with the names for a subject
    // "it" of a later sentence ("The deal was signed by Orion. It ..."): an
    // "it" whose most salient antecedent is one of them is left unresolved
    // rather than given to a name. (Any common noun as a competitor, in the
    // pronoun's own sentence too, or for he/she/they, cost more correct
    // resolutions than it saved on GUM train.)
    for (size_t si = 0; si < doc.size(); ++si) {
      const Sentence& s = doc[si];
      for (size_t w = 0; w < s.words.size(); ++w) {
        const Word& word = s.words[w];
        if (word.upos != "NOUN" || (word.xpos != "NN" && word.xpos != "NNS")) continue;
        if (!IsSubject(word.deprel) || InsideName(si, w)) continue;
        Candidate c;
        c.sentence = si;
        c.begin = w;
        c.end = w + 1;
        c.head = w;
        c.named = -1;
        c.plural = word.xpos == "NNS";
        const std::string lemma = absl::AsciiStrToLower(word.lemma);
        if (auto it = r_.person_nouns_.find(lemma); it != r_.person_nouns_.end()) {
          c.person = true;
          c.gender = it->second;
        }
        noun_candidate_[{si, w}] = candidates_.size();
        Add(c);
      }
    }
  }

  std::vector<CorefMention> Run() {
    std::vector<CorefMention> out;
    for (size_t si = 0; si < doc_.size(); ++si) {
      const Sentence& s = doc_[si];
      for (size_t w = 0; w < s.words.size(); ++w) {
        if (InsideName(si, w)) continue;
        CorefMention m;
        if (TryPronoun(si, w, &m) || TryDescription(si, w, &m)) out.push_back(std::move(m));
      }
    }
    return out;
  }

 private:
  struct Named {
    size_t sentence = 0, entity = 0, begin = 0, end = 0, head = 0;
    std::string type;
    bool plural = false;
    bool country = false;
    bool coordinated = false;  // a conjunct ("Orion and Lark"): no "they" by itself
    int gender = 0;
    int cluster = 0;
  };
  // A mention that can be an antecedent: a name, or an anaphor already
  // resolved to one (`named`), which then stands for that name; named < 0:
  // a common-noun subject, or an "it" resolved to one: no name.
  struct Candidate {
    size_t sentence = 0, begin = 0, end = 0, head = 0;
    int named = 0;
    bool is_anaphor = false;
    int gender = 0;       // a resolved he/she; a person noun's ("the woman")
    bool plural = false;  // a resolved they/them/their; a plural noun
    bool person = false;  // named < 0: a person noun ("the woman" is no "it")
  };
  struct Cluster {
    int name_gender = 0;
    std::array<int, 3> votes{};  // resolved he (1) and she (2)
    int Gender() const {
      if (name_gender != 0) return name_gender;
      if (votes[1] != votes[2]) return votes[1] > votes[2] ? 1 : 2;
      return 0;
    }
  };

  // Appends a candidate; returns its index.
  size_t Add(const Candidate& c) {
    in_sentence_[c.sentence].push_back(candidates_.size());
    candidates_.push_back(c);
    return candidates_.size() - 1;
  }

  // The span's word whose governor lies outside it, the shallowest if there
  // are several; the last word when the sentence is not parsed.
  size_t SpanHead(size_t si, size_t b, size_t e) const {
    const Sentence& s = doc_[si];
    if (!trees_[si].parsed) return e - 1;
    size_t best = e - 1;
    int best_depth = -1;
    for (size_t w = b; w < e; ++w) {
      const int g = Tree::Governor(s, w);
      if (g >= static_cast<int>(b) && g < static_cast<int>(e)) continue;
      if (best_depth < 0 || trees_[si].depth[w] < best_depth) {
        best = w;
        best_depth = trees_[si].depth[w];
      }
    }
    return best;
  }

  // A title or given name in the span, or a title just before it.
  int NameGender(const Sentence& s, size_t b, size_t e) const {
    const size_t from =
        b > 0 && !s.words[b - 1].form.empty() && absl::ascii_isupper(s.words[b - 1].form[0]) ? b - 1
                                                                                             : b;
    for (size_t w = from; w < e; ++w) {
      auto it = r_.gendered_words_.find(absl::AsciiStrToLower(s.words[w].form));
      if (it != r_.gendered_words_.end()) return it->second;
    }
    return 0;
  }

  bool InsideName(size_t si, size_t w) const {
    for (const nlp::EntitySpan& e : doc_[si].entities) {
      if (w >= e.begin && w < e.end) return true;
    }
    return false;
  }

  // Whether an "it" is pleonastic: "it is likely that", "it seems", "it is
  // said that", "it is raining", or the parser's expl.
  bool Pleonastic(size_t si, size_t w) const {
    const Sentence& s = doc_[si];
    const Word& it = s.words[w];
    if (absl::StartsWith(it.deprel, "expl")) return true;
    const int g = Tree::Governor(s, w);
    if (g < 0 || !IsSubject(it.deprel)) return false;
    auto p = r_.pleonastic_.find(absl::AsciiStrToLower(s.words[g].lemma));
    if (p == r_.pleonastic_.end()) return false;
    if (p->second.always) return true;
    if (p->second.passive && it.deprel != "nsubj:pass") return false;
    for (size_t c : trees_[si].children[g]) {
      const std::string& rel = s.words[c].deprel;
      if (c > w && (absl::StartsWith(rel, "ccomp") || absl::StartsWith(rel, "csubj") ||
                    absl::StartsWith(rel, "xcomp") || absl::StartsWith(rel, "advcl"))) {
        return true;
      }
    }
    return false;
  }

  // Agreement of a pronoun with a candidate (and the name it stands for).
  bool Agrees(const PronounEntry& p, bool plural_pronoun, const Candidate& c) const {
    if (c.named < 0) {
      // A thing a common noun names ("the deal", or an "it" that stood for
      // one) competes with the names for "it" only.
      if (p.gender != 0 || plural_pronoun) return false;
      return !c.person && !c.plural;
    }
    const Named& n = named_[c.named];
    if (plural_pronoun && n.coordinated && !n.plural && !c.is_anaphor) return false;
    auto a = p.accepts.find(n.type);
    if (a == p.accepts.end() || (a->second & (n.plural ? 2 : 1)) == 0) return false;
    if (p.gender != 0) {
      const int g = clusters_[n.cluster].Gender();
      if (g != 0 && g != p.gender) return false;
      if (c.gender != 0 && c.gender != p.gender) return false;
    }
    if (c.is_anaphor && c.plural != plural_pronoun) return false;
    return true;
  }

  // Whether the subject word `c` of a speech verb is an agreeing speaker
  // that is not a name: a plural noun or a coordination for they/them, a
  // person noun for he/she.
  bool SpeakerIsOther(size_t si, size_t c, const PronounEntry& p, bool plural_pronoun) const {
    const Sentence& s = doc_[si];
    const Word& cw = s.words[c];
    bool coordinated = false;
    for (size_t k : trees_[si].children[c]) coordinated |= s.words[k].deprel == "conj";
    if (plural_pronoun) return coordinated || (cw.upos == "NOUN" && cw.xpos == "NNS");
    if (p.gender == 0 || cw.upos != "NOUN" || coordinated) return false;
    auto it = r_.person_nouns_.find(absl::AsciiStrToLower(cw.lemma));
    return it != r_.person_nouns_.end() && (it->second == 0 || it->second == p.gender);
  }

  // Co-arguments of one predicate cannot corefer unless one is reflexive
  // ("Orion bought the company", "Byron met him").
  bool CoArguments(size_t si, size_t a, size_t b) const {
    const Sentence& s = doc_[si];
    const int ga = Tree::Governor(s, a);
    return ga >= 0 && ga == Tree::Governor(s, b);
  }

  // Whether candidate c comes before word w of sentence si and does not
  // contain it.
  bool Before(const Candidate& c, size_t si, size_t w) const {
    if (c.sentence != si) return c.sentence < si;
    return c.is_anaphor ? c.head < w : c.end <= w;
  }

  // Candidates of sentence `si` before word `w` (w = npos: all), in the
  // order of Lee et al.'s pronoun sieve: breadth-first over the tree, left to
  // right (subjects of the main clause first); right to left when unparsed.
  std::vector<const Candidate*> InSentence(size_t si, size_t w, size_t anaphor_sentence) const {
    std::vector<const Candidate*> v;
    for (size_t i : in_sentence_[si]) {
      const Candidate& c = candidates_[i];
      if (Before(c, anaphor_sentence, w)) v.push_back(&c);
    }
    const Tree& t = trees_[si];
    std::stable_sort(v.begin(), v.end(), [&](const Candidate* a, const Candidate* b) {
      if (!t.parsed) return a->head > b->head;
      if (t.depth[a->head] != t.depth[b->head]) return t.depth[a->head] < t.depth[b->head];
      if (a->head != b->head) return a->head < b->head;
      return !a->is_anaphor && b->is_anaphor;  // the name itself first
    });
    return v;
  }

  void Emit(CorefMention::Kind kind, size_t si, size_t b, size_t e, size_t head, const Candidate& c,
            const char* sieve, CorefMention* m) {
    const Sentence& s = doc_[si];
    const Named& n = named_[c.named];
    m->kind = kind;
    m->sentence = si;
    m->begin = b;
    m->end = e;
    m->head = head;
    m->byte_begin = s.words[b].start;
    m->byte_end = s.words[e - 1].end;
    m->antecedent_sentence = n.sentence;
    m->antecedent_entity = n.entity;
    m->sieve = sieve;
  }

  bool TryPronoun(size_t si, size_t w, CorefMention* m) {
    const Sentence& s = doc_[si];
    const Word& word = s.words[w];
    if (word.upos != "PRON" && word.xpos != "PRP" && word.xpos != "PRP$") return false;
    const std::string form = absl::AsciiStrToLower(word.form);
    auto pe = r_.pronouns_.find(form);
    if (pe == r_.pronouns_.end()) return false;
    PronounEntry p = pe->second;
    if (form == "her" && word.xpos == "PRP$") p.role = PronounEntry::Role::kPoss;
    if (form == "it" && Pleonastic(si, w)) return false;
    bool plural_pronoun = false;
    for (const auto& [type, bits] : p.accepts) plural_pronoun |= (bits & 2) != 0;
    const bool parsed = trees_[si].parsed;

    const Candidate* found = nullptr;
    const char* sieve = "pronoun";
    // Sieve 1: the subject of the governing speech verb ("X said it would").
    if (parsed && IsSubject(word.deprel)) {
      const int g = Tree::Governor(s, w);
      const std::string grel = g >= 0 ? s.words[g].deprel : "";
      const int h = g >= 0 && (grel == "ccomp" || grel == "parataxis") ? Tree::Governor(s, g) : -1;
      if (h >= 0 && r_.speech_verbs_.contains(absl::AsciiStrToLower(s.words[h].lemma))) {
        for (size_t c : trees_[si].children[h]) {
          if (!IsSubject(s.words[c].deprel)) continue;
          for (size_t i : in_sentence_[si]) {
            const Candidate& cand = candidates_[i];
            if (!Before(cand, si, w)) continue;
            const bool covers =
                cand.is_anaphor ? cand.head == c : (c >= cand.begin && c < cand.end);
            if (covers && Agrees(p, plural_pronoun, cand)) {
              found = &cand;
              sieve = "speech-subject";
              break;
            }
          }
          // The speaker is no name but agrees: "Analysts said they ...", "A
          // spokesman said he ...", "Orion and Lark said they ...". The
          // pronoun is the speaker's, so it is left unresolved.
          if (found == nullptr && SpeakerIsOther(si, c, p, plural_pronoun)) return false;
        }
      }
    }
    // A reflexive takes an agreeing co-argument first ("Orion sold itself").
    if (found == nullptr && parsed && p.role == PronounEntry::Role::kRefl) {
      for (const Candidate* c : InSentence(si, w, si)) {
        if (Agrees(p, plural_pronoun, *c) && CoArguments(si, c->head, w)) {
          found = c;
          break;
        }
      }
    }
    // Sieve 2: the most salient agreeing candidate, sentence by sentence
    // back to the window. A co-argument of a non-reflexive pronoun is not
    // its antecedent ("Byron met him"); a possessive may be ("Byron met his
    // friend"). Reflexives that found no co-argument ("devote himself", "the
    // duel himself") are read as other pronouns.
    for (int d = 0;
         found == nullptr && d <= r_.config_.pronoun_window && static_cast<int>(si) - d >= 0; ++d) {
      const size_t t = si - d;
      for (const Candidate* c : InSentence(t, w, si)) {
        if (c->named < 0 && (d == 0 || !IsSubject(word.deprel))) continue;
        if (!Agrees(p, plural_pronoun, *c)) continue;
        if (d == 0 && parsed && p.role != PronounEntry::Role::kPoss &&
            p.role != PronounEntry::Role::kRefl && CoArguments(si, c->head, w)) {
          continue;
        }
        found = c;
        break;
      }
    }
    if (found == nullptr) return false;
    Candidate a;
    a.sentence = si;
    a.begin = w;
    a.end = w + 1;
    a.head = w;
    a.named = found->named;
    a.is_anaphor = true;
    a.gender = p.gender;
    a.plural = plural_pronoun;
    if (found->named < 0) {  // it stands for a common noun: no name to point to
      a.person = found->person;
      Add(a);
      return false;
    }
    Emit(CorefMention::Kind::kPronoun, si, w, w + 1, w, *found, sieve, m);
    if (p.gender != 0) ++clusters_[named_[found->named].cluster].votes[p.gender];
    Add(a);
    return true;
  }

  // A resolved description's noun now stands for the name (it is no longer a
  // common-noun candidate of its own).
  void StandsFor(size_t si, size_t w, int named) {
    Candidate* c = nullptr;
    if (auto it = noun_candidate_.find({si, w}); it != noun_candidate_.end()) {
      c = &candidates_[it->second];
    } else {
      Candidate n;
      n.sentence = si;
      n.begin = w;
      n.end = w + 1;
      n.head = w;
      n.plural = doc_[si].words[w].xpos == "NNS";
      c = &candidates_[Add(n)];
    }
    c->named = named;
    c->is_anaphor = true;
    c->gender = 0;
    c->person = false;
  }

  // Sieve 0 for common nouns, Lee et al.'s precise constructs: an
  // apposition to an earlier name ("Hu Shih, the leader of the movement")
  // and a predicate nominative whose subject is a name or a pronoun resolved
  // to one ("Lisbon is the largest city in Portugal", "she was the first
  // woman to ..."), whatever the noun and its determiner.
  bool TryApposition(size_t si, size_t w, CorefMention* m) {
    const Sentence& s = doc_[si];
    const Tree& tree = trees_[si];
    int target = -1;
    const char* sieve = nullptr;
    if (s.words[w].deprel == "appos") {
      target = Tree::Governor(s, w);
      sieve = "apposition";
    } else {
      bool cop = false;
      int subj = -1;
      for (size_t c : tree.children[w]) {
        if (s.words[c].deprel == "cop") cop = true;
        if (s.words[c].deprel == "nsubj") subj = static_cast<int>(c);
        if (s.words[c].deprel == "case") return false;  // "X was at the conservatory"
      }
      // "X is a city ... and is the capital": the subject is the first
      // conjunct's.
      const int g = Tree::Governor(s, w);
      if (cop && subj < 0 && s.words[w].deprel == "conj" && g >= 0) {
        for (size_t c : tree.children[g]) {
          if (s.words[c].deprel == "nsubj") subj = static_cast<int>(c);
        }
      }
      if (cop && subj >= 0) {
        target = subj;
        sieve = "predicate";
      }
    }
    if (target < 0 || static_cast<size_t>(target) > w) return false;
    // A noun of another type is no apposition or predicate of the name,
    // whatever the parse says ("said Elliott Schlang, analyst ... Any company
    // that ..."): descriptions.tsv types it, person_nouns.txt makes it a
    // PERSON.
    const std::string lemma = absl::AsciiStrToLower(s.words[w].lemma);
    std::string noun_type;
    if (auto d = r_.descriptions_.find(lemma); d != r_.descriptions_.end()) {
      noun_type = d->second.type;
    } else if (r_.person_nouns_.contains(lemma)) {
      noun_type = "PERSON";
    }
    const Candidate* found = nullptr;
    for (size_t i : in_sentence_[si]) {
      const Candidate& c = candidates_[i];
      if (c.named < 0) continue;
      const size_t t = static_cast<size_t>(target);
      const bool covers = c.is_anaphor ? c.head == t : (t >= c.begin && t < c.end && c.end <= w);
      if (covers) {
        found = &c;
        break;
      }
    }
    if (found == nullptr) return false;
    const std::string& name_type = named_[found->named].type;
    if (!noun_type.empty() && noun_type != name_type) return false;
    size_t begin = w;
    for (size_t c : tree.children[w]) {
      const std::string& rel = s.words[c].deprel;
      if (c < w && (rel == "det" || rel == "amod" || rel == "compound" || rel == "nmod:poss")) {
        begin = std::min(begin, c);
      }
    }
    Emit(CorefMention::Kind::kDescription, si, begin, w + 1, w, *found, sieve, m);
    StandsFor(si, w, found->named);
    return true;
  }

  bool TryDescription(size_t si, size_t w, CorefMention* m) {
    const Sentence& s = doc_[si];
    const Word& noun = s.words[w];
    if (noun.upos != "NOUN" || (noun.xpos != "NN" && noun.xpos != "NNS")) return false;
    const bool plural = noun.xpos == "NNS";
    const Tree& tree = trees_[si];
    if (tree.parsed && TryApposition(si, w, m)) return true;
    if (noun.deprel == "appos" || noun.deprel == "compound" || noun.deprel == "vocative") {
      return false;
    }
    bool definite = false;
    size_t begin = w;
    for (size_t c : tree.children[w]) {
      const Word& cw = s.words[c];
      const std::string lemma = absl::AsciiStrToLower(cw.lemma);
      if (cw.deprel == "det") {
        if (lemma != "the" && lemma != "this" && lemma != "that" && lemma != "these" &&
            lemma != "those") {
          return false;
        }
        definite = true;
      }
      // A name, an apposition, a clause, a prepositional phrase or a copula
      // makes it a new or a predicated referent ("the company that makes
      // X", "the city of Basel", "X is the company").
      if (cw.upos == "PROPN" || cw.deprel == "appos" || absl::StartsWith(cw.deprel, "acl") ||
          absl::StartsWith(cw.deprel, "nmod") || cw.deprel == "cop" || cw.deprel == "nummod") {
        if (cw.deprel != "nmod:poss") return false;
      }
      if (c < w && (cw.deprel == "det" || cw.deprel == "amod" || cw.deprel == "compound")) {
        begin = std::min(begin, c);
      }
    }
    if (!definite) return false;
    const std::string lemma = absl::AsciiStrToLower(noun.lemma);
    const std::string form = absl::AsciiStrToLower(noun.form);
    auto typed = r_.descriptions_.find(lemma);

    const Candidate* found = nullptr;
    const char* sieve = "head-match";
    // Sieve 3: the description's noun is the head word of an earlier name
    // ("the school" -> "Aberdeen Grammar School"); sieve 4: the nearest name
    // of the description's type ("the company" -> the last ORG).
    for (int pass = 0; pass < 2 && found == nullptr; ++pass) {
      if (pass == 1 && typed == r_.descriptions_.end()) break;
      for (int d = 0;
           found == nullptr && d <= r_.config_.description_window && static_cast<int>(si) - d >= 0;
           ++d) {
        const size_t t = si - d;
        std::vector<const Candidate*> v;
        for (size_t i : in_sentence_[t]) {
          const Candidate& c = candidates_[i];
          if (Before(c, si, begin)) v.push_back(&c);
        }
        // Nearest first.
        std::stable_sort(v.begin(), v.end(),
                         [](const Candidate* a, const Candidate* b) { return a->head > b->head; });
        for (const Candidate* c : v) {
          if (c->named < 0) continue;
          const Named& n = named_[c->named];
          if (n.plural != plural) continue;
          if (pass == 0) {
            if (c->is_anaphor) continue;
            const Word& h = doc_[n.sentence].words[n.head];
            const std::string hl = absl::AsciiStrToLower(h.lemma);
            const std::string hf = absl::AsciiStrToLower(h.form);
            if (hl != lemma && hf != lemma && hf != form) continue;
          } else {
            const DescriptionEntry& e = typed->second;
            if (n.type != e.type) continue;
            if (e.country != 0 && n.country != (e.country == 1)) continue;
            if (e.gender != 0) {
              const int g = clusters_[n.cluster].Gender();
              if (g != 0 && g != e.gender) continue;
            }
          }
          if (d == 0 && tree.parsed && CoArguments(si, c->head, w)) continue;
          found = c;
          sieve = pass == 0 ? "head-match" : "description";
          break;
        }
      }
    }
    if (found == nullptr) return false;
    Emit(CorefMention::Kind::kDescription, si, begin, w + 1, w, *found, sieve, m);
    StandsFor(si, w, found->named);
    return true;
  }

  const CorefResolver& r_;
  const std::vector<Sentence>& doc_;
  std::vector<Tree> trees_;
  std::vector<Named> named_;
  std::vector<Cluster> clusters_;
  // Names in text order, then resolved anaphors in the order found. Only
  // appended to while resolving; pointers into it are not kept across appends.
  std::vector<Candidate> candidates_;
  std::vector<std::vector<size_t>> in_sentence_;  // sentence -> its candidates, in order added
  absl::flat_hash_map<std::pair<size_t, size_t>, size_t> noun_candidate_;  // (sentence, word) ->
};

absl::StatusOr<std::unique_ptr<CorefResolver>> CorefResolver::Create(const CorefConfig& config) {
  std::unique_ptr<CorefResolver> r(new CorefResolver());
  r->config_ = config;
  if (config.pronoun_window < 0 || config.description_window < 0) {
    return absl::InvalidArgumentError("coref: windows must not be negative");
  }
  const std::string dir = config.data_dir.empty() ? DefaultCorefDataDir() : config.data_dir;
  const std::vector<std::string> kTypes = {"PERSON", "ORG", "GPE", "MISC"};
  auto known_type = [&](absl::string_view t) {
    return std::find(kTypes.begin(), kTypes.end(), t) != kTypes.end();
  };

  std::string path = dir + "/pronouns.tsv";
  absl::Status st = ForEachDataLine(path, [&](int n, absl::string_view line) -> absl::Status {
    std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 4) return DataLineError(path, n, "expected form, role, gender, accepts");
    PronounEntry e;
    if (f[1] == "subj")
      e.role = PronounEntry::Role::kSubj;
    else if (f[1] == "obj")
      e.role = PronounEntry::Role::kObj;
    else if (f[1] == "poss")
      e.role = PronounEntry::Role::kPoss;
    else if (f[1] == "refl")
      e.role = PronounEntry::Role::kRefl;
    else
      return DataLineError(path, n, absl::StrCat("unknown role '", f[1], "'"));
    if (f[2] == "male")
      e.gender = 1;
    else if (f[2] == "female")
      e.gender = 2;
    else if (f[2] != "-")
      return DataLineError(path, n, absl::StrCat("unknown gender '", f[2], "'"));
    for (absl::string_view a : absl::StrSplit(f[3], '|')) {
      std::pair<absl::string_view, absl::string_view> tn = absl::StrSplit(a, ':');
      if (!known_type(tn.first))
        return DataLineError(path, n, absl::StrCat("unknown type '", tn.first, "'"));
      int bits = 3;
      if (tn.second == "sing")
        bits = 1;
      else if (tn.second == "plur")
        bits = 2;
      else if (!tn.second.empty())
        return DataLineError(path, n, absl::StrCat("unknown number '", tn.second, "'"));
      e.accepts[std::string(tn.first)] |= bits;
    }
    r->pronouns_[absl::AsciiStrToLower(f[0])] = std::move(e);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;

  path = dir + "/descriptions.tsv";
  st = ForEachDataLine(path, [&](int n, absl::string_view line) -> absl::Status {
    std::vector<absl::string_view> f = Fields(line);
    if (f.size() < 2 || f.size() > 3 || f[0].empty()) {
      return DataLineError(path, n, "expected lemma, type[, qualifier]");
    }
    if (!known_type(f[1])) return DataLineError(path, n, absl::StrCat("unknown type '", f[1], "'"));
    DescriptionEntry e;
    e.type = std::string(f[1]);
    if (f.size() == 3) {
      if (e.type == "PERSON" && (f[2] == "male" || f[2] == "female")) {
        e.gender = f[2] == "male" ? 1 : 2;
      } else if (e.type == "GPE" && (f[2] == "country" || f[2] == "place")) {
        e.country = f[2] == "country" ? 1 : 2;
      } else {
        return DataLineError(path, n,
                             absl::StrCat("unknown qualifier '", f[2], "' for ", e.type,
                                          " (PERSON: male, female; GPE: country, place)"));
      }
    }
    if (e.type == "PERSON") r->person_nouns_[absl::AsciiStrToLower(f[0])] = e.gender;
    r->descriptions_[absl::AsciiStrToLower(f[0])] = std::move(e);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;

  path = dir + "/person_nouns.txt";
  st = ForEachDataLine(path, [&](int n, absl::string_view line) -> absl::Status {
    std::vector<absl::string_view> f = Fields(line);
    if (f.empty() || f[0].empty() || f[0][0] == '#') return absl::OkStatus();
    int g = 0;
    if (f.size() > 1) {
      if (f[1] == "male")
        g = 1;
      else if (f[1] == "female")
        g = 2;
      else
        return DataLineError(path, n, absl::StrCat("unknown gender '", f[1], "'"));
    }
    r->person_nouns_.emplace(absl::AsciiStrToLower(f[0]), g);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;

  path = dir + "/countries.txt";
  st = ForEachDataLine(path, [&](int, absl::string_view line) -> absl::Status {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line[0] != '#') r->countries_.insert(absl::AsciiStrToLower(line));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!config.iso_3166_file.empty()) {
    std::ifstream in(config.iso_3166_file);
    if (in) {
      nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded() || !j.contains("3166-1") || !j["3166-1"].is_array()) {
        return absl::InvalidArgumentError(
            absl::StrCat(config.iso_3166_file, ": not an iso-codes 3166-1 file"));
      }
      for (const nlohmann::json& c : j["3166-1"]) {
        for (const char* key : {"name", "common_name", "official_name"}) {
          if (c.contains(key) && c[key].is_string()) {
            r->countries_.insert(absl::AsciiStrToLower(c[key].get<std::string>()));
          }
        }
      }
    }
  }

  path = dir + "/speech_verbs.txt";
  st = ForEachDataLine(path, [&](int, absl::string_view line) -> absl::Status {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty() && line[0] != '#') r->speech_verbs_.insert(absl::AsciiStrToLower(line));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;

  path = dir + "/pleonastic.txt";
  st = ForEachDataLine(path, [&](int n, absl::string_view line) -> absl::Status {
    std::vector<absl::string_view> f = Fields(line);
    if (f.empty() || f[0].empty() || f[0][0] == '#') return absl::OkStatus();
    Pleonastic p;
    if (f.size() > 1) {
      if (f[1] == "always")
        p.always = true;
      else if (f[1] == "passive")
        p.passive = true;
      else
        return DataLineError(path, n, absl::StrCat("unknown mark '", f[1], "' (always, passive)"));
    }
    r->pleonastic_[absl::AsciiStrToLower(f[0])] = p;
    return absl::OkStatus();
  });
  if (!st.ok()) return st;

  path = dir + "/given_names.tsv";
  st = ForEachDataLine(path, [&](int n, absl::string_view line) -> absl::Status {
    std::vector<absl::string_view> f = Fields(line);
    if (f.size() != 2) return DataLineError(path, n, "expected word, gender");
    int g = f[1] == "male" ? 1 : f[1] == "female" ? 2 : 0;
    if (g == 0) return DataLineError(path, n, absl::StrCat("unknown gender '", f[1], "'"));
    r->gendered_words_.emplace(absl::AsciiStrToLower(f[0]), g);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return r;
}

std::vector<CorefMention> CorefResolver::Resolve(const std::vector<nlp::Sentence>& document) const {
  Document d(*this, document);
  return d.Run();
}

bool CorefResolver::HasDefiniteDescription(const nlp::Sentence& sentence) const {
  const std::vector<nlp::Word>& words = sentence.words;
  for (size_t i = 0; i < words.size(); ++i) {
    if (absl::AsciiStrToLower(words[i].form) != "the") continue;
    for (size_t j = i + 1; j < words.size() && j <= i + 3; ++j) {
      if (words[j].upos != "NOUN") continue;
      if (descriptions_.contains(absl::AsciiStrToLower(words[j].lemma))) return true;
    }
  }
  return false;
}

}  // namespace kgraph::ingest
