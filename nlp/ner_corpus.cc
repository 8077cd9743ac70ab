#include "nlp/ner_corpus.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlp/conllu.h"

namespace kgraph::nlp {
namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read failed"));
  return out.str();
}

absl::Status LineError(const std::string& file, int line, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(file, ":", line, ": ", message));
}

bool IsLabel(absl::string_view s) {
  const auto& labels = NerLabelSet();
  return std::find(labels.begin(), labels.end(), s) != labels.end();
}

// Forms joined by single spaces: the corpora other than CoNLL-U do not keep
// the original spacing, and a consistent text lets offsets be checked.
Sentence MakeSentence(const std::vector<std::string>& forms) {
  Sentence s;
  for (const std::string& f : forms) {
    if (!s.text.empty()) s.text += ' ';
    Word w;
    w.form = f;
    w.start = s.text.size();
    s.text += f;
    w.end = s.text.size();
    s.words.push_back(std::move(w));
  }
  return s;
}

// Looks up a corpus type; *label is "" for a type that is not a name.
absl::Status MapType(const NerCorpusSpec& spec, absl::string_view type, std::string* label) {
  auto it = spec.type_map.find(std::string(type));
  if (it == spec.type_map.end()) {
    return absl::InvalidArgumentError(absl::StrCat("entity type '", type, "' has no map row for corpus '",
                                                   spec.name, "' in data/nlp/ner_corpora.tsv"));
  }
  *label = it->second;
  return absl::OkStatus();
}

absl::Status WithLine(const absl::Status& s, const std::string& file, int line) {
  return LineError(file, line, s.message());
}

// Decodes one sentence's tags. IOB1 and IOB2 decode the same way (as
// conlleval does): a span opens at B-X, or at I-X unless the previous tag is
// X; so I-X after O (the IOB1 norm, invalid in IOB2) opens a span, and B-X
// splits adjacent X spans.
class IobDecoder {
 public:
  IobDecoder(const NerCorpusSpec& spec, const std::string& file) : spec_(spec), file_(file) {}

  absl::Status Add(absl::string_view form, absl::string_view tag, int line) {
    if (forms_.empty()) first_line_ = line;
    const size_t i = forms_.size();
    forms_.emplace_back(form);
    if (tag == "O") {
      Close(i);
      return absl::OkStatus();
    }
    if (tag.size() < 3 || (tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-') {
      return LineError(file_, line, absl::StrCat("tag '", tag, "' is not O, B-TYPE or I-TYPE"));
    }
    absl::string_view type = tag.substr(2);
    if (tag[0] == 'I' && open_ && open_type_ == type) return absl::OkStatus();
    Close(i);
    std::string label;
    absl::Status s = MapType(spec_, type, &label);
    if (!s.ok()) return WithLine(s, file_, line);
    open_ = true;
    open_type_ = std::string(type);
    open_label_ = label;
    open_begin_ = i;
    return absl::OkStatus();
  }

  bool empty() const { return forms_.empty(); }
  int first_line() const { return first_line_; }

  Sentence Finish() {
    Close(forms_.size());
    Sentence s = MakeSentence(forms_);
    s.entities = std::move(spans_);
    forms_.clear();
    spans_.clear();
    return s;
  }

 private:
  void Close(size_t end) {
    if (open_ && !open_label_.empty()) spans_.push_back({open_begin_, end, open_label_});
    open_ = false;
  }

  const NerCorpusSpec& spec_;
  const std::string& file_;
  std::vector<std::string> forms_;
  std::vector<EntitySpan> spans_;
  bool open_ = false;
  std::string open_type_, open_label_;
  size_t open_begin_ = 0;
  int first_line_ = 0;
};

size_t LineOfByte(absl::string_view text, size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + std::count(text.begin(), text.begin() + byte, '\n');
}

// One mention of GUM's Entity= column: words [begin, end).
struct Mention {
  size_t begin, end;
  std::string type;
};

// Parses the Entity= value of word `i`: "(ID-type-...", "ID)" and
// "(ID-type-...)" in any sequence. Closes match the latest open of that ID.
absl::Status ParseEntityValue(absl::string_view v, size_t i,
                              std::vector<std::pair<std::string, Mention>>* open,
                              std::vector<Mention>* done) {
  size_t p = 0;
  while (p < v.size()) {
    if (v[p] == '(') {
      size_t q = v.find_first_of("()", p + 1);
      if (q == absl::string_view::npos) q = v.size();
      absl::string_view body = v.substr(p + 1, q - p - 1);
      std::vector<absl::string_view> fields = absl::StrSplit(body, '-');
      if (fields.size() < 2 || fields[0].empty() || fields[1].empty()) {
        return absl::InvalidArgumentError(absl::StrCat("mention '(", body, "' lacks ID-type"));
      }
      Mention m{i, i + 1, std::string(fields[1])};
      if (q < v.size() && v[q] == ')') {
        done->push_back(std::move(m));
        ++q;
      } else {
        open->emplace_back(std::string(fields[0]), std::move(m));
      }
      p = q;
    } else {
      size_t q = v.find(')', p);
      if (q == absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat("unexpected '", v.substr(p), "' in Entity="));
      }
      std::string id(v.substr(p, q - p));
      auto it = std::find_if(open->rbegin(), open->rend(), [&](const auto& o) { return o.first == id; });
      if (it == open->rend()) {
        return absl::InvalidArgumentError(absl::StrCat("mention ", id, " closed but not open"));
      }
      Mention m = it->second;
      m.end = i + 1;
      done->push_back(std::move(m));
      open->erase(std::next(it).base());
      p = q + 1;
    }
  }
  return absl::OkStatus();
}

