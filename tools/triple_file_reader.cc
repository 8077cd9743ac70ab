#include "tools/triple_file_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <simdjson.h>
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

// QuoteForMessage takes std::string_view, which this abseil does not alias.
std::string Quote(absl::string_view s, size_t max_bytes = 64) {
  return QuoteForMessage(std::string_view(s.data(), s.size()), max_bytes);
}

bool EndsWith(const std::string& s, absl::string_view suffix) {
  return absl::EndsWith(s, suffix);
}

TripleFormat Detect(const std::string& path) {
  std::string p = absl::AsciiStrToLower(path);
  std::error_code ec;
  if (fs::is_directory(path, ec) || EndsWith(p, "train2id.txt")) return TripleFormat::kFb15k;
  if (EndsWith(p, ".csv")) return TripleFormat::kCsv;
  if (EndsWith(p, ".jsonl") || EndsWith(p, ".ndjson") || EndsWith(p, ".json")) return TripleFormat::kJsonl;
  if (EndsWith(p, ".nt")) return TripleFormat::kNTriples;
  return TripleFormat::kTsv;
}

// Splits a stream into lines without ever holding more than one chunk plus
// kMaxTripleLineBytes: a longer line is skipped unread and reported by its
// length. Optionally hashes every byte as the line reader always did: each
// line (without its '\n', with any '\r') followed by "\n", also for a last
// line that has no newline.
class LineReader {
 public:
  enum Result { kLine, kTooLong, kEnd };

  LineReader(std::istream* in, XXH3_state_t* hash) : in_(in), hash_(hash) {}

  // The next line in *line (valid until the next call), or kTooLong with its
  // length in *length, or kEnd.
  Result Next(absl::string_view* line, size_t* length) {
    while (true) {
      const char* begin = buf_.data() + start_;
      const size_t avail = buf_.size() - start_;
      const void* nl = std::memchr(begin, '\n', avail);
      if (nl != nullptr || (eof_ && avail > 0)) {
        const size_t len = nl != nullptr ? static_cast<const char*>(nl) - begin : avail;
        if (len > kMaxTripleLineBytes) {
          Hash(begin, len);
          Hash("\n", 1);
          start_ += nl != nullptr ? len + 1 : len;
          bytes_ += len + 1;
          *length = len;
          return kTooLong;
        }
        *line = absl::string_view(begin, len);
        Hash(begin, len);
        Hash("\n", 1);
        start_ += nl != nullptr ? len + 1 : len;
        bytes_ += len + 1;
        return kLine;
      }
      if (eof_) return kEnd;
      if (avail > kMaxTripleLineBytes) return SkipLongLine(length);
      Fill();
    }
  }

  uint64_t bytes() const { return bytes_; }
  bool bad() const { return in_->bad(); }

 private:
  static constexpr size_t kChunk = 1 << 20;
  static constexpr size_t kFirstChunk = 16 << 10;

  void Hash(const void* data, size_t n) {
    if (hash_ != nullptr) XXH3_64bits_update(hash_, data, n);
  }

  // Moves the unread bytes to the front and appends up to one chunk. Chunks
  // start at 16 KiB and double up to kChunk, read into an uninitialized
  // buffer: zero-filling (or, under ASan, poisoning) 1 MiB per file cost more
  // than reading a small file.
  void Fill() {
    buf_.erase(0, start_);
    start_ = 0;
    if (chunk_size_ < kChunk) {
      chunk_size_ = chunk_size_ == 0 ? kFirstChunk : 2 * chunk_size_;
      chunk_.reset(new char[chunk_size_]);
    }
    in_->read(chunk_.get(), static_cast<std::streamsize>(chunk_size_));
    const size_t got = static_cast<size_t>(in_->gcount());
    buf_.append(chunk_.get(), got);
    if (got == 0) eof_ = true;
  }

  // The unread bytes hold no newline and are already too long: drop them
  // and everything up to the next newline.
  Result SkipLongLine(size_t* length) {
    size_t len = 0;
    while (true) {
      const char* begin = buf_.data() + start_;
      const size_t avail = buf_.size() - start_;
      const void* nl = std::memchr(begin, '\n', avail);
      const size_t take = nl != nullptr ? static_cast<const char*>(nl) - begin : avail;
      Hash(begin, take);
      len += take;
      start_ += nl != nullptr ? take + 1 : take;
      if (nl != nullptr || (eof_ && start_ == buf_.size())) break;
      Fill();
    }
    Hash("\n", 1);
    bytes_ += len + 1;
    *length = len;
    return kTooLong;
  }

