#include "ingest/pattern_set.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kgraph::ingest {
namespace {

constexpr char kAnyType[] = "(?:PERSON|ORG|GPE|PRODUCT|MISC)";

// Placeholder regex for a type spec: "" (any), "ORG", "ORG|PERSON",
// "COUNTRY" (a country GPE), "PLACE" (a GPE that is not a country).
std::string PlaceholderRegex(const std::string& spec) {
  if (spec.empty()) return absl::StrCat("<", kAnyType, ":\\d+(?::c)?>");
  std::vector<std::string> alts;
  for (absl::string_view t : absl::StrSplit(spec, '|')) {
    if (t == "COUNTRY") {
      alts.push_back("GPE:\\d+:c");
    } else if (t == "PLACE") {
      alts.push_back("GPE:\\d+");
    } else {
      alts.push_back(absl::StrCat(t, ":\\d+(?::c)?"));
    }
  }
  return absl::StrCat("<(?:", absl::StrJoin(alts, "|"), ")>");
}

absl::StatusOr<std::string> ExpandMarkers(
    const std::string& pattern,
    const std::vector<std::pair<std::string, std::string>>& macros,
    bool require_subject_object) {
  std::string out;
  bool has_s = false, has_o = false;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{' || (i > 0 && pattern[i - 1] == '\\')) {
      out += pattern[i++];
      continue;
    }
    size_t close = pattern.find('}', i);
    if (close == std::string::npos) {
      return absl::InvalidArgumentError("unclosed '{'");
    }
    std::string inner = pattern.substr(i + 1, close - i - 1);
    // Regex repetition like {0,3} passes through.
    if (!inner.empty() && (absl::ascii_isdigit(inner[0]) || inner[0] == ',')) {
      out += pattern.substr(i, close - i + 1);
      i = close + 1;
      continue;
    }
    std::string name = inner, spec;
    size_t colon = inner.find(':');
    if (colon != std::string::npos) {
      name = inner.substr(0, colon);
      spec = inner.substr(colon + 1);
    }
    if (name == "S" || name == "O") {
      if ((name == "S" && has_s) || (name == "O" && has_o)) {
        return absl::InvalidArgumentError(absl::StrCat("{", name, "} twice"));
      }
      (name == "S" ? has_s : has_o) = true;
      out += absl::StrCat("(?P<", name, ">", PlaceholderRegex(spec), ")");
    } else if (name == "E") {
      out += PlaceholderRegex(spec);
    } else if (name == "W") {
      out += "[^<\\s]+";  // One word that is not an entity.
    } else {
      bool found = false;
      for (const auto& [macro, expansion] : macros) {
        if (macro == name) {
          out += "(?:" + expansion + ")";
          found = true;
          break;
        }
      }
      if (!found) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown macro {", name, "}"));
      }
    }
    i = close + 1;
  }
  if (require_subject_object && (!has_s || !has_o)) {
    return absl::InvalidArgumentError("pattern needs both {S} and {O}");
  }
  return out;
}

