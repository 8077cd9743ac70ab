// The nlp/ pipeline: tokenizer, tagger and lemmatizer, named-entity
// recognizer and dependency parser, loaded once from a models directory and
// run in that order over raw text or over already tokenized sentences.
// A loaded pipeline is immutable; Annotate() may be called from many threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlp/dependency_parser.h"
#include "nlp/named_entity_tagger.h"
#include "nlp/sentence.h"
#include "nlp/tagger.h"
#include "nlp/tokenizer.h"

namespace kgraph::nlp {

// data/models of the source tree (KGRAPH_DATA_DIR at build time).
std::string DefaultModelsDir();

struct PipelineOptions {
  std::string models_dir = DefaultModelsDir();
  std::string data_dir;  // tokenizer lists; empty = Tokenizer::DefaultDataDir()
  bool ner = true;
  // Parse every sentence, or (kWithEntities) only the sentences that hold at
  // least two entity mentions: relations need two arguments, and the parser
  // is most of the pipeline's cost. kNone: no parser model is loaded.
  enum class Parse { kAll, kWithEntities, kNone };
  Parse parse = Parse::kAll;
};

class NlpPipeline {
 public:
  // Loads models_dir/tagger.model, ner.model (options.ner) and parser.model
  // (unless Parse::kNone).
  static absl::StatusOr<std::unique_ptr<NlpPipeline>> Load(const PipelineOptions& options);
  // The pipeline for `options`, loaded by the first caller and shared by
  // every later one in the process (models are loaded once per process, not
  // once per extractor). A failed load is not kept: the next call retries.
  static absl::StatusOr<std::shared_ptr<const NlpPipeline>> Shared(const PipelineOptions& options);

  // Tokenizes, tags and parses `text`. Offsets are UTF-8 bytes of `text`.
  std::vector<Sentence> Annotate(absl::string_view text) const;
  // Tags and parses a sentence whose words are already set.
  void Annotate(Sentence* sentence) const;

  const Tokenizer& tokenizer() const { return tokenizer_; }
  const Tagger& tagger() const { return *tagger_; }
  const DependencyParser* parser() const { return parser_.get(); }
  const NamedEntityTagger* ner() const { return ner_.get(); }

 private:
  NlpPipeline(Tokenizer tokenizer, PipelineOptions::Parse parse)
      : tokenizer_(std::move(tokenizer)), parse_(parse) {}

  Tokenizer tokenizer_;
  PipelineOptions::Parse parse_;
  std::unique_ptr<NamedEntityTagger> ner_;
  std::unique_ptr<Tagger> tagger_;
  std::unique_ptr<DependencyParser> parser_;
};

}  // namespace kgraph::nlp
