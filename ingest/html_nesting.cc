#include "ingest/html_nesting.h"

#include <gumbo.h>

#include <pthread.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace kgraph::ingest {
namespace {

// What the tree builder does with a tag, as far as depth is concerned. The
// sets are taken from the HTML5 parsing rules (and gumbo 0.10.1's lists);
// where a set trades precision for simplicity it is widened in the direction
// that makes the estimate deeper, never shallower.
enum TagFlag : uint32_t {
  kSpecial = 1 << 0,     // "special" category: stops end-tag and <li> walks
  kBoundary = 1 << 1,    // ends the default scope
  kTableScope = 1 << 2,  // ends table scope (table, template)
  kFormatting = 1 << 3,  // in the list of active formatting elements
  kVoid = 1 << 4,        // never has children
  kRawText = 1 << 5,     // content is text up to its end tag
  kClosesP = 1 << 6,     // a start tag that closes a <p> in button scope
  kBreakout = 1 << 7,    // leaves SVG/MathML content
  kScopedEnd = 1 << 8,   // end tag pops to the element when it is in scope
  kTablePart = 1 << 9,   // only meaningful inside a table
  kMarker = 1 << 10,     // pushes a marker on the active formatting list
  kHeading = 1 << 11,
  kNoReconstruct = 1 << 12,  // a start tag that does not re-open formatting
};

const absl::flat_hash_map<absl::string_view, uint32_t>& TagFlags() {
  static const auto* flags = [] {
    auto* m = new absl::flat_hash_map<absl::string_view, uint32_t>();
    auto add = [m](uint32_t flag, std::initializer_list<absl::string_view> names) {
      for (absl::string_view n : names) (*m)[n] |= flag;
    };
    add(kSpecial,
        {"address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
         "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
         "details", "dialog", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption",
         "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
         "head", "header", "hgroup", "hr", "html", "iframe", "image", "img", "input", "isindex",
         "keygen", "li", "link", "listing", "main", "marquee", "menu", "menuitem", "meta", "nav",
         "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre",
         "script", "search", "section", "select", "source", "style", "summary", "table", "tbody",
         "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul",
         "wbr", "xmp"});
    add(kBoundary, {"applet", "caption", "html", "table", "td", "th", "marquee", "object",
                    "template"});
    add(kTableScope, {"table", "template"});
    add(kFormatting, {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small",
                      "strike", "strong", "tt", "u"});
    add(kVoid, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
                "image", "img", "input", "keygen", "link", "meta", "param", "source", "track",
                "wbr"});
    add(kRawText, {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea",
                   "title"});
    add(kClosesP, {"address", "article", "aside", "blockquote", "center", "details", "dialog", "form",
                   "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "header",
                   "hgroup", "main", "menu", "nav", "ol", "p", "search", "section", "summary",
                   "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "li", "dd", "dt",
                   "hr", "xmp"});
    add(kBreakout, {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl",
                    "dt", "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i",
                    "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby",
                    "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
                    "ul", "var", "font" /* with color, face or size */});
    add(kScopedEnd, {"address", "article", "aside", "blockquote", "button", "center", "details",
                     "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer",
                     "header", "hgroup", "listing", "main", "menu", "nav", "ol", "pre", "search",
                     "section", "summary", "ul", "li", "dd", "dt", "p", "applet", "marquee",
                     "object", "select", "template"});
    add(kTablePart, {"caption", "col", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"});
    add(kMarker, {"applet", "marquee", "object", "template"});
    add(kHeading, {"h1", "h2", "h3", "h4", "h5", "h6"});
    // Where the "in body" rules re-open formatting elements matters: before a
    // <span> they stay open after it, inside a <p> they close with it.
    add(kNoReconstruct,
        {"html", "head", "body", "base", "basefont", "bgsound", "link", "meta", "noframes",
         "script", "style", "template", "title", "frameset", "frame", "address", "article",
         "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
         "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
         "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
         "listing", "form", "li", "dd", "dt", "plaintext", "table", "hr", "textarea", "iframe",
         "noembed", "caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr",
         "rb", "rtc", "rp", "rt", "param", "source", "track"});
    return m;
  }();
  return *flags;
}

// gumbo matches HTML elements by tag enum, so every tag it does not know is
// the same "unknown" tag (</x> closes an open <y>): they share one key, and no
// flags.
constexpr absl::string_view kUnknownTag = "\x03";
// Prefix of the keys of table parts inside template contents.
constexpr absl::string_view kTemplatePart = "\x02";

std::string HtmlKey(const std::string& name) {
  return gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size())) == GUMBO_TAG_UNKNOWN
             ? std::string(kUnknownTag)
             : name;
}

uint32_t FlagsOf(absl::string_view name) {
  auto it = TagFlags().find(name);
  return it == TagFlags().end() ? 0 : it->second;
}

// How the children of an element are parsed.
enum class Content : uint8_t {
  kHtml,
  kSvg,
  kMath,
  // <annotation-xml> holds HTML or MathML depending on an attribute; the
  // model then takes the deeper reading of each tag.
  kEither,
};

// The content of an SVG or MathML element named `name` (lower case).
Content ForeignContent(Content ns, absl::string_view name) {
  if (ns == Content::kSvg) {
    return name == "foreignobject" || name == "desc" || name == "title" ? Content::kHtml
                                                                        : Content::kSvg;
  }
  if (name == "mi" || name == "mo" || name == "mn" || name == "ms" || name == "mtext") {
    return Content::kHtml;
  }
  return name == "annotation-xml" ? Content::kEither : Content::kMath;
}

bool IsTagSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// True iff attribute `name` makes a <font> leave SVG/MathML content.
bool IsFontBreakoutAttribute(absl::string_view name) {
  return absl::EqualsIgnoreCase(name, "color") || absl::EqualsIgnoreCase(name, "face") ||
         absl::EqualsIgnoreCase(name, "size");
}

