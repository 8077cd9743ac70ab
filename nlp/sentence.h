// The one sentence type passed between the nlp/ stages (after UDPipe's
// sentence.h): the tokenizer or the CoNLL-U reader fills the words, the
// tagger their tags and lemmas, the parser heads and relations, the entity
// recognizer the spans. Each stage fills its own columns of the same object.
// Plain data; not synchronized.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kgraph::nlp {

// Offsets are in UTF-8 bytes of the original text (docs/API.md). A word that
// is part of a multi-word token ("company's" -> "company" "'s") has the
// offsets of its own part when the text spells it out, and of the whole
// token otherwise ("won't" -> "wo" "n't": each part gets its own bytes; a
// token whose parts are not substrings, like "del" -> "de" "el", gives
// every part the whole token's offsets).
struct Word {
  std::string form;
  std::string lemma;
  std::string upos;    // Universal POS tag (NOUN, PROPN, ...)
  std::string xpos;    // Penn Treebank tag (NN, NNP, ...)
  std::string feats;   // CoNLL-U FEATS column, kept as read ("_" if none)
  int head = -1;       // 0 = root, 1..n = word index + 1; -1 = not parsed
  std::string deprel;  // UD relation with subtype ("nsubj:pass")
  size_t start = 0;    // byte offsets into the original text
  size_t end = 0;
  bool space_after = true;
  std::string misc;    // CoNLL-U MISC column as read ("_" if none)
};

// A named-entity mention: words [begin, end) of the sentence.
struct EntitySpan {
  size_t begin = 0;
  size_t end = 0;
  std::string type;  // PERSON, ORG, GPE, MISC (the label set of data/nlp/)
};

struct Sentence {
  std::vector<Word> words;
  std::vector<EntitySpan> entities;
  std::string text;    // "# text" of a CoNLL-U sentence, or the raw sentence
  size_t start = 0;    // byte offset of the sentence in the original text
  std::string id;      // "# sent_id", if any
};

}  // namespace kgraph::nlp
