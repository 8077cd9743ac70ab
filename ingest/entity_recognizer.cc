#include "ingest/entity_recognizer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "model/name_key.h"

namespace kgraph::ingest {

struct EntityRecognizer::Context {
  absl::string_view text;
  const std::vector<Token>& tokens;
  const std::vector<SentenceSpan>& sentences;
  // Words the document also writes in lowercase: capitalized at a sentence
  // start they are ordinary words. Views of the tokens' folded forms: the
  // tokens outlive the context, and copying every word was measurable.
  absl::flat_hash_set<std::string_view> lowercase_words;
  // Words the document capitalizes inside sentences: names even where a
  // dictionary calls them ordinary words ("Meta", "Shell").
  absl::flat_hash_set<std::string_view> midsentence_caps;
  // Acronyms of common-noun phrases ("Mixture-of-Experts (MoE)").
  absl::flat_hash_set<std::string> blocked;
  std::vector<NameMention> mentions;
};

namespace {

bool IsWord(const Token& t) { return t.kind == TokenKind::kWord; }

bool HasLowercaseHyphenPart(const Token& t) {
  size_t pos = 0;
  while ((pos = t.norm.find('-', pos)) != std::string::npos) {
    ++pos;
    if (pos < t.norm.size() && t.norm[pos] >= 'a' && t.norm[pos] <= 'z') {
      return true;
    }
  }
  return false;
}

// A mention of tokens [first, last) of sentence `sentence`, with its surface
// read from the tokens.
NameMention SpanMention(const std::vector<Token>& tokens, size_t first, size_t last,
                        size_t sentence, std::string type = "",
                        CueStrength strength = kGuess) {
  NameMention m;
  m.first = first;
  m.last = last;
  m.sentence = sentence;
  m.surface = TokenSurface(tokens, first, last);
  m.type = std::move(type);
  m.strength = strength;
  return m;
}

std::string JoinFolded(const std::vector<Token>& tokens, size_t first,
                       size_t last) {
  std::string out;
  for (size_t i = first; i < last; ++i) {
    if (i > first) out += ' ';
    out += tokens[i].folded;
  }
  return out;
}

// Letters of an acronym match the initials of the words before it.
bool IsAcronymOfWords(const std::string& acronym,
                      const std::vector<std::string>& words) {
  std::string initials;
  for (const std::string& w : words) {
    size_t start = 0;
    while (start <= w.size()) {
      size_t dash = w.find('-', start);
      std::string part = w.substr(start, dash == std::string::npos
                                             ? std::string::npos
                                             : dash - start);
      if (!part.empty()) initials += part[0];
      if (dash == std::string::npos) break;
      start = dash + 1;
    }
  }
  return initials.size() >= acronym.size() &&
         initials.compare(initials.size() - acronym.size(), acronym.size(),
                          acronym) == 0;
}


// --- MISC: times, dates, percentages and measures ---------------------------
// CoNLL-style "Other" entities that are reliably written one way: "0200 GMT",
// "21 Feb 94", "26 June", "42 percent", "1, 400 acres", and a month
// abbreviation with its period ("Dec."). Bare month names, weekdays, years and
// money are left alone (annotated too inconsistently to be worth guessing).
bool IsDigits(const Token& t) {
  if (t.norm.empty()) return false;
  for (char c : t.norm) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsNumberToken(const Token& t) {
  return t.kind == TokenKind::kNumber || IsDigits(t);
}

std::string StripPeriod(const std::string& s) {
  return !s.empty() && s.back() == '.' ? s.substr(0, s.size() - 1) : s;
}

bool IsMonthName(const std::string& folded) {
  static const absl::flat_hash_set<std::string>* const kMonths =
      new absl::flat_hash_set<std::string>{
          "january", "february", "march",     "april",   "may",
          "june",    "july",     "august",    "september", "october",
          "november", "december", "jan",      "feb",     "mar",
          "apr",     "jun",      "jul",       "aug",     "sep",
          "sept",    "oct",      "nov",       "dec"};
  return kMonths->contains(StripPeriod(folded));
}

// "Dec." / "Sept.": an abbreviated month written with its period.
bool IsMonthAbbreviation(const Token& t) {
  static const absl::flat_hash_set<std::string>* const kAbbr =
      new absl::flat_hash_set<std::string>{"jan.", "feb.", "mar.",  "apr.",
                                           "aug.", "sep.", "sept.", "oct.",
                                           "nov.", "dec."};
  return t.cap && kAbbr->contains(t.folded);
}

bool IsMeasureWord(const std::string& folded) {
  static const absl::flat_hash_set<std::string>* const kUnits =
      new absl::flat_hash_set<std::string>{
          "percent", "mph",   "miles",  "mile",   "acres",  "acre",
          "yards",   "feet",  "inches", "hectares", "tonnes", "tons",
          "kilometers", "kilometres", "km"};
  return kUnits->contains(folded);
}

// Length of a number written "10, 000" / "1,400" / "4.5" starting at i.
size_t MatchNumber(const std::vector<Token>& tokens, size_t i, size_t end) {
  if (i >= end || !IsNumberToken(tokens[i])) return 0;
  size_t j = i + 1;
  while (j + 1 < end && tokens[j].norm == "," && IsDigits(tokens[j + 1]) &&
         tokens[j + 1].norm.size() == 3) {
    j += 2;
  }
  return j - i;
}

// Returns the MISC spans [first, last) of tokens[begin, end).
std::vector<std::pair<size_t, size_t>> FindMiscSpans(
    const std::vector<Token>& tokens, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = begin;
  while (i < end) {
    const Token& t = tokens[i];
    // "0200 GMT"
    if (IsDigits(t) && t.norm.size() == 4 && i + 1 < end &&
        tokens[i + 1].norm == "GMT") {
      out.emplace_back(i, i + 2);
      i += 2;
      continue;
    }
    // "21 Feb 94", "26 June", "15 March 1994"
    if (IsDigits(t) && t.norm.size() <= 2 && i + 1 < end &&
        tokens[i + 1].cap && IsMonthName(tokens[i + 1].folded)) {
      size_t last = i + 2;
      if (last < end && IsDigits(tokens[last]) &&
          (tokens[last].norm.size() == 2 || tokens[last].norm.size() == 4)) {
        ++last;
      }
      out.emplace_back(i, last);
      i = last;
      continue;
    }
    // "42 percent", "1, 400 acres", "100 mph"
    if (size_t n = MatchNumber(tokens, i, end);
        n > 0 && i + n < end && IsMeasureWord(tokens[i + n].folded)) {
      out.emplace_back(i, i + n + 1);
      i += n + 1;
      continue;
    }
    if (size_t n = MatchNumber(tokens, i, end); n > 0) {
      i += n;
      continue;
    }
    // "Dec."
    if (IsMonthAbbreviation(t)) {
      out.emplace_back(i, i + 1);
    }
    ++i;
  }
  return out;
}
}  // namespace

bool EntityRecognizer::IsNameToken(const Token& t) const {
  if (!IsWord(t)) return false;
  if (!t.cap && !t.inner_upper) return false;
  if (HasLowercaseHyphenPart(t)) return false;
  if (gaz_.Contains(WordList::kNonEntity, t.folded)) return false;
  // "LD0303083794", "PY2712122793": wire-service message codes, never in a
  // name; model numbers have fewer digits ("A320neo", "RTX 5090").
  if (t.has_digit && std::count_if(t.norm.begin(), t.norm.end(), [](char c) {
                       return c >= '0' && c <= '9';
                     }) >= 6) {
    return false;
  }
  // "Oct." / "Sept." abbreviate non-entity words too.
  if (t.folded.size() > 2 && t.folded.back() == '.' &&
      gaz_.Contains(WordList::kNonEntity,
                    absl::string_view(t.folded).substr(0, t.folded.size() - 1))) {
    return false;
  }
  return true;
}

bool EntityRecognizer::IsHeadline(const std::vector<Token>& tokens,
                                  const SentenceSpan& s) const {
  int words = 0, caps = 0;
  for (size_t i = s.begin; i < s.end; ++i) {
    const Token& t = tokens[i];
    if (!IsWord(t) || t.has_digit) continue;
    // Short function words stay lowercase in Title Case.
    if (!t.cap && t.norm.size() <= 3) continue;
    ++words;
    if (t.cap || t.all_caps) ++caps;
  }
  if (words < 3 || caps * 10 < words * 8) return false;
  // Headlines carry no final period; a capitalized sentence that ends with
  // one is a run of names ("John Smith was born in Toledo, Ohio.").
  const Token& last = tokens[s.end - 1];
  bool all_caps = true;
  for (size_t i = s.begin; i < s.end; ++i) {
    if (IsWord(tokens[i]) && !tokens[i].has_digit && tokens[i].norm.size() > 3 &&
        !tokens[i].all_caps) {
      all_caps = false;
    }
  }
  // An abbreviation that ends the sentence took its period ("... acquired
  // by Holtby Systems Inc.").
  const bool final_period = (last.kind == TokenKind::kPunct && last.norm == ".") ||
                            (IsWord(last) && last.norm.size() > 1 && last.norm.back() == '.');
  return all_caps || !final_period;
}

size_t EntityRecognizer::ParenthesizedLegalEnd(const std::vector<Token>& tokens, size_t k,
                                               size_t end) const {
  if (k + 3 < end && tokens[k].kind == TokenKind::kPunct && tokens[k].norm == "(" &&
      IsNameToken(tokens[k + 1]) && tokens[k + 2].norm == ")" &&
      gaz_.Contains(WordList::kLegalForm, tokens[k + 3].folded) &&
      (k + 4 >= end || !IsNameToken(tokens[k + 4]))) {
    return k + 4;
  }
  return k;
}

bool EntityRecognizer::IsStarterWord(const Token& t) const {
  return gaz_.Contains(WordList::kSentenceStarter, t.folded) || absl::EndsWith(t.folded, "ly");
}

size_t EntityRecognizer::PossessiveLegalEnd(const std::vector<Token>& tokens, size_t k,
                                            size_t end) const {
  if (k + 1 >= end || tokens[k].kind != TokenKind::kPossessive) return k;
  size_t e = k + 1;
  while (e < end && e < k + 3 && IsWord(tokens[e]) && tokens[e].cap &&
         gaz_.Contains(WordList::kLegalForm, tokens[e].folded)) {
    ++e;
  }
  if (e == k + 1 || (e < end && IsNameToken(tokens[e]))) return k;
  return e;
}

size_t EntityRecognizer::MatchTitle(const std::vector<Token>& tokens, size_t i,
                                    size_t end) const {
  size_t listed = 0;
  for (size_t n = std::min<size_t>(gaz_.max_title_words(), end - i); n > 0;
       --n) {
    if (gaz_.Contains(WordList::kPersonTitle, JoinFolded(tokens, i, i + n))) {
      listed = n;
      break;
    }
  }
  // Titles the list does not spell out: a modifier or "chief", more of them
  // or department words, then a one-word title ("Chief Accounting Officer",
  // "Senior Vice President"; not "Social Affairs Minister", whose first
  // words may be the country's or the ministry's).
  size_t k = i;
  const bool opens = i < end && IsWord(tokens[i]) &&
                     (gaz_.Contains(WordList::kTitleModifier, tokens[i].folded) ||
                      tokens[i].folded == "chief");
  while (opens && k < end && k < i + 5 && IsWord(tokens[k]) &&
         (gaz_.Contains(WordList::kTitleModifier, tokens[k].folded) ||
          gaz_.Contains(WordList::kDepartmentWord, tokens[k].folded) ||
          tokens[k].folded == "chief")) {
    ++k;
  }
  const size_t composed = k > i && k < end && gaz_.Contains(WordList::kPersonTitle, tokens[k].folded)
                              ? k + 1 - i
                              : 0;
  return std::max(listed, composed);
}

// "Veracruz, Acapulco, Torreon, Puebla and Merida": untyped names in a
// list that is mostly places are places. A list runs through commas and a
// final "and"/"or"; commas alone make none ("in Davos, Bessent said",
// "in Beaumont, Texas, Richardson's hometown"). Places must outnumber the
// untyped names, which are single words, and nothing else may be listed:
// "Kenmore, Craftsman and DieHard" and "Oldsmobile, Pontiac and Buick" are
// brands beside a town's name.
void EntityRecognizer::TypeListedPlaces(Context& ctx) const {
  auto& ms = ctx.mentions;
  const auto& tokens = ctx.tokens;
  // How a is joined to the next mention b: 0 not, 1 by a comma, 2 by
  // "and"/"or" (with or without a comma).
  auto joined = [&](const NameMention& a, const NameMention& b) {
    if (a.sentence != b.sentence || a.last >= b.first || b.first - a.last > 2) return 0;
    const Token& sep = tokens[a.last];
    auto conj = [](const Token& t) { return t.folded == "and" || t.folded == "or"; };
    if (b.first - a.last == 1) return sep.norm == "," ? 1 : conj(sep) ? 2 : 0;
    return sep.norm == "," && conj(tokens[a.last + 1]) ? 2 : 0;
  };
  auto place = [](const NameMention& m) { return m.type == "GPE" && m.strength == kStrong; };
  auto untyped = [](const NameMention& m) {
    return (m.type == "PERSON" || m.type == "ORG") && m.strength <= kWeak && m.last - m.first == 1;
  };
  for (size_t b = 0; b < ms.size();) {
    size_t e = b + 1;
    bool conj = false;
    while (e < ms.size()) {
      const int j = joined(ms[e - 1], ms[e]);
      if (j == 0) break;
      conj |= j == 2;
      ++e;
    }
    size_t places = 0, loose = 0, other = 0;
    for (size_t i = b; i < e; ++i) {
      places += place(ms[i]);
      loose += untyped(ms[i]);
      other += !place(ms[i]) && !untyped(ms[i]);
    }
    if (conj && other == 0 && loose > 0 && places > loose) {
      for (size_t i = b; i < e; ++i) {
        if (!untyped(ms[i])) continue;
        ms[i].type = "GPE";
        ms[i].strength = kContext;
      }
    }
    b = e;
  }
}

std::vector<NameMention> EntityRecognizer::Recognize(
    absl::string_view text, const std::vector<Token>& tokens,
    const std::vector<SentenceSpan>& sentences) const {
  Context ctx{text, tokens, sentences, {}, {}, {}, {}};
  for (const Token& t : tokens) {
    if (IsWord(t) && !t.cap && !t.inner_upper) ctx.lowercase_words.insert(t.folded);
  }
  for (const SentenceSpan& s : sentences) {
    bool first = true;
    for (size_t i = s.begin; i < s.end; ++i) {
      const Token& t = tokens[i];
      if (!IsWord(t)) continue;
      if (!first && t.cap && i > s.begin && tokens[i - 1].norm != "\"" &&
          tokens[i - 1].norm != ":") {
        ctx.midsentence_caps.insert(t.folded);
      }
      first = false;
    }
  }
  std::vector<size_t> headlines;
  for (size_t s = 0; s < sentences.size(); ++s) {
    if (IsHeadline(tokens, sentences[s])) {
      headlines.push_back(s);
    } else {
      RecognizeSentence(ctx, s);
    }
  }
  TypeListedPlaces(ctx);
  for (size_t s : headlines) RecognizeHeadline(ctx, s);
  // MISC spans replace any name mention they overlap ("GMT" is no ORG).
  {
    std::vector<NameMention> misc;
    for (size_t si = 0; si < sentences.size(); ++si) {
      for (auto [first, last] :
           FindMiscSpans(tokens, sentences[si].begin, sentences[si].end)) {
        misc.push_back(SpanMention(tokens, first, last, si, "MISC", kStrong));
      }
    }
    if (!misc.empty()) {
      std::vector<bool> covered(tokens.size(), false);
      for (const NameMention& m : misc) {
        for (size_t k = m.first; k < m.last; ++k) covered[k] = true;
      }
      std::vector<NameMention> kept;
      kept.reserve(ctx.mentions.size() + misc.size());
      for (NameMention& m : ctx.mentions) {
        bool overlaps = false;
        for (size_t k = m.first; k < m.last && !overlaps; ++k) {
          overlaps = covered[k];
        }
        if (!overlaps) kept.push_back(std::move(m));
      }
      for (NameMention& m : misc) kept.push_back(std::move(m));
      ctx.mentions = std::move(kept);
    }
  }
  std::stable_sort(ctx.mentions.begin(), ctx.mentions.end(),
                   [](const NameMention& a, const NameMention& b) {
                     return a.first < b.first;
                   });
  // Drop mentions of blocked acronyms wherever they occur.
  std::vector<NameMention> out;
  out.reserve(ctx.mentions.size());
  for (NameMention& m : ctx.mentions) {
    if (ctx.blocked.contains(m.surface)) continue;
    out.push_back(std::move(m));
  }
  // alias_of was an index into ctx.mentions before sorting; it is recomputed
  // by the caller from adjacency, so clear stale values here.
  for (NameMention& m : out) m.alias_of = -1;
  // "Tupelo, Miss.", "Vienna, Austria": a place qualified by the next one;
  // not in a list of places ("Paris, London and Rome", "Dallas, Houston,
  // Austin": another place follows the second after "and" or a comma).
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    NameMention& cur = out[i];
    const NameMention& next = out[i + 1];
    if (cur.type != "GPE" || next.type != "GPE" || cur.is_country ||
        next.first != cur.last + 1 || tokens[cur.last].norm != ",") {
      continue;
    }
    if (i + 2 < out.size() && out[i + 2].type == "GPE" && out[i + 2].first == next.last + 1) {
      const Token& sep = tokens[next.last];
      if (sep.norm == "," || sep.folded == "and" || sep.folded == "or") continue;
    }
    cur.qualified = std::string(text.substr(
        tokens[cur.first].start, tokens[next.last - 1].end - tokens[cur.first].start));
  }
  for (size_t i = 1; i < out.size(); ++i) {
    // "Name (ACRONYM)": the parenthesized single token abbreviates the name.
    const NameMention& prev = out[i - 1];
    NameMention& cur = out[i];
    if (cur.first == prev.last + 1 && cur.last + 1 <= tokens.size() &&
        cur.last - cur.first == 1 && tokens[prev.last].norm == "(" &&
        cur.last < tokens.size() && tokens[cur.last].norm == ")" &&
        // "(TeleAI)" abbreviates the name; "Ohio (AP)" is a dateline.
        (prev.type != "GPE" || cur.type == "GPE")) {
      cur.alias_of = static_cast<int>(i - 1);
      // "CBOE Volatility Index (VIX)": the acronym of an index is one too
      // (not an agency after a date: "Cairo, 2 May (MENA)").
      bool dated = false;
      for (size_t k = prev.first; k < prev.last; ++k) dated |= tokens[k].has_digit;
      if (prev.type == "MISC" && !dated && cur.strength <= kWeak) cur.type = "MISC";
    }
    // "ACRONYM (Full Name)": the full name in parentheses after an acronym.
    if (cur.first == prev.last + 1 && prev.last - prev.first == 1 &&
        tokens[prev.first].all_caps && cur.last - cur.first >= 2 &&
        tokens[prev.last].norm == "(" && cur.last < tokens.size() &&
        tokens[cur.last].norm == ")" && cur.type != "PERSON") {
      cur.alias_of = static_cast<int>(i - 1);
    }
  }
  return out;
}

void EntityRecognizer::RecognizeSentence(Context& ctx, size_t si) const {
  const auto& tokens = ctx.tokens;
  const SentenceSpan& s = ctx.sentences[si];
  // The first word of a sentence is capitalized anyway.
  size_t first_word = s.begin;
  while (first_word < s.end && !IsWord(tokens[first_word])) ++first_word;
  size_t i = s.begin;
  bool in_quote = false;
  size_t quote_toggle_at = s.begin;
  auto update_quote = [&](size_t upto) {
    for (; quote_toggle_at < upto; ++quote_toggle_at) {
      if (tokens[quote_toggle_at].kind == TokenKind::kPunct &&
          tokens[quote_toggle_at].norm == "\"") {
        in_quote = !in_quote;
      }
    }
  };
  bool declined_first = false;  // the first word is an ordinary word, not a name
  while (i < s.end) {
    const Token& t = tokens[i];
    update_quote(i);
    bool start_ok = IsNameToken(t) && !(t.folded[0] >= '0' && t.folded[0] <= '9');
    if (start_ok && i == first_word && !t.all_caps && !t.inner_upper) {
      bool common = (gaz_.Contains(WordList::kCommonWord, t.folded) &&
                     !ctx.midsentence_caps.contains(t.folded)) ||
                    gaz_.Contains(WordList::kSentenceStarter, t.folded) ||
                    ctx.lowercase_words.contains(t.folded);
      // "Kestrel Motors", "Meridian Securities": a dictionary word that
      // starts an organization name.
      if (common && !gaz_.Contains(WordList::kSentenceStarter, t.folded)) {
        bool org_follows = false;
        size_t k = i + 1;
        for (; k < s.end && k < i + 5 && IsNameToken(tokens[k]); ++k) {
          org_follows |= gaz_.Contains(WordList::kOrgSuffix, tokens[k].folded) ||
                         gaz_.Contains(WordList::kOrgWord, tokens[k].folded);
        }
        // "Impulse Monitoring, Inc. provides ...".
        org_follows |= k > i + 1 && k + 1 < s.end && tokens[k].norm == "," &&
                       gaz_.Contains(WordList::kLegalForm, tokens[k + 1].folded);
        // "Kestrel (U.K.) Ltd said", "Marlow's Corp said".
        org_follows |= ParenthesizedLegalEnd(tokens, k, s.end) > k ||
                       PossessiveLegalEnd(tokens, k, s.end) > k;
        if (org_follows) common = false;
      }
      if (common && gaz_.FindPlace(t.norm) == nullptr) {
        start_ok = false;
        // A function word or adverb ("Earlier", "Separately") is never part
        // of the name after it; another dictionary word may be ("Range
        // Rover of North America Inc"), and the model may say so.
        declined_first = IsStarterWord(t);
      }
    }
    if (start_ok && gaz_.Contains(WordList::kCommonWord, t.folded) &&
        !t.all_caps && i + 1 < s.end && !IsNameToken(tokens[i + 1])) {
      // Lone capitalized common words after a colon or quote.
      if (i > s.begin && (tokens[i - 1].norm == "\"" ||
                          tokens[i - 1].norm == ":")) {
        start_ok = false;
      }
    }
    if (!start_ok) {
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool has_org_word = gaz_.Contains(WordList::kOrgWord, t.folded);
    bool after_of = false;  // the run passed "of", "for" or "on" after an organization word
    bool and_co = false;    // the run ended "and Co"
    while (j < s.end) {
      const Token& u = tokens[j];
      // "SELECTED FINANCIAL DATA On March 23, ...": an all-caps heading
      // with no period before the sentence's first word.
      if (IsWord(u) && u.cap && !u.all_caps && tokens[j - 1].all_caps &&
          tokens[j - 1].norm.size() > 1 &&
          gaz_.Contains(WordList::kSentenceStarter, u.folded)) {
        break;
      }
      if (IsNameToken(u) || (IsWord(u) && u.has_digit && !u.cap &&
                             u.inner_upper)) {
        has_org_word |= gaz_.Contains(WordList::kOrgWord, u.folded);
        ++j;
        continue;
      }
      // An organization's name also goes on through "on" and through "the"
      // after a connector: "Committee on Veterans Affairs", "Foundation for
      // the Advancement of Teaching".
      const bool org_on = has_org_word && IsWord(u) && u.folded == "on";
      if (IsWord(u) && (org_on || gaz_.Contains(WordList::kConnector, u.folded))) {
        // A run of connectors ("von der") must lead to another name word.
        size_t k = j;
        while (k < s.end && k < j + 3 && IsWord(tokens[k]) && !tokens[k].cap &&
               ((k == j && org_on) || gaz_.Contains(WordList::kConnector, tokens[k].folded) ||
                (k > j && has_org_word && tokens[k].folded == "the"))) {
          ++k;
        }
        if (k >= s.end || !IsNameToken(tokens[k])) break;
        bool of_like = u.folded == "of" || u.folded == "for" || org_on;
        // A title goes on through "of" ("Deputy Secretary of State John
        // Whitehead"): the title split cuts the run.
        bool title_on = false;
        for (size_t t0 = i; t0 < j && !title_on; ++t0) title_on = t0 + MatchTitle(tokens, t0, s.end) > j;
        if (of_like && !has_org_word && !title_on &&
            !gaz_.Contains(WordList::kGpeNoun, tokens[j - 1].folded)) {
          break;
        }
        after_of |= of_like && has_org_word;
        j = k + 1;
        continue;
      }
      // "Department of Health and Human Services": after "of" in an
      // organization's name, "and" joins ordinary words; a name of its own
      // ends it ("Department of Justice and Microsoft" are two).
      // A place after "of" ends the name: "Bank of Boston and Dollar Savings
      // Bank" are two.
      if (after_of && IsWord(u) && !u.cap && u.folded == "and" &&
          gaz_.FindPlace(tokens[j - 1].norm) == nullptr) {
        size_t k = j + 1;
        while (k < s.end && IsNameToken(tokens[k]) &&
               gaz_.Contains(WordList::kCommonWord, tokens[k].folded)) {
          ++k;
        }
        if (k > j + 1 && (k >= s.end || !IsNameToken(tokens[k]))) {
          j = k;
          continue;
        }
      }
      // "Croatian People's Party", "Workers' Party": a possessive after a
      // plural noun that names a membership stays in the name when a name
      // word follows.
      if (u.kind == TokenKind::kPossessive && j + 1 < s.end && IsNameToken(tokens[j + 1]) &&
          gaz_.Contains(WordList::kPossessiveNameWord, tokens[j - 1].folded)) {
        j += 2;
        continue;
      }
      // "McDonald's Corp", "Scotty's Inc": a possessive before the legal
      // form that ends the name (a legal form names no company on its own).
      if (const size_t e = PossessiveLegalEnd(tokens, j, s.end); e > j) {
        j = e;
        has_org_word = true;
        break;
      }
      // "Sony (U.K.) Ltd", "Unilever (Holdings) Plc": a parenthesized
      // word between a name and the legal form that ends it.
      if (const size_t e = ParenthesizedLegalEnd(tokens, j, s.end); e > j) {
        j = e;
        has_org_word = true;
        break;
      }
      // "OrPower 4, Inc.", "Fund 3 LP": a number inside a company's name,
      // when a legal form follows it (not any company word: "mid-December
      // 1986 Bank of America").
      if (u.kind == TokenKind::kNumber && j + 1 < s.end &&
          (gaz_.Contains(WordList::kLegalForm, tokens[j + 1].folded) ||
           (tokens[j + 1].norm == "," && j + 2 < s.end &&
            gaz_.Contains(WordList::kLegalForm, tokens[j + 2].folded)))) {
        ++j;
        continue;
      }
      // "Wells Fargo Bank, National Association": a legal form of two words.
      if (u.kind == TokenKind::kPunct && u.norm == "," && j + 2 < s.end &&
          tokens[j + 1].cap && tokens[j + 2].cap &&
          gaz_.Contains(WordList::kLegalForm, JoinFolded(tokens, j + 1, j + 3)) &&
          (j + 3 >= s.end || !IsNameToken(tokens[j + 3]))) {
        j += 3;
        has_org_word = true;
        break;
      }
      // "Gilead Sciences, Inc.": a comma and a legal form that ends the
      // run belong to the company's name.
      if (u.kind == TokenKind::kPunct && u.norm == "," && j + 1 < s.end &&
          IsWord(tokens[j + 1]) && tokens[j + 1].cap &&
          gaz_.Contains(WordList::kLegalForm, tokens[j + 1].folded) &&
          (j + 2 >= s.end || !IsNameToken(tokens[j + 2]))) {
        j += 2;
        has_org_word = true;
        break;
      }
      if (u.kind == TokenKind::kPunct && u.norm == "&" && j + 1 < s.end &&
          IsNameToken(tokens[j + 1])) {
        j += 2;
        continue;
      }
      // "Malcolm O 'Neill": text tokenized the Penn Treebank way splits
      // O'Neill before its apostrophe.
      if (u.kind == TokenKind::kPunct && u.norm == "'" && j + 1 < s.end &&
          (tokens[j - 1].norm == "O" || tokens[j - 1].norm == "D") &&
          u.start > tokens[j - 1].end && tokens[j + 1].start == u.end &&
          IsNameToken(tokens[j + 1])) {
        j += 2;
        continue;
      }
      // "Northern and Eastern Shipping Plc", "K and M Bancorp": an "and"
      // inside an organization's name. The words before it are initials or
      // ordinary words (never a name of their own, so "Microsoft and Alphabet
      // Inc" stays two), and the name words after it end with an
      // organization suffix.
      // The same when the words after it are ordinary words that name no
      // one on their own ("Fountain Oil and Gas Inc", "Citizens Federal
      // Savings and Loan Association"): "Gas Inc" is no company's name.
      if (IsWord(u) && !u.cap && u.folded == "and" && j - i <= 3) {
        bool plain_left = true;
        for (size_t k = i; k < j; ++k) {
          const Token& w = tokens[k];
          const bool initial = w.norm.size() <= 2 && w.cap;
          plain_left &= initial || gaz_.Contains(WordList::kCommonWord, w.folded);
          plain_left &= !gaz_.Contains(WordList::kOrgSuffix, w.folded);
        }
        size_t k = j + 1;
        while (k < s.end && k < j + 6 && IsNameToken(tokens[k])) ++k;
        // "Standard and Poor's Corp".
        if (const size_t e = PossessiveLegalEnd(tokens, k, s.end); e > k) k = e;
        // ... and the word before "and" is one too ("Microsoft and Alphabet
        // Inc" are two).
        // One such word, and either the name ends in a legal form that the
        // words before "and" lack ("Fountain Oil and Gas Inc"; "Mutual Shares Corp and Mutual
        // Income Fund Inc" are two), or the word before "and" is an
        // ordinary word ("Savings and Loan Association"; "International
        // Monetary Fund and World Bank" are two).
        const Token& last_word = tokens[k - 1];
        const Token& left_word = tokens[j - 1];
        const bool left_legal = [&] {
          for (size_t r = i; r < j; ++r) {
            if (gaz_.Contains(WordList::kLegalForm, tokens[r].folded)) return true;
          }
          return false;
        }();
        bool plain_right =
            k == j + 3 &&
            ((gaz_.Contains(WordList::kLegalForm, last_word.folded) && !left_legal &&
              (gaz_.Contains(WordList::kCommonWord, left_word.folded) ||
               gaz_.Contains(WordList::kOrgSuffix, left_word.folded))) ||
             (gaz_.Contains(WordList::kCommonWord, left_word.folded) &&
              !gaz_.Contains(WordList::kOrgSuffix, left_word.folded)));
        for (size_t r = j + 1; r + 1 < k; ++r) {
          plain_right &= !tokens[r].all_caps && gaz_.Contains(WordList::kCommonWord, tokens[r].folded);
        }
        if (plain_left && k > j + 2 && gaz_.Contains(WordList::kOrgSuffix, last_word.folded)) {
          j = k;
          has_org_word = true;
          continue;
        }
        if (plain_right && (gaz_.Contains(WordList::kOrgSuffix, last_word.folded) ||
                            gaz_.Contains(WordList::kOrgWord, last_word.folded))) {
          j = k;
          has_org_word = true;
          continue;
        }
      }
      // "Laurie Milbank and Co", "Morgan Stanley and Co Inc": "and" before
      // the company word that ends the name.
      if (IsWord(u) && !u.cap && u.folded == "and" && j + 1 < s.end && tokens[j + 1].cap &&
          gaz_.Contains(WordList::kPartnershipWord, tokens[j + 1].folded) &&
          !gaz_.Contains(WordList::kOrgSuffix, tokens[j - 1].folded)) {
        size_t k = j + 2;
        while (k < s.end && k < j + 4 && gaz_.Contains(WordList::kLegalForm, tokens[k].folded)) ++k;
        if (k >= s.end || !IsNameToken(tokens[k])) {
          j = k;
          has_org_word = true;
          and_co = true;
          break;
        }
      }
      break;
    }
    // "Kidder, Peabody and Co", "Smith Barney, Harris Upham and Co": a
    // partnership's name lists its partners with commas; the name just
    // before the comma is the first of them, unless it is a place.
    if (and_co && i >= s.begin + 2 && tokens[i - 1].norm == "," && !ctx.mentions.empty()) {
      const NameMention& prev = ctx.mentions.back();
      if (prev.sentence == si && prev.last == i - 1 && prev.last - prev.first <= 2 &&
          prev.type != "GPE" && gaz_.FindPlace(prev.surface) == nullptr) {
        i = prev.first;
        ctx.mentions.pop_back();
      }
    }
    // The same when the words before "and" are no name words at all:
    // "Northern and Eastern Shipping Plc" ("northern" is never a name on
    // its own, so the run began at "Shipping").
    if (gaz_.Contains(WordList::kOrgSuffix, tokens[j - 1].folded)) {
      // (A sentence's first word is a name token by its capital alone:
      // "Standard and Poor's Corp said".)
      auto plain_cap = [&](const Token& w) {
        return IsWord(w) && w.cap &&
               (!IsNameToken(w) || (&w == &tokens[s.begin] && !IsStarterWord(w))) &&
               (gaz_.Contains(WordList::kCommonWord, w.folded) ||
                gaz_.Contains(WordList::kNonEntity, w.folded));
      };
      size_t b = i;
      while (b > s.begin && i - b < 2 && plain_cap(tokens[b - 1])) --b;
      if (b >= s.begin + 2 && IsWord(tokens[b - 1]) && tokens[b - 1].folded == "and" &&
          !tokens[b - 1].cap) {
        size_t a = b - 1;
        while (a > s.begin && (b - 1) - a < 3 && plain_cap(tokens[a - 1])) --a;
        const bool free = ctx.mentions.empty() || ctx.mentions.back().last <= a;
        if (a < b - 1 && free) i = a;
      }
    }
    // A legal form alone names no one ("Sony (U.K.) Ltd": the parenthesis
    // cut the name), nor does a letter beside "and" ("S and P said", "B and
    // C managing director": initials of a firm the rules cannot join).
    const bool and_letter =
        t.norm.size() == 1 && t.cap &&
        ((i > s.begin && tokens[i - 1].folded == "and") || (j < s.end && tokens[j].folded == "and"));
    if (j == i + 1 && (gaz_.Contains(WordList::kLegalForm, t.folded) || and_letter)) {
      i = j;
      continue;
    }
    const size_t before = ctx.mentions.size();
    EmitSpan(ctx, si, i, j);
    if (declined_first && i == first_word + 1) {
      for (size_t k = before; k < ctx.mentions.size(); ++k) {
        if (ctx.mentions[k].first == i) ctx.mentions[k].cut_before = true;
      }
    }
    // Title Case inside quotes ("Complete and Total purchase") is emphasis,
    // not a name, unless something else vouches for it.
    if (in_quote) {
      for (size_t k = before; k < ctx.mentions.size();) {
        if (ctx.mentions[k].strength == kGuess) {
          ctx.mentions.erase(ctx.mentions.begin() + k);
        } else {
          ++k;
        }
      }
    }
    i = j;
  }
}

void EntityRecognizer::EmitSpan(Context& ctx, size_t si, size_t first,
                                size_t last) const {
  const auto& tokens = ctx.tokens;
  // A parenthesized acronym of the lowercase words before it is a term, not
  // a name ("Mixture-of-Experts (MoE)").
  if (last - first == 1 && first >= 2 && tokens[first - 1].norm == "(" &&
      last < tokens.size() && tokens[last].norm == ")") {
    std::string acr = tokens[first].folded;
    std::vector<std::string> words;
    for (size_t k = first - 1; k > 0 && words.size() < 6; --k) {
      const Token& w = tokens[k - 1];
      if (!IsWord(w)) break;
      if (IsNameToken(w) && !HasLowercaseHyphenPart(w) && w.cap &&
          k - 1 != ctx.sentences[si].begin) {
        words.clear();
        break;
      }
      words.insert(words.begin(), w.folded);
      if (IsAcronymOfWords(acr, words)) {
        ctx.blocked.insert(tokens[first].norm);
        return;
      }
    }
  }
  // Dateline "Paris AFP", "Moscow ITAR-TASS": a known place, then an
  // all-caps agency or paper name.
  for (size_t p = std::min<size_t>(3, last - first - 1); last - first >= 2 && p > 0;
       --p) {
    const Token& rest = tokens[first + p];
    if (!rest.all_caps || rest.norm.size() < 2 ||
        gaz_.FindPlace(TokenSurface(tokens, first, first + p)) == nullptr ||
        gaz_.FindPlace(TokenSurface(tokens, first + p, last)) != nullptr) {
      continue;
    }
    EmitSpan(ctx, si, first, first + p);
    EmitSpan(ctx, si, first + p, last);
    return;
  }
  // "Supreme Soviet Council Ivan Plyushch": an organization's name, then a
  // person's (a first name and more) with no title between them.
  for (size_t k = first + 2; k + 1 < last; ++k) {
    const Token& before = tokens[k - 1];
    if (!gaz_.Contains(WordList::kFirstName, tokens[k].folded) || tokens[k].all_caps) continue;
    if (!gaz_.Contains(WordList::kOrgWord, before.folded) &&
        !gaz_.Contains(WordList::kOrgSuffix, before.folded)) {
      continue;
    }
    // "General Motors Corp Adam Opel AG": the right part is a company too.
    bool right_is_org = false;
    for (size_t r = k; r < last; ++r) {
      right_is_org |= gaz_.Contains(WordList::kOrgWord, tokens[r].folded) ||
                      gaz_.Contains(WordList::kOrgSuffix, tokens[r].folded);
    }
    if (right_is_org) continue;
    // "Deputy Secretary of State John Whitehead": a title ends the left
    // part; the title split below cuts it.
    bool title_ends = false;
    for (size_t j = first; j < k && !title_ends; ++j) title_ends = MatchTitle(tokens, j, k) == k - j;
    if (title_ends) continue;
    const size_t org_begin = ctx.mentions.size();
    EmitSpan(ctx, si, first, k);
    for (size_t r = org_begin; r < ctx.mentions.size(); ++r) {
      if (ctx.mentions[r].type == "PERSON" && ctx.mentions[r].strength == kGuess) {
        ctx.mentions[r].type = "ORG";
      }
    }
    ctx.mentions.push_back(SpanMention(tokens, k, last, si, "PERSON", kContext));
    return;
  }
  // "Democrats", "a California Democrat", "Senate Republicans": members of
  // a party, described by party and place or chamber, are no entity. "the
  // Christian Democrats" and "the Social Democrats" are parties.
  if (gaz_.Contains(WordList::kPartyMemberWord, tokens[last - 1].folded) &&
      !tokens[last - 1].all_caps) {
    size_t from = first;  // "The Ohio Democrat"
    while (from + 1 < last && gaz_.Contains(WordList::kSentenceStarter, tokens[from].folded)) ++from;
    const std::string rest = TokenSurface(tokens, from, last - 1);
    if (last - first == 1 || gaz_.FindPlace(rest) != nullptr ||
        gaz_.Contains(WordList::kPartyMemberWord, tokens[last - 2].folded) ||
        gaz_.Contains(WordList::kLegislatureWord, tokens[last - 2].folded)) {
      return;
    }
  }
  // Strip leading title-like words and split at a title inside the span:
  // "Federal Reserve Chair Jerome Powell" -> ORG, title, PERSON.
  for (size_t k = first; k < last; ++k) {
    size_t n = MatchTitle(tokens, k, last);
    if (n == 0) continue;
    size_t right = k + n;
    // Titles in a row are one: "Republican Sen. John Tower".
    for (size_t more; right < last && (more = MatchTitle(tokens, right, last)) > 0;) right += more;
    // A title before an ordinary word (one the dictionary has only in lower
    // case) begins a name instead of introducing a person: "General
    // Electric", "General Agreement on Tariffs". Surnames that are also
    // words are capitalized in the dictionary too ("President Bush").
    if (right < last && gaz_.Contains(WordList::kCommonWord, tokens[right].folded)) continue;
    // A title word after a first name, with nothing or only a generational
    // suffix after it, is the surname: "Martin Luther King Jr.", "Carole
    // King".
    if (k > first && gaz_.Contains(WordList::kFirstName, tokens[first].folded)) {
      bool suffix_only = true;
      for (size_t r = right; r < last; ++r) {
        suffix_only &= gaz_.Contains(WordList::kNameSuffix, tokens[r].folded);
      }
      if (suffix_only) continue;
    }
    if (right < last) {
      bool right_is_org = false;
      for (size_t r = right; r < last; ++r) {
        right_is_org |= gaz_.Contains(WordList::kOrgWord, tokens[r].folded) ||
                        gaz_.Contains(WordList::kOrgSuffix, tokens[r].folded);
      }
      std::string right_surface = TokenSurface(tokens, right, last);
      if (right_is_org || gaz_.FindPlace(right_surface) != nullptr) continue;
    }
    size_t left_end = k;
    while (left_end > first &&
           gaz_.Contains(WordList::kTitleModifier, tokens[left_end - 1].folded)) {
      --left_end;
    }
    if (left_end > first) {
      const size_t before = ctx.mentions.size();
      EmitSpan(ctx, si, first, left_end);
      // A name before a title is the employer or place ("Assipen Director
      // X", "Coast Guard Lt. Y"), not a person.
      if (ctx.mentions.size() == before + 1 &&
          ctx.mentions.back().strength == kGuess) {
        ctx.mentions.back().type = "ORG";
        ctx.mentions.back().strength = kContext;
      }
      if (right < last) {
        for (size_t r = before; r < ctx.mentions.size(); ++r) ctx.mentions[r].cut_after = true;
      }
    }
    if (right < last) {
      NameMention m = SpanMention(tokens, right, last, si, "PERSON", kStrong);
      m.cut_before = true;
      m.titled.push_back(TokenSurface(tokens, left_end, last));
      if (left_end > first) {
        m.titled.push_back(TokenSurface(tokens, first, last));
      }
      ctx.mentions.push_back(std::move(m));
    }
    return;
  }
  // Leading "The" or a common word ("Tech stocks" never reaches here),
  // unless the article is part of a place's name ("The Hague").
  while (first < last && gaz_.Contains(WordList::kSentenceStarter,
                                       tokens[first].folded) &&
         !tokens[first].all_caps &&
         (last - first < 2 || gaz_.FindPlace(TokenSurface(tokens, first, last)) == nullptr)) {
    ++first;
  }
  if (first >= last) return;
  if (last - first == 1 &&
      gaz_.Contains(WordList::kGenericTerm, tokens[first].folded)) {
    return;
  }
  // "SELECTED FINANCIAL DATA On March 23, ...", "RISK FACTORS We ...": a
  // filing's all-caps section heading run into the sentence after it.
  if (last - first >= 2 && first == ctx.sentences[si].begin && last < ctx.sentences[si].end &&
      tokens[last].cap && !tokens[last].all_caps &&
      !gaz_.Contains(WordList::kOrgSuffix, tokens[last - 1].folded)) {
    bool heading = true;
    for (size_t k = first; k < last && heading; ++k) {
      heading = tokens[k].all_caps && gaz_.Contains(WordList::kCommonWord, tokens[k].folded);
    }
    if (heading) return;
  }
  // "Operations and Supply Chain Management", "Investor Relations": a
  // department, not an organization (all-caps words may be acronyms). A
  // company suffix at the end makes it a company ("Information Resources
  // said") unless a title's "of" comes before ("Vice President of ... Supply
  // Chain Management").
  const bool after_of = first > ctx.sentences[si].begin &&
                        (tokens[first - 1].folded == "of" || tokens[first - 1].folded == "for");
  if (last - first >= 2 &&
      (after_of || !gaz_.Contains(WordList::kOrgSuffix, tokens[last - 1].folded))) {
    bool department = true;
    for (size_t k = first; k < last && department; ++k) {
      const Token& t = tokens[k];
      department = t.folded == "and" || t.norm == "&" ||
                   (!t.all_caps && gaz_.Contains(WordList::kDepartmentWord, t.folded));
    }
    if (department) return;
  }
  // Share classes and series ("Class A", "Series B") are no entities: a
  // class word and one capital letter or a Roman numeral.
  if (last - first == 2 && gaz_.Contains(WordList::kShareClassWord, tokens[first].folded)) {
    const std::string& w = tokens[first + 1].norm;
    const bool letter = w.size() == 1 && absl::ascii_isupper(static_cast<unsigned char>(w[0]));
    const bool roman = !w.empty() && w.size() <= 4 &&
                       w.find_first_not_of("IVX") == std::string::npos;
    if (letter || roman) return;
  }
  NameMention m = SpanMention(tokens, first, last, si);
  TypeSpan(ctx, m);
  if (m.type.empty()) return;
  // What is left of a name in a party member's word is a party.
  if (gaz_.Contains(WordList::kPartyMemberWord, tokens[last - 1].folded) && m.type == "PERSON") {
    m.type = "ORG";
    m.strength = kContext;
  }
  // "Mr. Falcon", "Dr. Coben": how the text names the person is one of its
  // aliases (the name itself stays untitled). An honorific is a title that
  // is never a name of its own: in both person_titles.txt and
  // non_entities.txt.
  if (m.type == "PERSON" && first > ctx.sentences[si].begin) {
    const Token& prev = tokens[first - 1];
    if (gaz_.Contains(WordList::kPersonTitle, prev.folded) &&
        gaz_.Contains(WordList::kNonEntity, prev.folded)) {
      m.titled.push_back(TokenSurface(tokens, first - 1, last));
    }
  }
  ctx.mentions.push_back(std::move(m));
}

void EntityRecognizer::TypeSpan(Context& ctx, NameMention& m) const {
  const auto& tokens = ctx.tokens;
  const SentenceSpan& s = ctx.sentences[m.sentence];
  const size_t n = m.last - m.first;
  const Token& head = tokens[m.first];
  const Token& tail = tokens[m.last - 1];
  const Token* prev = m.first > s.begin ? &tokens[m.first - 1] : nullptr;
  const Token* next = m.last < s.end ? &tokens[m.last] : nullptr;
  const Token* next2 = m.last + 1 < s.end ? &tokens[m.last + 1] : nullptr;
  // Whether a title of up to three words ends right before the name.
  auto title_before = [&] {
    for (size_t len = 1; len <= 3 && m.first >= s.begin + len; ++len) {
      if (MatchTitle(tokens, m.first - len, m.first) == len) return true;
    }
    return false;
  };

  // Reuters markup: <Giorgio Inc> names a company, <AVP> is a ticker.
  if (prev != nullptr && prev->kind == TokenKind::kMarkupOpen) {
    if (n == 1 && head.all_caps && !ctx.mentions.empty() &&
        m.first >= 2 && ctx.mentions.back().last == m.first - 1) {
      ctx.mentions.back().ticker = head.norm;
      m.type.clear();
      return;
    }
    m.type = "ORG";
    m.strength = kStrong;
    return;
  }
  // "World War II", "Nobel Peace Prize", "Clean Air Act": events, prizes
  // and laws are no organizations or people.
  {
    size_t k = m.last;
    while (k > m.first + 1 && tokens[k - 1].cap &&
           (tokens[k - 1].has_digit || tokens[k - 1].norm.find_first_not_of("IVX") == std::string::npos)) {
      --k;
    }
    const Token& last_word = tokens[k - 1];
    // "Party of the Democratic Revolution": an organization word before a
    // connector heads the name.
    bool org_head = false;
    for (size_t c = m.first + 1; c < k; ++c) {
      org_head |= (tokens[c].folded == "of" || tokens[c].folded == "for") &&
                  gaz_.Contains(WordList::kOrgWord, tokens[c - 1].folded);
    }
    if (k - m.first >= 2 && !last_word.all_caps && !org_head &&
        gaz_.Contains(WordList::kEventLastWord, last_word.folded)) {
      m.type = "MISC";
      m.strength = kStrong;
      return;
    }
  }
  // "Mr. Hawthorne", "Ms. Ford": an honorific (a title that is never a name
  // of its own) names a person, over any place or company of that name.
  if (prev != nullptr && gaz_.Contains(WordList::kPersonTitle, prev->folded) &&
      gaz_.Contains(WordList::kNonEntity, prev->folded)) {
    m.type = "PERSON";
    m.strength = kStrong;
    return;
  }
  // "Tokens.com", "Amazon.com Inc": a web domain names a company.
  for (size_t k = m.first; k < m.last; ++k) {
    const std::string& f = tokens[k].folded;
    for (absl::string_view tld : {".com", ".net", ".org", ".io"}) {
      if (f.size() > tld.size() + 1 && absl::EndsWith(f, tld)) {
        m.type = "ORG";
        m.strength = kStrong;
        return;
      }
    }
  }
  // "Fed": the short form of a well-known organization's name.
  if (const std::string* org = gaz_.FindOrganization(m.surface)) {
    m.type = "ORG";
    m.canonical = *org;
    m.strength = kStrong;
    return;
  }
  const bool org_suffix = gaz_.Contains(WordList::kOrgSuffix, tail.folded) && n > 1;
  bool org_cue = org_suffix;
  for (size_t k = m.first; k < m.last && !org_cue; ++k) {
    org_cue = gaz_.Contains(WordList::kOrgWord, tokens[k].folded);
  }
  // A place's whole name wins over an organization word inside it ("Soviet
  // Union", "Council Bluffs"), and over a company suffix only when it is a
  // listed alias ("West Bank").
  if (!org_suffix || gaz_.IsListedPlace(m.surface)) {
    if (const std::string* place = gaz_.FindPlace(m.surface)) {
      m.type = "GPE";
      m.canonical = *place;
      m.is_country = gaz_.IsCountry(*place);
      m.strength = kStrong;
      return;
    }
  }
  // "Western Europe", "Central Asia": a compass word before a known place
  // names a region of it, a place of its own (no canonical name: it is not
  // the place after it).
  if (!org_cue && n >= 2 && gaz_.Contains(WordList::kCompassWord, head.folded) &&
      gaz_.FindPlace(TokenSurface(tokens, m.first + 1, m.last)) != nullptr) {
    m.type = "GPE";
    m.strength = kStrong;
    return;
  }
  // Demonyms name a country only before a title or a place noun ("French
  // President", "Danish territory").
  if (n == 1 || (n == 2 && !org_cue)) {
    // "Americans", "South Africans": a people, no entity.
    const std::string folded = FoldToken(m.surface);
    if (folded.size() > 4 && folded.back() == 's' &&
        gaz_.FindDemonym(absl::string_view(folded).substr(0, folded.size() - 1)) != nullptr) {
      m.type.clear();
      return;
    }
    if (const std::string* country = gaz_.FindDemonym(folded)) {
      bool cue = next != nullptr &&
                 (MatchTitle(tokens, m.last, s.end) > 0 ||
                  gaz_.Contains(WordList::kGpeNoun, next->folded));
      if (!cue) {
        m.type.clear();
        return;
      }
      m.type = "GPE";
      m.canonical = *country;
      m.is_country = true;
      m.strength = kStrong;
      return;
    }
  }
  if (org_cue) {
    m.type = "ORG";
    m.strength = kStrong;
    return;
  }
  // "acquire Arbitron", "CEO of Flex", "Myogen was acquired": words around
  // the name that only an organization takes (gazetteers/org_context.txt),
  // before the place-name words: "acquired Echo Bay" names a company.
  auto context_is = [&](const std::vector<std::vector<std::string>>& seqs, bool before) {
    for (const std::vector<std::string>& seq : seqs) {
      const size_t len = seq.size();
      if (before ? m.first < s.begin + len : m.last + len > s.end) continue;
      const size_t at = before ? m.first - len : m.last;
      bool same = true;
      for (size_t k = 0; k < len && same; ++k) same = tokens[at + k].folded == seq[k];
      if (same) return true;
    }
    return false;
  };
  // Not for a first name and more ("Warren Buffett acquired", "Anthony
  // Lake"): a person's name is a cue of its own.
  const bool first_name = n >= 2 && gaz_.Contains(WordList::kFirstName, head.folded);
  if (!first_name &&
      (context_is(gaz_.org_context_before(), true) || context_is(gaz_.org_context_after(), false))) {
    m.type = "ORG";
    m.strength = kContext;
    return;
  }
  // "Lake Victoria", "King County": words only place names begin or end
  // with. A context cue, so the recognizer model's PERSON does not undo it.
  if (n >= 2 && !first_name && (gaz_.Contains(WordList::kPlaceFirstWord, head.folded) ||
                 gaz_.Contains(WordList::kPlaceLastWord, tail.folded))) {
    m.type = "GPE";
    m.strength = kContext;
    return;
  }
  if (next != nullptr &&
      (next->norm == "-based" || next->norm == "-headquartered")) {
    m.type = "GPE";
    m.strength = kContext;
    return;
  }
  // Lowercase title before the name: "analyst Dan Ives".
  if (prev != nullptr && !prev->cap && IsWord(*prev) && title_before()) {
    m.type = "PERSON";
    m.strength = kStrong;
    return;
  }
  bool digits = false;
  for (size_t k = m.first; k < m.last; ++k) digits |= tokens[k].has_digit;
  if (next != nullptr && gaz_.Contains(WordList::kProductNoun, next->folded)) {
    m.type = "PRODUCT";
    m.strength = kContext;
    return;
  }
  if (digits && !head.all_caps) {
    m.type = "PRODUCT";
    m.strength = kContext;
    return;
  }
  if (digits) {
    m.type = "PRODUCT";
    m.strength = kWeak;
    return;
  }
  // Apposition: "Larry Ellison, co-founder of", "MindSpore, Huawei's
  // open-source framework".
  if (next != nullptr && next->norm == ",") {
    for (size_t k = m.last + 1; k < s.end && k < m.last + 8; ++k) {
      const Token& w = tokens[k];
      if (w.kind == TokenKind::kPunct && w.norm != "-") break;
      if (k <= m.last + 4 && MatchTitle(tokens, k, s.end) > 0 && !w.cap) {
        m.type = "PERSON";
        m.strength = kContext;
        return;
      }
      // "Petro-Canada, Canada's state-owned oil company,", "X, a company
      // based in Ohio": the company noun ends the apposition's noun phrase
      // ("a company spokesman" is a person).
      if (!w.cap && gaz_.Contains(WordList::kCompanyNoun, w.folded) &&
          (k + 1 >= s.end || tokens[k + 1].kind == TokenKind::kPunct ||
           tokens[k + 1].folded == "that" || tokens[k + 1].folded == "which" ||
           tokens[k + 1].folded == "based" || tokens[k + 1].folded == "headquartered" ||
           tokens[k + 1].folded == "in" || tokens[k + 1].folded == "of" ||
           tokens[k + 1].folded == "with")) {
        m.type = "ORG";
        m.strength = kContext;
        return;
      }
      if (!w.cap && gaz_.Contains(WordList::kProductNoun, w.folded) &&
          (k + 1 >= s.end || tokens[k + 1].kind == TokenKind::kPunct)) {
        m.type = "PRODUCT";
        m.strength = kContext;
        return;
      }
    }
  }
  // "Franklin Lakes, N.J.,": a name, a comma and a state or province that
  // closes the phrase is a town, even one starting with a first name.
  if (next != nullptr && next->norm == "," && next2 != nullptr && IsNameToken(*next2)) {
    size_t e = m.last + 1;
    while (e < s.end && IsNameToken(tokens[e])) ++e;
    const std::string* place = gaz_.FindPlace(TokenSurface(tokens, m.last + 1, e));
    const bool closes = e >= s.end || tokens[e].norm == "," || tokens[e].norm == "." ||
                        tokens[e].norm == ")" || tokens[e].norm == ";";
    // An abbreviated state ("N.J."): "Danny Manning, Kansas, scored" is a
    // player and his school.
    const bool abbreviated = tokens[m.last + 1].norm.find('.') != std::string::npos;
    if (place != nullptr && gaz_.IsRegion(*place) && !gaz_.IsCountry(*place) && closes &&
        abbreviated &&
        gaz_.Contains(WordList::kFirstName, head.folded)) {
      m.type = "GPE";
      m.strength = kWeak;
      return;
    }
  }
  if (n >= 2 && n <= 4 && gaz_.Contains(WordList::kFirstName, head.folded)) {
    m.type = "PERSON";
    m.strength = kContext;
    return;
  }
  // "the Treasury said", "the Bundesbank said": people speak without an
  // article.
  // ("the Chancellor of the Exchequer Nigel Lawson said": the rules cut
  // titles, so a first name inside is a person's.)
  if (prev != nullptr && prev->folded == "the" && next != nullptr && n <= 2 && !head.all_caps &&
      gaz_.Contains(WordList::kSpeechVerb, next->folded)) {
    bool first_name_inside = false;
    for (size_t k = m.first; k < m.last; ++k) {
      first_name_inside |= gaz_.Contains(WordList::kFirstName, tokens[k].folded);
    }
    if (!first_name_inside) {
      m.type = "ORG";
      m.strength = kContext;
      return;
    }
  }
  // "Citicorp said it raised", "USAir said its traffic rose": what speaks
  // of itself as "it" is an organization (people say "he" or "she"); not
  // "Keating said it now seems likely", where "it" is no one. A context
  // cue: the recognizer model, which reads no further, takes most lone
  // company names before "said" for surnames.
  if (next != nullptr && next2 != nullptr &&
      (next->folded == "said" || next->folded == "says") &&
      (next2->folded == "it" || next2->folded == "its") && !head.all_caps) {
    size_t k = m.last + 2;
    while (k < s.end && (tokens[k].folded == "now" || tokens[k].folded == "also" ||
                         tokens[k].folded == "still")) {
      ++k;
    }
    const bool expletive =
        next2->folded == "it" && k < s.end &&
        (tokens[k].folded == "is" || tokens[k].folded == "was" || tokens[k].folded == "seems" ||
         tokens[k].folded == "seemed" || tokens[k].folded == "'s" || tokens[k].folded == "appears");
    if (!expletive) {
      m.type = "ORG";
      m.strength = kContext;
      return;
    }
  }
  bool speech = (next != nullptr && gaz_.Contains(WordList::kSpeechVerb,
                                                  next->folded)) ||
                (prev != nullptr &&
                 gaz_.Contains(WordList::kSpeechVerb, prev->folded));
  if (speech && n <= 3 && !head.all_caps) {
    m.type = "PERSON";
    m.strength = kWeak;
    return;
  }
  // ", who" follows people, ", which" things; ", 53," is an age.
  if (next != nullptr && next->norm == "," && next2 != nullptr) {
    if (next2->folded == "who") {
      m.type = "PERSON";
      m.strength = kWeak;
      return;
    }
    if (next2->folded == "which") {
      m.type = "ORG";
      m.strength = kWeak;
      return;
    }
    if (next2->kind == TokenKind::kNumber && next2->norm.size() <= 2 &&
        m.last + 2 < s.end && tokens[m.last + 2].norm == ",") {
      m.type = "PERSON";
      m.strength = kContext;
      return;
    }
  }
  // "the town of X", "Morgan City", "Rolling Fork River".
  if (prev != nullptr && prev->folded == "of" && m.first >= s.begin + 2 &&
      gaz_.Contains(WordList::kGpeNoun, tokens[m.first - 2].folded)) {
    m.type = "GPE";
    m.strength = kContext;
    return;
  }
  if (n >= 2 && gaz_.Contains(WordList::kGpeNoun, tail.folded)) {
    m.type = "GPE";
    m.strength = kWeak;
    return;
  }
  // "Davos, Switzerland", "Tupelo, Miss.": a name followed by a comma and a
  // country or state ("Sony, Hitachi" is a list).
  if (next != nullptr && next->norm == "," && next2 != nullptr &&
      IsNameToken(*next2)) {
    size_t k = m.last + 1;
    size_t e = k;
    while (e < s.end && IsNameToken(tokens[e])) ++e;
    std::string after = TokenSurface(tokens, k, e);
    if (const std::string* place = gaz_.FindPlace(after); place != nullptr && gaz_.IsRegion(*place)) {
      m.type = "GPE";
      m.strength = kWeak;
      return;
    }
  }
  // "in Tupelo": a place, but not "in History" or "in My Dream" (words of
  // the dictionary, capitalized in a title).
  bool plain_words = true;
  for (size_t k = m.first; k < m.last; ++k) {
    plain_words &= gaz_.Contains(WordList::kCommonWord, tokens[k].folded) ||
                   gaz_.Contains(WordList::kSentenceStarter, tokens[k].folded);
  }
  if (prev != nullptr && (prev->folded == "in" || prev->folded == "near") &&
      n <= 2 && !head.all_caps && !plain_words &&
      !(next != nullptr && next->kind == TokenKind::kPossessive)) {
    const Token* prev2 = m.first >= s.begin + 2 ? &tokens[m.first - 2] : nullptr;
    bool invest = prev2 != nullptr &&
                  (prev2->folded.rfind("invest", 0) == 0 ||
                   prev2->folded == "stake" || prev2->folded == "interest");
    if (!invest) {
      m.type = "GPE";
      m.strength = kWeak;
      return;
    }
  }
  // "Chevron spokesman Jonathan Lifa", "Air Force commander X": a name right
  // before a lowercase title and another name is the employer.
  if (next != nullptr && !next->cap && IsWord(*next)) {
    size_t t = MatchTitle(tokens, m.last, s.end);
    if (t > 0 && m.last + t < s.end && IsNameToken(tokens[m.last + t])) {
      m.type = "ORG";
      m.strength = kContext;
      return;
    }
  }
  // Unknown two- or three-word names are most often people in news text;
  // single words most often companies.
  bool alpha = true;
  for (size_t k = m.first; k < m.last; ++k) {
    alpha &= !tokens[k].all_caps && !tokens[k].inner_upper && !tokens[k].has_digit;
  }
  // Not when the last word is an ordinary one (the dictionary has it only in
  // lower case), the first is no first name and no honorific or title comes
  // before: "General Electric", "Lark Brands", but "Tom Cruise", "Dr.
  // Harriet Vane".
  if (alpha && (n == 2 || n == 3) &&
      !(gaz_.Contains(WordList::kCommonWord, tokens[m.last - 1].folded) &&
        !gaz_.Contains(WordList::kFirstName, head.folded) && !title_before())) {
    m.type = "PERSON";
    m.strength = kGuess;
    return;
  }
  // A lone Title Case word with no cue is most often a surname in news
  // ("Oswald fired", "said Kennedy"); acronyms stay organizations.
  if (alpha && n == 1 && head.norm.find('.') == std::string::npos &&
      head.norm.find('-') == std::string::npos) {
    m.type = "PERSON";
    m.strength = kGuess;
    return;
  }
  m.type = "ORG";
  m.strength = head.all_caps ? kWeak : kGuess;
}

void EntityRecognizer::RecognizeHeadline(Context& ctx, size_t si) const {
  const auto& tokens = ctx.tokens;
  const SentenceSpan& s = ctx.sentences[si];
  // Known names from the body, by folded token sequence.
  absl::flat_hash_map<std::string, size_t> known;  // folded -> mention index.
  size_t max_len = 1;
  const size_t body_mentions = ctx.mentions.size();
  for (size_t k = 0; k < body_mentions; ++k) {
    const NameMention& m = ctx.mentions[k];
    known.emplace(JoinFolded(tokens, m.first, m.last), k);
    max_len = std::max(max_len, m.last - m.first);
  }
  size_t i = s.begin;
  while (i < s.end) {
    size_t best = 0;
    size_t best_mention = 0;
    std::string place;
    for (size_t n = std::min(max_len + 2, s.end - i); n > 0; --n) {
      if (!IsWord(tokens[i]) || !IsWord(tokens[i + n - 1])) continue;
      auto it = known.find(JoinFolded(tokens, i, i + n));
      if (it != known.end()) {
        best = n;
        best_mention = it->second;
        break;
      }
      if (tokens[i].cap || tokens[i].all_caps) {
        const std::string* p = gaz_.FindPlace(TokenSurface(tokens, i, i + n));
        if (p != nullptr && (n > 1 || tokens[i].norm.size() > 2 ||
                             tokens[i].norm.find('.') != std::string::npos)) {
          best = n;
          place = *p;
          break;
        }
      }
    }
    if (best == 0) {
      // "Corvane Industries, Tessel Networks Agree to Merge": in Title Case
      // a company's suffix still ends its name, after one to three words
      // that are no dictionary words ("Apple Buys Beats Electronics" has
      // none: it is left alone).
      if (IsWord(tokens[i]) && tokens[i].cap && !tokens[i].all_caps &&
          gaz_.Contains(WordList::kOrgSuffix, tokens[i].folded)) {
        size_t b = i;
        while (b > s.begin && i - b < 3 && IsWord(tokens[b - 1]) && tokens[b - 1].cap &&
               !gaz_.Contains(WordList::kCommonWord, tokens[b - 1].folded) &&
               !gaz_.Contains(WordList::kSentenceStarter, tokens[b - 1].folded) &&
               !gaz_.Contains(WordList::kOrgSuffix, tokens[b - 1].folded) &&
               (ctx.mentions.size() == body_mentions || ctx.mentions.back().last < b)) {
          --b;
        }
        if (b < i) {
          NameMention m = SpanMention(tokens, b, i + 1, si, "ORG", kContext);
          m.in_headline = true;
          ctx.mentions.push_back(std::move(m));
          ++i;
          continue;
        }
      }
      // Datelines: "SAN FRANCISCO (AP)", "PURCHASE, N.Y.": the agency in
      // parentheses, an all-caps place before a comma and a known place.
      const Token& t = tokens[i];
      if (t.all_caps && IsWord(t) && i > s.begin && i + 1 < s.end &&
          tokens[i - 1].norm == "(" && tokens[i + 1].norm == ")") {
        NameMention m = SpanMention(tokens, i, i + 1, si, "ORG", kContext);
        m.in_headline = true;
        ctx.mentions.push_back(std::move(m));
      } else if (i == s.begin && t.all_caps && IsWord(t)) {
        size_t j = i;
        while (j < s.end && j < i + 4 && IsWord(tokens[j]) && tokens[j].all_caps) ++j;
        bool place_after = false;
        if (j + 1 < s.end && tokens[j].norm == ",") {
          for (size_t n = 1; n <= 2 && j + 1 + n <= s.end; ++n) {
            place_after |=
                gaz_.FindPlace(TokenSurface(tokens, j + 1, j + 1 + n)) != nullptr;
          }
        }
        if (place_after) {
          NameMention m = SpanMention(tokens, i, j, si, "GPE", kContext);
          m.in_headline = true;
          ctx.mentions.push_back(std::move(m));
          i = j;
          continue;
        }
      }
      ++i;
      continue;
    }
    // Wire headers: "Paris Radio Monte Carlo in Arabic", "Cairo AL-AHALI":
    // the name run after a place, ending the line or before "in".
    size_t org_end = i + best;
    if (!place.empty()) {
      while (org_end < s.end && org_end < i + best + 5 &&
             IsNameToken(tokens[org_end])) {
        ++org_end;
      }
      bool closes = org_end == s.end || tokens[org_end].folded == "in";
      if (org_end == i + best || !closes ||
          gaz_.FindPlace(TokenSurface(tokens, i + best, org_end)) != nullptr) {
        org_end = i + best;
      }
    }
    NameMention m = SpanMention(tokens, i, i + best, si);
    m.in_headline = true;
    if (!place.empty()) {
      m.type = "GPE";
      m.canonical = place;
      m.is_country = gaz_.IsCountry(place);
      m.strength = kStrong;
    } else {
      const NameMention& src = ctx.mentions[best_mention];
      m.type = src.type;
      m.canonical = src.canonical;
      m.is_country = src.is_country;
      m.strength = kGuess;
      // Prefer the body's capitalization for display.
      if (tokens[i].all_caps && !ctx.tokens[src.first].all_caps) {
        m.surface = src.surface;
      }
    }
    ctx.mentions.push_back(std::move(m));
    i += best;
    if (org_end > i) {
      NameMention org = SpanMention(tokens, i, org_end, si, "ORG", kContext);
      org.in_headline = true;
      ctx.mentions.push_back(std::move(org));
      i = org_end;
    }
  }
}

}  // namespace kgraph::ingest
