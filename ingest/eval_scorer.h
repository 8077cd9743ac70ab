// Evaluation scorer: compares extracted documents with gold annotations the
// way /work/shared/eval/FORMAT.md prescribes (name keys, lenient suffix
// match, broader and symmetric relations, required:false triples). Pure
// functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/document.h"
#include "ingest/relation_vocabulary.h"

namespace kgraph::ingest {

struct GoldEntity {
  std::string name;
  std::string type;
  std::vector<std::string> aliases;
};

struct GoldTriple {
  std::string subject;
  std::string relation;
  std::string object;
  bool required = true;
};

struct GoldDocument {
  std::string doc;
  int article = 0;  // 0 when the gold line is a whole document.
  std::string title;
  std::string text;  // Present when the document is the sentence (CoNLL04).
  std::vector<GoldEntity> entities;
  std::vector<GoldTriple> triples;
  // What the gold line annotates (FIRE): only predicted triples of these
  // relations (or whose broader relation is one) and entities of these types
  // are scored. Empty: everything is.
  std::vector<std::string> annotated_relations, annotated_entity_types;
};

absl::StatusOr<std::vector<GoldDocument>> LoadGold(const std::string& path);

struct Counts {
  int tp = 0;  // Matched predictions (precision numerator).
  int fp = 0;
  int found = 0;  // Gold items found (recall numerator).
  int gold = 0;
  double Precision() const { return tp + fp == 0 ? 0.0 : double(tp) / (tp + fp); }
  double Recall() const { return gold == 0 ? 0.0 : double(found) / gold; }
  double F1() const {
    double p = Precision(), r = Recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

struct EvalReport {
  Counts entities_strict, entities_lenient;
  Counts triples_strict, triples_lenient;
  std::map<std::string, Counts> relation_strict, relation_lenient;
  std::map<std::string, Counts> entity_type_strict;
  // Triples (strict) by the rule or model that produced them: tp and fp
  // only (a miss has no rule). The precision a rule's confidence is
  // calibrated from, on files that are not reported.
  std::map<std::string, Counts> rule_strict;
  std::map<std::string, Counts> rule_lenient;  // The same, with lenient name matches.
  std::vector<std::string> false_positives;  // Strict, triples and entities.
  std::vector<std::string> misses;
};

// `predicted[i]` is the extraction of `gold[i]` (an empty document when
// missing).
EvalReport Score(const std::vector<GoldDocument>& gold,
                 const std::vector<ExtractedDocument>& predicted,
                 const RelationVocabulary& vocabulary);

std::string FormatReport(const EvalReport& report, bool list_errors);

// True iff names match: equal name keys, or (lenient) one key a suffix of the
// other with the shorter at least 4 characters.
bool KeysMatch(const std::vector<std::string>& a,
               const std::vector<std::string>& b, bool lenient);

}  // namespace kgraph::ingest

namespace kgraph::ingest {

// Pairs each gold document with its prediction: by id ("doc#article" or
// "doc"), then by title name key. Missing predictions become empty documents.
std::vector<ExtractedDocument> AlignPredictions(
    const std::vector<GoldDocument>& gold,
    std::vector<ExtractedDocument> predicted);

}  // namespace kgraph::ingest