absl::string_view EntityField(absl::string_view misc) {
  for (absl::string_view part : absl::StrSplit(misc, '|')) {
    if (absl::ConsumePrefix(&part, "Entity=")) return part;
  }
  return {};
}

bool InSpan(int head, size_t begin, size_t end) {
  // CoNLL-U heads are 1-based; 0 (root) and -1 (unparsed) are outside.
  return head >= 1 && static_cast<size_t>(head - 1) >= begin && static_cast<size_t>(head - 1) < end;
}

bool LowerInitial(const std::string& form) { return !form.empty() && absl::ascii_islower(form[0]); }

// Whether word j of a mention [begin, end) starts a part that GUM puts
// inside the mention but that is not part of the name: a clause or
// apposition ("Byron, who wrote ...", "Byron, the poet"), a conjunct ("John
// and Mary", a group mention headed by John), a possessor ("Newton 's
// Principia": the person is a name of its own), a phrase set off by a comma
// ("Charleston, South Carolina"), or one marked by a preposition other than
// the ones names are made with ("City Hall in New York", but "Bank of
// America", "Society for ...", "Lectures on Deixis").
bool LeavesName(const Sentence& s, size_t begin, size_t end, size_t j) {
  const std::string& deprel = s.words[j].deprel;
  absl::string_view base = absl::string_view(deprel).substr(0, deprel.find(':'));
  if (base == "acl" || base == "appos" || base == "parataxis" || base == "conj" || base == "cc" ||
      base == "advcl" || base == "dislocated" || base == "list" || base == "orphan" || deprel == "nmod:poss") {
    return true;
  }
  static const auto* name_preps = new absl::flat_hash_set<std::string>{
      "of", "for", "on", "and", "&", "de", "du", "des", "la", "le", "von", "van", "der", "del", "da", "di"};
  for (size_t k = begin; k < end; ++k) {
    if (s.words[k].head != static_cast<int>(j) + 1) continue;
    if (s.words[k].deprel == "case" && !name_preps->count(absl::AsciiStrToLower(s.words[k].form))) return true;
    if (k < j && s.words[k].deprel == "punct" && s.words[k].form == ",") return true;
  }
  return false;
}

