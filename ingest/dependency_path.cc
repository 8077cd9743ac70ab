#include "ingest/dependency_path.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kgraph::ingest {
namespace {

// Head index (0-based) of word i, or -1 for the root or an unparsed word.
int HeadOf(const nlp::Sentence& s, size_t i) {
  const int h = s.words[i].head;
  if (h <= 0 || static_cast<size_t>(h) > s.words.size()) return -1;
  return h - 1;
}

bool Parsed(const nlp::Sentence& s) {
  for (const nlp::Word& w : s.words) {
    if (w.head < 0) return false;
  }
  return !s.words.empty();
}

std::string Lemma(const nlp::Word& w) {
  return absl::AsciiStrToLower(w.lemma.empty() ? w.form : w.lemma);
}

// The relation of word i to its head, with the preposition of an nmod or
// obl that has no subtype ("nmod/of", "obl/for"): "bid for" and "bid by",
// "unit of" and "stake in" differ only there.
std::string Edge(const nlp::Sentence& s, size_t i) {
  const std::string& rel = s.words[i].deprel;
  if (rel != "nmod" && rel != "obl" && rel != "obl:agent") return rel;
  for (size_t d = 0; d < s.words.size(); ++d) {
    if (s.words[d].head == static_cast<int>(i) + 1 && s.words[d].deprel == "case") {
      return absl::StrCat(rel, "/", Lemma(s.words[d]));
    }
  }
  return rel;
}

// The lemmas of word d's subtree (contiguous in a projective parse: from
// its leftmost to its rightmost descendant), punctuation left out, joined
// by '_'.
std::string SubtreeLemmas(const nlp::Sentence& s, size_t d) {
  size_t lo = d, hi = d;
  for (size_t w = 0; w < s.words.size(); ++w) {
    for (size_t a = w, guard = 0; guard <= s.words.size(); ++guard) {
      if (a == d) {
        lo = std::min(lo, w);
        hi = std::max(hi, w);
        break;
      }
      const int h = s.words[a].head;
      if (h <= 0) break;
      a = static_cast<size_t>(h - 1);
    }
  }
  std::vector<std::string> parts;
  for (size_t w = lo; w <= hi; ++w) {
    if (s.words[w].upos != "PUNCT") parts.push_back(Lemma(s.words[w]));
  }
  return absl::StrJoin(parts, "_");
}

// A word passed on the path, as its lemma, carrying what its relation
// depends on but the path does not pass: an xcomp dependent (the role in
// "named Ann Weller president and chief executive officer" is
// "name[president_and_chief_executive_officer]") in brackets, and a noun's
// conjuncts each after a '+' ("president+chief_executive_officer" when the
// path passes through "president").
std::string Node(const nlp::Sentence& s, size_t i, size_t prev, size_t next) {
  std::string out = Lemma(s.words[i]);
  const bool noun = s.words[i].upos == "NOUN" || s.words[i].upos == "PROPN";
  for (size_t d = 0; d < s.words.size(); ++d) {
    if (d == prev || d == next || s.words[d].head != static_cast<int>(i) + 1) continue;
    if (noun && s.words[d].deprel == "conj") absl::StrAppend(&out, "+", SubtreeLemmas(s, d));
  }
  for (size_t d = 0; d < s.words.size(); ++d) {
    if (d == prev || d == next || s.words[d].head != static_cast<int>(i) + 1) continue;
    if (s.words[d].deprel == "xcomp") {
      absl::StrAppend(&out, "[", SubtreeLemmas(s, d), "]");
      break;
    }
  }
  return out;
}

}  // namespace

size_t FirstConjunct(const nlp::Sentence& s, size_t i) {
  for (int guard = 0; guard < kMaxPathEdges; ++guard) {
    const int h = HeadOf(s, i);
    if (h < 0 || s.words[i].deprel != "conj") break;
    i = static_cast<size_t>(h);
  }
  return i;
}

std::pair<size_t, size_t> WordsOverlapping(const nlp::Sentence& sentence, size_t begin, size_t end) {
  // Words are in text order (the parts of a multi-word token share or split
  // its bytes), so the overlapping ones are a run found by binary search: a
  // long document places thousands of mentions.
  const std::vector<nlp::Word>& words = sentence.words;
  const auto from = std::partition_point(words.begin(), words.end(),
                                         [&](const nlp::Word& w) { return w.end <= begin; });
  size_t first = static_cast<size_t>(from - words.begin()), last = first;
  while (last < words.size() && words[last].start < end) ++last;
  if (last == first) return {words.size(), 0};
  return {first, last};
}

