#include "tools/admin_nlp_ner.h"

#include <chrono>
#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlp/conllu.h"
#include "nlp/model_file.h"
#include "nlp/named_entity_tagger.h"
#include "nlp/ner_corpus.h"
#include "nlp/span_scorer.h"
#include "nlp/tagger.h"

namespace kgraph::admin {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The licence of each corpus, for the model's info string (../shared/nlp/README.md).
std::string Licence(const std::string& corpus) {
  static const std::map<std::string, std::string> licences = {
      {"wikigold", "CC BY 4.0"},
      {"sec", "CC BY 3.0"},
      {"gum", "CC BY 4.0"},
      {"uner", "CC BY-SA 4.0"},
      {"conll04", "no licence stated"},
  };
  if (corpus.find("ewt") != std::string::npos) return "CC BY-SA 4.0";
  if (corpus.find("gum") != std::string::npos) return "CC BY 4.0";
  auto it = licences.find(corpus);
  return it == licences.end() ? "licence unknown" : it->second;
}

struct Item {
  std::string corpus, path;
};

absl::StatusOr<Item> ParseItem(const std::string& item) {
  const size_t eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", item, "': expected CORPUS=PATH, CORPUS one of wikigold, sec, uner, conll04, gum"));
  }
  return Item{item.substr(0, eq), item.substr(eq + 1)};
}

// Reads, normalizes and POS-tags one CORPUS=PATH item.
absl::StatusOr<nlp::NerCorpus> ReadItem(const std::string& item, const nlp::Tagger& tagger) {
  absl::StatusOr<Item> parsed = ParseItem(item);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<nlp::NerCorpusSpec> spec =
      nlp::LoadNerCorpusSpec(nlp::DefaultNerCorpusTable(), parsed->corpus);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", item, "': ", spec.status().message(),
                     " (corpora: wikigold, sec, uner, conll04, gum)"));
  }
  absl::StatusOr<std::vector<nlp::Sentence>> sentences = nlp::ReadNerCorpus(parsed->path, *spec);
  if (!sentences.ok()) return sentences.status();
  nlp::NerCorpus corpus;
  corpus.name = absl::StrCat(parsed->corpus, ":", parsed->path.substr(parsed->path.rfind('/') + 1));
  corpus.annotated_types = spec->annotated_types;
  corpus.sentences = nlp::NormalizeNerSentences(*std::move(sentences), *spec);
  // Predicted tags, as the recognizer will see them in the pipeline.
  for (nlp::NerSentence& s : corpus.sentences) tagger.Tag(&s.sentence);
  return corpus;
}

std::set<std::string> Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (b.count(x)) out.insert(x);
  }
  return out;
}

}  // namespace