bool IsBracket(const std::string& form) {
  return form == "(" || form == ")" || form == "[" || form == "]" || form == "{" || form == "}";
}

// The name inside a mention [begin, end) headed by word h: the contiguous
// run around h of words not under a LeavesName word and not crossing a
// bracket, without punctuation, lower-case words or a possessive "'s" at its
// edges ("the famous Lord Byron" -> "Lord Byron").
std::pair<size_t, size_t> NameRange(const Sentence& s, size_t begin, size_t end, size_t h) {
  std::vector<bool> out(end - begin, false);
  for (size_t i = begin; i < end; ++i) {
    if (i != h && IsBracket(s.words[i].form)) {
      out[i - begin] = true;
      continue;
    }
    // Walk up to h (bounded: a malformed tree may cycle).
    size_t j = i;
    for (size_t guard = 0; guard <= end - begin && j != h; ++guard) {
      if (LeavesName(s, begin, end, j)) {
        out[i - begin] = true;
        break;
      }
      if (!InSpan(s.words[j].head, begin, end)) break;
      j = s.words[j].head - 1;
    }
  }
  size_t b = h, e = h + 1;
  while (b > begin && !out[b - 1 - begin]) --b;
  while (e < end && !out[e - begin]) ++e;
  // Lower-case PROPN words stay: "Jean le Rond d'Alembert".
  auto edge = [&](size_t i) {
    return s.words[i].upos == "PUNCT" || (LowerInitial(s.words[i].form) && s.words[i].upos != "PROPN");
  };
  while (b < h && edge(b)) ++b;
  while (e > h + 1 && (edge(e - 1) ||
                        s.words[e - 1].deprel == "case")) {
    --e;
  }
  return {b, e};
}

std::string Lower(absl::string_view s) { return absl::AsciiStrToLower(s); }

void AddLowerList(absl::string_view list, absl::flat_hash_set<std::string>* set) {
  for (absl::string_view w : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    set->insert(Lower(absl::StripAsciiWhitespace(w)));
  }
}

absl::Status LoadWordFile(const std::string& path, absl::flat_hash_set<std::string>* set) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    set->insert(Lower(line));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<std::string>& NerLabelSet() {
  static const std::vector<std::string>* labels =
      new std::vector<std::string>{"PERSON", "ORG", "GPE", "MISC"};
  return *labels;
}

std::string DefaultNerCorpusTable() { return std::string(KGRAPH_DATA_DIR) + "/nlp/ner_corpora.tsv"; }