// Position of the '>' that ends the tag whose name ends at `i`, following the
// tokenizer's attribute states (a quote opens a value only after '='); npos if
// the input ends first. Sets *self_closing for "/>" and *font_breakout when an
// attribute is named color, face or size.
size_t TagEnd(absl::string_view s, size_t i, bool* self_closing, bool* font_breakout) {
  enum { kBeforeName, kName, kAfterName, kBeforeValue, kAfterQuoted } state = kBeforeName;
  *self_closing = false;
  *font_breakout = false;
  const size_t n = s.size();
  size_t name_start = 0;
  while (i < n) {
    const char c = s[i];
    if (state == kName && (IsTagSpace(c) || c == '/' || c == '=' || c == '>')) {
      *font_breakout = *font_breakout || IsFontBreakoutAttribute(s.substr(name_start, i - name_start));
    }
    switch (state) {
      case kBeforeName:
      case kAfterQuoted:
        if (IsTagSpace(c)) {
          state = kBeforeName;
        } else if (c == '/') {
          if (i + 1 < n && s[i + 1] == '>') {
            *self_closing = true;
            return i + 1;
          }
          state = kBeforeName;
        } else if (c == '>') {
          return i;
        } else if (state == kAfterQuoted) {
          state = kBeforeName;
          continue;  // reconsume
        } else {
          state = kName;
          name_start = i;
        }
        break;
      case kName:
        if (IsTagSpace(c)) state = kAfterName;
        else if (c == '/') { state = kBeforeName; continue; }
        else if (c == '=') state = kBeforeValue;
        else if (c == '>') return i;
        break;
      case kAfterName:
        if (IsTagSpace(c)) break;
        if (c == '/') { state = kBeforeName; continue; }
        if (c == '=') state = kBeforeValue;
        else if (c == '>') return i;
        else {
          state = kName;
          name_start = i;
        }
        break;
      case kBeforeValue:
        if (IsTagSpace(c)) break;
        if (c == '"' || c == '\'') {
          const size_t close = s.find(c, i + 1);
          if (close == absl::string_view::npos) return absl::string_view::npos;
          i = close + 1;
          state = kAfterQuoted;
          continue;
        }
        if (c == '>') return i;
        // Unquoted value: runs to whitespace or '>'.
        while (i < n && !IsTagSpace(s[i]) && s[i] != '>') ++i;
        state = kBeforeName;
        continue;
    }
    ++i;
  }
  return absl::string_view::npos;
}

class NestingScanner {
 public:
  NestingScanner(absl::string_view html, const HtmlNestingLimits& limits)
      : html_(html), limits_(limits), max_reopened_(limits.max_reopened + html.size() / 2) {}

  // Returns false at the first limit crossed; error() then says which and
  // error_pos() where.
  bool Run();
  const std::string& error() const { return error_; }
  size_t error_pos() const { return error_pos_; }

 private:
  static constexpr size_t kMaxFormatting = 256;

  struct Open {
    std::string key;  // tag name; SVG/MathML elements carry a "\x01" prefix
    uint32_t flags = 0;
    bool foreign = false;  // an SVG/MathML element
    Content content = Content::kHtml;
    bool marker = false;
    uint64_t serial = 0;  // its entry in active_, 0 if none
    // False once gumbo may have removed the element from the middle of its
    // stack: it still counts as open, but nothing searches for it.
    bool indexed = true;
    bool head_noscript = false;  // a <noscript> in <head>: holds head elements only
    // For a <template>: its first start tag decided that it holds body
    // content, which ignores table parts.
    bool template_body = false;
    bool template_cols = false;  // ...or that it holds <col> elements only
    bool template_decided = false;
  };
  struct Active {
    std::string name;
    size_t raw_hash = 0;  // the whole tag text, for the "Noah's Ark" clause
    uint64_t serial = 0;
    int64_t stack_pos = -1;  // -1: not open (will be re-opened)
    bool marker = false;
  };

  static std::string ForeignKey(absl::string_view name) { return absl::StrCat("\x01", name); }
  static int64_t Top(const std::vector<uint32_t>& v) {
    return v.empty() ? -1 : static_cast<int64_t>(v.back());
  }
  int64_t Nearest(const std::string& key) const {
    auto it = positions_.find(key);
    return it == positions_.end() ? -1 : static_cast<int64_t>(it->second.back());
  }
  int64_t Depth() const { return static_cast<int64_t>(stack_.size()); }
  // The position below which an element is out of scope: the topmost scope
  // boundary (the HTML5 default, button and list item scopes).
  int64_t DefaultScope() const { return Top(boundary_); }
  int64_t ButtonScope() const { return std::max(Top(boundary_), Nearest("button")); }
  int64_t ListItemScope() const {
    return std::max({Top(boundary_), Nearest("ol"), Nearest("ul")});
  }
  // True iff the table insertion modes apply: the nearest table (not
  // template) has no cell or caption open in it.
  bool InTableMode() const {
    if (table_scope_.empty()) return false;
    const int64_t table = Top(table_scope_);
    return stack_[table].key == "table" && Nearest("td") < table && Nearest("th") < table &&
           Nearest("caption") < table;
  }
  // True iff a table, caption, section, row or cell is open below `pos` and
  // above the nearest template: a select there is "in select in table".
  bool InTableBelow(int64_t pos) const {
    const int64_t tmpl = Nearest("template");
    for (const char* n :
         {"table", "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th"}) {
      for (const std::string& key : {std::string(n), absl::StrCat(kTemplatePart, n)}) {
        const int64_t p = Nearest(key);
        if (p >= tmpl && p < pos && p >= 0) return true;
      }
    }
    return false;
  }
  Content CurrentContent() const {
    return stack_.empty() ? Content::kHtml : stack_.back().content;
  }
  bool ChildrenForeign() const {
    const Content c = CurrentContent();
    return c == Content::kSvg || c == Content::kMath;
  }
  bool Fail(std::string message) {
    error_ = std::move(message);
    error_pos_ = tag_pos_;
    return false;
  }

