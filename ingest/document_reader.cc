#include "ingest/document_reader.h"

#include <gumbo.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

// The string field `key` of `obj`; empty if absent or not a string.
absl::string_view GetString(const simdjson::dom::object& obj, const char* key) {
  std::string_view v;
  if (obj[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return absl::string_view(v.data(), v.size());
}

const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                         "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

}  // namespace

std::string NormalizeDate(absl::string_view date) {
  date = absl::StripAsciiWhitespace(date);
  auto digits = [](absl::string_view s) {
    for (char c : s) {
      if (!absl::ascii_isdigit(c)) return false;
    }
    return !s.empty();
  };
  if (date.size() >= 10 && digits(date.substr(0, 4)) && date[4] == '-' &&
      digits(date.substr(5, 2)) && date[7] == '-' && digits(date.substr(8, 2))) {
    return std::string(date.substr(0, 10));
  }
  // Reuters: DD-MON-YYYY.
  std::vector<absl::string_view> parts = absl::StrSplit(date.substr(0, 11), '-');
  if (parts.size() == 3 && digits(parts[0]) && parts[0].size() <= 2 &&
      parts[2].size() == 4 && digits(parts[2])) {
    std::string mon = absl::AsciiStrToUpper(parts[1]);
    for (int m = 0; m < 12; ++m) {
      if (mon == kMonths[m]) {
        return absl::StrFormat("%s-%02d-%02d", parts[2], m + 1,
                               std::atoi(std::string(parts[0]).c_str()));
      }
    }
  }
  return "";
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
  // `extract`. One parser per thread keeps its buffers across lines.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(line.data(), line.size()).get(root); error) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": malformed JSON: ", simdjson::error_message(error)));
  }
  simdjson::dom::object j;
  if (root.get_object().get(j) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": expected a JSON object"));
  }
  SourceDocument doc;
  doc.source = source;
  doc.text = std::string(GetString(j, "text"));
  if (doc.text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": missing or empty \"text\""));
  }
  doc.title = std::string(GetString(j, "title"));
  doc.url = std::string(GetString(j, "url"));
  doc.date = NormalizeDate(GetString(j, "date"));
  simdjson::dom::element id;
  const bool has_id = j["id"].get(id) == simdjson::SUCCESS || j["doc"].get(id) == simdjson::SUCCESS;
  std::string_view id_text;
  int64_t id_number = 0;
  if (has_id && id.get_string().get(id_text) == simdjson::SUCCESS) {
    doc.id = std::string(id_text);
  } else if (has_id && id.get_int64().get(id_number) == simdjson::SUCCESS) {
    doc.id = std::to_string(id_number);
  } else {
    doc.id = HashId(doc.url.empty() ? doc.text : doc.url);
  }
  return doc;
}

void ReadJsonLines(absl::string_view content, const std::string& file_name,
                   const DocumentSink& sink, const ReaderOptions& options) {
  int line_no = 0;
  bool any = false;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == absl::string_view::npos) nl = content.size();
    absl::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    any = true;
    const std::string source = absl::StrCat(file_name, ":", line_no);
    if (line.size() > options.max_document_bytes) {
      sink(absl::ResourceExhaustedError(absl::StrCat(
          source, ": line of ", line.size(), " bytes exceeds the limit of ",
          options.max_document_bytes)));
      continue;
    }
    sink(ParseJsonDocument(line, source));
  }
  if (!any) {
    sink(absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1: empty file (no JSON lines)")));
  }
}

namespace {

void CollectHtmlText(const GumboNode* node, std::string& out,
                     std::string& title) {
  if (node->type == GUMBO_NODE_TEXT) {
    absl::string_view t(node->v.text.text);
    t = absl::StripAsciiWhitespace(t);
    if (!t.empty()) {
      if (!out.empty() && out.back() != '\n') out += ' ';
      out.append(t.data(), t.size());
    }
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  GumboTag tag = node->v.element.tag;
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV:
    case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FORM: case GUMBO_TAG_IFRAME:
      return;
    case GUMBO_TAG_TITLE: {
      if (node->v.element.children.length > 0) {
        const GumboNode* c =
            static_cast<const GumboNode*>(node->v.element.children.data[0]);
        if (c->type == GUMBO_NODE_TEXT) {
          title = std::string(absl::StripAsciiWhitespace(c->v.text.text));
        }
      }
      return;
    }
    default:
      break;
  }
  bool block = tag == GUMBO_TAG_P || tag == GUMBO_TAG_DIV ||
               tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 ||
               tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_LI ||
               tag == GUMBO_TAG_BR || tag == GUMBO_TAG_ARTICLE ||
               tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_TR ||
               tag == GUMBO_TAG_BLOCKQUOTE;
  if (block && !out.empty() && !absl::EndsWith(out, "\n\n")) out += "\n\n";
  if (tag == GUMBO_TAG_H1 && title.empty()) {
    std::string h;
    std::string ignored;
    for (unsigned i = 0; i < node->v.element.children.length; ++i) {
      CollectHtmlText(static_cast<const GumboNode*>(
                          node->v.element.children.data[i]),
                      h, ignored);
    }
    title = h;
  }
  for (unsigned i = 0; i < node->v.element.children.length; ++i) {
    CollectHtmlText(
        static_cast<const GumboNode*>(node->v.element.children.data[i]), out,
        title);
  }
  if (block && !out.empty() && !absl::EndsWith(out, "\n\n")) out += "\n\n";
}

}  // namespace

absl::StatusOr<SourceDocument> ParseHtml(absl::string_view html,
                                         const std::string& file_name) {
  GumboOutput* output = gumbo_parse_with_options(
      &kGumboDefaultOptions, html.data(), html.size());
  if (output == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, ":1: HTML could not be parsed"));
  }
  SourceDocument doc;
  CollectHtmlText(output->root, doc.text, doc.title);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
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
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  const std::string name = BaseName(path);
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(content);
  if (trimmed.empty()) {
    sink(absl::InvalidArgumentError(absl::StrCat(path, ":1: empty file")));
    return absl::OkStatus();
  }
  bool jsonl = absl::EndsWith(path, ".jsonl") || absl::EndsWith(path, ".json") ||
               trimmed[0] == '{';
  if (jsonl) {
    ReadJsonLines(content, path, sink, options);
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
  if (content.size() > options.max_document_bytes * 4) {
    sink(absl::ResourceExhaustedError(absl::StrCat(
        path, ":1: file of ", content.size(), " bytes exceeds the limit")));
    return absl::OkStatus();
  }
  std::string lower = absl::AsciiStrToLower(trimmed.substr(0, 256));
  bool html = absl::EndsWith(path, ".html") || absl::EndsWith(path, ".htm") ||
              absl::StartsWith(lower, "<!doctype html") ||
              absl::StartsWith(lower, "<html");
  if (html) {
    absl::StatusOr<SourceDocument> doc = ParseHtml(content, path);
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