  std::istream* in_;
  XXH3_state_t* hash_;
  std::string buf_;
  std::unique_ptr<char[]> chunk_;
  size_t chunk_size_ = 0;
  size_t start_ = 0;
  bool eof_ = false;
  uint64_t bytes_ = 0;
};

std::string TooLongMessage(size_t length) {
  return absl::StrCat("line of ", length, " bytes exceeds the limit of ", kMaxTripleLineBytes,
                      " (names are at most ", kMaxNameBytes, " bytes)");
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
    return absl::StrCat("confidence ", Quote(conf, 32), " is not a number in [0, 1]");
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

// Appends code point `cp` as UTF-8; false if it is not a Unicode scalar value.
bool AppendUtf8(uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return true;
}

// Decodes the N-Triples escape at line[*i] == '\\' into *out and moves *i to
// its last character. UCHAR (\uXXXX, \UXXXXXXXX) is allowed everywhere,
// ECHAR (\t \b \n \r \f \" \' \\) only in literals.
bool NtEscape(absl::string_view line, size_t* i, bool echar, std::string* out) {
  if (*i + 1 >= line.size()) return false;
  const char e = line[*i + 1];
  if (e == 'u' || e == 'U') {
    const size_t digits = e == 'u' ? 4 : 8;
    if (*i + 2 + digits > line.size()) return false;
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; ++k) {
      const char h = line[*i + 2 + k];
      if (!absl::ascii_isxdigit(h)) return false;
      cp = cp * 16 + static_cast<uint32_t>(absl::ascii_isdigit(h) ? h - '0'
                                                                   : absl::ascii_tolower(h) - 'a' + 10);
    }
    *i += 1 + digits;
    return AppendUtf8(cp, out);
  }
  if (!echar) return false;
  static const absl::flat_hash_map<char, char> kEchar = {
      {'t', '\t'}, {'b', '\b'}, {'n', '\n'}, {'r', '\r'}, {'f', '\f'},
      {'"', '"'},  {'\'', '\''}, {'\\', '\\'}};
  auto it = kEchar.find(e);
  if (it == kEchar.end()) return false;
  out->push_back(it->second);
  *i += 1;
  return true;
}

// Parses one N-Triples term at `pos` (an IRI, a blank node, or with
// `allow_literal` a literal whose language tag or datatype is dropped);
// returns false on a syntax error. Linear in the term's length.
bool NtTerm(absl::string_view line, size_t* pos, std::string* term, bool allow_literal) {
  while (*pos < line.size() && (line[*pos] == ' ' || line[*pos] == '\t')) ++*pos;
  if (*pos >= line.size()) return false;
  const char c = line[*pos];
  term->clear();
  if (c == '<') {
    size_t i = *pos + 1;
    for (; i < line.size() && line[i] != '>'; ++i) {
      if (line[i] == '\\') {
        if (!NtEscape(line, &i, /*echar=*/false, term)) return false;
      } else {
        term->push_back(line[i]);
      }
    }
    if (i >= line.size()) return false;
    *pos = i + 1;
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
    size_t i = *pos + 1;
    for (; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\') {
        if (!NtEscape(line, &i, /*echar=*/true, term)) return false;
      } else {
        term->push_back(line[i]);
      }
    }
    if (i >= line.size()) return false;
    ++i;
    if (i < line.size() && line[i] == '@') {
      ++i;
      const size_t tag = i;
      while (i < line.size() && (absl::ascii_isalnum(line[i]) || line[i] == '-')) ++i;
      if (i == tag) return false;
    } else if (i + 1 < line.size() && line[i] == '^' && line[i + 1] == '^') {
      i += 2;
      std::string datatype;
      if (i >= line.size() || line[i] != '<' || !NtTerm(line, &i, &datatype, false)) return false;
    }
    *pos = i;
    return true;
  }
  return false;
}