  bool Push(Open open);
  // An element that is inserted and closed at once (void, raw text,
  // self-closing foreign): it is one level deeper than the current node.
  bool Leaf() {
    if (stack_.size() + off_stack_ + 1 > limits_.max_depth) {
      return Fail(absl::StrCat("HTML nesting deeper than ", limits_.max_depth, " elements"));
    }
    return true;
  }
  void Pop();
  void Unindex(int64_t pos);
  // The adoption agency ran for the formatting element at `pos`, with a
  // special element above it: it removes the element, and the non-special
  // elements above it either leave the stack or are replaced by clones.
  // They stay counted, but no tag may close anything through them.
  // With at most 7 special elements above, its last round pops everything
  // above the topmost one.
  void Adopted(int64_t pos) {
    size_t specials = 0;
    int64_t topmost = -1;
    for (int64_t i = pos + 1; i < Depth(); ++i) {
      if (stack_[i].indexed && (stack_[i].flags & kSpecial)) {
        ++specials;
        topmost = i;
      }
    }
    if (specials <= 7 && topmost >= 0) PopTo(topmost + 1);
    for (int64_t i = pos; i < Depth(); ++i) {
      if (i == pos || !(stack_[i].flags & kSpecial)) Unindex(i);
    }
  }
  void PopTo(int64_t pos) {
    while (Depth() > pos) Pop();
  }
  // PopTo for the table rules: each cell or caption closed clears the active
  // formatting elements back to its marker.
  void PopTable(int64_t pos) {
    while (Depth() > pos) {
      absl::string_view key = stack_.back().key;
      absl::ConsumePrefix(&key, kTemplatePart);
      const bool clear = stack_.back().marker && stack_.back().indexed &&
                         (key == "td" || key == "th" || key == "caption");
      Pop();
      if (clear) ClearToMarker();
    }
  }
  // Position of the end tag that ends the raw text of `name` begun at
  // `from`, as the tokenizer finds it ("</name" then whitespace, '/' or '>';
  // for <script>, outside its "<!--<script>" double-escaped sections), or
  // the end of the input.
  size_t RawTextEnd(const std::string& name, size_t from) const;
  // Position after the end tag "</name..." at `pos` (the end of the input if
  // there is none).
  size_t PastEndTag(const std::string& name, size_t pos) const {
    if (pos >= html_.size()) return html_.size();
    bool self_closing = false, font_breakout = false;
    const size_t end = TagEnd(html_, pos + 2 + name.size(), &self_closing, &font_breakout);
    return end == absl::string_view::npos ? html_.size() : end + 1;
  }
  int64_t ActiveIndex(uint64_t serial) const;
  void EraseActive(size_t index);
  void ClearToMarker();
  bool Reconstruct();
  bool PushFormatting(const std::string& name, uint32_t flags, size_t raw_hash);
  bool StartTag(const std::string& name, bool self_closing, bool font_breakout, size_t raw_hash,
                size_t tag_end, size_t* next);
  bool TableStart(const std::string& name, uint32_t flags);
  // `bare`: nothing between the name and '>' ("</g>", not "</g >").
  bool EndTag(const std::string& name, bool bare = true);
  void FormattingEnd(const std::string& name);
  void CloseColgroup() {
    if (!stack_.empty() && stack_.back().key == "colgroup" && stack_.back().indexed) Pop();
  }
  // Pops the current node while it is one of dd, dt, li, optgroup, option,
  // p, rb, rp, rt (and rtc `with_rtc`).
  void GenerateImpliedEndTags(bool with_rtc) {
    static const auto* kImplied = new absl::flat_hash_map<absl::string_view, bool>{
        {"dd", true}, {"dt", true}, {"li", true}, {"optgroup", true}, {"option", true},
        {"p", true},  {"rb", true}, {"rp", true}, {"rt", true},       {"rtc", false}};
    while (!stack_.empty() && stack_.back().indexed) {
      auto it = kImplied->find(stack_.back().key);
      if (it == kImplied->end() || (!it->second && !with_rtc)) break;
      Pop();
    }
  }
  void ClosePInButtonScope() {
    const int64_t p = Nearest("p");
    if (p >= 0 && p >= ButtonScope()) PopTo(p);
  }
  void AnyOtherEnd(const std::string& name);
  // <li>, <dd>, <dt>: close an open one of `names` reached from the current
  // node through non-special elements (and address, div, p) only.
  void CloseListItem(std::initializer_list<absl::string_view> names);

  absl::string_view html_;
  HtmlNestingLimits limits_;
  size_t max_reopened_;
  std::vector<Open> stack_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> positions_;
  std::vector<uint32_t> boundary_, table_scope_, special_, html_elements_;
  std::vector<Active> active_;  // sorted by serial
  int64_t last_marker_ = -1;    // index in active_ of the last marker
  size_t off_stack_ = 0;        // entries after last_marker_ not open
  uint64_t next_serial_ = 1;
  size_t reopened_ = 0;
  bool form_pointer_ = false;  // gumbo's "form element pointer" is set
  bool saw_frameset_ = false;
  // gumbo 0.10.1 keeps the text of a dropped "</>" in the next tag's
  // original text, by which SVG/MathML elements are matched: such an end tag
  // closes none, and such an element is never closed by name.
  bool after_empty_end_tag_ = false;
  bool poisoned_ = false;
  bool in_head_ = true;  // nothing that starts the body seen yet
  size_t foreign_open_ = 0;  // SVG/MathML elements on the stack
  // Up to here the input may be raw text or markup (a raw-text start tag
  // gumbo may have ignored): start tags only push, unindexed.
  size_t push_only_end_ = 0;
  size_t tag_pos_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
};

bool NestingScanner::Push(Open open) {
  // Formatting elements waiting to be re-opened count as open: gumbo may
  // re-open them at a start tag where this model waits for text.
  if (stack_.size() + off_stack_ >= limits_.max_depth) {
    return Fail(absl::StrCat("HTML nesting deeper than ", limits_.max_depth, " elements"));
  }
  const uint32_t pos = static_cast<uint32_t>(stack_.size());
  positions_[open.key].push_back(pos);
  if (open.flags & kBoundary) boundary_.push_back(pos);
  if (open.flags & kTableScope) table_scope_.push_back(pos);
  if (open.flags & kSpecial) special_.push_back(pos);
  if (!open.foreign) html_elements_.push_back(pos);
  if (open.foreign) ++foreign_open_;
  if (open.marker) {
    active_.push_back({"", 0, next_serial_++, -1, true});
    last_marker_ = static_cast<int64_t>(active_.size()) - 1;
    off_stack_ = 0;
  }
  stack_.push_back(std::move(open));
  return true;
}

void NestingScanner::Pop() {
  Open& top = stack_.back();
  const uint32_t pos = static_cast<uint32_t>(stack_.size() - 1);
  if (top.indexed) {
    auto it = positions_.find(top.key);
    it->second.pop_back();
    if (it->second.empty()) positions_.erase(it);
    for (auto* v : {&boundary_, &table_scope_, &special_, &html_elements_}) {
      if (!v->empty() && v->back() == pos) v->pop_back();
    }
  }
  if (top.serial != 0) {  // unindexed or not, it may be an active element
    const int64_t index = ActiveIndex(top.serial);
    if (index >= 0 && active_[index].stack_pos == pos) {
      active_[index].stack_pos = -1;
      if (index > last_marker_) ++off_stack_;
    }
  }
  // Markers are cleared where gumbo clears them (PopTable, EndTag), not
  // when an element is popped along with others.
  if (top.foreign) --foreign_open_;
  stack_.pop_back();
}