// True iff the prefilter could wrongly reject a sentence this regex matches.
// Atoms are lowercased literals and sentences are lowercased in ASCII only,
// so a regex whose literals may be non-ASCII letters (raw UTF-8, \x, \p,
// case-insensitive groups) is not filtered.
bool NeedsUnfilteredMatch(absl::string_view regex) {
  for (size_t i = 0; i < regex.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(regex[i]);
    if (c >= 0x80) return true;
    if (c == '\\' && i + 1 < regex.size()) {
      const char e = regex[i + 1];
      if (e == 'x' || e == 'p' || e == 'P' || e == 'C') return true;
      ++i;
      continue;
    }
    if (c == '(' && i + 1 < regex.size() && regex[i + 1] == '?') {
      for (size_t j = i + 2; j < regex.size() && regex[j] != ':' &&
                             regex[j] != ')';
           ++j) {
        if (regex[j] == 'i') return true;
      }
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ExpandPattern(
    const std::string& pattern,
    const std::vector<std::pair<std::string, std::string>>& macros) {
  return ExpandMarkers(pattern, macros, true);
}

absl::StatusOr<std::unique_ptr<PatternSet>> PatternSet::Load(
    const std::vector<std::string>& paths,
    const RelationVocabulary& vocabulary) {
  std::unique_ptr<PatternSet> set(new PatternSet());
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  for (const std::string& path : paths) {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
    std::vector<std::pair<std::string, std::string>> macros;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      absl::string_view v = absl::StripAsciiWhitespace(line);
      if (v.empty() || v[0] == '#') continue;
      auto where = [&](absl::string_view msg) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", line_no, ": ", msg));
      };
      if (absl::StartsWith(v, "define ")) {
        absl::string_view rest = v.substr(7);
        size_t eq = rest.find('=');
        if (eq == absl::string_view::npos) return where("define NAME = regex");
        std::string name(absl::StripAsciiWhitespace(rest.substr(0, eq)));
        std::string body(absl::StripAsciiWhitespace(rest.substr(eq + 1)));
        auto expanded = ExpandMarkers(body, macros, false);
        if (!expanded.ok()) return where(expanded.status().message());
        macros.emplace_back(name, *expanded);
        continue;
      }
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      if (cols.size() != 4) {
        return where("expected id<TAB>relation<TAB>confidence<TAB>pattern");
      }
      PatternRule rule;
      rule.id = cols[0];
      rule.relation = cols[1];
      if (vocabulary.Find(rule.relation) == nullptr) {
        return where(absl::StrCat("unknown relation '", rule.relation, "'"));
      }
      if (!absl::SimpleAtod(cols[2], &rule.confidence) ||
          rule.confidence <= 0 || rule.confidence > 1) {
        return where("confidence must be a number in (0, 1]");
      }
      rule.source = cols[3];
      auto expanded = ExpandPattern(cols[3], macros);
      if (!expanded.ok()) return where(expanded.status().message());
      rule.regex = std::make_unique<RE2>(*expanded, options);
      if (!rule.regex->ok()) {
        return where(absl::StrCat("bad regex: ", rule.regex->error()));
      }
      const auto& groups = rule.regex->NamedCapturingGroups();
      rule.subject_group = groups.at("S");
      rule.object_group = groups.at("O");
      const int rule_index = static_cast<int>(set->rules_.size());
      int filter_id = -1;
      if (NeedsUnfilteredMatch(*expanded) ||
          set->filter_.Add(*expanded, options, &filter_id) !=
              RE2::NoError) {
        set->unfiltered_rules_.push_back(rule_index);
      } else {
        set->filtered_rule_.push_back(rule_index);
      }
      set->rules_.push_back(std::move(rule));
    }
  }
  if (set->filter_.NumRegexps() > 0) {
    std::vector<std::string> atoms;
    set->filter_.Compile(&atoms);
    if (!atoms.empty()) {
      set->atoms_ = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
      for (const std::string& atom : atoms) {
        std::string error;
        if (set->atoms_->Add(RE2::QuoteMeta(atom), &error) < 0) {
          return absl::InternalError(
              absl::StrCat("pattern prefilter atom '", atom, "': ", error));
        }
      }
      if (!set->atoms_->Compile()) {
        return absl::ResourceExhaustedError("pattern prefilter too large");
      }
    }
  }
  return set;
}

void PatternSet::Candidates(const std::string& sentence,
                            std::vector<int>& candidates) const {
  if (filter_.NumRegexps() == 0) {
    candidates = unfiltered_rules_;
    return;
  }
  std::vector<int> atom_hits;
  if (atoms_ != nullptr) {
    std::string lowered = absl::AsciiStrToLower(sentence);
    RE2::Set::ErrorInfo error;
    if (!atoms_->Match(lowered, &atom_hits, &error) &&
        error.kind != RE2::Set::kNoError) {
      // The literal set's DFA gave up: run every rule rather than guess.
      candidates.resize(rules_.size());
      for (size_t i = 0; i < rules_.size(); ++i) candidates[i] = i;
      return;
    }
  }
  std::vector<int> passed;
  filter_.AllPotentials(atom_hits, &passed);
  candidates = unfiltered_rules_;
  for (int id : passed) candidates.push_back(filtered_rule_[id]);
  std::sort(candidates.begin(), candidates.end());
}

std::vector<RuleMatch> PatternSet::Match(const std::string& sentence) const {
  std::vector<RuleMatch> out;
  std::vector<int> candidates;
  Candidates(sentence, candidates);
  re2::StringPiece text(sentence);
  std::vector<re2::StringPiece> groups;
  for (int c : candidates) {
    const PatternRule& rule = rules_[c];
    // Only the whole match and {S}/{O} are read; later groups need not be
    // captured.
    const int n = 1 + std::max(rule.subject_group, rule.object_group);
    groups.assign(n, re2::StringPiece());
    size_t pos = 0;
    while (pos <= text.size() &&
           rule.regex->Match(text, pos, text.size(), RE2::UNANCHORED,
                             groups.data(), n)) {
      RuleMatch m;
      m.rule = &rule;
      m.match_begin = groups[0].data() - text.data();
      m.match_end = m.match_begin + groups[0].size();
      m.subject_offset = groups[rule.subject_group].data() - text.data();
      m.object_offset = groups[rule.object_group].data() - text.data();
      out.push_back(m);
      // Next attempt starts at the word after this match's start.
      size_t next = text.find(' ', m.match_begin);
      if (next == re2::StringPiece::npos) break;
      pos = next + 1;
    }
  }
  return out;
}

}  // namespace kgraph::ingest
