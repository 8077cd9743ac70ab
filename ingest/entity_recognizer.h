// Entity recognizer: finds typed name mentions (PERSON ORG GPE PRODUCT MISC)
// in tokenized sentences from capitalization, gazetteers, titles, suffixes
// and context cues. Title Case headlines only yield names already seen in the
// body or known places. Stateless apart from the shared immutable Gazetteer;
// thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ingest/gazetteer.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"

namespace kgraph::ingest {

// How sure the recognizer is of a mention's type; the alias resolver weighs
// mentions of one entity by it.
enum CueStrength { kGuess = 0, kWeak = 1, kContext = 2, kStrong = 3 };

struct NameMention {
  size_t first = 0;  // Token range [first, last).
  size_t last = 0;
  size_t sentence = 0;
  std::string surface;  // Text of the tokens, quotes normalized.
  std::string type;
  CueStrength strength = kGuess;
  std::string canonical;  // Set when a gazetteer names it (GPEs, demonyms).
  std::string ticker;     // From Reuters <TICKER> markup.
  bool is_country = false;
  bool in_headline = false;
  int alias_of = -1;  // Index of a mention this one abbreviates "(TeleAI)".
  // "Tupelo, Miss.": the place written with the state or country that
  // qualifies it; becomes an alias of the place.
  std::string qualified;
  // "President Lincoln", "Texas Gov. John Connally": the person written with
  // the title (and the place or employer before it) that precedes the name;
  // become aliases of the person.
  std::vector<std::string> titled;
  // The rules cut this name at a title before it ("former Republican Sen."
  // | "John Tower") or after it ("Senate" | "Republican leader"), or after
  // a sentence's first word that is an ordinary word ("Earlier" | "USAir"):
  // the merger keeps the cut.
  bool cut_before = false;
  bool cut_after = false;
};

class EntityRecognizer {
 public:
  // REQUIRES: gazetteer outlives the recognizer.
  explicit EntityRecognizer(const Gazetteer& gazetteer) : gaz_(gazetteer) {}

  // Returns mentions in text order. `text` is the tokenized text.
  std::vector<NameMention> Recognize(
      absl::string_view text, const std::vector<Token>& tokens,
      const std::vector<SentenceSpan>& sentences) const;

 private:
  struct Context;
  bool IsHeadline(const std::vector<Token>& tokens,
                  const SentenceSpan& s) const;
  bool IsNameToken(const Token& t) const;
  void RecognizeSentence(Context& ctx, size_t sentence_index) const;
  void RecognizeHeadline(Context& ctx, size_t sentence_index) const;
  void EmitSpan(Context& ctx, size_t sentence_index, size_t first,
                size_t last) const;
  void TypeSpan(Context& ctx, NameMention& m) const;
  void TypeListedPlaces(Context& ctx) const;
  size_t MatchTitle(const std::vector<Token>& tokens, size_t i,
                    size_t end) const;
  // The end of "(U.K.) Ltd" at tokens[k] when it ends a name there, else k.
  size_t ParenthesizedLegalEnd(const std::vector<Token>& tokens, size_t k,
                               size_t end) const;
  // A function word or adverb ("Earlier", "Separately") that starts a
  // sentence and is never part of the name after it.
  bool IsStarterWord(const Token& t) const;
  // The end of "'s Corp" / "'s Co Inc" at tokens[k] when it ends a name
  // there, else k.
  size_t PossessiveLegalEnd(const std::vector<Token>& tokens, size_t k,
                            size_t end) const;

  const Gazetteer& gaz_;
};

}  // namespace kgraph::ingest