size_t NestingScanner::RawTextEnd(const std::string& name, size_t from) const {
  const size_t n = html_.size();
  // "<x" + name + a delimiter at i, x being "/" for an end tag, "" for a start.
  auto tag_at = [&](size_t i, bool end) {
    const size_t name_at = i + (end ? 2 : 1);
    if (name_at + name.size() >= n || html_[i] != '<' || (end && html_[i + 1] != '/')) {
      return false;
    }
    if (!absl::EqualsIgnoreCase(html_.substr(name_at, name.size()), name)) return false;
    const char c = html_[name_at + name.size()];
    return IsTagSpace(c) || c == '/' || c == '>';
  };
  if (name != "script") {
    for (size_t i = html_.find("</", from); i != absl::string_view::npos;
         i = html_.find("</", i + 2)) {
      if (tag_at(i, true)) return i;
    }
    return n;
  }
  enum { kData, kEscaped, kDoubleEscaped } state = kData;
  for (size_t i = from; i < n;) {
    if (state != kDoubleEscaped && tag_at(i, true)) return i;
    if (state == kData) {
      if (absl::StartsWith(html_.substr(i), "<!--")) {
        state = kEscaped;
        i += 4;
        while (i < n && html_[i] == '-') ++i;  // "<!-->" and "<!--->" end it again
        if (i < n && html_[i] == '>') state = kData;
        continue;
      }
    } else if (absl::StartsWith(html_.substr(i), "-->")) {
      state = kData;
      i += 3;
      continue;
    } else if (state == kEscaped && tag_at(i, false)) {
      state = kDoubleEscaped;
      i += 1 + name.size();
      continue;
    } else if (state == kDoubleEscaped && tag_at(i, true)) {
      state = kEscaped;
      i += 2 + name.size();
      continue;
    }
    ++i;
  }
  return n;
}

void NestingScanner::Unindex(int64_t pos) {
  Open& e = stack_[pos];
  if (!e.indexed) return;
  e.indexed = false;
  auto erase = [pos](std::vector<uint32_t>& v) {
    auto it = std::find(v.begin(), v.end(), static_cast<uint32_t>(pos));
    if (it != v.end()) v.erase(it);
  };
  auto it = positions_.find(e.key);
  erase(it->second);
  if (it->second.empty()) positions_.erase(it);
  for (auto* v : {&boundary_, &table_scope_, &special_, &html_elements_}) erase(*v);
}

int64_t NestingScanner::ActiveIndex(uint64_t serial) const {
  auto it = std::lower_bound(active_.begin(), active_.end(), serial,
                             [](const Active& a, uint64_t s) { return a.serial < s; });
  return it != active_.end() && it->serial == serial ? it - active_.begin() : -1;
}

void NestingScanner::EraseActive(size_t index) {
  if (active_[index].stack_pos < 0 && static_cast<int64_t>(index) > last_marker_) --off_stack_;
  active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(index));
}

void NestingScanner::ClearToMarker() {
  while (!active_.empty()) {
    const bool marker = active_.back().marker;
    active_.pop_back();
    if (marker) break;
  }
  last_marker_ = -1;
  off_stack_ = 0;
  for (int64_t i = static_cast<int64_t>(active_.size()) - 1; i >= 0; --i) {
    if (active_[i].marker) {
      last_marker_ = i;
      break;
    }
    if (active_[i].stack_pos < 0) ++off_stack_;
  }
}

// Formatting elements that were closed implicitly but are still active are
// opened again before new content, as the HTML5 algorithm does (it stops at
// the last open one; re-opening them all errs deep).
bool NestingScanner::Reconstruct() {
  if (off_stack_ == 0) return true;
  for (size_t i = static_cast<size_t>(last_marker_ + 1); i < active_.size(); ++i) {
    if (active_[i].stack_pos >= 0) continue;
    if (++reopened_ > max_reopened_) {
      return Fail(absl::StrCat("HTML re-opens more than ", max_reopened_,
                               " misnested formatting elements"));
    }
    Open open;
    open.key = active_[i].name;
    open.flags = FlagsOf(open.key);
    open.serial = active_[i].serial;
    active_[i].stack_pos = Depth();
    --off_stack_;
    if (!Push(std::move(open))) return false;
  }
  return true;
}

bool NestingScanner::PushFormatting(const std::string& name, uint32_t flags, size_t raw_hash) {
  const size_t first = static_cast<size_t>(last_marker_ + 1);
  if (name == "a") {  // a new <a> closes an open one
    for (size_t i = active_.size(); i-- > first;) {
      if (active_[i].name != "a") continue;
      const int64_t pos = active_[i].stack_pos;
      EraseActive(i);
      if (pos >= 0 && pos == Depth() - 1) Pop();
      else if (pos >= 0 && pos < DefaultScope()) Unindex(pos);  // removed, nothing else
      else if (pos >= 0) Adopted(pos);
      break;
    }
  }
  if (!Reconstruct()) return false;
  if (name == "nobr" && Nearest("nobr") >= 0 && Nearest("nobr") >= DefaultScope()) {
    FormattingEnd("nobr");  // a new <nobr> closes an open one
    if (!Reconstruct()) return false;
  }
  size_t same = 0, earliest = 0;
  for (size_t i = active_.size(); i-- > first;) {
    if (active_[i].name == name && active_[i].raw_hash == raw_hash) {
      ++same;
      earliest = i;
    }
  }
  if (same >= 3) EraseActive(earliest);
  if (active_.size() - first >= kMaxFormatting) {
    return Fail(absl::StrCat("HTML has more than ", kMaxFormatting,
                             " unclosed formatting elements"));
  }
  const uint64_t serial = next_serial_++;
  active_.push_back({name, raw_hash, serial, Depth(), false});
  Open open;
  open.key = name;
  open.flags = flags;
  open.serial = serial;
  return Push(std::move(open));
}

