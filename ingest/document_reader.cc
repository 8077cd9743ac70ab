#include "ingest/document_reader.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ingest/date_parse.h"
#include "ingest/html_nesting.h"
#include "ingest/document_identity.h"
#include "model/ids.h"
#include "model/name_key.h"

namespace kgraph::ingest {
namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string HashId(absl::string_view content) {
  return absl::StrFormat("doc-%016x", EntityIdForKey(std::string_view(content.data(), content.size())));
}

// Line number (1-based) of the first invalid UTF-8 byte, or 0.
int FirstInvalidUtf8Line(absl::string_view s) {
  if (IsValidUtf8(std::string_view(s.data(), s.size()))) return 0;
  int line = 1;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      absl::string_view piece = s.substr(start, i - start);
      if (!IsValidUtf8(std::string_view(piece.data(), piece.size()))) return line;
      ++line;
      start = i + 1;
    }
  }
  return 1;
}

// Binary data: NUL bytes or many control characters.
bool LooksBinary(absl::string_view s) {
  size_t controls = 0;
  size_t n = std::min<size_t>(s.size(), 1 << 16);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++controls;
  }
  return n > 0 && controls * 20 > n;
}

bool IsBoilerplateLine(absl::string_view line) {
  static const char* kExact[] = {"DD", "MM", "YYYY", "PAGES", "spot_img",
                                 "Home", "Read more", "Share", "Advertisement"};
  for (const char* b : kExact) {
    if (line == b) return true;
  }
  if (absl::StartsWith(line, "Home Blog") || absl::StartsWith(line, "Home Page")) {
    return true;
  }
  return false;
}

bool IsCounterLine(absl::string_view line) {
  if (line.empty() || line.size() > 4) return false;
  for (char c : line) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

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

absl::Status FieldError(const std::string& source, absl::string_view field,
                        absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": field \"", field, "\": ", what));
}

// The string field `key` of `obj` into *out ("" when absent). A present field
// of another type is an error; null counts as absent unless `required`.
absl::Status GetStringField(const simdjson::dom::object& obj, const char* key,
                            const std::string& source, bool required,
                            std::string* out) {
  simdjson::dom::element value;
  if (obj[key].get(value) != simdjson::SUCCESS ||
      (!required && value.is_null())) {
    out->clear();
    return absl::OkStatus();
  }
  std::string_view v;
  if (value.get_string().get(v) != simdjson::SUCCESS) {
    return FieldError(source, key,
                      absl::StrCat("expected a string, found ", JsonTypeName(value.type())));
  }
  out->assign(v.data(), v.size());
  return absl::OkStatus();
}

}  // namespace

std::string NormalizeDate(absl::string_view date) {
  absl::StatusOr<std::string> parsed = ParseDate(date);
  return parsed.ok() ? *std::move(parsed) : std::string();
}

void ReadScrapedPage(absl::string_view content, const std::string& file_name,
                     const DocumentSink& sink) {
  struct Line {
    absl::string_view text;
    int number;
  };
  std::vector<Line> lines;
  int number = 0;
  for (absl::string_view raw : absl::StrSplit(content, '\n')) {
    ++number;
    absl::string_view l = absl::StripAsciiWhitespace(raw);
    if (l.empty() || IsBoilerplateLine(l)) continue;
    lines.push_back({l, number});
  }
  // An article title is the line just before a comment counter ("0").
  std::vector<size_t> titles;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (!IsCounterLine(lines[i].text) && IsCounterLine(lines[i + 1].text)) {
      titles.push_back(i);
    }
  }
  if (lines.empty()) {
    sink(absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1: empty document (no text)")));
    return;
  }
  if (titles.empty()) titles.push_back(0);
  for (size_t a = 0; a < titles.size(); ++a) {
    size_t begin = titles[a];
    size_t end = a + 1 < titles.size() ? titles[a + 1] : lines.size();
    SourceDocument doc;
    doc.title = std::string(lines[begin].text);
    doc.id = absl::StrCat(file_name, "#", a + 1);
    doc.source = absl::StrCat(file_name, ":", lines[begin].number);
    // The headline stays in the text, as on the page, so headline-only
    // statements are extracted with offsets into the text.
    doc.text = doc.title;
    for (size_t i = begin + 1; i < end; ++i) {
      if (IsCounterLine(lines[i].text)) continue;
      absl::StrAppend(&doc.text, "\n\n", lines[i].text);
    }
    sink(std::move(doc));
  }
}

