#include "ingest/relation_extractor.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest/data_file.h"

namespace kgraph::ingest {
namespace {

// "In May 2017, X completed ...": the month, not the hedge "may" (the
// pieces are folded): a number after it or a preposition of time before it.
bool IsMonthMay(const PlaceholderSentence& sentence, int i) {
  if (sentence.pieces[i].text != "may") return false;
  const auto& pieces = sentence.pieces;
  if (i + 1 < static_cast<int>(pieces.size()) && !pieces[i + 1].text.empty() &&
      absl::ascii_isdigit(static_cast<unsigned char>(pieces[i + 1].text[0]))) {
    return true;
  }
  if (i == 0) return false;
  static const char* kBefore[] = {"in", "since", "until", "till", "of", "by", "early", "late",
                                  "mid", "last", "next", "from", "through"};
  for (const char* w : kBefore) {
    if (pieces[i - 1].text == w) return true;
  }
  return false;
}

// Words before the subject that still scope over the match ("did not").
constexpr int kCueWindowBefore = 3;
// Longest sentence, in pieces, that patterns run over.
constexpr size_t kMaxPieces = 80;

absl::Status LoadWords(const std::string& path,
                       absl::flat_hash_set<std::string>& out) {
  return ForEachDataLine(path, [&](int line_no, absl::string_view line) {
    absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v[0] == '#') return absl::OkStatus();  // an indented comment
    if (v.find_first_of(" \t") != absl::string_view::npos) {
      return DataLineError(path, line_no, "one word per line");
    }
    out.insert(absl::AsciiStrToLower(v));
    return absl::OkStatus();
  });
}

// relation<TAB>block|words[<TAB>lifting|words].
absl::Status LoadBlockers(const std::string& path,
                          absl::flat_hash_map<std::string, CueWords::Blocker>& out) {
  return ForEachDataLine(path, [&](int line_no, absl::string_view line) {
    if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) return absl::OkStatus();
    const std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 2 || cols.size() > 3 || cols[0].empty() || cols[1].empty()) {
      return DataLineError(path, line_no,
                           "expected: relation<TAB>block words[<TAB>lifting words], words |-separated");
    }
    CueWords::Blocker& b = out[std::string(cols[0])];
    for (absl::string_view w : absl::StrSplit(cols[1], '|', absl::SkipEmpty())) {
      b.block.insert(absl::AsciiStrToLower(w));
    }
    if (cols.size() == 3) {
      for (absl::string_view w : absl::StrSplit(cols[2], '|', absl::SkipEmpty())) {
        b.lift.insert(absl::AsciiStrToLower(w));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace

absl::StatusOr<CueWords> CueWords::Load(const std::string& data_dir) {
  CueWords cues;
  const std::string dir = data_dir + "/relations/";
  absl::Status s = LoadWords(dir + "negators.txt", cues.negators);
  if (s.ok()) s = LoadWords(dir + "hedges.txt", cues.hedges);
  if (s.ok()) s = LoadWords(dir + "list_connectors.txt", cues.list_connectors);
  if (s.ok()) s = LoadWords(dir + "past_modifiers.txt", cues.past_modifiers);
  if (s.ok()) s = LoadBlockers(dir + "blockers.tsv", cues.blockers);
  if (!s.ok()) return s;
  return cues;
}

namespace {

// Whether a blocker of `relation` stands between pieces sp and op or right
// after the later one, with no lifting word there. `original` is the
// sentence before MISC entities were flattened (same pieces): a measure's
// last word counts as a word ("42 percent").
bool Blocked(const CueWords& cues, const PlaceholderSentence& original,
             const PlaceholderSentence& sentence, int sp, int op, const std::string& relation,
             const std::vector<std::string>& entity_types,
             const std::vector<std::string>* entity_names) {
  const auto it = cues.blockers.find(relation);
  if (it == cues.blockers.end()) return false;
  const int last = std::min(std::max(sp, op) + 1, static_cast<int>(sentence.pieces.size()) - 1);
  bool block = false, lift = false;
  auto read = [&](absl::string_view word) {
    block |= it->second.block.contains(word);
    lift |= it->second.lift.contains(word);
  };
  for (int i = std::min(sp, op) + 1; i <= last; ++i) {
    const PlaceholderPiece& p = sentence.pieces[i];
    if (p.entity < 0) read(p.text);
    const int e = original.pieces[i].entity;
    if (e >= 0 && entity_names != nullptr && static_cast<size_t>(e) < entity_names->size() &&
        entity_types[e] == "MISC") {
      const std::string& name = (*entity_names)[e];
      const size_t space = name.rfind(' ');
      read(absl::AsciiStrToLower(space == std::string::npos ? name : name.substr(space + 1)));
    }
  }
  return block && !lift;
}

// MISC entities (dates, times, measures) take part in no relation; patterns
// see them as one plain word so gaps such as "(?:[^<\s]+ ){0,8}" still span
// "was killed on <MISC> by". Returns false when there is none to rewrite.
bool FlattenMisc(const PlaceholderSentence& in,
                 const std::vector<std::string>& entity_types,
                 PlaceholderSentence& out) {
  bool any = false;
  for (const PlaceholderPiece& p : in.pieces) {
    any |= p.entity >= 0 && entity_types[p.entity] == "MISC";
  }
  if (!any) return false;
  out.text.clear();
  out.text.reserve(in.text.size());
  out.pieces.clear();
  out.pieces.reserve(in.pieces.size());
  for (const PlaceholderPiece& p : in.pieces) {
    PlaceholderPiece q = p;
    if (q.entity >= 0 && entity_types[q.entity] == "MISC") {
      q.entity = -1;
      q.anaphoric = false;
      q.text = "misc";
    }
    if (!out.text.empty()) out.text += ' ';
    q.offset = out.text.size();
    out.text += q.text;
    out.pieces.push_back(std::move(q));
  }
  return true;
}

}  // namespace

std::vector<SentenceRelation> RelationExtractor::Extract(
    const PlaceholderSentence& original, const std::vector<std::string>& entity_types,
    const std::vector<std::string>* entity_names) const {
  PlaceholderSentence flattened;
  const PlaceholderSentence& sentence =
      FlattenMisc(original, entity_types, flattened) ? flattened : original;
  std::vector<SentenceRelation> out;
  int entities = 0;
  for (const PlaceholderPiece& p : sentence.pieces) entities += p.entity >= 0;
  // Tables and run-on text with no sentence breaks are not prose; matching
  // them costs much and yields noise.
  if (entities < 2 || sentence.pieces.size() > kMaxPieces) return out;
  for (const RuleMatch& m : patterns_.Match(sentence.text)) {
    int sp = sentence.PieceAt(m.subject_offset);
    int op = sentence.PieceAt(m.object_offset);
    if (sp < 0 || op < 0) continue;
    const PlaceholderPiece& subject = sentence.pieces[sp];
    const PlaceholderPiece& object = sentence.pieces[op];
    if (subject.entity == object.entity) continue;
    const RelationSpec* spec = vocabulary_.Find(m.rule->relation);
    if (spec == nullptr) continue;
    // Negation and hedging anywhere in the match or just before it.
    int first = std::max(0, std::min(sp, op) - kCueWindowBefore);
    int begin_piece = sentence.PieceAt(m.match_begin);
    if (begin_piece >= 0) first = std::min(first, begin_piece);
    int last = std::max(sp, op);
    bool negated = false, hedged = false;
    for (int i = first; i <= last; ++i) {
      const PlaceholderPiece& p = sentence.pieces[i];
      if (p.entity >= 0) continue;
      negated |= cues_.negators.contains(p.text);
      hedged |= cues_.hedges.contains(p.text) && !IsMonthMay(sentence, i);
    }
    if (negated) continue;
    if (Blocked(cues_, original, sentence, sp, op, spec->name, entity_types, entity_names)) {
      SentenceRelation r;
      r.subject = subject.entity;
      r.object = object.entity;
      r.relation = spec->name;
      r.rule = m.rule->id;
      r.blocked = true;
      out.push_back(std::move(r));
      continue;
    }
    double confidence = m.rule->confidence;
    if (hedged) confidence *= kHedgeFactor;
    if (subject.anaphoric || object.anaphoric) confidence *= kAnaphoraFactor;
    auto emit = [&](int s, int o) {
      if (s == o) return;
      if (!vocabulary_.Allows(*spec, entity_types[s], entity_types[o])) return;
      out.push_back({s, o, spec->name, confidence, m.rule->id});
    };
    emit(subject.entity, object.entity);
    if (spec->one_object) continue;
    // Coordinated objects of the same type: "on A, B, and the C".
    const std::string& object_type = entity_types[object.entity];
    for (size_t q = op + 1; q < sentence.pieces.size(); ++q) {
      const PlaceholderPiece& p = sentence.pieces[q];
      if (p.entity < 0) {
        if (cues_.list_connectors.contains(p.text)) continue;
        break;
      }
      if (entity_types[p.entity] != object_type) break;
      emit(subject.entity, p.entity);
    }
  }
  return out;
}

}  // namespace kgraph::ingest
