#include "ingest/extractor.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ingest/alias_resolver.h"
#include "ingest/context_typing.h"
#include "ingest/coref_resolver.h"
#include "ingest/data_file.h"
#include "ingest/dependency_path.h"
#include "ingest/entity_merger.h"
#include "ingest/placeholder_sentence.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"

#ifndef KGRAPH_DATA_DIR
#define KGRAPH_DATA_DIR "data"
#endif

namespace kgraph::ingest {
namespace {

// Sentences back that "the models" / "the company" may refer to.
constexpr size_t kAnaphoraSentences = 2;

// The shipped file, then the config's extra files, then those of the
// colon-separated environment variable `var`.
std::vector<std::string> DataFiles(std::string shipped, const std::vector<std::string>& extra,
                                   const char* var) {
  std::vector<std::string> out = {std::move(shipped)};
  out.insert(out.end(), extra.begin(), extra.end());
  if (const char* v = std::getenv(var); v != nullptr) {
    for (absl::string_view p : absl::StrSplit(v, ':', absl::SkipEmpty())) out.emplace_back(p);
  }
  return out;
}

// The UD sentences whose words overlap bytes [begin, end) of the text, in
// order. `ends[k]` is the end of sentence k's last word (of the one before
// it for an empty sentence): non-decreasing, so a binary search finds the
// first, where a scan per mention or per sentence grew with the square of a
// long document.
std::vector<size_t> UdSentencesOverlapping(const std::vector<nlp::Sentence>& ud,
                                           const std::vector<size_t>& ends, size_t begin,
                                           size_t end) {
  std::vector<size_t> out;
  for (size_t k = std::upper_bound(ends.begin(), ends.end(), begin) - ends.begin();
       k < ud.size(); ++k) {
    if (ud[k].words.empty()) continue;
    if (ud[k].words.front().start >= end) break;
    out.push_back(k);
  }
  return out;
}

// Where a mention lies on the UD words: the first UD sentence it overlaps
// and its words there; sentence == SIZE_MAX when it overlaps none.
struct UdPlace {
  size_t sentence = SIZE_MAX;
  size_t first = 0, last = 0;
};

// Adds product phrases (ingest/context_typing.h) as mentions of new
// entities, one per distinct surface (case-folded), where they cover whole
// surface tokens and overlap no mention; `mentions` stays in text order, with
// res->entity_of_mention and ud_place parallel to it.
void AddPhraseMentions(const std::vector<TypedPhrase>& phrases, const std::vector<nlp::Sentence>& ud,
                       const std::vector<Token>& tokens, const std::vector<SentenceSpan>& sentences,
                       std::vector<NameMention>* mentions, Resolution* res,
                       std::vector<UdPlace>* ud_place, std::vector<std::string>* entity_types,
                       ExtractedDocument* out) {
  struct Added {
    NameMention mention;
    int entity;
    UdPlace place;
  };
  std::vector<Added> added;
  absl::flat_hash_map<std::string, int> entity_of_surface;
  for (const TypedPhrase& p : phrases) {
    const nlp::Sentence& s = ud[p.sentence];
    const size_t b = s.words[p.begin].start, e = s.words[p.end - 1].end;
    const size_t tf = std::partition_point(tokens.begin(), tokens.end(),
                                           [&](const Token& t) { return t.start < b; }) -
                      tokens.begin();
    size_t tl = tf;
    while (tl < tokens.size() && tokens[tl].end <= e) ++tl;
    if (tf >= tl || tokens[tf].start != b || tokens[tl - 1].end != e) continue;
    auto overlaps = [&](const NameMention& m) { return m.first < tl && tf < m.last; };
    const auto next = std::partition_point(mentions->begin(), mentions->end(),
                                           [&](const NameMention& m) { return m.last <= tf; });
    if (next != mentions->end() && overlaps(*next)) continue;
    if (std::any_of(added.begin(), added.end(), [&](const Added& a) { return overlaps(a.mention); })) {
      continue;
    }
    NameMention m;
    m.first = tf;
    m.last = tl;
    m.sentence = std::partition_point(sentences.begin(), sentences.end(),
                                      [&](const SentenceSpan& sp) { return sp.end <= tf; }) -
                 sentences.begin();
    // nlp/ splits sentences its own way: a phrase must lie in the rules'
    // sentence its triples will cite.
    if (m.sentence >= sentences.size() || tl > sentences[m.sentence].end) continue;
    m.surface = TokenSurface(tokens, tf, tl);
    m.type = p.type;
    m.strength = kContext;
    const auto [slot, fresh] = entity_of_surface.try_emplace(
        absl::StrCat(p.type, "\t", absl::AsciiStrToLower(m.surface)),
        static_cast<int>(entity_types->size()));
    if (fresh) {
      ExtractedEntity x;
      x.name = m.surface;
      x.type = p.type;
      x.attributes["typed_by"] = absl::StrCat("dep:", p.rule);
      out->entities.push_back(std::move(x));
      entity_types->push_back(p.type);
      ResolvedEntity r;
      r.name = m.surface;
      r.type = p.type;
      res->entities.push_back(std::move(r));
    }
    out->entities[slot->second].mentions.push_back({b, e});
    added.push_back({std::move(m), slot->second, {p.sentence, p.begin, p.end}});
  }
  if (added.empty()) return;
  std::sort(added.begin(), added.end(),
            [](const Added& x, const Added& y) { return x.mention.first < y.mention.first; });
  std::vector<NameMention> merged;
  std::vector<int> entity_of;
  std::vector<UdPlace> places;
  size_t a = 0;
  for (size_t i = 0; i <= mentions->size(); ++i) {
    while (a < added.size() && (i == mentions->size() || added[a].mention.first < (*mentions)[i].first)) {
      merged.push_back(std::move(added[a].mention));
      entity_of.push_back(added[a].entity);
      places.push_back(added[a].place);
      ++a;
    }
    if (i == mentions->size()) break;
    merged.push_back(std::move((*mentions)[i]));
    entity_of.push_back(res->entity_of_mention[i]);
    places.push_back((*ud_place)[i]);
  }
  *mentions = std::move(merged);
  res->entity_of_mention = std::move(entity_of);
  *ud_place = std::move(places);
  for (ResolvedEntity& r : res->entities) r.mentions.clear();
  for (size_t i = 0; i < mentions->size(); ++i) {
    res->entities[res->entity_of_mention[i]].mentions.push_back(i);
  }
}

// The type a name has on the UD sentences: nlp/'s label set has no PRODUCT
// (coreference reads a product as MISC).
const std::string& UdEntityType(const std::string& type) {
  static const std::string kMisc = "MISC";
  return type == "PRODUCT" ? kMisc : type;
}

// Definite noun phrases that point back to the last entity of a type.
const char* AnaphorType(const std::string& noun) {
  static const std::pair<const char*, const char*> kNouns[] = {
      {"model", "PRODUCT"}, {"models", "PRODUCT"}, {"chip", "PRODUCT"},
      {"chips", "PRODUCT"}, {"company", "ORG"},    {"firm", "ORG"}};
  for (const auto& [n, type] : kNouns) {
    if (noun == n) return type;
  }
  return nullptr;
}

// What the words a dependency path passes say of its relation: negated
// ("denied", or a "not"/"never"/"no" dependent), hedged ("may",
// "considering"), or past (a role noun modified by "former" or an ordinal:
// "the 9th president of"). The cue lists are of folded surface words, so
// forms and lemmas are both looked up.
enum class PathCue { kPlain, kHedged, kNegated, kPast };

bool IsOrdinal(absl::string_view w) {
  size_t digits = 0;
  while (digits < w.size() && absl::ascii_isdigit(static_cast<unsigned char>(w[digits]))) ++digits;
  const absl::string_view rest = w.substr(digits);
  return digits > 0 && (rest == "st" || rest == "nd" || rest == "rd" || rest == "th");
}

PathCue CueOfPath(const nlp::Sentence& s, const DependencyPath& path, const CueWords& cues) {
  PathCue cue = PathCue::kPlain;
  auto in = [](const absl::flat_hash_set<std::string>& list, const std::string& form,
               const std::string& lemma) { return list.contains(form) || list.contains(lemma); };
  // Whether word w is a negator; a hedge makes `cue` hedged.
  auto negates = [&](const nlp::Word& w) {
    const std::string form = absl::AsciiStrToLower(w.form), lemma = absl::AsciiStrToLower(w.lemma);
    if (in(cues.negators, form, lemma)) return true;
    if (in(cues.hedges, form, lemma)) cue = PathCue::kHedged;
    return false;
  };
  // The verbs the path's clause is a complement of ("Ravenna denied it would
  // buy Calder": from "it", the path stays inside "would buy", and "denied"
  // governs it).
  if (!path.inner.empty()) {
    size_t top = path.inner.front();
    for (int guard = 0; guard < kMaxPathEdges; ++guard) {
      const int h = s.words[top].head - 1;
      if (h < 0 || std::find(path.inner.begin(), path.inner.end(), static_cast<size_t>(h)) ==
                       path.inner.end()) {
        break;
      }
      top = static_cast<size_t>(h);
    }
    for (int guard = 0; guard < kMaxPathEdges; ++guard) {
      const std::string& rel = s.words[top].deprel;
      const int h = s.words[top].head - 1;
      if (h < 0 || (rel != "ccomp" && rel != "xcomp")) break;
      top = static_cast<size_t>(h);
      if (negates(s.words[top])) return PathCue::kNegated;
    }
  }
  for (size_t i : path.inner) {
    if (negates(s.words[i])) return PathCue::kNegated;
    for (const nlp::Word& d : s.words) {
      if (d.head != static_cast<int>(i) + 1) continue;
      const absl::string_view rel = absl::string_view(d.deprel).substr(0, d.deprel.find(':'));
      if ((rel == "advmod" || rel == "aux" || rel == "det" || rel == "neg" || rel == "cc") &&
          negates(d)) {
        return PathCue::kNegated;
      }
      const std::string dform = absl::AsciiStrToLower(d.form), dlemma = absl::AsciiStrToLower(d.lemma);
      if ((rel == "amod" || rel == "nummod" || rel == "advmod") &&
          (in(cues.past_modifiers, dform, dlemma) || IsOrdinal(dform))) {
        return PathCue::kPast;
      }
    }
  }
  return cue;
}

}  // namespace

std::string ResolveDataDir(const ExtractorConfig& config) {
  if (!config.data_dir.empty()) return config.data_dir;
  if (const char* env = std::getenv("KGRAPH_DATA_DIR"); env && *env) return env;
  return KGRAPH_DATA_DIR;
}

absl::StatusOr<std::unique_ptr<Extractor>> Extractor::Create(
    const ExtractorConfig& config) {
  std::unique_ptr<Extractor> e(new Extractor());
  e->config_ = config;
  const std::string dir = ResolveDataDir(config);
  e->config_.data_dir = dir;
  GazetteerPaths paths{dir, config.iso_codes_dir, config.zone_tab,
                       config.dictionary, config.generated_data_dir};
  auto gaz = Gazetteer::Load(paths);
  if (!gaz.ok()) return gaz.status();
  e->gazetteer_ = std::move(*gaz);

  auto vocab = RelationVocabulary::Load(DataFiles(
      dir + "/relations/relations.tsv", config.extra_relation_files, "KGRAPH_EXTRA_RELATIONS"));
  if (!vocab.ok()) return vocab.status();
  e->vocabulary_ = std::move(*vocab);

  auto patterns = PatternSet::Load(DataFiles(dir + "/relations/patterns.txt",
                                             config.extra_pattern_files, "KGRAPH_EXTRA_PATTERNS"),
                                   e->vocabulary_);
  if (!patterns.ok()) return patterns.status();
  e->patterns_ = std::move(*patterns);

  auto dependency_patterns = DependencyPatternSet::Load(
      DataFiles(dir + "/relations/dependency_patterns.txt", config.extra_dependency_pattern_files,
                "KGRAPH_EXTRA_DEPENDENCY_PATTERNS"),
      e->vocabulary_);
  if (!dependency_patterns.ok()) return dependency_patterns.status();
  e->dependency_patterns_ = std::move(*dependency_patterns);
  if (config.use_nlp) {
    nlp::PipelineOptions options;
    if (!config.models_dir.empty()) options.models_dir = config.models_dir;
    options.ner = config.use_ner;
    auto pipeline = nlp::NlpPipeline::Shared(options);
    if (!pipeline.ok()) return pipeline.status();
    e->nlp_ = *std::move(pipeline);
    if (config.use_coref) {
      CorefConfig coref;
      coref.data_dir = dir + "/coref";
      auto resolver = CorefResolver::Create(coref);
      if (!resolver.ok()) return resolver.status();
      e->coref_ = *std::move(resolver);
    }
    if (config.use_relation_classifier) {
      auto classifier = RelationClassifier::Load(options.models_dir + "/relation.model");
      if (!classifier.ok()) return classifier.status();
      e->relation_classifier_ = *std::move(classifier);
      // Its confidence is its precision on gold names; after the patterns
      // and with predicted names it is right less often, as measured on the
      // CoNLL04 train folds.
      const std::string path = dir + "/relations/model_calibration.tsv";
      absl::Status cs = ForEachDataLine(path, [&](int line_no, absl::string_view line) {
        const std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
        double confidence = 0;
        if (cols.size() != 2 || !absl::SimpleAtod(cols[1], &confidence) ||
            !(confidence >= 0 && confidence <= 1)) {  // NaN fails too
          return DataLineError(path, line_no, "expected relation<TAB>confidence in [0, 1]");
        }
        if (e->vocabulary_.Find(std::string(cols[0])) == nullptr) {
          return DataLineError(path, line_no, absl::StrCat("unknown relation '", cols[0], "'"));
        }
        if (!e->model_confidence_.try_emplace(std::string(cols[0]), confidence).second) {
          return DataLineError(path, line_no, absl::StrCat("relation '", cols[0], "' listed twice"));
        }
        return absl::OkStatus();
      });
      if (!cs.ok()) return cs;
    }
  }

  auto cues = CueWords::Load(dir);
  if (!cues.ok()) return cues.status();
  e->cues_ = std::move(*cues);
  e->recognizer_ = std::make_unique<EntityRecognizer>(*e->gazetteer_);
  e->relations_ = std::make_unique<RelationExtractor>(
      *e->patterns_, e->vocabulary_, e->cues_);
  return e;
}

ExtractedDocument Extractor::Extract(const SourceDocument& doc) const {
  ExtractedDocument out;
  out.doc_id = doc.id;
  out.paths_recorded = config_.record_paths;
  out.title = doc.title;
  out.date = doc.date;
  out.url = doc.url;
  const std::string& text = doc.text;
  std::vector<Token> tokens =
      Tokenize(text, gazetteer_->List(WordList::kAbbreviation));
  std::vector<SentenceSpan> sentences =
      SplitSentences(tokens, gazetteer_->List(WordList::kSentenceStarter));
  std::vector<NameMention> mentions =
      recognizer_->Recognize(text, tokens, sentences);
  // The nlp/ core over the whole text: UD sentences, tagged, with the
  // model's entity mentions; parsed later, where two entities meet.
  std::vector<nlp::Sentence> ud;
  std::vector<bool> ud_parsed;
  if (nlp_ != nullptr) {
    ud = nlp_->tokenizer().Tokenize(text);
    ud_parsed.assign(ud.size(), false);
    std::vector<ModelMention> model;
    for (nlp::Sentence& s : ud) {
      nlp_->tagger().Tag(&s);
      if (nlp_->ner() == nullptr) continue;
      nlp_->ner()->Recognize(&s);
      for (const nlp::EntitySpan& e : s.entities) {
        model.push_back({s.words[e.begin].start, s.words[e.end - 1].end, e.type});
      }
    }
    // nlp/ splits sentences its own way: a model name that runs over one of
    // the rules' sentence ends would give a mention outside the sentence
    // its triples cite, so it is left out.
    model.erase(std::remove_if(model.begin(), model.end(),
                               [&](const ModelMention& mm) {
                                 const auto it = std::partition_point(
                                     sentences.begin(), sentences.end(),
                                     [&](const SentenceSpan& sp) {
                                       return tokens[sp.end - 1].end <= mm.start;
                                     });
                                 return it == sentences.end() ||
                                        mm.end > tokens[it->end - 1].end;
                               }),
                model.end());
    if (nlp_->ner() != nullptr) {
      mentions = MergeModelMentions(mentions, model, tokens);
    }
  }
  Resolution res = ResolveAliases(mentions, tokens);

  std::vector<std::string> entity_types;
  for (const ResolvedEntity& r : res.entities) {
    ExtractedEntity e;
    e.name = r.name;
    e.type = r.type;
    e.aliases = r.aliases;
    for (size_t mi : r.mentions) {
      e.mentions.push_back(
          {tokens[mentions[mi].first].start, tokens[mentions[mi].last - 1].end});
    }
    if (!r.ticker.empty()) e.attributes["ticker"] = r.ticker;
    entity_types.push_back(r.type);
    out.entities.push_back(std::move(e));
  }

  // Coreference over the UD sentences: the sentences where two named
  // entities meet are parsed first (the resolver prefers subjects, and
  // reads the speaker of "X said it"); the others are read unparsed.
  struct Anaphor {
    int entity;
    size_t begin, end, head;  // words of its UD sentence
    std::string surface;
  };
  std::vector<std::vector<Anaphor>> anaphors(ud.size());
  std::vector<std::vector<std::pair<size_t, size_t>>> ud_names(ud.size());  // byte spans
  std::vector<size_t> ud_ends(ud.size());  // for UdSentencesOverlapping
  for (size_t k = 0; k < ud.size(); ++k) {
    ud_ends[k] = !ud[k].words.empty() ? ud[k].words.back().end : k > 0 ? ud_ends[k - 1] : 0;
  }
  // Each mention's place on the UD words, found once: coreference and the
  // dependency patterns read the same.
  std::vector<UdPlace> ud_place(nlp_ != nullptr ? mentions.size() : 0);
  for (size_t mi = 0; mi < ud_place.size(); ++mi) {
    const size_t b = tokens[mentions[mi].first].start, e = tokens[mentions[mi].last - 1].end;
    for (size_t k : UdSentencesOverlapping(ud, ud_ends, b, e)) {
      const auto [first, last] = WordsOverlapping(ud[k], b, e);
      if (first >= last) continue;
      ud_place[mi] = {k, first, last};
      break;
    }
  }
  if (nlp_ != nullptr) {
    std::vector<std::vector<int>> ud_entity(ud.size());  // per ud[k].entities
    for (size_t k = 0; k < ud.size(); ++k) ud[k].entities.clear();
    for (size_t mi = 0; mi < mentions.size(); ++mi) {
      const int ent = res.entity_of_mention[mi];
      const std::string& type = entity_types[ent];
      if (type != "PERSON" && type != "ORG" && type != "GPE" && type != "PRODUCT") continue;
      const UdPlace& at = ud_place[mi];
      if (at.sentence == SIZE_MAX) continue;
      ud[at.sentence].entities.push_back({at.first, at.last, UdEntityType(type)});
      ud_entity[at.sentence].push_back(ent);
      ud_names[at.sentence].emplace_back(tokens[mentions[mi].first].start,
                                         tokens[mentions[mi].last - 1].end);
    }
    for (size_t k = 0; k < ud.size(); ++k) {
      std::vector<int> distinct = ud_entity[k];
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      // One organization and a product category word: a product phrase may
      // be its second argument ("HP develops printers").
      bool product_word = false;
      if (distinct.size() == 1 && entity_types[distinct[0]] == "ORG" &&
          !dependency_patterns_->phrase_rules().empty()) {
        for (const nlp::Word& w : ud[k].words) {
          const std::string lemma = absl::AsciiStrToLower(w.lemma);
          product_word |= gazetteer_->Contains(WordList::kProductCategory, lemma) ||
                          gazetteer_->Contains(WordList::kModifiedProductCategory, lemma);
        }
      }
      // A name and a definite description ("The company was founded by
      // X"): the description resolves only in a parse.
      const bool description = distinct.size() == 1 && coref_ != nullptr &&
                               coref_->HasDefiniteDescription(ud[k]);
      if ((distinct.size() >= 2 || product_word || description) && !ud_parsed[k]) {
        ud_parsed[k] = true;
        ParseWithNames(*nlp_, ud_names[k], &ud[k]);
      }
    }
    // Before coreference and relations read the types.
    std::vector<std::string> retyped;
    RetypeFromContext(*dependency_patterns_, ud, ud_parsed, ud_entity, mentions,
                      res.entity_of_mention, &entity_types, &retyped);
    bool any_retyped = false;
    for (size_t ent = 0; ent < entity_types.size(); ++ent) {
      if (retyped[ent].empty()) continue;
      any_retyped = true;
      out.entities[ent].type = entity_types[ent];
      out.entities[ent].attributes["typed_by"] = absl::StrCat("dep:", retyped[ent]);
    }
    for (size_t k = 0; any_retyped && k < ud.size(); ++k) {
      for (size_t e = 0; e < ud[k].entities.size(); ++e) {
        ud[k].entities[e].type = UdEntityType(entity_types[ud_entity[k][e]]);
      }
    }
    AddPhraseMentions(
        FindTypedPhrases(*dependency_patterns_, ud, ud_parsed, ud_entity, entity_types,
                         gazetteer_->List(WordList::kProductCategory),
                         gazetteer_->List(WordList::kModifiedProductCategory),
                         gazetteer_->List(WordList::kPhraseLeadingWord)),
        ud, tokens, sentences, &mentions, &res, &ud_place, &entity_types, &out);
    if (coref_ != nullptr) {
      for (const CorefMention& c : coref_->Resolve(ud)) {
        if (c.antecedent_sentence >= ud.size() ||
            c.antecedent_entity >= ud_entity[c.antecedent_sentence].size()) {
          continue;
        }
        const int ent = ud_entity[c.antecedent_sentence][c.antecedent_entity];
        Anaphor a{ent, c.begin, c.end, c.head, text.substr(c.byte_begin, c.byte_end - c.byte_begin)};
        out.coref_mentions.push_back({out.entities[ent].name, a.surface, c.byte_begin, c.byte_end, c.sieve});
        anaphors[c.sentence].push_back(std::move(a));
      }
    }
  }

  // Triples keyed by (subject, relation, object); the first evidence wins and
  // the highest confidence is kept.
  std::map<std::tuple<int, std::string, int>, size_t> triple_index;
  std::vector<std::string> entity_names;  // for the surface rules' blockers
  for (const ExtractedEntity& e : out.entities) entity_names.push_back(e.name);
  std::map<std::pair<int, int>, int> co_counts;
  // Last sentence and entity of each type, for definite-NP anaphora.
  std::map<std::string, std::pair<size_t, int>> last_of_type;
  // Headline sentences (the recognizer marks their mentions): Title Case
  // misleads the tagger and parser, so the classifier does not read them.
  std::vector<bool> headline(sentences.size(), false);
  for (const NameMention& m : mentions) {
    if (m.in_headline && m.sentence < headline.size()) headline[m.sentence] = true;
  }
  size_t mi = 0;
  for (size_t si = 0; si < sentences.size(); ++si) {
    const SentenceSpan& s = sentences[si];
    std::vector<PlacedMention> placed;
    std::vector<size_t> placed_from;  // per placed: its index in mentions, SIZE_MAX if anaphoric
    while (mi < mentions.size() && mentions[mi].first < s.begin) ++mi;
    size_t mj = mi;
    std::vector<std::pair<std::string, int>> seen_here;
    for (size_t t = s.begin; t < s.end; ++t) {
      if (mj < mentions.size() && mentions[mj].first == t) {
        const NameMention& m = mentions[mj];
        int ent = res.entity_of_mention[mj];
        placed.push_back({m.first, m.last, ent, entity_types[ent],
                          res.entities[ent].is_country, false});
        placed_from.push_back(mj);
        seen_here.emplace_back(entity_types[ent], ent);
        t = m.last - 1;
        ++mj;
        continue;
      }
      if (tokens[t].folded == "the" && t + 1 < s.end &&
          !(mj < mentions.size() && mentions[mj].first == t + 1)) {
        const char* type = AnaphorType(tokens[t + 1].folded);
        if (type == nullptr) continue;
        auto it = last_of_type.find(type);
        if (it == last_of_type.end() ||
            si - it->second.first > kAnaphoraSentences) {
          continue;
        }
        placed.push_back({t, t + 2, it->second.second, type,
                          res.entities[it->second.second].is_country, true});
        placed_from.push_back(SIZE_MAX);
        ++t;
      }
    }
    mi = mj;
    for (const auto& [type, ent] : seen_here) last_of_type[type] = {si, ent};
    if (placed.empty()) continue;

    // Co-mentions: distinct entity pairs named in the sentence. Dates and
    // measures (MISC) are not graph nodes: they co-occur with no one.
    std::vector<int> ents;
    for (const PlacedMention& p : placed) {
      if (!p.anaphoric && entity_types[p.entity] != "MISC") ents.push_back(p.entity);
    }
    std::sort(ents.begin(), ents.end());
    ents.erase(std::unique(ents.begin(), ents.end()), ents.end());
    for (size_t a = 0; a < ents.size(); ++a) {
      for (size_t b = a + 1; b < ents.size(); ++b) {
        ++co_counts[{ents[a], ents[b]}];
      }
    }
    const size_t sentence_start = tokens[s.begin].start, sentence_end = tokens[s.end - 1].end;
    // The UD sentences over this one, and the entities their resolved
    // pronouns and descriptions stand for.
    const std::vector<size_t> here =
        UdSentencesOverlapping(ud, ud_ends, sentence_start, sentence_end);
    std::vector<int> resolved;
    for (size_t k : here) {
      for (const Anaphor& a : anaphors[k]) resolved.push_back(a.entity);
    }
    if (placed.size() < 2 && resolved.empty()) continue;
    PlaceholderSentence ps =
        BuildPlaceholderSentence(tokens, s.begin, s.end, placed);
    // The first mention of `entity` placed in this sentence, names before
    // anaphors; {0, 0} if none. An anaphor's surface form ("the company")
    // goes to *from.
    auto placed_mention = [&](int entity, std::string* from) {
      Mention m;
      for (int pass = 0; pass < 2 && m.end == 0; ++pass) {
        for (const PlacedMention& p : placed) {
          if (p.entity != entity || p.anaphoric != (pass == 1)) continue;
          m = {tokens[p.first].start, tokens[p.last - 1].end};
          if (p.anaphoric) *from = text.substr(m.start, m.end - m.start);
          break;
        }
      }
      return m;
    };
    // The entity pairs a pattern related in this sentence, unordered.
    absl::flat_hash_set<std::pair<int, int>> related;
    auto pair_of = [](int x, int y) { return std::make_pair(std::min(x, y), std::max(x, y)); };
    auto add_triple = [&](int subj, const std::string& relation, int obj, double confidence,
                          const std::string& rule, const std::string& subject_from = "",
                          const std::string& object_from = "", Mention subject_at = {},
                          Mention object_at = {}) {
      if (confidence < config_.min_confidence) return;
      if (rule != "model:relation") related.insert(pair_of(subj, obj));
      const RelationSpec* spec = vocabulary_.Find(relation);
      auto key = std::make_tuple(subj, relation, obj);
      if (spec != nullptr && spec->symmetric &&
          triple_index.count(std::make_tuple(obj, relation, subj))) {
        key = std::make_tuple(obj, relation, subj);
      }
      auto it = triple_index.find(key);
      if (it != triple_index.end()) {
        ExtractedTriple& t = out.triples[it->second];
        t.confidence = std::max(t.confidence, confidence);
        return;
      }
      ExtractedTriple t;
      t.subject = out.entities[subj].name;
      t.relation = relation;
      t.object = out.entities[obj].name;
      t.confidence = confidence;
      t.rule = rule;
      t.subject_resolved_from = subject_from;
      t.object_resolved_from = object_from;
      t.subject_mention = subject_at.end > subject_at.start
                              ? subject_at
                              : placed_mention(subj, &t.subject_resolved_from);
      t.object_mention = object_at.end > object_at.start
                             ? object_at
                             : placed_mention(obj, &t.object_resolved_from);
      t.evidence.start = sentence_start;
      t.evidence.end = sentence_end;
      t.evidence.sentence = text.substr(sentence_start, sentence_end - sentence_start);
      triple_index[key] = out.triples.size();
      out.triples.push_back(std::move(t));
    };
    for (const SentenceRelation& r : relations_->Extract(ps, entity_types, &entity_names)) {
      if (r.blocked) {
        related.insert(pair_of(r.subject, r.object));
        continue;
      }
      add_triple(r.subject, r.relation, r.object, r.confidence, r.rule);
    }
    {
      std::vector<int> all = ents;
      all.insert(all.end(), resolved.begin(), resolved.end());
      std::sort(all.begin(), all.end());
      all.erase(std::unique(all.begin(), all.end()), all.end());
      if (nlp_ == nullptr || all.size() < 2) continue;
    }
    // Dependency patterns and the classifier, over the parse of the UD
    // sentences that overlap this one (each parsed once).
    for (size_t k : here) {
      if (ud_parsed[k]) continue;
      ud_parsed[k] = true;
      ParseWithNames(*nlp_, ud_names[k], &ud[k]);
    }
    struct Located {
      int entity;
      size_t sentence, head, first, last;
      std::string resolved_from;  // the pronoun or description, if one
      Mention bytes;              // the mention's own bytes in the text
    };
    std::vector<Located> located;
    for (size_t pi = 0; pi < placed.size(); ++pi) {
      const PlacedMention& p = placed[pi];
      // Dates and measures take part in no relation.
      if (p.anaphoric || entity_types[p.entity] == "MISC") continue;
      const UdPlace& at = ud_place[placed_from[pi]];
      if (at.sentence == SIZE_MAX) continue;
      located.push_back({p.entity, at.sentence, SpanHead(ud[at.sentence], at.first, at.last),
                         at.first, at.last, "",
                         Mention{tokens[p.first].start, tokens[p.last - 1].end}});
    }
    // Resolved pronouns and descriptions after the names: a triple found
    // through a name keeps that evidence.
    // Only those inside this sentence: a UD sentence may run over its ends,
    // and a triple's mentions lie in the sentence it cites.
    for (size_t k : here) {
      for (const Anaphor& a : anaphors[k]) {
        const Mention bytes{ud[k].words[a.begin].start, ud[k].words[a.end - 1].end};
        if (bytes.start < sentence_start || bytes.end > sentence_end) continue;
        located.push_back({a.entity, k, a.head, a.begin, a.end, a.surface, bytes});
      }
    }
    // Patterns first: the classifier reads only the pairs no pattern related
    // in this sentence. Where both speak they mostly disagree about the same
    // trigger ("firing Cook": fires, not killed), and the patterns are the
    // more precise of the two.
    struct Candidate {
      const Located* a;
      const Located* b;
      double hedge;
    };
    std::vector<Candidate> candidates;  // pairs for the classifier
    for (const Located& a : located) {
      for (const Located& b : located) {
        if (a.entity == b.entity || a.sentence != b.sentence || a.head == b.head) continue;
        const nlp::Sentence& ps_nlp = ud[a.sentence];
        const DependencyPath path = PathBetween(ps_nlp, a.head, b.head);
        const PathCue cue = CueOfPath(ps_nlp, path, cues_);
        if (config_.record_paths) {
          out.paths.push_back({out.entities[a.entity].name, out.entities[b.entity].name, path.text,
                               cue == PathCue::kNegated ? "negated"
                               : cue == PathCue::kPast  ? "past"
                               : cue == PathCue::kHedged ? "hedged"
                                                         : ""});
        }
        // A past role holder heads nothing now; nothing is emitted for it.
        if (cue == PathCue::kNegated || cue == PathCue::kPast) continue;
        const double hedge = cue == PathCue::kHedged ? kHedgeFactor : 1.0;
        const std::string& ta = entity_types[a.entity];
        const std::string& tb = entity_types[b.entity];
        if (relation_classifier_ != nullptr && !headline[si] && ta != "MISC" && ta != "PRODUCT" &&
            tb != "MISC" && tb != "PRODUCT") {
          candidates.push_back({&a, &b, hedge});
        }
        if (path.text.empty()) continue;
        // "A, a unit of X, and B": the apposition before B is A's alone,
        // though the path gives B A's place ("A and B, both units of X"
        // shares it).
        if (absl::StartsWith(path.text, ">appos") && ps_nlp.words[a.head].deprel == "conj") {
          const size_t first = FirstConjunct(ps_nlp, a.head);
          bool appos_before = false;
          for (size_t d = first + 1; d < a.head; ++d) {
            appos_before |= ps_nlp.words[d].deprel == "appos" &&
                            ps_nlp.words[d].head == static_cast<int>(first) + 1;
          }
          if (appos_before) continue;
        }
        const std::vector<const DependencyRule*> rules = dependency_patterns_->Match(path.text, ta, tb);
        for (const DependencyRule* rule : rules) {
          const RelationSpec* spec = vocabulary_.Find(rule->relation);
          if (spec == nullptr || !vocabulary_.Allows(*spec, ta, tb)) continue;
          // The path gave a later conjunct its first conjunct's role; a
          // subject's one object is the first ("a unit of A, and B"), when
          // that one is itself a fitting object. (A joint parent, "a unit of
          // A and B", is lost: much rarer than a list running on.)
          if (spec->one_object && ps_nlp.words[b.head].deprel == "conj") {
            const size_t first = FirstConjunct(ps_nlp, b.head);
            const bool first_is_object =
                std::any_of(located.begin(), located.end(), [&](const Located& c) {
                  return c.sentence == b.sentence && c.entity != b.entity && c.head == first &&
                         vocabulary_.Allows(*spec, ta, entity_types[c.entity]);
                });
            if (first_is_object) continue;
          }
          add_triple(a.entity, rule->relation, b.entity, rule->confidence * hedge,
                     absl::StrCat("dep:", rule->id), a.resolved_from, b.resolved_from, a.bytes,
                     b.bytes);
        }
      }
    }
    for (const Candidate& c : candidates) {
      const Located& a = *c.a;
      const Located& b = *c.b;
      if (related.contains(pair_of(a.entity, b.entity))) continue;
      const std::string& ta = entity_types[a.entity];
      const std::string& tb = entity_types[b.entity];
      const RelationGuess guess = relation_classifier_->Classify(
          {&ud[a.sentence], a.first, a.last, a.head, b.first, b.last, b.head, ta, tb});
      const RelationSpec* spec = guess.relation.empty() ? nullptr : vocabulary_.Find(guess.relation);
      // A country lies in no other country (lists of countries read as
      // "City, State" otherwise).
      const bool countries = res.entities[a.entity].is_country && res.entities[b.entity].is_country;
      if (spec != nullptr && vocabulary_.Allows(*spec, ta, tb) &&
          !(countries && guess.relation == "located_in")) {
        const auto calibrated = model_confidence_.find(guess.relation);
        const double confidence =
            calibrated == model_confidence_.end() ? guess.confidence : calibrated->second;
        // The classifier's confidence was measured between names; through a
        // resolved pronoun it is lower ("He was joined by Justices X, Y" read
        // as a killing), as for the surface rules.
        const double anaphora =
            a.resolved_from.empty() && b.resolved_from.empty() ? 1.0 : kAnaphoraFactor;
        add_triple(a.entity, guess.relation, b.entity, confidence * c.hedge * anaphora,
                   "model:relation", a.resolved_from, b.resolved_from, a.bytes, b.bytes);
      }
    }
  }
  // A specific relation subsumes its broader one for the same pair
  // ("French President X": head_of, not also works_for).
  std::vector<ExtractedTriple> kept;
  for (const ExtractedTriple& t : out.triples) {
    bool subsumed = false;
    for (const ExtractedTriple& u : out.triples) {
      if (&u == &t || u.subject != t.subject || u.object != t.object) continue;
      const RelationSpec* spec = vocabulary_.Find(u.relation);
      if (spec != nullptr && spec->broader == t.relation) {
        subsumed = true;
        break;
      }
    }
    if (!subsumed) kept.push_back(t);
  }
  out.triples = std::move(kept);
  for (const auto& [pair, count] : co_counts) {
    CoMention c{out.entities[pair.first].name, out.entities[pair.second].name,
                count};
    if (c.b < c.a) std::swap(c.a, c.b);
    if (c.a == c.b) continue;
    out.co_mentions.push_back(std::move(c));
  }
  std::sort(out.co_mentions.begin(), out.co_mentions.end(),
            [](const CoMention& x, const CoMention& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  return out;
}

}  // namespace kgraph::ingest
