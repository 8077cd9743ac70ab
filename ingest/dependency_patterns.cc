#include "ingest/dependency_patterns.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ingest/data_file.h"

namespace kgraph::ingest {
namespace {

// Replaces {NAME} by "(?:expansion)"; regex repetitions ({2}, {0,3}) pass.
absl::StatusOr<std::string> ExpandMacros(
    absl::string_view pattern, const std::vector<std::pair<std::string, std::string>>& macros) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{' || (i > 0 && pattern[i - 1] == '\\')) {
      out.push_back(pattern[i++]);
      continue;
    }
    const size_t close = pattern.find('}', i);
    if (close == absl::string_view::npos) return absl::InvalidArgumentError("unclosed '{'");
    const absl::string_view name = pattern.substr(i + 1, close - i - 1);
    if (!name.empty() && (absl::ascii_isdigit(name[0]) || name[0] == ',')) {
      absl::StrAppend(&out, pattern.substr(i, close - i + 1));
    } else {
      const std::string* expansion = nullptr;
      for (const auto& [macro, body] : macros) {
        if (macro == name) expansion = &body;
      }
      if (expansion == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("unknown macro {", name, "}"));
      }
      absl::StrAppend(&out, "(?:", *expansion, ")");
    }
    i = close + 1;
  }
  return out;
}

// TYPE|TYPE, each in `allowed`; otherwise "type 'T' <why_not>".
absl::Status ParseTypeList(absl::string_view column, const absl::flat_hash_set<std::string>& allowed,
                           absl::string_view why_not, absl::flat_hash_set<std::string>* out) {
  for (absl::string_view t : absl::StrSplit(column, '|')) {
    if (!allowed.contains(t)) {
      return absl::InvalidArgumentError(absl::StrCat("type '", t, "' ", why_not));
    }
    out->insert(std::string(t));
  }
  return absl::OkStatus();
}

// "*" = the vocabulary's types; else TYPE|TYPE, each allowed by `allowed`.
absl::Status ParseTypes(absl::string_view column, const absl::flat_hash_set<std::string>& allowed,
                        absl::flat_hash_set<std::string>* out) {
  if (column == "*") return absl::OkStatus();
  return ParseTypeList(column, allowed, "is not allowed by the relation's vocabulary entry", out);
}

absl::StatusOr<std::unique_ptr<RE2>> CompilePath(
    absl::string_view source, const std::vector<std::pair<std::string, std::string>>& macros) {
  auto expanded = ExpandMacros(source, macros);
  if (!expanded.ok()) return expanded.status();
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(*expanded, options);
  if (!regex->ok()) return absl::InvalidArgumentError(absl::StrCat("bad regex: ", regex->error()));
  return regex;
}

const absl::flat_hash_set<std::string>& EntityTypes() {
  static const absl::flat_hash_set<std::string> kTypes = {"PERSON", "ORG", "GPE", "PRODUCT",
                                                          "MISC"};
  return kTypes;
}

// TYPE|TYPE, each an entity type; `what` names the column in errors.
absl::Status NameTypes(absl::string_view column, absl::string_view what,
                       absl::flat_hash_set<std::string>* out) {
  absl::Status s = ParseTypeList(column, EntityTypes(),
                                 "is not an entity type (PERSON|ORG|GPE|PRODUCT|MISC)", out);
  if (s.ok()) return s;
  return absl::InvalidArgumentError(absl::StrCat(what, " ", s.message()));
}