int TrainNer(const std::vector<std::string>& train, const std::vector<std::string>& dev,
             const std::string& out, int epochs, uint64_t seed, const std::string& tagger_model) {
  const auto start = std::chrono::steady_clock::now();
  if (train.empty() || dev.empty() || out.empty()) {
    std::cerr << "train ner: needs --train CORPUS=PATH (one or more), --dev CORPUS=PATH (the "
                 "first one early-stops) and --out\n";
    return 2;
  }
  std::vector<std::string> train_paths;
  for (const std::string& item : train) {
    absl::StatusOr<Item> parsed = ParseItem(item);
    if (!parsed.ok()) {
      std::cerr << "train ner: --train " << parsed.status().message() << "\n";
      return 2;
    }
    train_paths.push_back(parsed->path);
  }
  for (const std::string& item : dev) {
    if (absl::StatusOr<Item> parsed = ParseItem(item); !parsed.ok()) {
      std::cerr << "train ner: --dev " << parsed.status().message() << "\n";
      return 2;
    }
  }
  absl::StatusOr<std::unique_ptr<nlp::Tagger>> tagger = nlp::Tagger::Load(tagger_model);
  if (!tagger.ok()) {
    std::cerr << "train ner: " << tagger.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> checksum = nlp::ChecksumFiles(train_paths);
  if (!checksum.ok()) {
    std::cerr << "train ner: " << checksum.status().message() << "\n";
    return 1;
  }
  std::vector<nlp::NerCorpus> train_corpora, dev_corpora;
  std::vector<nlp::Sentence> unlabeled;
  std::vector<std::string> train_names;
  size_t words = 0;
  for (const std::string& item : train) {
    if (item.rfind("text=", 0) == 0) {
      // Unlabeled CoNLL-U: only its forms are read, for the word classes.
      const std::string path = item.substr(5);
      absl::StatusOr<std::vector<nlp::Sentence>> text = nlp::ReadConllu(path);
      if (!text.ok()) {
        std::cerr << "train ner: " << text.status().message() << "\n";
        return 1;
      }
      unlabeled.insert(unlabeled.end(), text->begin(), text->end());
      train_names.push_back(absl::StrCat("text:", path.substr(path.rfind('/') + 1), " (",
                                         Licence(path), ", unlabeled, word classes only)"));
      continue;
    }
    absl::StatusOr<nlp::NerCorpus> c = ReadItem(item, **tagger);
    if (!c.ok()) {
      std::cerr << "train ner: " << c.status().message() << "\n";
      return 1;
    }
    for (const auto& s : c->sentences) words += s.sentence.words.size();
    const std::string corpus = item.substr(0, item.find('='));
    train_names.push_back(absl::StrCat(c->name, " (", Licence(corpus), ")"));
    train_corpora.push_back(*std::move(c));
  }
  for (const std::string& item : dev) {
    absl::StatusOr<nlp::NerCorpus> c = ReadItem(item, **tagger);
    if (!c.ok()) {
      std::cerr << "train ner: " << c.status().message() << "\n";
      return 1;
    }
    dev_corpora.push_back(*std::move(c));
  }
  absl::StatusOr<nlp::NerGazetteer> gazetteer =
      nlp::NerGazetteer::Load(nlp::NerGazetteer::Files::Default());
  if (!gazetteer.ok()) {
    std::cerr << "train ner: " << gazetteer.status().message() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat("[%6.1fs] read and tagged %d training words; %d gazetteer entries",
                               Seconds(start), words, gazetteer->num_entries())
            << std::endl;
  nlp::TrainOptions options;
  options.seed = seed;
  if (epochs > 0) options.max_epochs = epochs;
  options.progress = [&](const std::string& line) {
    std::cout << absl::StrFormat("[%6.1fs] ", Seconds(start)) << line << std::endl;
  };
  auto ner =
      nlp::NamedEntityTagger::Train(train_corpora, dev_corpora[0], options, *gazetteer, unlabeled);
  if (!ner.ok()) {
    std::cerr << "train ner: " << ner.status().message() << "\n";
    return 1;
  }
  std::vector<std::string> dev_results;
  for (size_t d = 0; d < dev_corpora.size(); ++d) {
    const auto types = Intersect(nlp::NerTargetTypes(), dev_corpora[d].annotated_types);
    nlp::SpanScorer scorer(types);
    nlp::ScoreNer(**ner, dev_corpora[d], &scorer);
    dev_results.push_back(absl::StrFormat("%s%s PERSON/ORG/GPE F1 %.4f", dev_corpora[d].name,
                                          d == 0 ? " (early stopping)" : "",
                                          scorer.Overall().F1()));
    std::cout << "dev " << dev_results.back() << "\n";
  }
  const std::string info = absl::StrFormat(
      "trained on %s; dev %s; seed %d; %d features", absl::StrJoin(train_names, ", "),
      absl::StrJoin(dev_results, "; "), seed, (*ner)->model().num_features());
  if (absl::Status st = (*ner)->Save(out, *checksum, info); !st.ok()) {
    std::cerr << "train ner: " << st.message() << "\n";
    return 1;
  }
  std::cout << absl::StrFormat("[%6.1fs] wrote ", Seconds(start)) << out << ": " << info << "\n";
  return 0;
}

int EvalNer(const std::string& file, const std::string& corpus, const std::string& ner_model,
            const std::string& tagger_model) {
  absl::StatusOr<std::unique_ptr<nlp::Tagger>> tagger = nlp::Tagger::Load(tagger_model);
  if (!tagger.ok()) {
    std::cerr << "eval ner: " << tagger.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<std::unique_ptr<nlp::NamedEntityTagger>> ner =
      nlp::NamedEntityTagger::Load(ner_model);
  if (!ner.ok()) {
    std::cerr << "eval ner: " << ner.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<nlp::NerCorpus> c = ReadItem(absl::StrCat(corpus, "=", file), **tagger);
  if (!c.ok()) {
    std::cerr << "eval ner: " << c.status().message() << "\n";
    return 1;
  }
  nlp::SpanScorer all(c->annotated_types);
  nlp::SpanScorer target(Intersect(nlp::NerTargetTypes(), c->annotated_types));
  size_t words = 0;
  std::vector<nlp::Sentence> predicted;
  predicted.reserve(c->sentences.size());
  const auto start = std::chrono::steady_clock::now();
  for (const nlp::NerSentence& s : c->sentences) {
    predicted.push_back(s.sentence);
    (*ner)->Recognize(&predicted.back());
    words += s.sentence.words.size();
  }
  const double seconds = Seconds(start);
  for (size_t i = 0; i < predicted.size(); ++i) {
    all.Add(c->sentences[i].sentence.entities, predicted[i].entities, c->sentences[i].masked);
    target.Add(c->sentences[i].sentence.entities, predicted[i].entities, c->sentences[i].masked);
  }
  std::cout << c->name << ": " << c->sentences.size() << " sentences, " << words << " words\n"
            << all.Format();
  const nlp::SpanCounts t = target.Overall();
  std::cout << absl::StrFormat("PERSON/ORG/GPE overall: P %.4f R %.4f F1 %.4f\n", t.Precision(),
                               t.Recall(), t.F1())
            << absl::StrFormat("recognizer speed: %.0f words/s (one thread, tagging excluded)\n",
                               words / std::max(seconds, 1e-9));
  return 0;
}

}  // namespace kgraph::admin