absl::StatusOr<SourceDocument> ParseJsonDocument(absl::string_view line,
                                                 const std::string& source) {
  if (!IsValidUtf8(std::string_view(line.data(), line.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": invalid UTF-8 in JSON line"));
  }
  // simdjson validates the whole line (structure and UTF-8) several times
  // faster than a DOM of std::strings; the nlohmann parse was about 8% of
  // `extract`. One parser per thread keeps its buffers across lines. Its
  // parse is iterative, with a depth limit (1024) reported as DEPTH_ERROR.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(line.data(), line.size()).get(root); error) {
    if (error == simdjson::DEPTH_ERROR) {
      return absl::InvalidArgumentError(absl::StrCat(
          source, ": JSON nested deeper than ", parser.max_depth(), " levels"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": malformed JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object j;
  if (root.get_object().get(j) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": expected a JSON object, found ", JsonTypeName(root.type())));
  }
  SourceDocument doc;
  doc.source = source;
  simdjson::dom::element text;
  if (j["text"].get(text) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": missing field \"text\""));
  }
  if (absl::Status s = GetStringField(j, "text", source, /*required=*/true, &doc.text);
      !s.ok()) {
    return s;
  }
  if (doc.text.empty()) return FieldError(source, "text", "empty string");
  for (auto [key, out] : {std::pair<const char*, std::string*>{"title", &doc.title},
                          {"url", &doc.url}}) {
    if (absl::Status s = GetStringField(j, key, source, /*required=*/false, out); !s.ok()) {
      return s;
    }
  }
  std::string date;
  if (absl::Status s = GetStringField(j, "date", source, /*required=*/false, &date); !s.ok()) {
    return s;
  }
  if (!absl::StripAsciiWhitespace(date).empty()) {
    absl::StatusOr<std::string> parsed = ParseDate(date);
    if (parsed.ok()) {
      doc.date = *std::move(parsed);
    } else {
      // The document is still worth reading; its date is not.
      doc.warnings.push_back(absl::StrCat(source, ": field \"date\": ",
                                          parsed.status().message(), "; stored undated"));
    }
  }
  // The id: "id", else "doc"; a string or an integer.
  const char* id_key = "id";
  simdjson::dom::element id;
  // As before: a present "id" wins over "doc" even when null (which, like
  // an absent id, falls back to the content hash).
  bool has_id = j["id"].get(id) == simdjson::SUCCESS;
  if (!has_id) {
    id_key = "doc";
    has_id = j["doc"].get(id) == simdjson::SUCCESS;
  }
  if (has_id && id.is_null()) has_id = false;
  std::string_view id_text;
  int64_t id_number = 0;
  uint64_t id_unsigned = 0;
  if (!has_id) {
    doc.id = HashId(doc.url.empty() ? doc.text : doc.url);
  } else if (id.get_string().get(id_text) == simdjson::SUCCESS) {
    if (id_text.empty()) return FieldError(source, id_key, "empty string");
    doc.id = std::string(id_text);
  } else if (id.get_int64().get(id_number) == simdjson::SUCCESS) {
    doc.id = std::to_string(id_number);
  } else if (id.get_uint64().get(id_unsigned) == simdjson::SUCCESS) {
    doc.id = std::to_string(id_unsigned);
  } else {
    const bool number = id.type() == simdjson::dom::element_type::DOUBLE;
    return FieldError(source, id_key,
                      absl::StrCat("expected a string or an integer, found ",
                                   number ? "a non-integer number" : JsonTypeName(id.type())));
  }
  return doc;
}

namespace {

// Hands each JSON line to the sink in order, numbering lines from 1; blank
// lines are skipped, a line longer than the limit is an error unparsed.
class JsonLineSink {
 public:
  JsonLineSink(const std::string& file_name, const DocumentSink& sink,
               const ReaderOptions& options)
      : file_name_(file_name), sink_(sink), options_(options) {}

