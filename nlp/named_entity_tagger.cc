#include "nlp/named_entity_tagger.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlp/model_file.h"

namespace kgraph::nlp {
namespace {

// Label index: 0 = O, 1 + 4 * type + kind.
enum Kind { kB = 0, kI = 1, kL = 2, kU = 3 };
const char* const kTypes[] = {"PERSON", "ORG", "GPE", "MISC"};
constexpr int kNumTypes = 4;
inline int TypeOf(int label) { return (label - 1) / 4; }
inline int KindOf(int label) { return (label - 1) % 4; }
inline int LabelOf(int type, int kind) { return 1 + 4 * type + kind; }
int TypeIndex(absl::string_view type) {
  for (int t = 0; t < kNumTypes; ++t) {
    if (type == kTypes[t]) return t;
  }
  return -1;
}

enum Template : uint32_t {
  kBias = 1,
  kLower,
  kForm,
  kShape,
  kPre1,
  kSuf1 = kPre1 + 4,
  kUpos = kSuf1 + 4,
  kXpos = kUpos + 5,
  kWord = kXpos + 5,
  kPrev1,
  kPrev2,
  kPrevWord,
  kPrevShape,
  kPrevUpos,
  kWordPair1,
  kWordPair2,
  kUposPair1,
  kUposPair2,
  kCaps3,
  kCaps5,
  kFirstCap,
  kGaz,
  kGazSig = kGaz + 16,
  kGazSigCap = kGazSig + 3,
  kPrevGazSig,
  kShapeUpos,
  kNeighbourForm,
  kPrevNextWord = kNeighbourForm + 2,
  kCapGazNext,
  kUposTri,
  kLabelsCap,
  kNeighbourSuf = kLabelsCap + 1,
  kGazNext2 = kNeighbourSuf + 2,
  kCluster,
  kClusterCap = kCluster + 6,
  kPrevCluster,
  kChunkShape,
  kChunkFirst,
  kChunkLast,
  kChunkLastGaz,
  kChunkBefore,
  kChunkAfter,
  kChunkLastSuf,
  kSentenceCase,
  kChunkGazExact,
  kChunkFirstGaz,
  kChunkComma,
  kChunkPrevLabel,
  kGazSeq = 900,
};

constexpr uint64_t kNone = 0x6e6f6e65;  // padding value beyond the sentence

// Training's passive-aggressive step, as a fraction of the step that would
// just reach the margin. Measured (mean of seeds 42, 1, 2, 3, 4; PERSON/ORG/
// GPE F1 on GUM dev / CoNLL04 dev / UNER EWT dev): 1.0 gave 0.699 / 0.828 /
// 0.615, 0.3 gave 0.701 / 0.832 / 0.623; 0.1 was unstable (one seed 0.776 on
// CoNLL04 dev). Fixed perceptron steps gave 0.679 / 0.796 / 0.574 (seeds 42,
// 1, 2).
constexpr float kStepScale = 0.3f;

// Capitalization class, cheap and case-only: what a name looks like.
uint8_t CapClass(absl::string_view s) {
  bool upper = false, lower = false, digit = false;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    upper |= absl::ascii_isupper(c) != 0;
    lower |= absl::ascii_islower(c) != 0;
    digit |= absl::ascii_isdigit(c) != 0;
  }
  if (s.empty()) return 0;
  const unsigned char c0 = static_cast<unsigned char>(s[0]);
  if (absl::ascii_isupper(c0)) return lower ? 1 : (s.size() > 1 ? 2 : 3);  // Xx, XX, X
  if (absl::ascii_islower(c0)) return upper ? 4 : 5;                       // xX, x
  if (digit) return 6;
  if (c0 >= 0x80) return 7;
  return 8;  // punctuation
}

std::string Trimmed(const std::string& line) {
  return std::string(absl::StripAsciiWhitespace(line));
}

// Lines of a list file: '#' comments and blank lines skipped.
absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open gazetteer file"));
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const std::string t = Trimmed(line);
    if (t.empty() || t[0] == '#') continue;
    out.push_back(t);
  }
  return out;
}

}  // namespace

// ---- BILOU ----

bool ValidBilou(const std::vector<std::string>& labels) {
  std::string open;  // type of the open span, "" if none
  for (const std::string& l : labels) {
    if (l == "O") {
      if (!open.empty()) return false;
      continue;
    }
    if (l.size() < 3 || l[1] != '-') return false;
    const char k = l[0];
    const std::string type = l.substr(2);
    if (k == 'B' || k == 'U') {
      if (!open.empty()) return false;
      if (k == 'B') open = type;
    } else if (k == 'I' || k == 'L') {
      if (open != type) return false;
      if (k == 'L') open.clear();
    } else {
      return false;
    }
  }
  return open.empty();
}