absl::StatusOr<NerCorpusSpec> LoadNerCorpusSpec(const std::string& path,
                                                absl::string_view corpus_name) {
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  NerCorpusSpec spec;
  spec.name = std::string(corpus_name);
  absl::flat_hash_set<std::string> seen_keys;
  bool found = false;
  int line_no = 0;
  int first_line = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_no;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty() || line[0] == '#') continue;
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 3) {
      return LineError(path, line_no, "expected corpus, key and value separated by tabs");
    }
    if (cols[0] != corpus_name) continue;
    if (!found) first_line = line_no;
    found = true;
    const absl::string_view key = cols[1];
    if (key != "map" && !seen_keys.insert(std::string(key)).second) {
      return LineError(path, line_no, absl::StrCat("key '", key, "' given twice"));
    }
    const size_t want_cols = key == "map" ? 4 : 3;
    if (cols.size() != want_cols) {
      return LineError(path, line_no, absl::StrCat("key '", key, "' takes ", want_cols - 2,
                                                   " value(s), found ", cols.size() - 2));
    }
    if (key == "format") {
      if (cols[2] != "iob1" && cols[2] != "iob2" && cols[2] != "spert" && cols[2] != "gum") {
        return LineError(path, line_no,
                         absl::StrCat("format '", cols[2], "' is not iob1, iob2, spert or gum"));
      }
      spec.format = std::string(cols[2]);
    } else if (key == "map") {
      if (cols[3] != "O" && !IsLabel(cols[3])) {
        return LineError(path, line_no,
                         absl::StrCat("label '", cols[3], "' is not PERSON, ORG, GPE, MISC or O"));
      }
      if (!spec.type_map.emplace(std::string(cols[2]), cols[3] == "O" ? "" : std::string(cols[3]))
               .second) {
        return LineError(path, line_no, absl::StrCat("type '", cols[2], "' mapped twice"));
      }
    } else if (key == "annotates") {
      for (absl::string_view l : absl::StrSplit(cols[2], ',')) {
        if (!IsLabel(l)) {
          return LineError(path, line_no, absl::StrCat("label '", l, "' is not PERSON, ORG, GPE or MISC"));
        }
        spec.annotated_types.insert(std::string(l));
      }
    } else if (key == "determiners") {
      AddLowerList(cols[2], &spec.leading_determiners);
    } else if (key == "role_words") {
      AddLowerList(cols[2], &spec.role_words);
    } else if (key == "titles") {
      const size_t slash = path.rfind('/');
      const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
      absl::Status s = LoadWordFile(absl::StrCat(dir, "/", cols[2]), &spec.titles);
      if (!s.ok()) return LineError(path, line_no, s.message());
    } else {
      return LineError(path, line_no,
                       absl::StrCat("unknown key '", key,
                                    "' (format, map, annotates, determiners, titles, role_words)"));
    }
  }
  if (!found) {
    return absl::NotFoundError(absl::StrCat(path, ": no rows for corpus '", corpus_name, "'"));
  }
  if (spec.format.empty()) return LineError(path, first_line, absl::StrCat("corpus '", corpus_name, "' has no format row"));
  if (spec.annotated_types.empty()) {
    return LineError(path, first_line, absl::StrCat("corpus '", corpus_name, "' has no annotates row"));
  }
  for (const auto& [type, label] : spec.type_map) {
    if (!label.empty() && spec.annotated_types.count(label) == 0) {
      return LineError(path, first_line,
                       absl::StrCat("corpus '", corpus_name, "' maps '", type, "' to ", label,
                                    ", which its annotates row leaves out"));
    }
  }
  return spec;
}

absl::StatusOr<std::vector<Sentence>> ParseIobNer(absl::string_view text,
                                                  const std::string& file_name,
                                                  const NerCorpusSpec& spec) {
  const bool tabbed = spec.format == "iob2";
  if (spec.format != "iob1" && !tabbed) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ": corpus '", spec.name, "' has format '", spec.format, "', not iob1 or iob2"));
  }
  std::vector<Sentence> out;
  IobDecoder decoder(spec, file_name);
  int doc = 0;
  std::string pending_id;
  auto finish = [&]() {
    if (decoder.empty()) return;
    const int first = decoder.first_line();
    out.push_back(decoder.Finish());
    out.back().id = pending_id.empty() ? absl::StrCat("doc", doc, ":", first) : pending_id;
    pending_id.clear();
  };
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::ConsumeSuffix(&line, "\r");
    if (absl::StripAsciiWhitespace(line).empty()) {
      finish();
      continue;
    }
    if (tabbed) {
      if (line[0] == '#') {
        absl::string_view rest = absl::StripAsciiWhitespace(line.substr(1));
        if (absl::StartsWith(rest, "newdoc")) {
          finish();
          ++doc;
        } else if (absl::ConsumePrefix(&rest, "sent_id")) {
          rest = absl::StripAsciiWhitespace(rest);
          if (absl::ConsumePrefix(&rest, "=")) pending_id = std::string(absl::StripAsciiWhitespace(rest));
        }
        continue;
      }
      std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
      if (cols.size() < 3) {
        return LineError(file_name, line_no,
                         absl::StrCat("expected ID, FORM and TAG separated by tabs, found ", cols.size(),
                                      " column(s)"));
      }
      if (cols[1].empty()) return LineError(file_name, line_no, "empty form");
      absl::Status s = decoder.Add(cols[1], cols[2], line_no);
      if (!s.ok()) return s;
    } else {
      std::vector<absl::string_view> cols = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      if (cols[0] == "-DOCSTART-") {
        finish();
        ++doc;
        continue;
      }
      if (cols.size() < 2) {
        return LineError(file_name, line_no, "expected a form and a tag separated by whitespace");
      }
      absl::Status s = decoder.Add(cols.front(), cols.back(), line_no);
      if (!s.ok()) return s;
    }
  }
  finish();
  return out;
}