bool NestingScanner::TableStart(const std::string& name, uint32_t flags) {
  if (table_scope_.empty()) return true;  // ignored outside a table
  const int64_t table = Top(table_scope_);
  // Template contents take table parts only as their first element and
  // otherwise ignore them, so nothing is closed there; the implied tbody and
  // tr are still counted.
  const bool in_template = stack_[table].key == "template";
  auto within = [&](std::initializer_list<const char*> names) {
    int64_t best = -1;
    for (const char* n : names) best = std::max(best, Nearest(n));
    return best > table ? best : -1;
  };
  auto implied = [&](const char* n) {
    Open open;
    open.key = n;
    open.flags = FlagsOf(n);
    return Push(std::move(open));
  };
  if (in_template) {
    // Counted with their implied tbody and tr, under keys of their own:
    // they may not be there at all, so no end tag may close anything
    // through them; only a <select> learns that it may be in a table.
    if (stack_[table].template_body) return true;
    if (name == "col") return Leaf();
    // Contents that began with <col> ignore everything else.
    if (stack_[table].template_cols) return true;
    // In its table modes a template clears the stack back to its last table
    // part before one: what is above may have been closed.
    for (int64_t i = Depth() - 1; i > table; --i) {
      if (!absl::StartsWith(stack_[i].key, kTemplatePart)) Unindex(i);
    }
    const bool cell = name == "td" || name == "th";
    std::vector<std::string> parts;
    if (cell || name == "tr") parts.push_back("tbody");
    if (cell) parts.push_back("tr");
    parts.push_back(name);
    for (const std::string& n : parts) {
      Open open;
      open.key = absl::StrCat(kTemplatePart, n);
      open.flags = kSpecial;  // stops walks and end tags looking for an element
      open.marker = n == "td" || n == "th" || n == "caption";  // as gumbo inserts them
      if (!Push(std::move(open))) return false;
    }
    return true;
  }
  // As the table insertion modes do: clear the stack back to the table, its
  // section or its row, inserting an implied tbody, tr or colgroup.
  const int64_t section = within({"tbody", "thead", "tfoot"});
  const int64_t row = within({"tr"});
  if (name == "col") {
    if (stack_.back().key != "colgroup") {
      PopTable(table + 1);
      if (!implied("colgroup")) return false;
    }
    return Leaf();
  }
  if (name == "tr") {
    if (section >= 0) {
      PopTable(section + 1);
    } else {
      PopTable(table + 1);
      if (!implied("tbody")) return false;
    }
  } else if (name == "td" || name == "th") {
    if (row >= 0) {
      PopTable(row + 1);
    } else if (section >= 0) {
      PopTable(section + 1);
      if (!implied("tr")) return false;
    } else {
      PopTable(table + 1);
      if (!implied("tbody") || !implied("tr")) return false;
    }
  } else {  // caption, colgroup, tbody, thead, tfoot
    PopTable(table + 1);
  }
  Open open;
  open.key = name;
  open.flags = flags;
  open.marker = name == "td" || name == "th" || name == "caption";
  return Push(std::move(open));
}

void NestingScanner::CloseListItem(std::initializer_list<absl::string_view> names) {
  // Linear overall: a walk that finds no item pushes one, which the next
  // walk finds first.
  for (int64_t i = Depth() - 1; i >= 0; --i) {
    const Open& e = stack_[i];
    if (!e.indexed) return;
    if (!e.foreign && std::find(names.begin(), names.end(), e.key) != names.end()) {
      PopTo(i);
      return;
    }
    if ((e.flags & kSpecial) && e.key != "address" && e.key != "div" && e.key != "p") return;
  }
}

