#include "nlp/conllu.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kgraph::nlp {
namespace {

std::string ColumnOrBlank(absl::string_view s) { return s.empty() ? "_" : std::string(s); }

bool SpaceAfterNo(absl::string_view misc) {
  for (absl::string_view item : absl::StrSplit(misc, '|')) {
    if (item == "SpaceAfter=No") return true;
  }
  return false;
}

// Offsets of each word in the sentence's text: the forms are found in order
// in "# text" (skipping whitespace); without a text line they are laid out
// from the forms and SpaceAfter.
void AssignOffsets(Sentence* s) {
  const bool have_text = !s->text.empty();
  std::string built;
  size_t pos = 0;
  for (Word& w : s->words) {
    if (have_text) {
      while (pos < s->text.size() && absl::ascii_isspace(s->text[pos])) ++pos;
      if (s->text.compare(pos, w.form.size(), w.form) == 0) {
        w.start = pos;
        w.end = pos + w.form.size();
        pos = w.end;
        continue;
      }
      // A form that is not spelled out in the text (a multi-word token's
      // part, or a normalized form): it gets the bytes up to the next
      // whitespace, at least one.
      size_t end = pos;
      while (end < s->text.size() && !absl::ascii_isspace(s->text[end])) ++end;
      w.start = pos;
      w.end = end > pos ? end : std::min(pos + 1, s->text.size());
      continue;
    }
    w.start = built.size();
    built += w.form;
    w.end = built.size();
    if (w.space_after) built += ' ';
  }
  if (!have_text) s->text = std::string(absl::StripTrailingAsciiWhitespace(built));
}

}  // namespace

absl::StatusOr<std::vector<Sentence>> ParseConllu(absl::string_view text,
                                                  const std::string& file_name) {
  std::vector<Sentence> out;
  Sentence current;
  // Multi-word token ranges: their parts take the range's SpaceAfter.
  int range_end = 0;
  bool range_space_after = true;
  int line_no = 0;
  auto finish = [&]() -> absl::Status {
    if (current.words.empty()) {
      current = Sentence();
      return absl::OkStatus();
    }
    const int n = static_cast<int>(current.words.size());
    for (const Word& w : current.words) {
      if (w.head < -1 || w.head > n) {
        return absl::InvalidArgumentError(absl::StrCat(
            file_name, ":", line_no, ": head ", w.head, " outside the sentence of ", n,
            " words"));
      }
    }
    AssignOffsets(&current);
    out.push_back(std::move(current));
    current = Sentence();
    range_end = 0;
    return absl::OkStatus();
  };
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::ConsumeSuffix(&line, "\r");
    if (line.empty()) {
      if (absl::Status s = finish(); !s.ok()) return s;
      continue;
    }
    if (line[0] == '#') {
      absl::string_view rest = absl::StripLeadingAsciiWhitespace(line.substr(1));
      if (absl::ConsumePrefix(&rest, "text =")) {
        current.text = std::string(absl::StripAsciiWhitespace(rest));
      } else if (absl::ConsumePrefix(&rest, "sent_id =")) {
        current.id = std::string(absl::StripAsciiWhitespace(rest));
      }
      continue;
    }
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    if (cols.size() != 10) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ":", line_no, ": expected 10 tab-separated columns, found ", cols.size()));
    }
    const absl::string_view id = cols[0];
    if (absl::StrContains(id, '.')) continue;  // empty node
    if (const size_t dash = id.find('-'); dash != absl::string_view::npos) {
      int last = 0;
      if (!absl::SimpleAtoi(id.substr(dash + 1), &last)) {
        return absl::InvalidArgumentError(
            absl::StrCat(file_name, ":", line_no, ": bad token range '", id, "'"));
      }
      range_end = last;
      range_space_after = !SpaceAfterNo(cols[9]);
      continue;
    }
    int index = 0;
    if (!absl::SimpleAtoi(id, &index) ||
        index != static_cast<int>(current.words.size()) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ":", line_no, ": word id '", id, "' where ",
          current.words.size() + 1, " was expected"));
    }
    Word w;
    w.form = std::string(cols[1]);
    w.lemma = std::string(cols[2]);
    w.upos = std::string(cols[3]);
    w.xpos = std::string(cols[4]);
    w.feats = std::string(cols[5]);
    if (cols[6] == "_") {
      w.head = -1;
    } else if (!absl::SimpleAtoi(cols[6], &w.head)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_no, ": bad head '", cols[6], "'"));
    }
    w.deprel = cols[7] == "_" ? "" : std::string(cols[7]);
    w.misc = std::string(cols[9]);
    if (index < range_end) {
      w.space_after = false;
    } else if (index == range_end) {
      w.space_after = range_space_after;
    } else {
      w.space_after = !SpaceAfterNo(cols[9]);
    }
    current.words.push_back(std::move(w));
  }
  if (absl::Status s = finish(); !s.ok()) return s;
  return out;
}

absl::StatusOr<std::vector<Sentence>> ReadConllu(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
  return ParseConllu(buffer.str(), path);
}

std::string FormatConllu(const Sentence& sentence) {
  std::string out;
  if (!sentence.id.empty()) absl::StrAppend(&out, "# sent_id = ", sentence.id, "\n");
  if (!sentence.text.empty()) absl::StrAppend(&out, "# text = ", sentence.text, "\n");
  for (size_t i = 0; i < sentence.words.size(); ++i) {
    const Word& w = sentence.words[i];
    std::string misc = w.misc.empty() ? "_" : w.misc;
    if (!w.space_after && !absl::StrContains(misc, "SpaceAfter=No")) {
      misc = misc == "_" ? "SpaceAfter=No" : absl::StrCat(misc, "|SpaceAfter=No");
    }
    absl::StrAppend(&out, i + 1, "\t", ColumnOrBlank(w.form), "\t", ColumnOrBlank(w.lemma), "\t",
                    ColumnOrBlank(w.upos), "\t", ColumnOrBlank(w.xpos), "\t",
                    ColumnOrBlank(w.feats), "\t",
                    w.head < 0 ? std::string("_") : absl::StrCat(w.head), "\t",
                    ColumnOrBlank(w.deprel), "\t_\t", misc, "\n");
  }
  out += "\n";
  return out;
}

}  // namespace kgraph::nlp