  void Line(absl::string_view line) {
    ++line_no_;
    if (absl::StripAsciiWhitespace(line).empty()) return;
    any_ = true;
    if (line.size() > options_.max_document_bytes) return TooLong(line.size(), false);
    sink_(ParseJsonDocument(line, absl::StrCat(file_name_, ":", line_no_)));
  }
  // A line of `length` bytes that was not kept.
  void TooLong(size_t length, bool count = true) {
    if (count) ++line_no_;
    any_ = true;
    sink_(absl::ResourceExhaustedError(
        absl::StrCat(file_name_, ":", line_no_, ": line of ", length,
                     " bytes exceeds the limit of ", options_.max_document_bytes)));
  }
  void Finish() {
    if (!any_) {
      sink_(absl::InvalidArgumentError(
          absl::StrCat(file_name_, ":1: empty file (no JSON lines)")));
    }
  }

 private:
  const std::string& file_name_;
  const DocumentSink& sink_;
  const ReaderOptions& options_;
  int line_no_ = 0;
  bool any_ = false;
};

constexpr size_t kReadChunk = 1 << 20;

// Appends up to one chunk of `in` to *buf; false at the end of the input.
bool ReadChunk(std::istream& in, std::string* buf) {
  const size_t old = buf->size();
  buf->resize(old + kReadChunk);
  in.read(buf->data() + old, static_cast<std::streamsize>(kReadChunk));
  const size_t got = static_cast<size_t>(in.gcount());
  buf->resize(old + got);
  return got > 0;
}

// JSON lines streamed from `in` (after the bytes already in `buf`), holding
// at most one chunk plus max_document_bytes: a JSON-lines file may be far
// larger than memory.
void StreamJsonLines(std::istream& in, std::string buf, const std::string& file_name,
                     const DocumentSink& sink, const ReaderOptions& options) {
  JsonLineSink lines(file_name, sink, options);
  size_t start = 0;
  bool eof = false;
  while (true) {
    const size_t nl = buf.find('\n', start);
    if (nl != std::string::npos) {
      lines.Line(absl::string_view(buf).substr(start, nl - start));
      start = nl + 1;
      continue;
    }
    if (eof) {
      if (start < buf.size()) lines.Line(absl::string_view(buf).substr(start));
      break;
    }
    if (buf.size() - start > options.max_document_bytes) {
      // Too long to keep: count it through to its newline.
      size_t length = buf.size() - start;
      buf.clear();
      start = 0;
      while (true) {
        if (!ReadChunk(in, &buf)) {
          eof = true;
          break;
        }
        const size_t end = buf.find('\n');
        if (end != std::string::npos) {
          length += end;
          start = end + 1;
          break;
        }
        length += buf.size();
        buf.clear();
      }
      lines.TooLong(length);
      continue;
    }
    buf.erase(0, start);
    start = 0;
    if (!ReadChunk(in, &buf)) eof = true;
  }
  lines.Finish();
}

}  // namespace

void ReadJsonLines(absl::string_view content, const std::string& file_name,
                   const DocumentSink& sink, const ReaderOptions& options) {
  JsonLineSink lines(file_name, sink, options);
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == absl::string_view::npos) nl = content.size();
    lines.Line(content.substr(pos, nl - pos));
    pos = nl + 1;
  }
  lines.Finish();
}

namespace {

bool IsSkippedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FORM: case GUMBO_TAG_IFRAME:
      return true;
    default:
      return false;
  }
}

bool IsBlockTag(GumboTag tag) {
  return tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_H1 ||
         tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_LI ||
         tag == GUMBO_TAG_BR || tag == GUMBO_TAG_ARTICLE ||
         tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_TR ||
         tag == GUMBO_TAG_BLOCKQUOTE;
}

void AppendText(const GumboNode* node, std::string& out) {
  absl::string_view t = absl::StripAsciiWhitespace(node->v.text.text);
  if (t.empty()) return;
  if (!out.empty() && out.back() != '\n') out += ' ';
  out.append(t.data(), t.size());
}