bool NestingScanner::StartTag(const std::string& tag_name, bool self_closing,
                              bool font_breakout, size_t raw_hash, size_t tag_end, size_t* next) {
  *next = tag_end + 1;
  const std::string name = HtmlKey(tag_name);
  uint32_t flags = FlagsOf(name);
  if (!stack_.empty() && stack_.back().key == "template" && !stack_.back().template_decided) {
    // The first start tag in template contents fixes what it holds.
    static const auto* kKeepsMode = new absl::flat_hash_map<absl::string_view, bool>{
        {"base", true},    {"basefont", true}, {"bgsound", true}, {"link", true},
        {"meta", true},    {"noframes", true}, {"script", true},  {"style", true},
        {"template", true}, {"title", true}};
    if (!kKeepsMode->contains(name)) {
      stack_.back().template_decided = true;
      stack_.back().template_body = !(flags & kTablePart);
      stack_.back().template_cols = name == "col";
    }
  }
  if (name == "font" && !font_breakout) flags &= ~kBreakout;
  const Content content = CurrentContent();
  if (content != Content::kHtml && !(flags & kBreakout)) {
    // An SVG/MathML element: "/>" closes it (unless it may be HTML); its
    // children stay foreign unless it is an integration point.
    // gumbo 0.10.1 resets its insertion mode by tag, ignoring namespaces, so
    // an SVG/MathML element named like a table part, select, template, head,
    // body, frameset or html can switch it into table modes nothing else
    // predicts. No real SVG or MathML has such elements: read the rest of
    // the document the deep way (start tags only push).
    static const auto* kModeNames = new absl::flat_hash_map<absl::string_view, bool>{
        {"select", true}, {"td", true},    {"th", true},       {"tr", true},
        {"tbody", true},  {"thead", true}, {"tfoot", true},    {"caption", true},
        {"colgroup", true}, {"table", true}, {"template", true}, {"head", true},
        {"body", true},   {"frameset", true}, {"html", true}};
    if (kModeNames->contains(tag_name)) {
      push_only_end_ = html_.size();
      self_closing = false;
    }
    if (self_closing && content != Content::kEither) return Leaf();
    // Same namespace as the parent; <svg> in <annotation-xml> starts SVG.
    const Content ns =
        content == Content::kSvg || (content == Content::kEither && tag_name == "svg")
            ? Content::kSvg
            : Content::kMath;
    Open open;
    open.key = ForeignKey(poisoned_ ? absl::StrCat("</>", tag_name) : tag_name);
    open.foreign = true;
    // Inside <annotation-xml> an element may be HTML or MathML, and so may
    // its content: a later breakout tag must not close it.
    open.content = content == Content::kEither && tag_name != "svg"
                       ? Content::kEither
                       : ForeignContent(ns, tag_name);
    open.flags = open.content == Content::kSvg || open.content == Content::kMath
                     ? 0
                     : kSpecial | kBoundary;
    return Push(std::move(open));
  }
  // A breakout tag (<div>, <p>, <b>, ...) in foreign content closes the
  // SVG/MathML elements up to an integration point, then is handled as HTML.
  if (content != Content::kHtml) {
    while (!stack_.empty() && stack_.back().foreign &&
           (stack_.back().content == Content::kSvg || stack_.back().content == Content::kMath)) {
      Pop();
    }
  }
  // In <head>, a <noscript> holds only a few head elements; anything else
  // closes it (and, like any non-head element, starts the body).
  static const auto* kHeadElements = new absl::flat_hash_map<absl::string_view, bool>{
      {"html", true},     {"head", true},  {"base", false},  {"basefont", true},
      {"bgsound", true},  {"link", true},  {"meta", true},   {"noframes", true},
      {"script", false},  {"style", true}, {"template", false}, {"title", false},
      {"noscript", true}};
  auto head = kHeadElements->find(name);
  if (!stack_.empty() && stack_.back().head_noscript &&
      (head == kHeadElements->end() || !head->second)) {
    Pop();
  }
  const bool starts_in_head = in_head_;
  if (head == kHeadElements->end()) in_head_ = false;
  if (name == "html" || name == "head" || name == "body") {  // merged, not nested
    if (name == "body") in_head_ = false;
    return true;
  }
  if (name == "noscript" && starts_in_head && Nearest("template") < 0) {
    Open open;
    open.key = name;
    open.flags = flags;
    open.head_noscript = true;
    return Push(std::move(open));
  }
  // A column group holds only <col> and <template>; anything else closes it.
  if (name != "col" && name != "template") CloseColgroup();
  const int64_t select = Nearest("select");
  if (select >= 0 && select > Nearest("template")) {
    // "in select": most start tags are ignored. "in select in table" (a
    // select opened inside a table, caption, row or cell) also closes the
    // select before table parts.
    const bool in_table = InTableBelow(select);
    if (name == "select") {  // acts as </select>
      PopTo(select);
      return true;
    }
    if (name == "input" || name == "keygen" || name == "textarea" ||
        (in_table && name != "col" && name != "colgroup" &&
         ((flags & kTablePart) || name == "table"))) {
      PopTo(select);  // then handled as outside the select
    } else if (name == "option" || name == "optgroup") {
      if (!stack_.empty() && stack_.back().key == "option") Pop();
      if (name == "optgroup" && !stack_.empty() && stack_.back().key == "optgroup") Pop();
      Open open;
      open.key = name;
      open.flags = flags;
      return Push(std::move(open));
    } else if (name != "script" && name != "template") {
      return true;
    }
  }
  if ((flags & kRawText) || name == "plaintext") {
    // The tokenizer switches to raw text only when the element is inserted.
    // A <frameset> ignores all but <noframes>, template contents and a
    // <select> ignore them in some modes, and gumbo resets its insertion mode
    // oddly around SVG/MathML elements. There the content may be markup:
    // scanned, with start tags pushed and end tags ignored, either reading
    // errs deep.
    if (saw_frameset_ || Nearest("template") >= 0 || select >= 0 || foreign_open_ > 0) {
      if (name == "plaintext") {
        push_only_end_ = html_.size();
      } else {
        // Through the end tag: it may close this element or another.
        push_only_end_ = std::max(push_only_end_, PastEndTag(name, RawTextEnd(name, tag_end + 1)));
      }
      return Leaf();
    }
  }
  if (name == "frameset") {
    // Honoured only at the start of a document, which this model does not
    // track: counted, but never closed by name.
    saw_frameset_ = true;
    Open open;
    open.key = name;
    if (!Push(std::move(open))) return false;
    Unindex(Depth() - 1);
    return true;
  }
  if (name == "form" || name == "isindex") {
    // Ignored while another form is open (outside templates).
    if (form_pointer_ && Nearest("template") < 0) return true;
    if (name == "form" && InTableMode()) {
      // In a table a form is inserted and closed at once.
      if (Nearest("template") >= 0) return true;
      form_pointer_ = true;
      return Leaf();
    }
    if (name == "form" && Nearest("template") < 0) form_pointer_ = true;
  }
  if (name == "rb" || name == "rtc" || name == "rp" || name == "rt") {
    // Inside <ruby>, generate implied end tags (all but rtc for rp and rt).
    const int64_t ruby = Nearest("ruby");
    if (ruby >= 0 && ruby >= DefaultScope()) {
      GenerateImpliedEndTags(/*with_rtc=*/name == "rb" || name == "rtc");
    }
  }
  if (name == "plaintext") {
    ClosePInButtonScope();
    *next = html_.size();  // the rest is text
    return Leaf();
  }
  // Formatting elements are re-opened after the implied end tags below, as
  // gumbo does (PushFormatting for formatting tags).
  const bool reconstruct = !(flags & (kNoReconstruct | kFormatting));
  if (flags & kRawText) {
    if (flags & kClosesP) ClosePInButtonScope();  // <xmp>
    if (reconstruct && !Reconstruct()) return false;
    // The end tag closes this element: skip it, lest it match an SVG
    // <title>, <style> or <script> below.
    *next = PastEndTag(name, RawTextEnd(name, tag_end + 1));
    return Leaf();
  }
  if (flags & kTablePart) return TableStart(name, flags);
  if (name == "table" && !table_scope_.empty()) {
    const int64_t table = Top(table_scope_);
    // A template holding table parts ignores a <table> outside its cells,
    // and this model cannot tell whether a cell is still open: counted as a
    // boundary, but never closed by name nor taken as the table of parts.
    if (stack_[table].key == "template" && stack_[table].template_decided &&
        !stack_[table].template_body) {
      Open open;
      open.key = absl::StrCat(kTemplatePart, name);
      open.flags = kSpecial | kBoundary;
      return Push(std::move(open));
    }
    // A <table> directly in a table (not in a cell or caption) closes it.
    if (stack_[table].key == "table" && Nearest("td") < table && Nearest("th") < table &&
        Nearest("caption") < table) {
      PopTo(table);
    }
  }
  if (name == "li") CloseListItem({"li"});
  if (name == "dd" || name == "dt") CloseListItem({"dd", "dt"});
  if (flags & kClosesP) ClosePInButtonScope();
  if (name == "button") {  // a button closes an open one
    const int64_t b = Nearest("button");
    if (b >= 0 && b >= DefaultScope()) PopTo(b);
  }
  if ((flags & kHeading) && !stack_.empty() && (stack_.back().flags & kHeading)) Pop();
  // An open <option> closes before another option or optgroup; an optgroup
  // closes an optgroup only inside a select, which this model cannot be
  // sure of, so it keeps it open.
  if ((name == "option" || name == "optgroup") && !stack_.empty() &&
      stack_.back().key == "option") {
    Pop();
  }
  if (reconstruct && !Reconstruct()) return false;
  if (flags & kVoid) return Leaf();
  if (name == "isindex") {  // becomes <form><hr><label>... <input></label><hr></form>
    ClosePInButtonScope();
    const int64_t depth = Depth();
    Open form, label;
    form.key = "form";
    label.key = "label";
    if (!Push(std::move(form)) || !Push(std::move(label)) || !Leaf()) return false;  // <input>
    PopTo(depth);
    return true;
  }
  if (name == "svg" || name == "math") {
    if (self_closing) return Leaf();
    Open open;
    open.key = ForeignKey(poisoned_ ? absl::StrCat("</>", name) : name);
    open.foreign = true;
    open.content = name == "svg" ? Content::kSvg : Content::kMath;
    return Push(std::move(open));
  }
  if (flags & kFormatting) return PushFormatting(name, flags, raw_hash);
  Open open;
  open.key = name;
  open.flags = flags;
  open.marker = (flags & kMarker) != 0;
  return Push(std::move(open));
}

void NestingScanner::AnyOtherEnd(const std::string& name) {
  const int64_t p = Nearest(name);
  if (p >= 0 && p >= Top(special_)) PopTo(p);
}