// The JSON type of `e`, for messages.
const char* JsonTypeName(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

// One JSON line {"subject", "relation", "object": strings, "confidence"?:
// number}; returns an error message or "". simdjson parses iteratively and
// refuses documents nested deeper than 1024 levels.
std::string JsonTriple(absl::string_view line, TripleFileContents* out) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(line.data(), line.size()).get(root); error) {
    if (error == simdjson::DEPTH_ERROR) {
      return absl::StrCat("not a JSON object: nested deeper than ", parser.max_depth(), " levels");
    }
    return absl::StrCat("not a JSON object: malformed JSON (", simdjson::error_message(error), ")");
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    return absl::StrCat("not a JSON object: found ", JsonTypeName(root.type()));
  }
  std::string names[3];
  const char* keys[3] = {"subject", "relation", "object"};
  for (int k = 0; k < 3; ++k) {
    simdjson::dom::element value;
    if (obj[keys[k]].get(value) != simdjson::SUCCESS) {
      return absl::StrCat("missing field \"", keys[k], "\"");
    }
    std::string_view v;
    if (value.get_string().get(v) != simdjson::SUCCESS) {
      return absl::StrCat("field \"", keys[k], "\": expected a string, found ",
                          JsonTypeName(value.type()));
    }
    names[k].assign(v.data(), v.size());
  }
  double conf = 1.0;
  simdjson::dom::element value;
  if (obj["confidence"].get(value) == simdjson::SUCCESS && !value.is_null() &&
      value.get_double().get(conf) != simdjson::SUCCESS) {
    return absl::StrCat("field \"confidence\": expected a number, found ",
                        JsonTypeName(value.type()));
  }
  return AddTripleWithConfidence(std::move(names[0]), std::move(names[1]), std::move(names[2]),
                                 conf, out);
}

absl::Status ReadLines(const std::string& path, TripleFormat format, int64_t max_errors,
                       TripleFileContents* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  ErrorSink errors(path, max_errors, out);
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  LineReader reader(&in, st);
  absl::string_view line;
  size_t length = 0;
  std::vector<std::string> fields;
  int64_t n = 0;
  absl::Status result = absl::OkStatus();
  for (LineReader::Result r; (r = reader.Next(&line, &length)) != LineReader::kEnd;) {
    ++n;
    std::string err;
    if (r == LineReader::kTooLong) {
      err = TooLongMessage(length);
    } else {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      absl::string_view trimmed = absl::StripAsciiWhitespace(line);
      if (trimmed.empty() || trimmed[0] == '#') continue;
      switch (format) {
        case TripleFormat::kTsv: {
          fields = absl::StrSplit(line, '\t');
          if (fields.size() < 3 || fields.size() > 4) {
            err = absl::StrCat("expected subject<TAB>relation<TAB>object[<TAB>confidence], got ",
                               fields.size(), " field(s)");
          } else {
            err = AddTriple(fields[0], fields[1], fields[2], fields.size() == 4 ? fields[3] : "",
                            out);
          }
          break;
        }
        case TripleFormat::kCsv: {
          if (!SplitCsv(line, &fields)) {
            err = "unterminated quoted field";
          } else if (n == 1 && absl::AsciiStrToLower(fields[0]) == "subject") {
            continue;  // header
          } else if (fields.size() < 3 || fields.size() > 4) {
            err = absl::StrCat("expected subject,relation,object[,confidence], got ",
                               fields.size(), " field(s)");
          } else {
            err = AddTriple(fields[0], fields[1], fields[2], fields.size() == 4 ? fields[3] : "",
                            out);
          }
          break;
        }
        case TripleFormat::kJsonl:
          err = JsonTriple(line, out);
          break;
        case TripleFormat::kNTriples: {
          size_t pos = 0;
          std::string s, p, o;
          if (!NtTerm(trimmed, &pos, &s, false) || !NtTerm(trimmed, &pos, &p, false) ||
              !NtTerm(trimmed, &pos, &o, true)) {
            err = "not an N-Triples statement (<s> <p> <o> .)";
          } else {
            absl::string_view rest = absl::StripLeadingAsciiWhitespace(trimmed.substr(pos));
            if (!absl::ConsumePrefix(&rest, ".")) {
              err = "statement must end with ' .'";
            } else if (rest = absl::StripLeadingAsciiWhitespace(rest);
                       !rest.empty() && rest[0] != '#') {
              err = "statement must end with ' .' (a comment may follow)";
            } else {
              err = AddTriple(std::move(s), std::move(p), std::move(o), "", out);
            }
          }
          break;
        }
        default:
          err = "internal: unexpected format";
      }
    }
    if (!err.empty() && !errors.Add(n, err)) {
      result = errors.TooMany();
      break;
    }
  }
  out->bytes += reader.bytes();
  if (result.ok() && reader.bad()) result = absl::InternalError(absl::StrCat(path, ": read error"));
  out->content_hash ^= XXH3_64bits_digest(st);
  XXH3_freeState(st);
  return result;
}