std::vector<std::string> SpansToBilou(const std::vector<EntitySpan>& spans, size_t num_words) {
  std::vector<std::string> labels(num_words, "O");
  std::vector<bool> used(num_words, false);
  for (const EntitySpan& s : spans) {
    if (s.begin >= s.end || s.end > num_words) continue;
    bool free = true;
    for (size_t i = s.begin; i < s.end; ++i) free = free && !used[i];
    if (!free) continue;
    for (size_t i = s.begin; i < s.end; ++i) {
      used[i] = true;
      const char* k = s.end - s.begin == 1 ? "U-"
                      : i == s.begin       ? "B-"
                      : i + 1 == s.end     ? "L-"
                                           : "I-";
      labels[i] = absl::StrCat(k, s.type);
    }
  }
  return labels;
}

std::vector<EntitySpan> BilouToSpans(const std::vector<std::string>& labels) {
  std::vector<EntitySpan> out;
  bool open = false;
  EntitySpan cur;
  auto close = [&](size_t end) {
    if (open) {
      cur.end = end;
      out.push_back(cur);
    }
    open = false;
  };
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& l = labels[i];
    if (l.size() < 3 || l[1] != '-') {
      close(i);
      continue;
    }
    const char k = l[0];
    const std::string type = l.substr(2);
    if (k == 'B' || k == 'U' || !open || cur.type != type) {
      close(i);
      open = true;
      cur.begin = i;
      cur.type = type;
    }
    if (k == 'L' || k == 'U') close(i + 1);
  }
  close(labels.size());
  return out;
}

// ---- gazetteers ----

const std::vector<std::string>& NerGazetteer::ListNames() {
  static const std::vector<std::string> names = {"country",      "subdivision", "city",
                                                 "first_name",   "org_suffix",  "org_word",
                                                 "person_title", "demonym"};
  return names;
}

NerGazetteer::Files NerGazetteer::Files::Default() {
  Files f;
  const std::string data = KGRAPH_DATA_DIR;
  f.gazetteers = data + "/gazetteers";
  f.nlp_titles = data + "/nlp/person_titles.txt";
  const char* env = std::getenv("KGRAPH_GENERATED_DATA_DIR");
  f.cities = (env != nullptr && *env ? std::string(env) : data + "/../build/data") +
             "/gazetteers/cities.tsv";
  return f;
}

uint64_t NerGazetteer::TokenHash(absl::string_view lower_token) { return HashString(lower_token); }

void NerGazetteer::Add(int list, const std::string& entry) {
  // Punctuation that the corpora tokenize apart becomes its own token.
  std::string spaced;
  for (char c : LowerAscii(entry)) {
    if (c == ',' || c == '(' || c == ')') {
      absl::StrAppend(&spaced, " ", std::string(1, c), " ");
    } else {
      spaced += c;
    }
  }
  std::vector<std::string> tokens = absl::StrSplit(spaced, ' ', absl::SkipEmpty());
  if (tokens.empty() || tokens.size() > kMaxWords) return;
  uint64_t h = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    h = FeatureKey(kGazSeq, h, TokenHash(tokens[i]));
    uint32_t& bits = entries_[h];
    if (i + 1 < tokens.size()) {
      bits |= kPrefixBit;
    } else {
      if (!(bits & (1u << list))) ++num_entries_;
      bits |= 1u << list;
    }
  }
}

std::vector<uint32_t> NerGazetteer::Match(const std::vector<uint64_t>& lower_hashes) const {
  std::vector<uint32_t> out(lower_hashes.size(), 0);
  if (entries_.empty()) return out;
  for (size_t i = 0; i < lower_hashes.size(); ++i) {
    uint64_t h = 0;
    for (size_t j = i; j < lower_hashes.size() && j - i < kMaxWords; ++j) {
      h = FeatureKey(kGazSeq, h, lower_hashes[j]);
      auto it = entries_.find(h);
      if (it == entries_.end()) break;
      const uint32_t lists = it->second & ~kPrefixBit;
      for (uint32_t k = 0; lists >> k; ++k) {
        if (!((lists >> k) & 1)) continue;
        if (j == i) {
          out[i] |= 1u << (4 * k + kU);
        } else {
          out[i] |= 1u << (4 * k + kB);
          for (size_t m = i + 1; m < j; ++m) out[m] |= 1u << (4 * k + kI);
          out[j] |= 1u << (4 * k + kL);
        }
      }
      if (!(it->second & kPrefixBit)) break;
    }
  }
  return out;
}

