#include "tools/triple_file_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "model/name_key.h"
#include "model/text_limits.h"

namespace kgraph::admin {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, absl::string_view suffix) {
  return absl::EndsWith(s, suffix);
}

TripleFormat Detect(const std::string& path) {
  std::string p = absl::AsciiStrToLower(path);
  if (fs::is_directory(path) || EndsWith(p, "train2id.txt")) return TripleFormat::kFb15k;
  if (EndsWith(p, ".csv")) return TripleFormat::kCsv;
  if (EndsWith(p, ".jsonl") || EndsWith(p, ".ndjson") || EndsWith(p, ".json")) return TripleFormat::kJsonl;
  if (EndsWith(p, ".nt")) return TripleFormat::kNTriples;
  return TripleFormat::kTsv;
}

// Reports a line error; returns false once the error budget is exceeded.
class ErrorSink {
 public:
  ErrorSink(std::string file, int64_t max_errors, TripleFileContents* out)
      : file_(std::move(file)), max_(max_errors), out_(out) {}
  bool Add(int64_t line, std::string msg) {
    out_->errors.push_back({file_, line, std::move(msg)});
    return static_cast<int64_t>(out_->errors.size()) <= max_;
  }
  absl::Status TooMany() const {
    const LineError& last = out_->errors.back();
    return absl::InvalidArgumentError(absl::StrCat(
        last.ToString(), " (", out_->errors.size(), " malformed line(s), --max-errors ", max_,
        "; nothing was loaded)"));
  }

 private:
  std::string file_;
  int64_t max_;
  TripleFileContents* out_;
};

std::string AddTripleWithConfidence(std::string s, std::string r, std::string o, double c,
                                    TripleFileContents* out);

// Validates and appends one triple; returns an error message or "".
std::string AddTriple(std::string s, std::string r, std::string o, absl::string_view conf,
                      TripleFileContents* out) {
  double c = 1.0;
  if (!conf.empty() &&
      (!absl::SimpleAtod(absl::StripAsciiWhitespace(conf), &c) || !(c >= 0.0 && c <= 1.0))) {
    return absl::StrCat("confidence ", QuoteForMessage(std::string_view(conf.data(), conf.size()), 32), " is not a number in [0, 1]");
  }
  return AddTripleWithConfidence(std::move(s), std::move(r), std::move(o), c, out);
}

std::string AddTripleWithConfidence(std::string s, std::string r, std::string o, double c,
                                    TripleFileContents* out) {
  s = std::string(absl::StripAsciiWhitespace(s));
  r = std::string(absl::StripAsciiWhitespace(r));
  o = std::string(absl::StripAsciiWhitespace(o));
  if (s.empty() || r.empty() || o.empty()) return "subject, relation and object must be non-empty";
  // The limits every other write path applies: at most kMaxNameBytes of
  // UTF-8, no NUL or control characters, a letter or digit.
  if (absl::Status v = ValidateEntityName(s); !v.ok()) return absl::StrCat("subject: ", v.message());
  if (absl::Status v = ValidateEntityName(r); !v.ok()) return absl::StrCat("relation: ", v.message());
  if (absl::Status v = ValidateEntityName(o); !v.ok()) return absl::StrCat("object: ", v.message());
  if (NameKey(s).empty()) return absl::StrCat("subject ", QuoteForMessage(s), " has no letters or digits");
  if (NameKey(o).empty()) return absl::StrCat("object ", QuoteForMessage(o), " has no letters or digits");
  if (!(c >= 0.0 && c <= 1.0)) return absl::StrCat("confidence ", c, " is not a number in [0, 1]");
  out->triples.push_back({std::move(s), std::move(r), std::move(o), c});
  return "";
}

// Splits one CSV record (RFC 4180 quoting, no embedded newlines).
bool SplitCsv(absl::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
    } else if (c == '"' && cur.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (quoted) return false;
  fields->push_back(std::move(cur));
  return true;
}

// Parses one N-Triples term at `pos`; returns false on a syntax error.
bool NtTerm(absl::string_view line, size_t* pos, std::string* term, bool allow_literal) {
  while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) ++*pos;
  if (*pos >= line.size()) return false;
  char c = line[*pos];
  if (c == '<') {
    size_t end = line.find('>', *pos);
    if (end == absl::string_view::npos) return false;
    *term = std::string(line.substr(*pos + 1, end - *pos - 1));
    *pos = end + 1;
    return !term->empty();
  }
  if (c == '_' && *pos + 1 < line.size() && line[*pos + 1] == ':') {
    size_t end = *pos + 2;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    *term = std::string(line.substr(*pos, end - *pos));
    *pos = end;
    return term->size() > 2;
  }
  if (c == '"' && allow_literal) {
    std::string out;
    size_t i = *pos + 1;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        char e = line[++i];
        out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
      } else {
        out.push_back(line[i]);
      }
    }
    if (i >= line.size()) return false;
    ++i;
    if (i < line.size() && line[i] == '@') {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    } else if (i + 1 < line.size() && line[i] == '^' && line[i + 1] == '^') {
      size_t end = line.find('>', i);
      if (end == absl::string_view::npos) return false;
      i = end + 1;
    }
    *term = std::move(out);
    *pos = i;
    return true;
  }
  return false;
}

