// Fuzz target: the whole extraction pipeline (ingest::Extractor::Extract:
// tokenizer, sentence splitter, recognizer, alias resolver, relation
// patterns, the nlp/ models, coreference) on arbitrary text. The gazetteers,
// patterns and models are loaded once, from the source tree's data/ and the
// build's generated data/ (paths compiled in). Properties: no crash; every
// offset lies inside the text and evidence is the text it points at; each
// triple's argument mentions lie inside its evidence sentence, and a resolved
// argument's mention is the surface form it was resolved from; triples,
// co-mentions and coreference mentions name extracted entities; relations are
// in the vocabulary; confidences are in (0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "fuzz/fuzz_check.h"
#include "ingest/extractor.h"

#ifndef KGRAPH_FUZZ_DATA_DIR
#error "KGRAPH_FUZZ_DATA_DIR must name the source tree's data/ directory"
#endif
#ifndef KGRAPH_FUZZ_GENERATED_DATA_DIR
#error "KGRAPH_FUZZ_GENERATED_DATA_DIR must name the build's data/ directory"
#endif

namespace {

const kgraph::ingest::Extractor* extractor = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  kgraph::ingest::ExtractorConfig config;
  config.data_dir = KGRAPH_FUZZ_DATA_DIR;
  config.generated_data_dir = KGRAPH_FUZZ_GENERATED_DATA_DIR;
  absl::StatusOr<std::unique_ptr<kgraph::ingest::Extractor>> e =
      kgraph::ingest::Extractor::Create(config);
  if (!e.ok()) {
    std::fprintf(stderr, "fuzz_extractor: cannot load extraction data: %s\n",
                 e.status().ToString().c_str());
    std::exit(2);
  }
  extractor = e->release();  // lives for the whole process
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kgraph::ingest::SourceDocument doc;
  doc.id = "fuzz";
  doc.source = "fuzz:1";
  doc.text.assign(reinterpret_cast<const char*>(data), size);
  const kgraph::ingest::ExtractedDocument out = extractor->Extract(doc);
  FUZZ_CHECK(out.doc_id == doc.id, out.doc_id);

  absl::flat_hash_set<std::string> names;
  for (const kgraph::ingest::ExtractedEntity& e : out.entities) {
    FUZZ_CHECK(!e.name.empty(), "");
    FUZZ_CHECK(!e.type.empty(), e.name);
    FUZZ_CHECK(!e.mentions.empty(), e.name);
    for (const kgraph::ingest::Mention& m : e.mentions) {
      FUZZ_CHECK(m.start < m.end && m.end <= size, e.name);
    }
    names.insert(e.name);
  }
  for (const kgraph::ingest::ExtractedTriple& t : out.triples) {
    FUZZ_CHECK(names.contains(t.subject), t.subject);
    FUZZ_CHECK(names.contains(t.object), t.object);
    FUZZ_CHECK(extractor->vocabulary().Find(t.relation) != nullptr, t.relation);
    FUZZ_CHECK(t.confidence > 0.0 && t.confidence <= 1.0, t.rule);
    FUZZ_CHECK(!t.rule.empty(), t.relation);
    const kgraph::ingest::Evidence& ev = t.evidence;
    FUZZ_CHECK(ev.start < ev.end && ev.end <= size, t.rule);
    FUZZ_CHECK(doc.text.compare(ev.start, ev.end - ev.start, ev.sentence) == 0, ev.sentence);
    for (const auto& [m, resolved_from] :
         {std::pair(t.subject_mention, &t.subject_resolved_from),
          std::pair(t.object_mention, &t.object_resolved_from)}) {
      FUZZ_CHECK(m.start < m.end && ev.start <= m.start && m.end <= ev.end, t.rule);
      if (!resolved_from->empty()) {
        FUZZ_CHECK(doc.text.compare(m.start, m.end - m.start, *resolved_from) == 0, *resolved_from);
      }
    }
  }
  for (const kgraph::ingest::ExtractedCorefMention& c : out.coref_mentions) {
    FUZZ_CHECK(names.contains(c.entity), c.entity);
    FUZZ_CHECK(c.start < c.end && c.end <= size, c.surface);
    FUZZ_CHECK(doc.text.compare(c.start, c.end - c.start, c.surface) == 0, c.surface);
    FUZZ_CHECK(!c.sieve.empty(), c.surface);
  }
  for (const kgraph::ingest::CoMention& c : out.co_mentions) {
    FUZZ_CHECK(c.a < c.b, c.a);
    FUZZ_CHECK(names.contains(c.a) && names.contains(c.b), c.a);
    FUZZ_CHECK(c.count >= 1, c.a);
  }
  return 0;
}