// The visible text of the tree under `root`, blocks separated by blank lines,
// and the document title (<title>, else the first <h1> with text). An
// explicit stack instead of recursion: the depth is the document's, and a
// deep document must not overflow the thread's stack. Each node is visited
// once, so the walk is linear.
void CollectHtmlText(const GumboNode* root, std::string& out, std::string& title) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
    bool block;
    bool captures_h1;  // out.substr(h1_start) becomes the title at the end
    size_t h1_start;
  };
  std::vector<Frame> stack;
  bool capturing = false;
  auto enter = [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT) {
      AppendText(node, out);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboTag tag = node->v.element.tag;
    if (IsSkippedTag(tag)) return;
    if (tag == GUMBO_TAG_TITLE) {
      if (node->v.element.children.length > 0) {
        const auto* c = static_cast<const GumboNode*>(node->v.element.children.data[0]);
        if (c->type == GUMBO_NODE_TEXT) {
          title = std::string(absl::StripAsciiWhitespace(c->v.text.text));
        }
      }
      return;
    }
    const bool block = IsBlockTag(tag);
    if (block && !out.empty() && !absl::EndsWith(out, "\n\n")) out += "\n\n";
    const bool captures = tag == GUMBO_TAG_H1 && title.empty() && !capturing;
    capturing = capturing || captures;
    stack.push_back({node, 0, block, captures, out.size()});
  };
  enter(root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboVector& children = f.node->v.element.children;
    if (f.next_child < children.length) {
      enter(static_cast<const GumboNode*>(children.data[f.next_child++]));
      continue;  // `f` may be invalid now
    }
    if (f.captures_h1) {
      if (title.empty()) title = out.substr(f.h1_start);
      capturing = false;
    }
    if (f.block && !out.empty() && !absl::EndsWith(out, "\n\n")) out += "\n\n";
    stack.pop_back();
  }
}

// The deepest element of gumbo's tree below <html> and <body> (which are
// always there and not counted against the limit), and the line it starts
// on. Iterative, linear in the node count.
struct TreeDepth {
  size_t depth = 0;
  unsigned line = 1;
};

TreeDepth DeepestElement(const GumboNode* root) {
  TreeDepth deepest;
  std::vector<std::pair<const GumboNode*, size_t>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE) continue;
    const GumboTag tag = node->v.element.tag;
    const bool counted = !(depth <= 1 && (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY));
    const size_t here = depth + (counted ? 1 : 0);
    if (here > deepest.depth) deepest = {here, node->v.element.start_pos.line};
    const GumboVector& children = node->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      stack.emplace_back(static_cast<const GumboNode*>(children.data[i]), here);
    }
  }
  return deepest;
}

}  // namespace

absl::StatusOr<SourceDocument> ParseHtml(absl::string_view raw_html,
                                         const std::string& file_name,
                                         const ReaderOptions& options) {
  if (raw_html.size() > options.max_document_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        file_name, ":1: HTML document of ", raw_html.size(),
        " bytes exceeds the limit of ", options.max_document_bytes));
  }
  std::string without_cdata;
  if (absl::StrContains(raw_html, "<![CDATA[")) without_cdata = CdataAsComments(raw_html);
  const absl::string_view html = without_cdata.empty() ? raw_html : without_cdata;
  // gumbo's own tree building is quadratic in the nesting depth and it frees
  // the tree recursively: refuse deep documents before it sees them.
  if (absl::Status s = CheckHtmlNesting(html, file_name, options.html_limits); !s.ok()) {
    return s;
  }
  // Parse errors are not used; recording them copies the stack of open
  // elements for every unclosed element at the end, quadratic in the depth.
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(
      &gumbo_options, html.data(), html.size());
  if (output == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1: HTML could not be parsed"));
  }
  // The pre-check follows gumbo's tree rules closely but not exactly (a few
  // misnestings nest a level or two deeper than it reckons), which is
  // harmless for gumbo's cost; the documented cap itself is enforced here,
  // on the tree gumbo built.
  const TreeDepth deepest = DeepestElement(output->root);
  if (deepest.depth > options.html_limits.max_depth) {
    DestroyGumboOutput(&gumbo_options, output, deepest.depth);
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":", std::max(deepest.line, 1u), ": HTML nesting deeper than ",
                     options.html_limits.max_depth, " elements"));
  }
  SourceDocument doc;
  CollectHtmlText(output->root, doc.text, doc.title);
  gumbo_destroy_output(&gumbo_options, output);
  doc.text = std::string(absl::StripAsciiWhitespace(doc.text));
  if (doc.text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1: HTML has no text"));
  }
  doc.id = absl::StrCat(BaseName(file_name));
  doc.source = absl::StrCat(file_name, ":1");
  return doc;
}