void NestingScanner::FormattingEnd(const std::string& name) {
  const size_t first = static_cast<size_t>(last_marker_ + 1);
  for (size_t i = active_.size(); i-- > first;) {
    if (active_[i].name != name) continue;
    const int64_t pos = active_[i].stack_pos;
    if (pos >= 0 && pos < DefaultScope()) return;  // not in scope: ignored
    EraseActive(i);
    // Without a special element above it the element is popped with
    // everything above; otherwise the adoption agency removes it and
    // reparents, which never deepens the stack: it is left counted.
    if (pos >= 0 && pos >= Top(special_)) PopTo(pos);
    else if (pos >= 0) Adopted(pos);
    return;
  }
  // gumbo 0.10.1 ignores the end tag when no active formatting element
  // after the last marker matches (the HTML5 rules would go on to "any
  // other end tag").
}

bool NestingScanner::EndTag(const std::string& tag_name, bool bare) {
  // With an SVG/MathML element current, an end tag closes the nearest
  // foreign element of that name above every HTML element, else HTML rules.
  // gumbo 0.10.1 matches no foreign element for one with anything after
  // its name ("</title\n>", "</g x>", "</g/>"; found by fuzz_html_reader),
  // but still applies the HTML rules: "<b><math></b/>" closes the <b> and
  // the <math> in it (also found by fuzz_html_reader).
  if (bare && !stack_.empty() && stack_.back().foreign) {
    const int64_t p = poisoned_ ? -1 : Nearest(ForeignKey(tag_name));
    if (p >= 0 && p > Top(html_elements_)) {
      PopTo(p);
      return true;
    }
  }
  const std::string name = HtmlKey(tag_name);
  const uint32_t flags = FlagsOf(name);
  if (!stack_.empty() && stack_.back().head_noscript && (name == "noscript" || name == "br")) {
    Pop();
  }
  if (name == "head" || name == "body" || name == "html" || name == "br") in_head_ = false;
  if (name == "html" || name == "head" || name == "body") return true;
  if (name != "colgroup" && name != "col" && name != "template") CloseColgroup();
  if (name == "br") {  // handled as <br>, which re-opens formatting
    if (!ChildrenForeign() && !Reconstruct()) return false;
    return Leaf();
  }
  const int64_t select = Nearest("select");
  if (select >= 0 && select > Nearest("template") && name != "template") {
    // "in select": only these end tags do anything.
    if (name == "select") {
      PopTo(select);
    } else if (name == "option") {
      if (!stack_.empty() && stack_.back().key == "option") Pop();
    } else if (name == "optgroup") {
      if (stack_.size() >= 2 && stack_.back().key == "option" &&
          stack_[stack_.size() - 2].key == "optgroup") {
        Pop();
      }
      if (!stack_.empty() && stack_.back().key == "optgroup") Pop();
    } else if (name == "caption" || name == "table" || name == "tbody" || name == "tfoot" ||
               name == "thead" || name == "tr" || name == "td" || name == "th") {
      const int64_t p = Nearest(name);
      if (InTableBelow(select) && p >= 0 && p >= Top(table_scope_)) {
        PopTo(select);
        return EndTag(name);
      }
      // Where a template stands between the select and the cell
      // ("<template><td><select></td>"), the HTML rules ignore the end tag
      // but gumbo 0.10.1 leaves the select, and then nests what follows
      // instead of ignoring it (found by fuzz_html_reader: a document so
      // built crashed gumbo's recursive tree walk). This model cannot follow
      // both, so it reads the rest of the document the deep way.
      const int64_t in_template = Nearest(absl::StrCat(kTemplatePart, name));
      if ((p >= 0 && p < select) || (in_template >= 0 && in_template < select)) {
        push_only_end_ = html_.size();
      }
    }
    return true;
  }
  if (name == "template") {  // closes the template whatever is open inside it
    if (const int64_t t = Nearest("template"); t >= 0) {
      PopTo(t);
      ClearToMarker();
    }
    return true;
  }
  if (flags & kFormatting) {
    FormattingEnd(name);
  } else if ((flags & kTablePart) || name == "table") {
    const int64_t p = Nearest(name);
    const int64_t scope = Top(table_scope_);
    if (scope >= 0 && stack_[scope].key == "template" && (name == "td" || name == "th")) {
      // The cells of template contents are always inserted: close it,
      // unless a <table> opened inside the cell (a boundary here) hides the
      // cell from table scope, when gumbo ignores the end tag and keeps
      // everything open. Keeping it open is the safe side: the model may
      // only over-estimate the depth.
      const int64_t cell = Nearest(absl::StrCat(kTemplatePart, name));
      if (cell > scope && Nearest(absl::StrCat(kTemplatePart, "table")) < cell) PopTable(cell);
      return true;
    }
    if (p < 0 || p < scope) return true;
    // In template contents a table part may have been ignored (when the
    // template holds body content): close it only when it is current.
    if (scope >= 0 && stack_[scope].key == "template" && p != Depth() - 1) return true;
    PopTable(p);
  } else if (flags & kHeading) {
    int64_t p = -1;
    for (const char* h : {"h1", "h2", "h3", "h4", "h5", "h6"}) p = std::max(p, Nearest(h));
    if (p >= 0 && p >= DefaultScope()) PopTo(p);
  } else if (name == "form") {
    // </form> generates implied end tags, then removes the form alone,
    // leaving what is above it open.
    if (Nearest("template") < 0) form_pointer_ = false;
    const int64_t p = Nearest("form");
    if (p >= 0 && p >= DefaultScope()) GenerateImpliedEndTags(/*with_rtc=*/true);
    if (p >= 0 && p == Depth() - 1) Pop();
    else if (p >= 0 && p >= DefaultScope() && Nearest("template") < 0) Unindex(p);
  } else if (name == "applet" || name == "marquee" || name == "object") {
    // gumbo 0.10.1 checks these in table scope, not the default scope.
    const int64_t p = Nearest(name);
    if (p >= 0 && p >= Top(table_scope_)) {
      PopTo(p);
      ClearToMarker();
    }
  } else if (flags & kScopedEnd) {
    const int64_t p = Nearest(name);
    const int64_t scope = name == "p"    ? ButtonScope()
                          : name == "li" ? ListItemScope()
                                         : DefaultScope();
    if (p >= 0 && p >= scope) {
      const bool marker = stack_[p].marker;
      PopTo(p);
      if (marker) ClearToMarker();  // </applet>, </marquee>, </object>
    } else if (name == "p") {
      return Leaf();  // </p> with no open p inserts an empty one
    }
  } else {
    AnyOtherEnd(name);
  }
  return true;
}