absl::StatusOr<NerGazetteer> NerGazetteer::Load(const Files& files) {
  NerGazetteer g;
  auto list = [](absl::string_view name) {
    const auto& names = ListNames();
    return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  for (const auto& [path, key, list_name] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {files.iso_3166_1, "3166-1", "country"}, {files.iso_3166_2, "3166-2", "subdivision"}}) {
    std::ifstream in(path);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open (Debian iso-codes)"));
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.contains(key) || !j[key].is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not an iso-codes ", key, " file"));
    }
    for (const auto& e : j[key]) {
      for (const char* field : {"name", "common_name", "official_name"}) {
        if (e.contains(field) && e[field].is_string()) {
          g.Add(list(list_name), e[field].get<std::string>());
        }
      }
    }
  }
  // Short English names that iso-codes spells otherwise ("Türkiye") or that
  // name former states still common in news text.
  for (const char* name :
       {"Turkey", "Soviet Union", "USSR", "Yugoslavia", "Burma", "Ivory Coast", "Czechoslovakia",
        "East Germany", "West Germany", "Britain", "Great Britain", "Holland", "Vatican",
        "Bosnia-Herzegovina", "Congo", "Macedonia", "Swaziland"}) {
    g.Add(list("country"), name);
  }
  struct ListFile {
    std::string path;
    std::string list;
    int columns;  // TSV columns taken (1 = the first only)
  };
  const std::string dir = files.gazetteers + "/";
  const std::vector<ListFile> lists = {
      {files.cities, "city", 2},
      {dir + "gpe_aliases.tsv", "country", 1},
      {dir + "first_names.txt", "first_name", 1},
      {dir + "org_suffixes.txt", "org_suffix", 1},
      {dir + "org_words.txt", "org_word", 1},
      {dir + "person_titles.txt", "person_title", 1},
      {files.nlp_titles, "person_title", 1},
      {dir + "demonyms.tsv", "demonym", 1},
  };
  for (const ListFile& f : lists) {
    if (f.path.empty()) continue;
    absl::StatusOr<std::vector<std::string>> lines = ReadLines(f.path);
    if (!lines.ok()) return lines.status();
    for (const std::string& line : *lines) {
      std::vector<std::string> cols = absl::StrSplit(line, '\t');
      for (int c = 0; c < f.columns && c < static_cast<int>(cols.size()); ++c) {
        const std::string entry = Trimmed(cols[c]);
        if (entry.empty()) continue;
        g.Add(list(f.list), entry);
        // Plural demonyms ("Americans") are as common as the adjective.
        if (f.list == "demonym" && entry.back() != 's') g.Add(list(f.list), entry + "s");
      }
    }
  }
  return g;
}

void NerGazetteer::Write(ByteWriter* out) const {
  out->Varint(ListNames().size());
  out->Varint(num_entries_);
  std::vector<std::pair<uint64_t, uint32_t>> sorted(entries_.begin(), entries_.end());
  std::sort(sorted.begin(), sorted.end());
  out->Varint(sorted.size());
  for (const auto& [h, bits] : sorted) {
    out->U64(h);
    out->Varint(bits);
  }
}

absl::Status NerGazetteer::Read(ByteReader* in) {
  uint64_t lists = 0, entries = 0, n = 0;
  if (!in->Varint(&lists) || !in->Varint(&entries) || !in->Varint(&n)) return in->status();
  if (lists != ListNames().size()) {
    in->Fail(absl::StrCat("gazetteer with ", lists, " lists, expected ", ListNames().size()));
    return in->status();
  }
  if (n > (1u << 26)) {
    in->Fail("gazetteer too large");
    return in->status();
  }
  entries_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t h = 0, bits = 0;
    if (!in->U64(&h) || !in->Varint(&bits)) return in->status();
    if (bits > 0xffffffffu) {
      in->Fail("gazetteer entry bits out of range");
      return in->status();
    }
    entries_[h] = static_cast<uint32_t>(bits);
  }
  num_entries_ = entries;
  return absl::OkStatus();
}

// ---- the recognizer ----

const std::set<std::string>& NerTargetTypes() {
  static const std::set<std::string> types = {"PERSON", "ORG", "GPE"};
  return types;
}

const std::vector<std::string>& NamedEntityTagger::LabelNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {"O"};
    for (int t = 0; t < kNumTypes; ++t) {
      for (const char* k : {"B-", "I-", "L-", "U-"}) v.push_back(absl::StrCat(k, kTypes[t]));
    }
    return v;
  }();
  return names;
}

bool NamedEntityTagger::Allowed(int prev, int next, bool last) {
  const bool open = prev > 0 && (KindOf(prev) == kB || KindOf(prev) == kI);
  if (open) {
    if (next == 0 || TypeOf(next) != TypeOf(prev)) return false;
    const int k = KindOf(next);
    return last ? k == kL : (k == kI || k == kL);
  }
  if (next == 0) return true;
  const int k = KindOf(next);
  return last ? k == kU : (k == kB || k == kU);
}