// Reads "<count>\n<name>\t<id>\n..." into id -> name.
absl::Status ReadIdMap(const std::string& path, std::vector<std::string>* names,
                       TripleFileContents* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open: ", std::strerror(errno)));
  std::error_code ec;
  const uintmax_t file_size = fs::file_size(path, ec);
  LineReader reader(&in, nullptr);
  absl::string_view view;
  size_t length = 0;
  int64_t n = 0, expected = -1;
  for (LineReader::Result r; (r = reader.Next(&view, &length)) != LineReader::kEnd;) {
    ++n;
    if (r == LineReader::kTooLong) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", n, ": ", TooLongMessage(length)));
    }
    std::string line(view);
    out->content_hash = XXH3_64bits_withSeed(line.data(), line.size(), out->content_hash);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      if (!absl::SimpleAtoi(line, &expected) || expected < 0) {
        return absl::InvalidArgumentError(absl::StrCat(path, ":1: expected the entry count"));
      }
      // Each entry takes at least 4 bytes ("x\t0\n"): a larger count is not
      // this file's, and must not size an allocation.
      if (!ec && static_cast<uintmax_t>(expected) > file_size / 4 + 1) {
        return absl::InvalidArgumentError(absl::StrCat(path, ":1: declares ", expected,
                                                       " entries, more than a file of ",
                                                       file_size, " bytes can hold"));
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
  if (reader.bad()) return absl::InternalError(absl::StrCat(path, ": read error"));
  return absl::OkStatus();
}

absl::Status ReadFb15k(const std::string& path, int64_t max_errors, TripleFileContents* out) {
  std::error_code ec;
  fs::path train =
      fs::is_directory(path, ec) ? fs::path(path) / "train2id.txt" : fs::path(path);
  fs::path dir = train.parent_path();
  std::vector<std::string> entities, relations;
  absl::Status s = ReadIdMap((dir / "entity2id.txt").string(), &entities, out);
  if (!s.ok()) return s;
  s = ReadIdMap((dir / "relation2id.txt").string(), &relations, out);
  if (!s.ok()) return s;
  std::ifstream in(train, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(train.string(), ": cannot open: ", std::strerror(errno)));
  ErrorSink errors(train.string(), max_errors, out);
  LineReader reader(&in, nullptr);
  absl::string_view view;
  size_t length = 0;
  int64_t n = 0, declared = -1;
  for (LineReader::Result got; (got = reader.Next(&view, &length)) != LineReader::kEnd;) {
    ++n;
    if (got == LineReader::kTooLong) {
      if (!errors.Add(n, TooLongMessage(length))) return errors.TooMany();
      continue;
    }
    std::string line(view);
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
  if (reader.bad()) return absl::InternalError(absl::StrCat(train.string(), ": read error"));
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
  if (format != TripleFormat::kFb15k && fs::is_directory(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
  }
  const size_t before = out->triples.size();
  const size_t errors_before = out->errors.size();
  absl::Status s = format == TripleFormat::kFb15k ? ReadFb15k(path, max_errors, out)
                                                  : ReadLines(path, format, max_errors, out);
  // A file with no triple at all (empty, blank or comments only) is almost
  // always the wrong file; loading it would report success for nothing. (A
  // file whose every line was rejected within --max-errors is reported by
  // its rejected lines.)
  if (s.ok() && out->triples.size() == before && out->errors.size() == errors_before) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": no triples (the file is empty or holds only blank and comment lines)"));
  }
  return s;
}

}  // namespace kgraph::admin