bool NestingScanner::Run() {
  const size_t n = html_.size();
  size_t i = 0;
  std::string name;
  while (i < n) {
    const size_t lt = html_.find('<', i);
    if (lt != i) {  // text
      tag_pos_ = i;
      const absl::string_view text =
          html_.substr(i, lt == absl::string_view::npos ? absl::string_view::npos : lt - i);
      if (!absl::StripAsciiWhitespace(text).empty()) {
        CloseColgroup();
        if (!stack_.empty() && stack_.back().head_noscript) Pop();
        in_head_ = false;
      }
      if (i >= push_only_end_ && !ChildrenForeign() && !Reconstruct()) return false;
      if (lt == absl::string_view::npos) break;
    }
    if (lt != i) after_empty_end_tag_ = false;
    i = lt;
    tag_pos_ = i;
    if (i + 1 >= n) break;
    const char c = html_[i + 1];
    // Whether this token directly follows a "</>", and whether it is one.
    poisoned_ = after_empty_end_tag_;
    after_empty_end_tag_ = c == '/' && i + 2 < n && html_[i + 2] == '>';
    if (c == '!') {
      // Where the scan reads raw text as markup (push_only_end_), "<!--" may
      // be text for gumbo: a comment to the end of the input would hide the
      // markup after the raw text ends ("<svg><title><style><!--a</style>"
      // then deep nesting; found by fuzz_html_reader). Read as text there,
      // the deeper reading.
      if (i < push_only_end_ && absl::StartsWith(html_.substr(i), "<!--")) {
        i += 4;
        continue;
      }
      size_t end;
      if (absl::StartsWith(html_.substr(i), "<!--")) {
        // The earliest end the tokenizer accepts: "<!-->", "<!--->", "-->", "--!>".
        const size_t body = i + 4;
        if (body < n && html_[body] == '>') {
          end = body;
        } else if (body + 1 < n && html_[body] == '-' && html_[body + 1] == '>') {
          end = body + 1;
        } else {
          const size_t a = html_.find("-->", body);
          const size_t b = html_.find("--!>", body);
          end = std::min(a == absl::string_view::npos ? a : a + 2,
                         b == absl::string_view::npos ? b : b + 3);
        }
      } else {
        end = html_.find('>', i);  // doctype, CDATA or a bogus comment
      }
      if (end == absl::string_view::npos) break;
      i = end + 1;
      continue;
    }
    if (c == '?') {
      const size_t end = html_.find('>', i);
      if (end == absl::string_view::npos) break;
      i = end + 1;
      continue;
    }
    const bool end_tag = c == '/';
    const size_t name_start = i + (end_tag ? 2 : 1);
    if (name_start >= n || !absl::ascii_isalpha(html_[name_start])) {
      if (end_tag) {  // "</>" is dropped, "</3" starts a bogus comment
        const size_t end = html_.find('>', i);
        if (end == absl::string_view::npos) break;
        i = end + 1;
      } else {  // "<" that starts no tag is text
        if (!ChildrenForeign() && !Reconstruct()) return false;
        i += 1;
      }
      continue;
    }
    size_t name_end = name_start;
    while (name_end < n && !IsTagSpace(html_[name_end]) && html_[name_end] != '/' &&
           html_[name_end] != '>') {
      ++name_end;
    }
    bool self_closing = false, font_breakout = false;
    const size_t tag_end = TagEnd(html_, name_end, &self_closing, &font_breakout);
    if (tag_end == absl::string_view::npos) break;  // a tag cut by the end is dropped
    name.assign(html_.data() + name_start, name_end - name_start);
    absl::AsciiStrToLower(&name);
    if (i < push_only_end_) {
      // Void, self-closing or not, a start tag may open an element here;
      // </p> and </br> insert one too.
      const int levels = end_tag ? (name == "p" || name == "br" ? 1 : 0)
                                 : (name == "isindex" ? 3 : 1);
      for (int l = 0; l < levels; ++l) {  // <isindex> is <form><label><input>
        Open open;
        open.key = name;
        if (!Push(std::move(open))) return false;
        Unindex(Depth() - 1);
      }
      i = tag_end + 1;
      continue;
    }
    if (end_tag) {
      if (!EndTag(name, /*bare=*/tag_end == name_end)) return false;
      i = tag_end + 1;
      continue;
    }
    const size_t raw_hash = absl::HashOf(html_.substr(i, tag_end + 1 - i));
    if (!StartTag(name, self_closing, font_breakout, raw_hash, tag_end, &i)) return false;
  }
  return true;
}

}  // namespace

absl::Status CheckHtmlNesting(absl::string_view html, const std::string& file_name,
                              const HtmlNestingLimits& limits) {
  NestingScanner scanner(html, limits);
  if (scanner.Run()) return absl::OkStatus();
  const size_t line = 1 + static_cast<size_t>(std::count(
                              html.begin(), html.begin() + scanner.error_pos(), '\n'));
  return absl::InvalidArgumentError(absl::StrCat(file_name, ":", line, ": ", scanner.error()));
}

std::string CdataAsComments(absl::string_view html) {
  std::string out;
  out.reserve(html.size() + 64);
  size_t at = 0;
  while (true) {
    const size_t open = html.find("<![CDATA[", at);
    if (open == absl::string_view::npos) break;
    absl::StrAppend(&out, html.substr(at, open - at), "<!--[CDATA[");
    const size_t close = html.find("]]>", open + 9);
    if (close == absl::string_view::npos) {  // runs to the end, as it would
      absl::StrAppend(&out, html.substr(open + 9));
      return out;
    }
    absl::StrAppend(&out, html.substr(open + 9, close - open - 9), "]]-->");
    at = close + 3;
  }
  absl::StrAppend(&out, html.substr(at));
  return out;
}

void DestroyGumboOutput(const GumboOptions* options, GumboOutput* output, size_t depth) {
  // Frames of gumbo 0.10.1's destroy_node measured well under 256 bytes.
  constexpr size_t kBytesPerLevel = 256;
  constexpr size_t kInPlaceDepth = 10000;  // ~2.5 MB: fits any thread's stack
  if (depth <= kInPlaceDepth) {
    gumbo_destroy_output(options, output);
    return;
  }
  struct Job {
    const GumboOptions* options;
    GumboOutput* output;
  } job{options, output};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  // Reserved, not committed: only the pages the recursion touches are used.
  pthread_attr_setstacksize(&attr, (depth + 1024) * kBytesPerLevel + (8u << 20));
  pthread_t thread;
  const int rc = pthread_create(
      &thread, &attr,
      [](void* arg) -> void* {
        auto* j = static_cast<Job*>(arg);
        gumbo_destroy_output(j->options, j->output);
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  if (rc == 0) {
    pthread_join(thread, nullptr);
    return;
  }
  // No thread: leaking the tree is better than crashing the process.
}

}  // namespace kgraph::ingest