int NamedEntityTagger::BestAllowed(const float* scores, int prev, bool last) {
  int best = -1;
  for (int c = 0; c < kNumLabels; ++c) {
    if (!Allowed(prev, c, last)) continue;
    if (best < 0 || scores[c] > scores[best]) best = c;
  }
  return best;  // never -1: O, or L- of the open type, is always allowed
}

struct NamedEntityTagger::WordInfo {
  uint64_t lower, form, shape, upos, xpos;
  uint64_t pre[4], suf[4];
  uint32_t gaz;
  uint8_t cap;
  uint16_t cluster;  // clusters_ value, 0 = none
  // The capitalized run the word is in (see Prepare): its kind (0 = none,
  // else 1 + kB/kI/kL/kU), length (capped at 4), and the lower-cased hashes
  // of its first and last words and of the words just before and after it.
  uint8_t chunk_kind, chunk_len;
  uint64_t chunk_first, chunk_last, chunk_last_suf, chunk_before, chunk_after;
  uint32_t chunk_last_gaz, chunk_first_gaz;
  // Lists with an entry that is exactly the run; for a run followed by a
  // comma and another run ("Lubbock , Texas"), that run's last word's lists
  // with bit 31 set (0 = no such run; the bit is also the last list's L bit,
  // a hash input only).
  uint32_t chunk_exact_gaz, chunk_comma_gaz;
  uint8_t sentence_case;  // 0 = too few words, 1 = no capitals, 2..4 = share of capitals
};

std::vector<NamedEntityTagger::WordInfo> NamedEntityTagger::Prepare(
    const Sentence& sentence) const {
  const size_t n = sentence.words.size();
  std::vector<WordInfo> out(n);
  std::vector<uint64_t> lower_hashes(n);
  std::string lower;
  for (size_t i = 0; i < n; ++i) {
    const Word& word = sentence.words[i];
    const std::string& form = word.form;
    lower = LowerAscii(form);
    // A sentence's final period glued to its last word ("Armenia.", as
    // CoNLL04 tokenizes) is not part of the word: it is looked up without.
    if (i + 1 == n && lower.size() >= 3 && lower.back() == '.' &&
        absl::ascii_isalpha(static_cast<unsigned char>(lower[lower.size() - 2])) &&
        lower.find('.') + 1 == lower.size()) {
      lower.pop_back();
    }
    WordInfo& w = out[i];
    w.lower = HashString(lower);
    lower_hashes[i] = w.lower;
    w.form = HashString(form);
    w.shape = HashString(WordShape(form));
    w.upos = HashString(word.upos);
    w.xpos = HashString(word.xpos);
    const absl::string_view l(lower);
    for (size_t k = 0; k < 4; ++k) {
      const size_t m = std::min(l.size(), k + 1);
      w.pre[k] = HashString(l.substr(0, m));
      w.suf[k] = HashString(l.substr(l.size() - m));
    }
    w.cap = CapClass(form);
  }
  const std::vector<uint32_t> gaz = gazetteer_.Match(lower_hashes);
  for (size_t i = 0; i < n; ++i) {
    out[i].gaz = gaz[i];
    out[i].cluster = clusters_.Find(out[i].lower);
  }
  // Capitalized runs: maximal sequences of capitalized words (Xx, XX, X),
  // joined across a lower-case connector between two of them ("Bank of
  // America", "Procter & Gamble"). The greedy decoder labels a name's first
  // word before it sees the rest; the run's last word ("... Corporation",
  // "... University") is what tells ORG from PERSON or GPE, so every word of
  // a run sees its ends and neighbours.
  auto capitalized = [&](size_t i) { return out[i].cap >= 1 && out[i].cap <= 3; };
  auto connector = [&](size_t i) {
    const std::string& f = sentence.words[i].form;
    return f == "of" || f == "and" || f == "&" || f == "for" || f == "de" || f == "the" ||
           f == "van" || f == "von" || f == "del" || f == "du" || f == "da" || f == "la";
  };
  uint32_t upper = 0, alpha = 0;
  for (size_t i = 0; i < n; ++i) {
    upper += capitalized(i);
    alpha += out[i].cap >= 1 && out[i].cap <= 5;
  }
  for (size_t i = 0; i < n;) {
    if (!capitalized(i)) {
      out[i].chunk_kind = 0;
      ++i;
      continue;
    }
    size_t end = i + 1;
    for (;;) {
      if (end < n && capitalized(end)) {
        ++end;
      } else if (end + 1 < n && connector(end) && capitalized(end + 1)) {
        end += 2;
      } else {
        break;
      }
    }
    const size_t len = end - i;
    // An entry spans the run when its first word starts one (B, or U for
    // one word) and its last word ends one (L, or U), for the same list.
    uint32_t exact = 0;
    for (uint32_t k = 0; k < 8; ++k) {
      const uint32_t first = (out[i].gaz >> (4 * k)) & 0xf;
      const uint32_t last = (out[end - 1].gaz >> (4 * k)) & 0xf;
      const bool spans = len == 1 ? (first >> kU) & 1 : ((first >> kB) & 1) && ((last >> kL) & 1);
      if (spans) exact |= 1u << k;
    }
    uint32_t comma = 0;
    if (end + 1 < n && sentence.words[end].form == "," && capitalized(end + 1)) {
      size_t e2 = end + 1;
      while (e2 + 1 < n && capitalized(e2 + 1)) ++e2;
      comma = out[e2].gaz | 1u << 31;
    }
    for (size_t j = i; j < end; ++j) {
      WordInfo& w = out[j];
      w.chunk_kind = 1 + (len == 1 ? kU : j == i ? kB : j + 1 == end ? kL : kI);
      w.chunk_len = static_cast<uint8_t>(std::min<size_t>(len, 4));
      w.chunk_first = out[i].lower;
      w.chunk_last = out[end - 1].lower;
      w.chunk_last_suf = out[end - 1].suf[2];
      w.chunk_last_gaz = out[end - 1].gaz;
      w.chunk_first_gaz = out[i].gaz;
      w.chunk_exact_gaz = exact;
      w.chunk_comma_gaz = comma;
      w.chunk_before = i > 0 ? out[i - 1].lower : kNone;
      w.chunk_after = end < n ? out[end].lower : kNone;
    }
    i = end;
  }
  // The sentence's case: in a headline or an all-caps or all-lower-case
  // line (web text), capitalization says less.
  const uint8_t sentence_case = alpha < 3                ? 0
                                : upper == 0             ? 1
                                : 10 * upper < 3 * alpha ? 2
                                : 10 * upper < 6 * alpha ? 3
                                                         : 4;
  for (WordInfo& w : out) w.sentence_case = sentence_case;
  return out;
}