absl::StatusOr<std::vector<Sentence>> ParseSpertNer(absl::string_view json,
                                                    const std::string& file_name,
                                                    const NerCorpusSpec& spec) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    return LineError(file_name, static_cast<int>(LineOfByte(json, e.byte == 0 ? 0 : e.byte - 1)),
                     absl::StrCat("bad JSON: ", e.what()));
  }
  if (!root.is_array()) return absl::InvalidArgumentError(absl::StrCat(file_name, ": expected a JSON array"));
  std::vector<Sentence> out;
  for (size_t n = 0; n < root.size(); ++n) {
    const nlohmann::json& js = root[n];
    auto bad = [&](absl::string_view message) {
      return absl::InvalidArgumentError(absl::StrCat(file_name, ": sentence ", n, ": ", message));
    };
    if (!js.is_object() || !js.contains("tokens") || !js["tokens"].is_array()) {
      return bad("expected an object with a \"tokens\" array");
    }
    std::vector<std::string> forms;
    for (const auto& t : js["tokens"]) {
      if (!t.is_string()) return bad("a token is not a string");
      forms.push_back(t.get<std::string>());
    }
    Sentence s = MakeSentence(forms);
    if (js.contains("orig_id")) {
      s.id = js["orig_id"].is_string() ? js["orig_id"].get<std::string>() : js["orig_id"].dump();
    }
    const nlohmann::json empty = nlohmann::json::array();
    const nlohmann::json& ents = js.contains("entities") ? js["entities"] : empty;
    if (!ents.is_array()) return bad("\"entities\" is not an array");
    for (const auto& e : ents) {
      if (!e.is_object() || !e.contains("type") || !e["type"].is_string() || !e.contains("start") ||
          !e["start"].is_number_unsigned() || !e.contains("end") || !e["end"].is_number_unsigned()) {
        return bad("an entity lacks a string \"type\" and unsigned \"start\" and \"end\"");
      }
      const size_t begin = e["start"].get<size_t>(), end = e["end"].get<size_t>();
      if (begin >= end || end > forms.size()) {
        return bad(absl::StrCat("entity [", begin, ", ", end, ") is not inside its ", forms.size(), " tokens"));
      }
      std::string label;
      absl::Status st = MapType(spec, e["type"].get<std::string>(), &label);
      if (!st.ok()) return bad(st.message());
      if (!label.empty()) s.entities.push_back({begin, end, label});
    }
    std::sort(s.entities.begin(), s.entities.end(),
              [](const EntitySpan& a, const EntitySpan& b) { return a.begin < b.begin; });
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::vector<Sentence>> GumNerSentences(std::vector<Sentence> sentences,
                                                      const NerCorpusSpec& spec) {
  for (size_t n = 0; n < sentences.size(); ++n) {
    Sentence& s = sentences[n];
    const std::string where = s.id.empty() ? absl::StrCat("sentence ", n) : absl::StrCat("sentence ", s.id);
    std::vector<std::pair<std::string, Mention>> open;
    std::vector<Mention> mentions;
    for (size_t i = 0; i < s.words.size(); ++i) {
      absl::string_view v = EntityField(s.words[i].misc);
      if (v.empty()) continue;
      absl::Status st = ParseEntityValue(v, i, &open, &mentions);
      if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat(where, " word ", i + 1, ": ", st.message()));
    }
    if (!open.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": mention ", open.back().first, " opened at word ",
                                                     open.back().second.begin + 1, " is not closed"));
    }
    std::vector<EntitySpan> named;
    for (const Mention& m : mentions) {
      std::string label;
      absl::Status st = MapType(spec, m.type, &label);
      if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat(where, " word ", m.begin + 1, ": ", st.message()));
      if (label.empty()) continue;
      size_t h = m.begin;
      while (h < m.end && InSpan(s.words[h].head, m.begin, m.end)) ++h;
      if (h == m.end) h = m.begin;  // a cycle: malformed tree, take the first word
      if (s.words[h].upos != "PROPN") continue;
      auto [b, e] = NameRange(s, m.begin, m.end, h);
      named.push_back({b, e, label});
    }
    // Flat NER keeps the outermost name: "Aberdeen Grammar School", not also
    // its "Aberdeen". Longest first, so that an enclosing span wins.
    std::sort(named.begin(), named.end(), [](const EntitySpan& a, const EntitySpan& b) {
      return a.end - a.begin != b.end - b.begin ? a.end - a.begin > b.end - b.begin : a.begin < b.begin;
    });
    s.entities.clear();
    for (const EntitySpan& e : named) {
      bool overlaps = false;
      for (const EntitySpan& k : s.entities) overlaps |= e.begin < k.end && k.begin < e.end;
      if (!overlaps) s.entities.push_back(e);
    }
    std::sort(s.entities.begin(), s.entities.end(),
              [](const EntitySpan& a, const EntitySpan& b) { return a.begin < b.begin; });
  }
  return sentences;
}

