#include "nlp/token_alignment.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace kgraph::nlp {
namespace {

bool IsSpaceByte(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' ||
         ch == '\v';
}

// Skips ASCII whitespace and U+00A0 / U+3000 style spaces that the CoNLL 2018
// script's str.isspace() would also remove.
size_t SpaceLength(const std::string& s, size_t i) {
  const unsigned char b = static_cast<unsigned char>(s[i]);
  if (IsSpaceByte(s[i])) return 1;
  if (b == 0xC2 && i + 1 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0)
    return 2;
  if (b == 0xE2 && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const unsigned char c = static_cast<unsigned char>(s[i + 2]);
    if ((c >= 0x80 && c <= 0x8A) || c == 0xA8 || c == 0xA9 || c == 0xAF)
      return 3;
  }
  if (b == 0xE3 && i + 2 < s.size() &&
      static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x80)
    return 3;
  return 0;
}

struct Span {
  size_t start = 0;
  size_t end = 0;
  WordRef ref;
};

// Words' spans over the whitespace-free concatenation, which goes to `chars`.
std::vector<Span> Spans(const std::vector<Sentence>& sentences,
                        std::string& chars) {
  std::vector<Span> spans;
  for (size_t s = 0; s < sentences.size(); ++s) {
    const auto& words = sentences[s].words;
    for (size_t w = 0; w < words.size(); ++w) {
      Span span;
      span.ref = WordRef{s, w};
      span.start = chars.size();
      const std::string& f = words[w].form;
      for (size_t i = 0; i < f.size();) {
        if (size_t n = SpaceLength(f, i); n > 0) {
          i += n;
          continue;
        }
        chars += f[i++];
      }
      span.end = chars.size();
      spans.push_back(span);
    }
  }
  return spans;
}

std::string Context(const std::string& s, size_t at) {
  const size_t from = at < 10 ? 0 : at - 10;
  return s.substr(from, 30);
}

}  // namespace

double F1(size_t matched, size_t system, size_t gold) {
  if (matched == 0 || system + gold == 0) return 0.0;
  return 2.0 * static_cast<double>(matched) /
         static_cast<double>(system + gold);
}

double TokenAlignment::WordPrecision() const {
  return system_words == 0 ? 0.0
                           : static_cast<double>(matched_words) / system_words;
}
double TokenAlignment::WordRecall() const {
  return gold_words == 0 ? 0.0
                         : static_cast<double>(matched_words) / gold_words;
}
double TokenAlignment::WordF1() const {
  return F1(matched_words, system_words, gold_words);
}
double TokenAlignment::SentenceF1() const {
  return F1(matched_sentences, system_sentences, gold_sentences);
}

absl::StatusOr<TokenAlignment> AlignTokens(const std::vector<Sentence>& system,
                                           const std::vector<Sentence>& gold) {
  std::string system_chars, gold_chars;
  const std::vector<Span> sys = Spans(system, system_chars);
  const std::vector<Span> gld = Spans(gold, gold_chars);
  if (system_chars != gold_chars) {
    const size_t at = static_cast<size_t>(
        std::mismatch(system_chars.begin(),
                      system_chars.begin() +
                          std::min(system_chars.size(), gold_chars.size()),
                      gold_chars.begin())
            .first -
        system_chars.begin());
    return absl::InvalidArgumentError(absl::StrCat(
        "system and gold texts differ at non-space byte ", at, ": system '",
        Context(system_chars, at), "', gold '", Context(gold_chars, at), "'"));
  }
  TokenAlignment a;
  a.system_words = sys.size();
  a.gold_words = gld.size();
  size_t i = 0, j = 0;
  while (i < sys.size() && j < gld.size()) {
    const Span& s = sys[i];
    const Span& g = gld[j];
    if (s.start == g.start && s.end == g.end && s.end > s.start) {
      a.pairs.emplace_back(s.ref, g.ref);
      ++i;
      ++j;
    } else if (s.end < g.end) {
      ++i;
    } else if (g.end < s.end) {
      ++j;
    } else {  // same end, different starts: neither can match later words
      ++i;
      ++j;
    }
  }
  a.matched_words = a.pairs.size();

  // Sentence spans, from their words' spans; empty sentences never match.
  auto sentence_spans = [](const std::vector<Sentence>& sentences,
                           const std::vector<Span>& spans) {
    std::vector<std::pair<size_t, size_t>> out;
    size_t k = 0;
    for (const Sentence& s : sentences) {
      if (s.words.empty()) {
        out.emplace_back(1, 0);
        continue;
      }
      const size_t first = k;
      k += s.words.size();
      out.emplace_back(spans[first].start, spans[k - 1].end);
    }
    return out;
  };
  const auto ss = sentence_spans(system, sys);
  const auto gs = sentence_spans(gold, gld);
  a.system_sentences = ss.size();
  a.gold_sentences = gs.size();
  i = j = 0;
  while (i < ss.size() && j < gs.size()) {
    if (ss[i].first > ss[i].second) {
      ++i;
    } else if (gs[j].first > gs[j].second) {
      ++j;
    } else if (ss[i] == gs[j]) {
      if (ss[i].second > ss[i].first) ++a.matched_sentences;
      ++i;
      ++j;
    } else if (ss[i].second < gs[j].second) {
      ++i;
    } else if (gs[j].second < ss[i].second) {
      ++j;
    } else {
      ++i;
      ++j;
    }
  }
  return a;
}

}  // namespace kgraph::nlp