void NamedEntityTagger::Features(const std::vector<WordInfo>& words, size_t i, int y1, int y2,
                                 std::vector<uint64_t>* out) const {
  out->clear();
  const long n = static_cast<long>(words.size());
  const long ii = static_cast<long>(i);
  const WordInfo& w = words[i];
  auto at = [&](long j) -> const WordInfo* { return j < 0 || j >= n ? nullptr : &words[j]; };
  const uint64_t p1 = static_cast<uint64_t>(y1 + 2), p2 = static_cast<uint64_t>(y2 + 2);
  out->push_back(FeatureKey(kBias, 0));
  out->push_back(FeatureKey(kLower, w.lower));
  out->push_back(FeatureKey(kForm, w.form));
  out->push_back(FeatureKey(kShape, w.shape));
  for (uint32_t k = 0; k < 4; ++k) {
    out->push_back(FeatureKey(kPre1 + k, w.pre[k]));
    out->push_back(FeatureKey(kSuf1 + k, w.suf[k]));
  }
  uint64_t caps3 = 0, caps5 = 0;
  for (long d = -2; d <= 2; ++d) {
    const WordInfo* x = at(ii + d);
    const uint32_t slot = static_cast<uint32_t>(d + 2);
    out->push_back(FeatureKey(kUpos + slot, x ? x->upos : kNone));
    out->push_back(FeatureKey(kXpos + slot, x ? x->xpos : kNone));
    if (d != 0) out->push_back(FeatureKey(kWord, slot, x ? x->lower : kNone));
    const uint64_t c = x ? x->cap : 15;
    caps5 = caps5 * 16 + c;
    if (d >= -1 && d <= 1) caps3 = caps3 * 16 + c;
  }
  const WordInfo* prev = at(ii - 1);
  const WordInfo* next = at(ii + 1);
  out->push_back(FeatureKey(kPrev1, p1));
  out->push_back(FeatureKey(kPrev2, p1, p2));
  out->push_back(FeatureKey(kPrevWord, p1, w.lower));
  out->push_back(FeatureKey(kPrevShape, p1, w.shape));
  out->push_back(FeatureKey(kPrevUpos, p1, w.upos));
  out->push_back(FeatureKey(kWordPair1, prev ? prev->lower : kNone, w.lower));
  out->push_back(FeatureKey(kWordPair2, w.lower, next ? next->lower : kNone));
  out->push_back(FeatureKey(kUposPair1, prev ? prev->upos : kNone, w.upos));
  out->push_back(FeatureKey(kUposPair2, w.upos, next ? next->upos : kNone));
  out->push_back(FeatureKey(kShapeUpos, w.shape, w.upos));
  out->push_back(FeatureKey(kCaps3, caps3));
  out->push_back(FeatureKey(kCaps5, caps5));
  out->push_back(FeatureKey(kFirstCap, i == 0 ? 1 : 2, w.cap));
  // Gazetteers: one feature per list the word is in (with its B/I/L/U bits),
  // and the whole signature of the word and its neighbours.
  for (uint32_t k = 0; k < 8 && (w.gaz >> (4 * k)) != 0; ++k) {
    const uint32_t bits = (w.gaz >> (4 * k)) & 0xf;
    if (bits) out->push_back(FeatureKey(kGaz + k, bits));
  }
  const uint64_t sig_prev = prev ? prev->gaz : kNone, sig_next = next ? next->gaz : kNone;
  if (w.gaz) out->push_back(FeatureKey(kGazSig, w.gaz));
  if (w.gaz) out->push_back(FeatureKey(kGazSigCap, w.gaz, w.cap));
  if (sig_prev) out->push_back(FeatureKey(kGazSig + 1, sig_prev));
  if (sig_next) out->push_back(FeatureKey(kGazSig + 2, sig_next));
  out->push_back(FeatureKey(kPrevGazSig, p1, w.gaz));
  // Exact neighbour forms keep their case ("of" vs "Of" inside a name).
  out->push_back(FeatureKey(kNeighbourForm, prev ? prev->form : kNone));
  out->push_back(FeatureKey(kNeighbourForm + 1, next ? next->form : kNone));
  out->push_back(FeatureKey(kPrevNextWord, p1, next ? next->lower : kNone));
  out->push_back(FeatureKey(kCapGazNext, w.cap, next ? next->cap : 15, sig_next));
  out->push_back(
      FeatureKey(kUposTri, prev ? prev->upos : kNone, w.upos, next ? next->upos : kNone));
  out->push_back(FeatureKey(kLabelsCap, p1, p2, w.cap));
  out->push_back(FeatureKey(kNeighbourSuf, prev ? prev->suf[2] : kNone));
  out->push_back(FeatureKey(kNeighbourSuf + 1, next ? next->suf[2] : kNone));
  // "Lubbock , Texas": a place two words on, after a comma, is one span in
  // CoNLL04 news; the greedy decoder must decide at "Lubbock".
  const WordInfo* next2 = at(ii + 2);
  if (next2 != nullptr && next2->gaz)
    out->push_back(FeatureKey(kGazNext2, next2->gaz, next->lower));
  out->push_back(FeatureKey(kSentenceCase, w.sentence_case, w.cap));
  if (w.chunk_kind) {
    const uint64_t kind = w.chunk_kind;
    out->push_back(FeatureKey(kChunkShape, kind, w.chunk_len));
    out->push_back(FeatureKey(kChunkFirst, kind, w.chunk_first));
    out->push_back(FeatureKey(kChunkLast, kind, w.chunk_last));
    out->push_back(FeatureKey(kChunkLastSuf, kind, w.chunk_last_suf));
    out->push_back(FeatureKey(kChunkLastGaz, kind, w.chunk_last_gaz));
    out->push_back(FeatureKey(kChunkBefore, kind, w.chunk_before));
    out->push_back(FeatureKey(kChunkAfter, kind, w.chunk_after));
    out->push_back(FeatureKey(kChunkGazExact, kind, w.chunk_exact_gaz));
    out->push_back(FeatureKey(kChunkFirstGaz, kind, w.chunk_first_gaz));
    if (w.chunk_comma_gaz) out->push_back(FeatureKey(kChunkComma, kind, w.chunk_comma_gaz));
    out->push_back(FeatureKey(kChunkPrevLabel, p1, kind, w.chunk_last));
  }
  if (!clusters_.empty()) {
    // Word classes generalize from seen to unseen words ("Lubbock" like
    // "Portland"); 64 classes coarse, 256 fine, for w-1, w0, w+1.
    const uint64_t c0 = w.cluster, cp = prev ? prev->cluster : 0xfffff,
                   cn = next ? next->cluster : 0xfffff;
    out->push_back(FeatureKey(kCluster, c0 >> 8));
    out->push_back(FeatureKey(kCluster + 1, c0));
    out->push_back(FeatureKey(kCluster + 2, cp >> 8));
    out->push_back(FeatureKey(kCluster + 3, cp));
    out->push_back(FeatureKey(kCluster + 4, cn >> 8));
    out->push_back(FeatureKey(kCluster + 5, cn));
    out->push_back(FeatureKey(kClusterCap, c0, w.cap));
    out->push_back(FeatureKey(kPrevCluster, p1, c0 >> 8));
  }
}