absl::StatusOr<std::vector<Sentence>> ReadNerCorpus(const std::string& path, const NerCorpusSpec& spec) {
  if (spec.format == "gum") {
    absl::StatusOr<std::vector<Sentence>> read = ReadConllu(path);
    if (!read.ok()) return read.status();
    absl::StatusOr<std::vector<Sentence>> named = GumNerSentences(*std::move(read), spec);
    if (!named.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", named.status().message()));
    return named;
  }
  absl::StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  if (spec.format == "spert") return ParseSpertNer(*text, path, spec);
  return ParseIobNer(*text, path, spec);
}

std::vector<NerSentence> NormalizeNerSentences(std::vector<Sentence> sentences, const NerCorpusSpec& spec) {
  std::vector<NerSentence> out;
  out.reserve(sentences.size());
  for (Sentence& s : sentences) {
    NerSentence ns;
    std::vector<EntitySpan> kept;
    for (EntitySpan e : s.entities) {
      const bool person = e.type == "PERSON";
      // Determiners and titles stack ("the President Lincoln"): strip
      // either until neither applies.
      while (e.end - e.begin > 1) {
        const std::string first = Lower(s.words[e.begin].form);
        // "Professor of Linguistics" is a role, not a title before a name.
        const bool title = person && spec.titles.count(first) && !LowerInitial(s.words[e.begin + 1].form);
        if (spec.leading_determiners.count(first) || title) {
          ++e.begin;
        } else {
          break;
        }
      }
      if (person && !spec.role_words.empty()) {
        bool all_roles = true;
        for (size_t i = e.begin; i < e.end && all_roles; ++i) {
          all_roles = spec.role_words.count(Lower(s.words[i].form)) > 0;
        }
        if (all_roles) {
          ns.masked.emplace_back(e.begin, e.end);
          continue;
        }
      }
      kept.push_back(std::move(e));
    }
    s.entities = std::move(kept);
    ns.sentence = std::move(s);
    out.push_back(std::move(ns));
  }
  return out;
}

}  // namespace kgraph::nlp