// The columns of a "retype" line (retype, id, new type, from types, anchor
// types or "word", path regex) or of a "phrase" line (phrase, id, new type,
// anchor types, path regex: no from types).
absl::StatusOr<TypingRule> ParseTypingRule(
    const std::vector<absl::string_view>& cols,
    const std::vector<std::pair<std::string, std::string>>& macros) {
  const bool phrase = cols[0] == "phrase";
  if (cols.size() != (phrase ? 5u : 6u)) {
    return absl::InvalidArgumentError(
        phrase ? "expected 5 tab-separated columns: phrase, id, new type, anchor types, path regex"
               : "expected 6 tab-separated columns: retype, id, new type, from types, anchor "
                 "types or 'word', path regex");
  }
  TypingRule rule;
  rule.id = std::string(cols[1]);
  rule.new_type = std::string(cols[2]);
  if (!EntityTypes().contains(rule.new_type)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown entity type '", rule.new_type, "'"));
  }
  if (!phrase) {
    if (absl::Status s = NameTypes(cols[3], "from", &rule.from_types); !s.ok()) return s;
  }
  const absl::string_view anchor = cols[cols.size() - 2];
  if (phrase || anchor != "word") {
    if (absl::Status s = NameTypes(anchor, "anchor", &rule.anchor_types); !s.ok()) return s;
  }
  rule.source = std::string(cols.back());
  auto regex = CompilePath(cols.back(), macros);
  if (!regex.ok()) return regex.status();
  rule.regex = std::move(*regex);
  return rule;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DependencyPatternSet>> DependencyPatternSet::Load(
    const std::vector<std::string>& paths, const RelationVocabulary& vocabulary) {
  std::unique_ptr<DependencyPatternSet> set(new DependencyPatternSet());
  for (const std::string& path : paths) {
    std::vector<std::pair<std::string, std::string>> macros;
    absl::Status status = ForEachDataLine(path, [&](int line_no, absl::string_view line) {
      auto where = [&](absl::string_view message) {
        return DataLineError(path, line_no, message);
      };
      if (absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) return absl::OkStatus();
      if (absl::StartsWith(line, "define ")) {
        const size_t eq = line.find(" = ");
        if (eq == absl::string_view::npos) return where("expected: define NAME = regex");
        std::string name(absl::StripAsciiWhitespace(line.substr(7, eq - 7)));
        auto body = ExpandMacros(line.substr(eq + 3), macros);
        if (!body.ok()) return where(body.status().message());
        macros.emplace_back(std::move(name), std::move(*body));
        return absl::OkStatus();
      }
      const std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
      if (!cols.empty() && (cols[0] == "retype" || cols[0] == "phrase")) {
        absl::StatusOr<TypingRule> rule = ParseTypingRule(cols, macros);
        if (!rule.ok()) return where(rule.status().message());
        (cols[0] == "phrase" ? set->phrase_rules_ : set->typing_rules_).push_back(std::move(*rule));
        return absl::OkStatus();
      }
      if (cols.size() != 6) {
        return where(
            "expected 6 tab-separated columns: id, relation, confidence, subject types, "
            "object types, path regex");
      }
      DependencyRule rule;
      rule.id = std::string(cols[0]);
      rule.relation = std::string(cols[1]);
      const RelationSpec* spec = vocabulary.Find(rule.relation);
      if (spec == nullptr) return where(absl::StrCat("unknown relation '", rule.relation, "'"));
      if (!absl::SimpleAtod(cols[2], &rule.confidence) || rule.confidence <= 0 ||
          rule.confidence > 1) {
        return where("confidence must be a number in (0, 1]");
      }
      if (absl::Status s = ParseTypes(cols[3], spec->subject_types, &rule.subject_types); !s.ok()) {
        return where(absl::StrCat("subject ", s.message()));
      }
      if (absl::Status s = ParseTypes(cols[4], spec->object_types, &rule.object_types); !s.ok()) {
        return where(absl::StrCat("object ", s.message()));
      }
      rule.source = std::string(cols[5]);
      auto regex = CompilePath(cols[5], macros);
      if (!regex.ok()) return where(regex.status().message());
      rule.regex = std::move(*regex);
      set->rules_.push_back(std::move(rule));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
  }
  return set;
}

std::vector<const DependencyRule*> DependencyPatternSet::Match(
    const std::string& path, const std::string& subject_type,
    const std::string& object_type) const {
  std::vector<const DependencyRule*> out;
  if (path.empty()) return out;
  for (const DependencyRule& rule : rules_) {
    if (!rule.subject_types.empty() && !rule.subject_types.contains(subject_type)) continue;
    if (!rule.object_types.empty() && !rule.object_types.contains(object_type)) continue;
    if (RE2::FullMatch(path, *rule.regex)) out.push_back(&rule);
  }
  return out;
}

const TypingRule* DependencyPatternSet::MatchTyping(const std::string& path,
                                                    const std::string& from_type,
                                                    const std::string& anchor_type) const {
  if (path.empty()) return nullptr;
  for (const TypingRule& rule : typing_rules_) {
    if (!rule.from_types.contains(from_type)) continue;
    if (anchor_type.empty() != rule.anchor_types.empty()) continue;
    if (!anchor_type.empty() && !rule.anchor_types.contains(anchor_type)) continue;
    if (RE2::FullMatch(path, *rule.regex)) return &rule;
  }
  return nullptr;
}

const TypingRule* DependencyPatternSet::MatchPhrase(const std::string& path,
                                                    const std::string& anchor_type) const {
  if (path.empty()) return nullptr;
  for (const TypingRule& rule : phrase_rules_) {
    if (!rule.anchor_types.contains(anchor_type)) continue;
    if (RE2::FullMatch(path, *rule.regex)) return &rule;
  }
  return nullptr;
}

}  // namespace kgraph::ingest