std::vector<int> NamedEntityTagger::Decode(const std::vector<WordInfo>& words,
                                           const PerceptronModel& model) const {
  std::vector<int> labels(words.size());
  std::vector<uint64_t> features;
  float scores[kNumLabels];
  int y1 = -1, y2 = -1;
  for (size_t i = 0; i < words.size(); ++i) {
    Features(words, i, y1, y2, &features);
    std::fill(scores, scores + kNumLabels, 0.0f);
    model.Score(features, scores);
    labels[i] = BestAllowed(scores, y1, i + 1 == words.size());
    y2 = y1;
    y1 = labels[i];
  }
  return labels;
}

namespace {

std::vector<EntitySpan> LabelsToSpans(const std::vector<int>& labels) {
  std::vector<std::string> names;
  names.reserve(labels.size());
  for (int l : labels) names.push_back(NamedEntityTagger::LabelNames()[l]);
  return BilouToSpans(names);
}

}  // namespace

std::vector<std::string> NamedEntityTagger::Labels(const Sentence& sentence) const {
  std::vector<std::string> out;
  for (int l : Decode(Prepare(sentence), model_)) out.push_back(LabelNames()[l]);
  return out;
}

void NamedEntityTagger::Recognize(Sentence* sentence) const {
  sentence->entities = LabelsToSpans(Decode(Prepare(*sentence), model_));
}