absl::Status ReadLines(const std::string& path, TripleFormat format, int64_t max_errors,
                       TripleFileContents* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  ErrorSink errors(path, max_errors, out);
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  std::string line;
  std::vector<std::string> fields;
  int64_t n = 0;
  absl::Status result = absl::OkStatus();
  while (std::getline(in, line)) {
    ++n;
    XXH3_64bits_update(st, line.data(), line.size());
    XXH3_64bits_update(st, "\n", 1);
    out->bytes += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::string err;
    switch (format) {
      case TripleFormat::kTsv: {
        fields = absl::StrSplit(line, '\t');
        if (fields.size() < 3 || fields.size() > 4) {
          err = absl::StrCat("expected subject<TAB>relation<TAB>object[<TAB>confidence], got ",
                             fields.size(), " field(s)");
        } else {
          err = AddTriple(fields[0], fields[1], fields[2], fields.size() == 4 ? fields[3] : "", out);
        }
        break;
      }
      case TripleFormat::kCsv: {
        if (!SplitCsv(line, &fields)) {
          err = "unterminated quoted field";
        } else if (n == 1 && absl::AsciiStrToLower(fields[0]) == "subject") {
          continue;  // header
        } else if (fields.size() < 3 || fields.size() > 4) {
          err = absl::StrCat("expected subject,relation,object[,confidence], got ", fields.size(),
                             " field(s)");
        } else {
          err = AddTriple(fields[0], fields[1], fields[2], fields.size() == 4 ? fields[3] : "", out);
        }
        break;
      }
      case TripleFormat::kJsonl: {
        nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) {
          err = "not a JSON object";
        } else if (!j.contains("subject") || !j["subject"].is_string() || !j.contains("relation") ||
                   !j["relation"].is_string() || !j.contains("object") || !j["object"].is_string()) {
          err = "needs string fields \"subject\", \"relation\" and \"object\"";
        } else if (j.contains("confidence") && !j["confidence"].is_number()) {
          err = "\"confidence\" must be a number";
        } else {
          double conf = j.contains("confidence") ? j["confidence"].get<double>() : 1.0;
          err = AddTripleWithConfidence(j["subject"].get<std::string>(),
                                        j["relation"].get<std::string>(),
                                        j["object"].get<std::string>(), conf, out);
        }
        break;
      }
      case TripleFormat::kNTriples: {
        size_t pos = 0;
        std::string s, p, o;
        if (!NtTerm(trimmed, &pos, &s, false) || !NtTerm(trimmed, &pos, &p, false) ||
            !NtTerm(trimmed, &pos, &o, true)) {
          err = "not an N-Triples statement (<s> <p> <o> .)";
        } else {
          absl::string_view rest = absl::StripAsciiWhitespace(trimmed.substr(pos));
          if (rest != ".") err = "statement must end with ' .'";
          else err = AddTriple(s, p, o, "", out);
        }
        break;
      }
      default:
        err = "internal: unexpected format";
    }
    if (!err.empty() && !errors.Add(n, err)) {
      result = errors.TooMany();
      break;
    }
  }
  if (result.ok() && in.bad()) result = absl::InternalError(absl::StrCat(path, ": read error"));
  out->content_hash ^= XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return result;
}

// Reads "<count>\n<name>\t<id>\n..." into id -> name.
absl::Status ReadIdMap(const std::string& path, std::vector<std::string>* names,
                       TripleFileContents* out) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  std::string line;
  int64_t n = 0, expected = -1;
  while (std::getline(in, line)) {
    ++n;
    out->content_hash = XXH3_64bits_withSeed(line.data(), line.size(), out->content_hash);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      if (!absl::SimpleAtoi(line, &expected) || expected < 0) {
        return absl::InvalidArgumentError(absl::StrCat(path, ":1: expected the entry count"));
      }
      names->assign(static_cast<size_t>(expected), std::string());
      continue;
    }
    if (line.empty()) continue;
    size_t tab = line.rfind('\t');
    int64_t id;
    if (tab == std::string::npos || !absl::SimpleAtoi(line.substr(tab + 1), &id) || id < 0 ||
        id >= expected) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", n, ": expected <name><TAB><id> with id < ", expected));
    }
    (*names)[static_cast<size_t>(id)] = line.substr(0, tab);
  }
  return absl::OkStatus();
}

