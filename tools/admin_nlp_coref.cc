#include "tools/admin_nlp_coref.h"

#include <chrono>
#include <iostream>

#include "absl/strings/str_format.h"
#include "ingest/coref_gum.h"
#include "ingest/coref_resolver.h"
#include "nlp/pipeline.h"

namespace kgraph::admin {

int EvalCoref(const std::string& file, const std::string& models_dir,
              const std::string& coref_data_dir, bool list_misses) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::vector<ingest::GumCorefDocument>> docs = ingest::ReadGumCoref(file);
  if (!docs.ok()) {
    std::cerr << "eval-nlp --coref: " << docs.status().message() << "\n";
    return 1;
  }
  nlp::PipelineOptions options;
  options.models_dir = models_dir;
  options.ner = false;  // the named mentions are GUM's own
  absl::StatusOr<std::unique_ptr<nlp::NlpPipeline>> pipeline = nlp::NlpPipeline::Load(options);
  if (!pipeline.ok()) {
    std::cerr << "eval-nlp --coref: " << pipeline.status().message() << "\n";
    return 1;
  }
  ingest::CorefConfig config;
  config.data_dir = coref_data_dir;
  absl::StatusOr<std::unique_ptr<ingest::CorefResolver>> resolver =
      ingest::CorefResolver::Create(config);
  if (!resolver.ok()) {
    std::cerr << "eval-nlp --coref: " << resolver.status().message() << "\n";
    return 1;
  }
  const ingest::CorefScores s = ingest::EvaluateGumCoref(**resolver, **pipeline, *docs);
  std::cout << absl::StrFormat(
      "COREF pronouns %.2f (%d/%d) descriptions %.2f (%d/%d) overall %.2f\n", s.PronounAccuracy(),
      s.pronouns_correct, s.pronouns, s.DescriptionAccuracy(), s.descriptions_correct,
      s.descriptions, s.Accuracy());
  std::cout << absl::StrFormat(
      "%d documents; gold tokens, predicted tags and trees, gold PROPN-headed mentions as the "
      "named antecedents. Misses: pronouns %d wrong, %d unresolved; descriptions %d wrong, %d "
      "unresolved. Resolved outside the measured set: %d\n",
      docs->size(), s.pronouns_wrong, s.pronouns - s.pronouns_correct - s.pronouns_wrong,
      s.descriptions_wrong, s.descriptions - s.descriptions_correct - s.descriptions_wrong,
      s.resolved_unmeasured);
  for (const auto& [sieve, counts] : s.by_sieve) {
    std::cout << absl::StrFormat(
        "  sieve %-15s %4d measured anaphors resolved, %4d correctly (%.2f); %4d resolutions "
        "outside the measured set\n",
        sieve, counts.measured, counts.correct,
        ingest::CorefScores::Rate(counts.correct, counts.measured), counts.unmeasured);
  }
  if (list_misses) {
    for (const std::string& m : s.misses) std::cout << "  " << m << "\n";
  }
  std::cerr << absl::StrFormat(
      "eval-nlp --coref: %.1f s\n",
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace kgraph::admin