void ScoreNer(const NamedEntityTagger& tagger, const NerCorpus& corpus, SpanScorer* scorer) {
  for (const NerSentence& ns : corpus.sentences) {
    Sentence s = ns.sentence;
    tagger.Recognize(&s);
    scorer->Add(ns.sentence.entities, s.entities, ns.masked);
  }
}

absl::StatusOr<std::unique_ptr<NamedEntityTagger>> NamedEntityTagger::Train(
    const std::vector<NerCorpus>& train, const NerCorpus& dev, const TrainOptions& options,
    const NerGazetteer& gazetteer, const std::vector<Sentence>& cluster_text) {
  auto tagger = std::make_unique<NamedEntityTagger>();
  tagger->gazetteer_ = gazetteer;
  {
    std::vector<const Sentence*> text;
    for (const Sentence& s : cluster_text) text.push_back(&s);
    for (const NerCorpus& c : train) {
      for (const NerSentence& s : c.sentences) text.push_back(&s.sentence);
    }
    if (!cluster_text.empty()) tagger->clusters_ = WordClusters::Build(text);
    if (options.progress && !tagger->clusters_.empty()) {
      options.progress(absl::StrCat("ner: ", tagger->clusters_.size(), " words clustered"));
    }
  }
  // Per training sentence: prepared words, gold labels (-1 = masked: no
  // update there) and the label types its corpus does not annotate.
  std::vector<std::vector<WordInfo>> words;
  std::vector<std::vector<int>> gold;
  std::vector<uint8_t> unannotated;
  size_t num_words = 0;
  for (const NerCorpus& corpus : train) {
    uint8_t mask = 0;
    for (int t = 0; t < kNumTypes; ++t) {
      if (!corpus.annotated_types.count(kTypes[t])) mask |= 1u << t;
    }
    for (const NerSentence& ns : corpus.sentences) {
      const Sentence& s = ns.sentence;
      std::vector<int> g(s.words.size(), 0);
      for (const EntitySpan& e : s.entities) {
        const int t = TypeIndex(e.type);
        if (t < 0) {
          return absl::InvalidArgumentError(absl::StrCat(corpus.name, " sentence ", s.id,
                                                         ": entity type '", e.type,
                                                         "' is not PERSON, ORG, GPE or MISC"));
        }
        if (e.begin >= e.end || e.end > s.words.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(corpus.name, " sentence ", s.id, ": span out of range"));
        }
        for (size_t i = e.begin; i < e.end; ++i) {
          g[i] = LabelOf(t, e.end - e.begin == 1 ? kU
                            : i == e.begin       ? kB
                            : i + 1 == e.end     ? kL
                                                 : kI);
        }
      }
      for (const auto& [b, e] : ns.masked) {
        for (size_t i = b; i < e && i < g.size(); ++i) g[i] = -1;
      }
      words.push_back(tagger->Prepare(s));
      gold.push_back(std::move(g));
      unannotated.push_back(mask);
      num_words += s.words.size();
    }
  }
  if (num_words == 0) return absl::InvalidArgumentError("no training words");
  std::set<std::string> dev_types;
  for (const std::string& t : NerTargetTypes()) {
    if (dev.annotated_types.count(t)) dev_types.insert(t);
  }

  PerceptronTrainer trainer(kNumLabels);
  std::vector<size_t> order(words.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(static_cast<uint32_t>(options.seed));
  std::vector<uint64_t> features;
  float scores[kNumLabels];
  EarlyStopping stopping(options.patience);
  for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    size_t correct = 0, total = 0;
    for (size_t si : order) {
      const auto& sentence = words[si];
      int y1 = -1, y2 = -1;
      for (size_t i = 0; i < sentence.size(); ++i) {
        tagger->Features(sentence, i, y1, y2, &features);
        std::fill(scores, scores + kNumLabels, 0.0f);
        trainer.Score(features, scores);
        const int guess = BestAllowed(scores, y1, i + 1 == sentence.size());
        const int g = gold[si][i];
        // No update where the label is unknown: a masked word, or a guess of
        // a type the corpus does not annotate where it says O.
        const bool unknown =
            g < 0 || (g == 0 && guess > 0 && ((unannotated[si] >> TypeOf(guess)) & 1));
        if (!unknown) {
          // Passive-aggressive steps (PA, Crammer et al. 2006): the gold
          // label must beat the best other allowed label by a margin of 1;
          // the step is the hinge loss over |phi(gold) - phi(other)|^2, which
          // is 2 |features|. A correct guess within the margin is pushed too.
          // Each step is kStepScale of that (a less aggressive PA).
          int other = guess;
          if (guess == g) {
            other = -1;
            for (int l = 0; l < kNumLabels; ++l) {
              if (l == g || !Allowed(y1, l, i + 1 == sentence.size())) continue;
              if (g == 0 && ((unannotated[si] >> TypeOf(l)) & 1)) continue;
              if (other < 0 || scores[l] > scores[other]) other = l;
            }
          }
          const float step = other < 0 ? 0.0f
                                       : PassiveAggressiveStep(scores[g], scores[other],
                                                               kStepScale, features.size());
          if (step > 0) trainer.Update(features, g, other, step);
          correct += guess == g;
          ++total;
        }
        trainer.Tick();
        y2 = y1;
        y1 = guess;  // the predicted label is the history, as when decoding
      }
    }
    auto candidate = std::make_unique<NamedEntityTagger>();
    candidate->gazetteer_ = gazetteer;
    candidate->clusters_ = tagger->clusters_;
    candidate->model_ = trainer.Average();
    SpanScorer scorer(dev_types);
    ScoreNer(*candidate, dev, &scorer);
    const double f1 = scorer.Overall().F1();
    if (options.progress) {
      options.progress(absl::StrFormat(
          "ner epoch %d: train label accuracy %.4f, dev %s PERSON/ORG/GPE F1 %.4f, %d features",
          epoch, double(correct) / std::max<size_t>(total, 1), dev.name, f1,
          candidate->model_.num_features()));
    }
    if (stopping.Offer(dev.sentences.empty() ? epoch : f1, std::move(candidate->model_))) break;
  }
  tagger->model_ = stopping.TakeBest();
  return tagger;
}

