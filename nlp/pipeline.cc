#include "nlp/pipeline.h"

#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace kgraph::nlp {

std::string DefaultModelsDir() { return absl::StrCat(KGRAPH_DATA_DIR, "/models"); }

absl::StatusOr<std::unique_ptr<NlpPipeline>> NlpPipeline::Load(const PipelineOptions& options) {
  // The parser's model is most of the loading (17 MB of the 23): it loads on
  // a thread of its own while this one loads the rest, which halves the wait
  // on two cores.
  absl::StatusOr<std::unique_ptr<DependencyParser>> parser;
  std::thread parser_loader;
  if (options.parse != PipelineOptions::Parse::kNone) {
    parser_loader = std::thread([&] {
      parser = DependencyParser::Load(absl::StrCat(options.models_dir, "/parser.model"));
    });
  }
  auto join = [&] {
    if (parser_loader.joinable()) parser_loader.join();
  };
  absl::StatusOr<Tokenizer> tokenizer =
      Tokenizer::Load(options.data_dir.empty() ? Tokenizer::DefaultDataDir() : options.data_dir);
  if (!tokenizer.ok()) {
    join();
    return tokenizer.status();
  }
  std::unique_ptr<NlpPipeline> p(new NlpPipeline(*std::move(tokenizer), options.parse));
  absl::StatusOr<std::unique_ptr<Tagger>> tagger =
      Tagger::Load(absl::StrCat(options.models_dir, "/tagger.model"));
  if (!tagger.ok()) {
    join();
    return tagger.status();
  }
  p->tagger_ = *std::move(tagger);
  if (options.ner) {
    absl::StatusOr<std::unique_ptr<NamedEntityTagger>> ner =
        NamedEntityTagger::Load(absl::StrCat(options.models_dir, "/ner.model"));
    if (!ner.ok()) {
      join();
      return ner.status();
    }
    p->ner_ = *std::move(ner);
  }
  join();
  if (options.parse != PipelineOptions::Parse::kNone) {
    if (!parser.ok()) return parser.status();
    p->parser_ = *std::move(parser);
  }
  return p;
}

absl::StatusOr<std::shared_ptr<const NlpPipeline>> NlpPipeline::Shared(
    const PipelineOptions& options) {
  using Key = std::tuple<std::string, std::string, bool, PipelineOptions::Parse>;
  static std::mutex mu;
  static auto* loaded = new std::map<Key, std::shared_ptr<const NlpPipeline>>();
  const Key key{options.models_dir, options.data_dir, options.ner, options.parse};
  // Held while loading, so that threads asking at once load the models once.
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = loaded->find(key); it != loaded->end()) return it->second;
  absl::StatusOr<std::unique_ptr<NlpPipeline>> p = Load(options);
  if (!p.ok()) return p.status();
  std::shared_ptr<const NlpPipeline> shared(std::move(*p));
  (*loaded)[key] = shared;
  return shared;
}

void NlpPipeline::Annotate(Sentence* sentence) const {
  tagger_->Tag(sentence);
  if (ner_ != nullptr) ner_->Recognize(sentence);
  if (parser_ == nullptr) return;
  if (parse_ == PipelineOptions::Parse::kWithEntities && ner_ != nullptr &&
      sentence->entities.size() < 2) {
    return;
  }
  parser_->Parse(sentence);
}

std::vector<Sentence> NlpPipeline::Annotate(absl::string_view text) const {
  std::vector<Sentence> sentences = tokenizer_.Tokenize(text);
  for (Sentence& s : sentences) Annotate(&s);
  return sentences;
}

}  // namespace kgraph::nlp