void ParseWithNames(const nlp::NlpPipeline& pipeline,
                    const std::vector<std::pair<size_t, size_t>>& names, nlp::Sentence* sentence) {
  for (const auto& [b, e] : names) {
    const auto [first, last] = WordsOverlapping(*sentence, b, e);
    for (size_t i = first; i < last; ++i) {
      nlp::Word& w = sentence->words[i];
      if (w.start < b || w.end > e) continue;  // only the words wholly inside
      if (w.upos == "PUNCT" || w.upos == "CCONJ" || w.upos == "ADP" || w.upos == "PROPN") continue;
      w.upos = "PROPN";
      w.xpos = "NNP";
    }
  }
  if (pipeline.parser() != nullptr) pipeline.parser()->Parse(sentence);
}

size_t SpanHead(const nlp::Sentence& sentence, size_t begin, size_t end) {
  if (!Parsed(sentence)) return begin;
  for (size_t i = begin; i < end && i < sentence.words.size(); ++i) {
    const int h = HeadOf(sentence, i);
    if (h < 0 || static_cast<size_t>(h) < begin || static_cast<size_t>(h) >= end) return i;
  }
  return begin;
}

DependencyPath PathBetween(const nlp::Sentence& sentence, size_t from, size_t to) {
  DependencyPath path;
  const size_t n = sentence.words.size();
  if (from >= n || to >= n || from == to || !Parsed(sentence)) return path;
  const size_t a = FirstConjunct(sentence, from), b = FirstConjunct(sentence, to);
  if (a == b) {
    // Coordinated ends: the shared role and its head.
    const int h = HeadOf(sentence, a);
    path.text = "=conj";
    if (h >= 0) {
      absl::StrAppend(&path.text, " ^", Edge(sentence, a), " ",
                      Node(sentence, static_cast<size_t>(h), a, a));
      path.inner.push_back(static_cast<size_t>(h));
    }
    return path;
  }
  // Ancestors of a, nearest first (a itself included).
  std::vector<size_t> up_a = {a};
  for (int h = HeadOf(sentence, a); h >= 0 && up_a.size() <= n; h = HeadOf(sentence, h)) {
    up_a.push_back(static_cast<size_t>(h));
  }
  // Climb from b until an ancestor of a is met.
  std::vector<size_t> up_b = {b};
  size_t meet = up_a.size();
  for (;;) {
    const size_t cur = up_b.back();
    for (size_t k = 0; k < up_a.size(); ++k) {
      if (up_a[k] == cur) {
        meet = k;
        break;
      }
    }
    if (meet < up_a.size()) break;
    const int h = HeadOf(sentence, cur);
    if (h < 0 || up_b.size() > n) return path;  // not connected (a cycle or two roots)
    up_b.push_back(static_cast<size_t>(h));
  }
  const size_t edges = meet + (up_b.size() - 1);
  if (edges == 0 || edges > static_cast<size_t>(kMaxPathEdges)) return path;
  std::string& out = path.text;
  // Up from a to the common ancestor up_a[meet].
  for (size_t k = 0; k < meet; ++k) {
    if (!out.empty()) out.push_back(' ');
    absl::StrAppend(&out, "^", Edge(sentence, up_a[k]));
    if (k + 1 < meet || up_b.size() > 1) {
      // The next word on the path after up_a[k + 1].
      const size_t next = k + 2 <= meet ? up_a[k + 2] : up_b[up_b.size() - 2];
      absl::StrAppend(&out, " ", Node(sentence, up_a[k + 1], up_a[k], next));
      path.inner.push_back(up_a[k + 1]);
    }
  }
  // "Mr. Pell was at Dravon", "X has been with Y since 2004": the subject of
  // a prepositional predicate is b's own nsubj, and only b's preposition
  // tells "was at Y" from "was Y"; it rides on the edge ("^nsubj/at").
  if (up_b.size() == 1 && meet > 0) {
    const std::string& rel = sentence.words[up_a[meet - 1]].deprel;
    if (rel == "nsubj" || rel == "nsubj:pass") {
      bool cop = false;
      std::string prep;
      for (size_t d = 0; d < n; ++d) {
        if (sentence.words[d].head != static_cast<int>(b) + 1) continue;
        cop |= sentence.words[d].deprel == "cop";
        if (sentence.words[d].deprel == "case" && prep.empty()) prep = Lemma(sentence.words[d]);
      }
      if (cop && !prep.empty()) absl::StrAppend(&out, "/", prep);
    }
  }
  // Down from the common ancestor to b: up_b reversed, without its last
  // element (the ancestor itself).
  for (size_t k = up_b.size() - 1; k-- > 0;) {
    if (!out.empty()) out.push_back(' ');
    absl::StrAppend(&out, ">", Edge(sentence, up_b[k]));
    if (k > 0) {
      absl::StrAppend(&out, " ", Node(sentence, up_b[k], up_b[k + 1], up_b[k - 1]));
      path.inner.push_back(up_b[k]);
    }
  }
  return path;
}

}  // namespace kgraph::ingest
