// UD-style tokenizer and sentence splitter: raw UTF-8 text in, sentences of
// words out, cut the way UD English EWT cuts them, so that the tagger, parser
// and NER (trained on EWT words) see the words they learned from.
// Thread safety: a loaded Tokenizer is immutable; Tokenize() is const and may
// be called from many threads at once.
//
// Conventions (measured against EWT train, see tests/nlp_tokenizer_test.cc):
//  - A word's form is exactly its bytes of the input: text.substr(start,
//    end - start). Nothing is normalized (curly quotes stay curly), because
//    EWT forms are the surface spelling too.
//  - Offsets are UTF-8 byte offsets into the whole input, not the sentence.
//  - Clitics are split off as EWT does ("company's" -> "company" "'s",
//    "don't" -> "do" "n't", "won't" -> "wo" "n't", "can't" -> "ca" "n't",
//    "I'm" -> "I" "'m", 'll 're 've 'd; "cannot" -> "can" "not" and the other
//    whole-word splits in data/nlp/tokenizer_contractions.txt). Every part is
//    a substring of the token, so each part gets the offsets of its own
//    bytes: in "don't" at 0, "do" is [0,2) and "n't" [2,5). The parts of one
//    token are words like any other (space_after false between them).
//  - Plural possessive "students'" gives "students" "'".
//  - Hyphens split ("Chicago-based" -> "Chicago" "-" "based", "20-year-old"
//    -> "20" "-" "year" "-" "old", "1969-1970" -> "1969" "-" "1970") except
//    after a prefix listed in data/nlp/tokenizer_hyphen_prefixes.txt
//    ("e-mail", "non-profit", "co-workers"), in phone numbers and zip codes
//    ("713-853-3989", "94720-1900") and in file and host names
//    ("Get-A-Free-House.com").
//  - Abbreviations in data/nlp/abbreviations.txt, single letters and dotted
//    initials ("U.S.", "p.m.") keep their period; at the end of a sentence
//    the period is split off and ends the sentence ("Inc" "."), as in EWT.
//  - Numbers keep '.', ',' and ':' between digits and '/' in dates ("3.5",
//    "1,000", "10:30", "11/28/2000"); currency and percent signs are words
//    of their own ("$" "5", "5" "%"), and so are the units of
//    data/nlp/tokenizer_units.txt ("5pm" -> "5" "pm"); "5th", "1990s",
//    "50's", "'72" and "+44" stay whole.
//  - URLs and e-mail addresses are one word (trailing punctuation excluded),
//    and so are the emoticons of data/nlp/tokenizer_emoticons.txt.
//  - Runs of '.', '!' and '?' ("...", "?!"), and runs of one character among
//    - * = _ < > ~ # ' + ^ | and the dashes, are one word; curly quotes run
//    together ("‘’"); any other punctuation or symbol is one word per code
//    point.
//  - An invalid UTF-8 byte is a word of its own (one byte); never a crash.
//  - space_after is false iff the byte right after the word exists and is
//    not whitespace.
//
// Sentences end after a run of '.', '!', '?' or U+2026 (with the closing
// quotes and brackets glued to it, a ')' or ']' after a space, and
// emoticons), except an ellipsis before a lowercase word ("so... maybe");
// after "AM"/"PM" before a capitalized word (e-mail headers); at a blank
// line (a paragraph break always ends a sentence); at the end of the text;
// and after kMaxSentenceWords words, so that text without punctuation still
// gives bounded sentences for the tagger and parser. An abbreviation's
// period ends a sentence only before a blank line or the end of the text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/sentence.h"

namespace kgraph::nlp {

// A sentence is cut after this many words even without punctuation: the
// parser's cost grows with length, and EWT's longest sentence has 159 words.
inline constexpr size_t kMaxSentenceWords = 250;

class Tokenizer {
 public:
  // Reads the tokenizer's lists from `data_dir`/nlp/: abbreviations.txt,
  // tokenizer_hyphen_prefixes.txt, tokenizer_contractions.txt,
  // tokenizer_units.txt and tokenizer_emoticons.txt. NotFound naming the file
  // if one is missing; InvalidArgument "path:line: message" for a malformed
  // line.
  static absl::StatusOr<Tokenizer> Load(const std::string& data_dir);

  // Load(DefaultDataDir()).
  static absl::StatusOr<Tokenizer> LoadDefault();

  // The repository's data/ directory (KGRAPH_DATA_DIR at build time).
  static std::string DefaultDataDir();

  // Splits `text` into sentences. Empty or all-whitespace text gives none.
  // Each sentence has words (form, start, end, space_after; other columns
  // empty), start (its first word's start) and text (the input from its
  // first word's start to its last word's end). Never fails.
  std::vector<Sentence> Tokenize(absl::string_view text) const;

  // The words of `text` without sentence splitting, as if `text` were one
  // sentence (its final abbreviation period is split off). For scoring
  // tokenization on gold sentence texts.
  std::vector<Word> TokenizeWords(absl::string_view text) const;

 private:
  Tokenizer() = default;

  struct Abbreviation {
    bool before_name = false;    // "Mr.", "Dr.": never ends a sentence.
    bool before_number = false;  // "No.": an abbreviation only before digits
  };
  const Abbreviation* FindAbbreviation(absl::string_view word) const;

  struct RawWord;  // Defined in tokenizer.cc.
  void TokenizeChunk(absl::string_view text, size_t begin, size_t end,
                     std::vector<RawWord>& out) const;
  void SplitWord(absl::string_view text, size_t begin, size_t end,
                 std::vector<RawWord>& out) const;
  std::vector<RawWord> Words(absl::string_view text) const;

  // As listed, with the '.'; the other sets' keys are ASCII-lowercased.
  absl::flat_hash_map<std::string, Abbreviation> abbreviations_;
  absl::flat_hash_set<std::string> hyphen_prefixes_;
  absl::flat_hash_set<std::string> units_;
  absl::flat_hash_map<std::string, std::vector<size_t>> contractions_;
  size_t max_contraction_ = 0;  // bytes of the longest contractions_ key
  std::vector<std::string> emoticons_;  // longest first
  bool emoticon_starts_[256] = {};      // first bytes of emoticons_
};

}  // namespace kgraph::nlp