absl::Status ReadDocuments(const std::string& path, const DocumentSink& sink,
                           const ReaderOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  // The format is told by the name or the first non-blank byte of the first
  // chunk; JSON lines are then streamed, anything else is one document (or
  // page) whose size is checked before it is read whole.
  std::string content;
  ReadChunk(in, &content);
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  const std::string name = BaseName(path);
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(content);
  const bool whole = in.eof();
  if (trimmed.empty() && whole) {
    sink(absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file")));
    return absl::OkStatus();
  }
  bool jsonl = absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".json") ||
               (!trimmed.empty() && trimmed[0] == '{');
  if (jsonl) {
    StreamJsonLines(in, std::move(content), path, sink, options);
    if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
    return absl::OkStatus();
  }
  const size_t limit = options.max_document_bytes * 4;
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!whole && !ec && size > limit) {
    sink(absl::ResourceExhaustedError(absl::StrCat(
        path, ":1: file of ", size, " bytes exceeds the limit of ", limit)));
    return absl::OkStatus();
  }
  while (!in.eof() && content.size() <= limit && ReadChunk(in, &content)) {
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  trimmed = absl::StripLeadingAsciiWhitespace(content);
  if (trimmed.empty()) {
    sink(absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file")));
    return absl::OkStatus();
  }
  if (LooksBinary(content)) {
    sink(absl::InvalidArgumentError(
        absl::StrCat(path, ":1: binary data, not text")));
    return absl::OkStatus();
  }
  if (int bad = FirstInvalidUtf8Line(content); bad > 0) {
    sink(absl::InvalidArgumentError(
        absl::StrCat(path, ":", bad, ": invalid UTF-8")));
    return absl::OkStatus();
  }
  if (content.size() > limit) {
    sink(absl::ResourceExhaustedError(absl::StrCat(
        path, ":1: file of ", content.size(), " bytes or more exceeds the limit of ", limit)));
    return absl::OkStatus();
  }
  std::string lower = absl::AsciiStrToLower(trimmed.substr(0, 256));
  bool html = absl::EndsWith(path, ".html") || absl::EndsWith(path, ".htm") ||
              absl::StartsWith(lower, "<!doctype html") ||
              absl::StartsWith(lower, "<html");
  if (html) {
    absl::StatusOr<SourceDocument> doc = ParseHtml(content, path, options);
    if (doc.ok()) {
      doc->source_key = ResolveSourceKey(path);
      doc->id = ContentDocumentId(name, doc->source_key, doc->title, doc->text);
    }
    sink(std::move(doc));
    return absl::OkStatus();
  }
  // Text pages: one line longer than the limit cannot be a readable page.
  size_t longest = 0, start = 0;
  for (size_t i = 0; i <= content.size(); ++i) {
    if (i == content.size() || content[i] == '\n') {
      longest = std::max(longest, i - start);
      start = i + 1;
    }
  }
  if (longest > options.max_document_bytes) {
    sink(absl::ResourceExhaustedError(absl::StrCat(
        path, ":1: line of ", longest, " bytes exceeds the limit of ",
        options.max_document_bytes)));
    return absl::OkStatus();
  }
  const std::string source_key = ResolveSourceKey(path);
  ReadScrapedPage(content, name, [&](absl::StatusOr<SourceDocument> doc) {
    if (doc.ok()) {
      // Source names the full path. The id is the file name (what people and
      // the gold name) and a hash of where the article was read and what it
      // says: never its position on the page.
      doc->source = absl::StrCat(path, doc->source.substr(name.size()));
      doc->source_key = source_key;
      doc->id = ContentDocumentId(name, source_key, doc->title, doc->text);
    }
    sink(std::move(doc));
  });
  return absl::OkStatus();
}

}  // namespace kgraph::ingest
