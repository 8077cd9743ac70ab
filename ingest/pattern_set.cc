#include "ingest/pattern_set.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ingest/data_file.h"

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

// Aho-Corasick automaton over bytes with ASCII letters lowercased: finds
// which of a fixed set of literals occur in a text in one pass. Bytes that
// occur in no literal share one class, so the transition table stays small.
class PatternSet::AtomMatcher {
 public:
  explicit AtomMatcher(const std::vector<std::string>& atoms)
      : atom_count_(atoms.size()) {
    class_of_.fill(0);
    classes_ = 1;  // Class 0: bytes in no atom.
    for (const std::string& atom : atoms) {
      for (char ch : atom) {
        const unsigned char b = Lower(static_cast<unsigned char>(ch));
        if (class_of_[b] == 0) class_of_[b] = classes_++;
      }
    }
    for (int b = 'A'; b <= 'Z'; ++b) class_of_[b] = class_of_[Lower(b)];
    // Trie; -1 marks a missing edge until the failure pass fills it in.
    std::vector<std::vector<int>> own_outputs(1);
    next_.assign(classes_, -1);
    for (size_t a = 0; a < atoms.size(); ++a) {
      int node = 0;
      for (char ch : atoms[a]) {
        const int c = class_of_[static_cast<unsigned char>(ch)];
        if (next_[node * classes_ + c] < 0) {
          next_[node * classes_ + c] = static_cast<int>(own_outputs.size());
          own_outputs.emplace_back();
          next_.resize(next_.size() + classes_, -1);
        }
        node = next_[node * classes_ + c];
      }
      own_outputs[node].push_back(static_cast<int>(a));
    }
    // Failure links in breadth-first order make `next_` a full DFA; each
    // node's outputs are its own plus its failure node's.
    const size_t nodes = own_outputs.size();
    std::vector<int> fail(nodes, 0);
    std::vector<std::vector<int>> outputs(nodes);
    std::deque<int> queue;
    for (int c = 0; c < classes_; ++c) {
      int& v = next_[c];
      if (v < 0) {
        v = 0;
      } else {
        queue.push_back(v);
      }
    }
    outputs[0] = own_outputs[0];
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      outputs[u] = own_outputs[u];
      outputs[u].insert(outputs[u].end(), outputs[fail[u]].begin(),
                        outputs[fail[u]].end());
      for (int c = 0; c < classes_; ++c) {
        int& v = next_[u * classes_ + c];
        if (v < 0) {
          v = next_[fail[u] * classes_ + c];
        } else {
          fail[v] = next_[fail[u] * classes_ + c];
          queue.push_back(v);
        }
      }
    }
    output_begin_.reserve(nodes + 1);
    for (const std::vector<int>& o : outputs) {
      output_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
      outputs_.insert(outputs_.end(), o.begin(), o.end());
    }
    output_begin_.push_back(static_cast<uint32_t>(outputs_.size()));
  }

  // Sets `found` to the indices of the atoms occurring in `text` (ASCII
  // letters compared lowercased), ascending.
  void Find(absl::string_view text, std::vector<int>& found) const {
    found.clear();
    std::vector<bool> seen(atom_count_, false);
    int node = 0;
    for (char ch : text) {
      node = next_[node * classes_ + class_of_[static_cast<unsigned char>(ch)]];
      for (uint32_t k = output_begin_[node]; k < output_begin_[node + 1]; ++k) {
        const int atom = outputs_[k];
        if (!seen[atom]) {
          seen[atom] = true;
          found.push_back(atom);
        }
      }
    }
    std::sort(found.begin(), found.end());
  }

 private:
  static unsigned char Lower(unsigned char b) {
    return b >= 'A' && b <= 'Z' ? static_cast<unsigned char>(b - 'A' + 'a') : b;
  }

  size_t atom_count_;
  std::array<int, 256> class_of_;
  int classes_;
  std::vector<int> next_;  // [node * classes_ + class] -> node.
  std::vector<uint32_t> output_begin_;  // Node's atoms: outputs_[begin, next).
  std::vector<int> outputs_;
};

PatternSet::PatternSet() = default;
PatternSet::~PatternSet() = default;

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
    std::vector<std::pair<std::string, std::string>> macros;
    absl::Status loaded = ForEachDataLine(path, [&](int line_no, absl::string_view line) {
      absl::string_view v = absl::StripAsciiWhitespace(line);
      if (v[0] == '#') return absl::OkStatus();  // an indented comment
      auto where = [&](absl::string_view msg) { return DataLineError(path, line_no, msg); };
      if (absl::StartsWith(v, "define ")) {
        absl::string_view rest = v.substr(7);
        size_t eq = rest.find('=');
        if (eq == absl::string_view::npos) return where("define NAME = regex");
        std::string name(absl::StripAsciiWhitespace(rest.substr(0, eq)));
        std::string body(absl::StripAsciiWhitespace(rest.substr(eq + 1)));
        auto expanded = ExpandMarkers(body, macros, false);
        if (!expanded.ok()) return where(expanded.status().message());
        macros.emplace_back(name, *expanded);
        return absl::OkStatus();
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
      return absl::OkStatus();
    });
    if (!loaded.ok()) return loaded;
  }
  if (set->filter_.NumRegexps() > 0) {
    std::vector<std::string> atoms;
    set->filter_.Compile(&atoms);
    if (!atoms.empty()) set->atoms_ = std::make_unique<AtomMatcher>(atoms);
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
  if (atoms_ != nullptr) atoms_->Find(sentence, atom_hits);
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
