// Extractor: the whole pipeline for one document: tokenize, split sentences,
// recognize and resolve entities, match surface relation patterns, parse the
// sentences that name two or more entities (nlp/) and match dependency
// patterns, collect co-mentions. Create once (loads gazetteers and patterns); Extract is const,
// thread-safe and deterministic, so documents can be extracted in parallel.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "ingest/coref_resolver.h"
#include "ingest/dependency_patterns.h"
#include "ingest/document.h"
#include "ingest/entity_recognizer.h"
#include "ingest/gazetteer.h"
#include "ingest/pattern_set.h"
#include "ingest/relation_classifier.h"
#include "ingest/relation_extractor.h"
#include "ingest/relation_vocabulary.h"
#include "nlp/pipeline.h"

namespace kgraph::ingest {

struct ExtractorConfig {
  // Holds gazetteers/ and relations/. Empty: $KGRAPH_DATA_DIR, else the
  // compiled-in source data directory.
  std::string data_dir;
  // Extra pattern and relation-vocabulary files, loaded after the defaults;
  // $KGRAPH_EXTRA_PATTERNS and $KGRAPH_EXTRA_RELATIONS (colon-separated) are
  // appended to these.
  std::vector<std::string> extra_pattern_files;
  std::vector<std::string> extra_relation_files;
  std::string iso_codes_dir = "/usr/share/iso-codes/json";
  std::string zone_tab = "/usr/share/zoneinfo/zone1970.tab";
  // Debian wamerican word list; required (sentence-initial common words).
  std::string dictionary = "/usr/share/dict/american-english";
  // Holds build-generated gazetteers/cities.tsv. Empty:
  // $KGRAPH_GENERATED_DATA_DIR, else the compiled-in build directory's data/.
  std::string generated_data_dir;
  // Triples below this confidence are not reported. Confidences are
  // calibrated precisions; 0.3 gave the best lenient triple F1 on the
  // CoNLL04 train folds (0.5: 0.504, 0.4: 0.548, 0.3: 0.551, 0.2: 0.551).
  double min_confidence = 0.3;
  // The nlp/ core (tokenizer, tagger, parser) under the dependency patterns.
  // models_dir empty: the compiled-in data/models. use_nlp false: surface
  // patterns only, and no models are loaded.
  bool use_nlp = true;
  std::string models_dir;
  // With use_nlp: entities from the NER model, merged with the rules' (see
  // ingest/entity_merger.h); false: the rules' alone.
  bool use_ner = true;
  // With use_nlp: the relation classifier (models_dir/relation.model) beside
  // the patterns.
  bool use_relation_classifier = true;
  // With use_nlp: pronouns and definite descriptions resolved to entities
  // (ingest/coref_resolver.h; data_dir/coref), reported in coref_mentions
  // and usable as relation arguments.
  bool use_coref = true;
  // Keep every dependency path the patterns were matched against in
  // ExtractedDocument::paths (kgraph-admin eval prints a miss's path).
  bool record_paths = false;
  // Extra dependency-pattern files, loaded after
  // data/relations/dependency_patterns.txt; $KGRAPH_EXTRA_DEPENDENCY_PATTERNS
  // (colon-separated) is appended.
  std::vector<std::string> extra_dependency_pattern_files;
};

// The data directory `config` resolves to.
std::string ResolveDataDir(const ExtractorConfig& config);

class Extractor {
 public:
  // Errors name the offending file and line.
  static absl::StatusOr<std::unique_ptr<Extractor>> Create(
      const ExtractorConfig& config);

  ExtractedDocument Extract(const SourceDocument& doc) const;

  const RelationVocabulary& vocabulary() const { return vocabulary_; }

 private:
  Extractor() = default;

  ExtractorConfig config_;
  std::unique_ptr<Gazetteer> gazetteer_;
  RelationVocabulary vocabulary_;
  std::unique_ptr<PatternSet> patterns_;
  CueWords cues_;
  std::unique_ptr<EntityRecognizer> recognizer_;
  std::unique_ptr<RelationExtractor> relations_;
  std::unique_ptr<DependencyPatternSet> dependency_patterns_;
  std::shared_ptr<const nlp::NlpPipeline> nlp_;  // null when !use_nlp
  std::unique_ptr<RelationClassifier> relation_classifier_;  // may be null
  // Relation -> the classifier's calibrated confidence in the pipeline
  // (relations/model_calibration.tsv).
  absl::flat_hash_map<std::string, double> model_confidence_;
  std::unique_ptr<CorefResolver> coref_;                     // may be null
};

}  // namespace kgraph::ingest