absl::Status ReadFb15k(const std::string& path, int64_t max_errors, TripleFileContents* out) {
  fs::path train = fs::is_directory(path) ? fs::path(path) / "train2id.txt" : fs::path(path);
  fs::path dir = train.parent_path();
  std::vector<std::string> entities, relations;
  absl::Status s = ReadIdMap((dir / "entity2id.txt").string(), &entities, out);
  if (!s.ok()) return s;
  s = ReadIdMap((dir / "relation2id.txt").string(), &relations, out);
  if (!s.ok()) return s;
  std::ifstream in(train);
  if (!in) return absl::NotFoundError(absl::StrCat(train.string(), ": cannot open: ", std::strerror(errno)));
  ErrorSink errors(train.string(), max_errors, out);
  std::string line;
  int64_t n = 0, declared = -1;
  while (std::getline(in, line)) {
    ++n;
    out->bytes += line.size() + 1;
    out->content_hash = XXH3_64bits_withSeed(line.data(), line.size(), out->content_hash);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      if (!absl::SimpleAtoi(line, &declared)) {
        if (!errors.Add(n, "expected the triple count")) return errors.TooMany();
      }
      continue;
    }
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<absl::string_view> f = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    int64_t h, t, r;
    std::string err;
    if (f.size() != 3 || !absl::SimpleAtoi(f[0], &h) || !absl::SimpleAtoi(f[1], &t) ||
        !absl::SimpleAtoi(f[2], &r)) {
      err = "expected '<head id> <tail id> <relation id>'";
    } else if (h < 0 || t < 0 || h >= static_cast<int64_t>(entities.size()) ||
               t >= static_cast<int64_t>(entities.size())) {
      err = absl::StrCat("entity id out of range (entity2id.txt has ", entities.size(), ")");
    } else if (r < 0 || r >= static_cast<int64_t>(relations.size())) {
      err = absl::StrCat("relation id out of range (relation2id.txt has ", relations.size(), ")");
    } else if (entities[h].empty() || entities[t].empty() || relations[r].empty()) {
      err = "id has no name in the id maps";
    } else {
      err = AddTriple(entities[h], relations[r], entities[t], "", out);
    }
    if (!err.empty() && !errors.Add(n, err)) return errors.TooMany();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadTripleFileAppending(const std::string& path, TripleFormat format,
                                     int64_t max_errors, TripleFileContents* out);

std::string LineError::ToString() const { return absl::StrCat(file, ":", line, ": ", message); }

absl::StatusOr<TripleFormat> ParseTripleFormat(const std::string& name) {
  static const absl::flat_hash_map<std::string, TripleFormat> kFormats = {
      {"auto", TripleFormat::kAuto}, {"tsv", TripleFormat::kTsv},     {"csv", TripleFormat::kCsv},
      {"jsonl", TripleFormat::kJsonl}, {"nt", TripleFormat::kNTriples}, {"fb15k", TripleFormat::kFb15k}};
  auto it = kFormats.find(absl::AsciiStrToLower(name));
  if (it == kFormats.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--format: unknown format '", name, "' (auto, tsv, csv, jsonl, nt, fb15k)"));
  }
  return it->second;
}

absl::Status ReadTripleFile(const std::string& path, TripleFormat format, int64_t max_errors,
                            TripleFileContents* out) {
  const size_t kept = out->triples.size();
  absl::Status s = ReadTripleFileAppending(path, format, max_errors, out);
  if (!s.ok()) out->triples.resize(kept);  // no partial result
  return s;
}

absl::Status ReadTripleFileAppending(const std::string& path, TripleFormat format,
                                     int64_t max_errors, TripleFileContents* out) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return absl::NotFoundError(absl::StrCat(path, ": no such file"));
  if (format == TripleFormat::kAuto) format = Detect(path);
  if (format == TripleFormat::kFb15k) return ReadFb15k(path, max_errors, out);
  if (fs::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
  }
  const size_t before = out->triples.size();
  const size_t errors_before = out->errors.size();
  absl::Status s = ReadLines(path, format, max_errors, out);
  // A file with no triple at all (empty, blank or comments only) is almost
  // always the wrong file; loading it would report success for nothing.
  if (s.ok() && out->triples.size() == before && out->errors.size() == errors_before) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no triples (the file is empty or "
                                                         "holds only blank and comment lines)"));
  }
  return s;
}

}  // namespace kgraph::admin
