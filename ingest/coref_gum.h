// GUM's coreference (the Entity= brackets of its CoNLL-U MISC column) as a
// measuring file for CorefResolver, as issue #12 defines the figure: every
// third-person pronoun and definite description whose entity has an earlier
// PROPN-headed mention must resolve to a mention of that entity. `kgraph-admin
// eval-nlp --coref` prints it and tests/ingest_coref_quality_test checks it.
// Pure functions over plain data; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/coref_resolver.h"
#include "nlp/pipeline.h"
#include "nlp/sentence.h"

namespace kgraph::ingest {

// One GUM document (sentences whose "# sent_id" shares the part before its
// last '-': "GUM_bio_byron-2" is in "GUM_bio_byron").
struct GumCorefDocument {
  std::string id;
  // Gold words as read. `entities` holds the named antecedent candidates: the
  // gold mentions whose syntactic head (the first word whose head lies
  // outside the mention) is PROPN, cut to the run of PROPN words around that
  // head ("the University of Basel, where ..." -> "University of Basel",
  // inner "of"/"&"/"de" kept), typed person -> PERSON, organization -> ORG,
  // place -> GPE, anything else MISC, except GUM's "time" mentions
  // ("December 1780"), which are no names (data/nlp/ner_corpora.tsv maps
  // them to O) and so neither candidates nor a reason to measure an anaphor.
  // Nested names stay separate mentions.
  std::vector<nlp::Sentence> sentences;
  // GUM entity id of each candidate, parallel to sentences[i].entities.
  std::vector<std::vector<std::string>> entity_ids;

  // The measured anaphors.
  struct Anaphor {
    size_t sentence = 0;
    size_t head = 0;           // the pronoun, or the description's head noun
    bool description = false;  // else a pronoun
    std::string entity;        // GUM entity id
  };
  std::vector<Anaphor> anaphors;
};

// Reads a GUM CoNLL-U file. A pronoun is a word tagged PRON with
// PronType=Prs and Person=3 that is a one-word mention; a definite
// description is a mention headed by a NOUN with the det child "the"
// (demonstratives, "this city", are not measured). Either is measured when a candidate of its
// entity ends before the anaphor's mention begins. Errors name the file,
// sentence id and word.
absl::StatusOr<std::vector<GumCorefDocument>> ReadGumCoref(const std::string& path);

struct CorefScores {
  size_t pronouns = 0, pronouns_correct = 0;
  size_t descriptions = 0, descriptions_correct = 0;
  // Measured anaphors resolved to another entity (the rest of the misses
  // are left unresolved).
  size_t pronouns_wrong = 0, descriptions_wrong = 0;
  // Resolutions of words that are not measured anaphors (pleonastic "it",
  // an entity with no earlier name, a word GUM marks no mention).
  size_t resolved_unmeasured = 0;
  // Per sieve: measured anaphors it resolved, how many correctly, and its
  // resolutions outside the measured set.
  struct SieveCounts {
    size_t measured = 0, correct = 0, unmeasured = 0;
  };
  std::map<std::string, SieveCounts> by_sieve;
  // One line per miss: "wrong pronoun 'he' in SENT_ID -> NAME [TYPE] (sieve,
  // N sentences back): sentence" or "unresolved description 'city' in ...".
  std::vector<std::string> misses;

  static double Rate(size_t correct, size_t total) {
    return total == 0 ? 0.0 : double(correct) / total;
  }
  double PronounAccuracy() const { return Rate(pronouns_correct, pronouns); }
  double DescriptionAccuracy() const { return Rate(descriptions_correct, descriptions); }
  double Accuracy() const {
    return Rate(pronouns_correct + descriptions_correct, pronouns + descriptions);
  }
};

// Tags and parses each document's gold words with `nlp` (gold tokens; the
// gold tags and trees are not used), gives the resolver the candidates as
// named mentions, and scores its output against the measured anaphors: an
// anaphor is correct iff a CorefMention with its sentence and head word
// points to a candidate of its entity.
CorefScores EvaluateGumCoref(const CorefResolver& resolver, const nlp::NlpPipeline& nlp,
                             const std::vector<GumCorefDocument>& documents);

}  // namespace kgraph::ingest