absl::Status NamedEntityTagger::Save(const std::string& path, const std::string& training_checksum,
                                     const std::string& info) const {
  ByteWriter out;
  out.Varint(kNumLabels);
  for (const std::string& l : LabelNames()) out.String(l);
  gazetteer_.Write(&out);
  clusters_.Write(&out);
  model_.Write(&out);
  return WriteModelFile(path, {"ner", kVersion, kFeatures, training_checksum, info}, out.data());
}

absl::StatusOr<std::unique_ptr<NamedEntityTagger>> NamedEntityTagger::Load(
    const std::string& path) {
  absl::StatusOr<ModelFile> file = ReadModelFile(
      path, "ner", kVersion,
      "kgraph-admin train ner --train wikigold=../shared/nlp/ner/wikigold/wikigold.conll "
      "--train sec=../shared/nlp/ner/sec-filings/FIN5.conll "
      "--train gum=../shared/nlp/ud-gum/en_gum-ud-train.conllu "
      "--train conll04=../shared/eval/conll04/conll04_train.json (three times: a weight) "
      "--dev gum=../shared/nlp/ud-gum/en_gum-ud-dev.conllu --tagger data/models/tagger.model "
      "--out " +
          path + " (data/models/README.md has the exact command)");
  if (!file.ok()) return file.status();
  auto tagger = std::make_unique<NamedEntityTagger>();
  ByteReader in(file->payload, path);
  uint64_t n = 0;
  if (!in.Varint(&n)) return in.status();
  if (n != kNumLabels) {
    in.Fail(absl::StrCat(n, " labels, expected ", kNumLabels));
    return in.status();
  }
  for (int i = 0; i < kNumLabels; ++i) {
    std::string l;
    if (!in.String(&l)) return in.status();
    if (l != LabelNames()[i]) {
      in.Fail(absl::StrCat("label ", i, " is '", l, "', expected ", LabelNames()[i]));
      return in.status();
    }
  }
  if (absl::Status s = tagger->gazetteer_.Read(&in); !s.ok()) return s;
  if (absl::Status s = tagger->clusters_.Read(&in); !s.ok()) return s;
  absl::StatusOr<PerceptronModel> model = PerceptronModel::Read(&in);
  if (!model.ok()) return model.status();
  if (model->num_classes() != kNumLabels) {
    in.Fail("perceptron classes differ from the label count");
    return in.status();
  }
  tagger->model_ = *std::move(model);
  if (absl::Status s = in.Finish(); !s.ok()) return s;
  return tagger;
}

}  // namespace kgraph::nlp
