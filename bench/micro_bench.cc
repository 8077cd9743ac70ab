// kgraph-microbench: Google Benchmark micro-benchmarks of kgraph's hot paths:
// key encode/decode (storage/key_format.h), adjacency prefix scans
// (GraphStore::ScanEdges) by degree, alias lookup (FindByName), reply-page
// entity reads with and without the entity cache (GetEntities), and the
// extraction stages (tokenizer, sentence splitter, Extractor::Extract) on
// Reuters-21578 text when the ingest module is built.
//
// The store fixture is built once per process in a temporary directory with
// GraphStore::BulkLoad: 2,000 nodes of out-degree 10, 200 of 100, 20 of 1,000
// and 2 of 10,000 ("h<degree>_<i>" -> "t<j>").
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "model/ids.h"
#include "model/name_key.h"
#include "storage/graph_store.h"
#include "storage/key_format.h"

#ifdef KGRAPH_BENCH_INGEST
#include "ingest/extractor.h"
#include "ingest/gazetteer.h"
#include "ingest/sentence_splitter.h"
#include "ingest/tokenizer.h"
#endif

namespace kgraph::bench {
namespace {

namespace fs = std::filesystem;
using storage::EdgeKey;

// ---- key_format ----

void BM_OutEdgeKeyEncode(benchmark::State& state) {
  EdgeKey e{0x0123456789abcdefull, 42, 0xfedcba9876543210ull};
  for (auto _ : state) {
    std::string k = storage::OutEdgeKey(e);
    benchmark::DoNotOptimize(k);
    e.dst++;
  }
}
BENCHMARK(BM_OutEdgeKeyEncode);

void BM_OutEdgeKeyDecode(benchmark::State& state) {
  const std::string k = storage::OutEdgeKey(EdgeKey{1, 2, 3});
  for (auto _ : state) {
    EdgeKey e = storage::DecodeOutEdgeKey(k);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_OutEdgeKeyDecode);

void BM_EdgeStatsDecode(benchmark::State& state) {
  storage::EdgeStats st;
  st.bulk_count = 3;
  st.confidence_sum = 2.5;
  const std::string v = storage::EncodeEdgeStats(st);
  for (auto _ : state) {
    storage::EdgeStats out;
    benchmark::DoNotOptimize(storage::DecodeEdgeStats(v, &out));
  }
}
BENCHMARK(BM_EdgeStatsDecode);

void BM_EntityIdForName(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) {
    EntityId id = EntityIdForKey(IdentityKey(absl::StrCat("Entity number ", i++)));
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_EntityIdForName);

void BM_NameKey(benchmark::State& state) {
  const std::string name = "Warner Bros. Discovery, Inc.";
  for (auto _ : state) benchmark::DoNotOptimize(NameKey(name));
}
BENCHMARK(BM_NameKey);

// ---- store fixture ----

struct Fixture {
  std::string dir;
  std::unique_ptr<storage::GraphStore> store;
  std::unique_ptr<storage::GraphStore> uncached;  // read-only, entity cache off
  std::map<int, std::vector<EntityId>> hubs;  // degree -> node ids
  std::vector<std::string> names;
};

Fixture& Store() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    fx->dir = (fs::temp_directory_path() / absl::StrCat("kgraph-microbench-", getpid())).string();
    fs::remove_all(fx->dir);
    std::vector<storage::BulkTriple> triples;
    std::mt19937_64 rng(7);
    for (auto [degree, count] : {std::pair<int, int>{10, 2000}, {100, 200}, {1000, 20}, {10000, 2}}) {
      for (int i = 0; i < count; ++i) {
        const std::string hub = absl::StrCat("h", degree, "_", i);
        fx->names.push_back(hub);
        fx->hubs[degree].push_back(EntityIdForKey(IdentityKey(hub)));
        for (int j = 0; j < degree; ++j) {
          triples.push_back({hub, absl::StrCat("rel_", j % 8), absl::StrCat("t", rng() % 50000), 1.0});
        }
      }
    }
    auto store = storage::GraphStore::Open(fx->dir, storage::StoreOptions{});
    if (!store.ok()) std::abort();
    if (!(*store)->BulkLoad(triples, "microbench", 1).ok()) std::abort();
    fx->store = *std::move(store);
    storage::StoreOptions uncached;
    uncached.read_only = true;
    uncached.entity_cache_entries = 0;
    auto second = storage::GraphStore::Open(fx->dir, uncached);
    if (!second.ok()) std::abort();
    fx->uncached = *std::move(second);
    std::atexit([] { fs::remove_all(Store().dir); });
    return fx;
  }();
  return *f;
}

void BM_ScanEdges(benchmark::State& state) {
  Fixture& f = Store();
  const std::vector<EntityId>& ids = f.hubs[static_cast<int>(state.range(0))];
  size_t i = 0;
  int64_t edges = 0;
  for (auto _ : state) {
    absl::Status s = f.store->ScanEdges(ids[i++ % ids.size()], storage::Direction::kOut, nullptr,
                                        [&](const storage::Edge& e) {
                                          benchmark::DoNotOptimize(e);
                                          ++edges;
                                          return true;
                                        });
    if (!s.ok()) state.SkipWithError("scan failed");
  }
  state.SetItemsProcessed(edges);
}
BENCHMARK(BM_ScanEdges)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

void BM_FindByName(benchmark::State& state) {
  Fixture& f = Store();
  size_t i = 0;
  for (auto _ : state) {
    auto ids = f.store->FindByName(f.names[(i++ * 7919) % f.names.size()]);
    if (!ids.ok() || ids->empty()) state.SkipWithError("lookup failed");
    benchmark::DoNotOptimize(ids);
  }
}
BENCHMARK(BM_FindByName);

void BM_GetEntity(benchmark::State& state) {
  Fixture& f = Store();
  const std::vector<EntityId>& ids = f.hubs[10];
  size_t i = 0;
  for (auto _ : state) {
    auto e = f.store->GetEntity(ids[i++ % ids.size()]);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_GetEntity);

// A reply page: 50 entities by id, as GetNeighbors reads them. Arg 1: with
// the entity cache (warm after the first pass), 0: every entity from RocksDB.
void BM_GetEntitiesPage(benchmark::State& state) {
  Fixture& f = Store();
  storage::GraphStore* store = state.range(0) ? f.store.get() : f.uncached.get();
  std::vector<std::vector<EntityId>> pages(64);
  std::mt19937_64 rng(11);
  for (auto& page : pages) {
    for (int k = 0; k < 50; ++k) page.push_back(EntityIdForKey(IdentityKey(absl::StrCat("t", rng() % 50000))));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto got = store->GetEntities(pages[i++ % pages.size()]);
    if (!got.ok()) state.SkipWithError("read failed");
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_GetEntitiesPage)->Arg(0)->Arg(1);

#ifdef KGRAPH_BENCH_INGEST
// ---- extraction on Reuters-21578 ----

std::vector<ingest::SourceDocument>& Reuters() {
  static auto* docs = [] {
    auto* v = new std::vector<ingest::SourceDocument>;
    std::ifstream in(std::string(KGRAPH_SHARED_DIR) + "/corpus/reuters21578/reuters21578.jsonl");
    std::string line;
    while (v->size() < 500 && std::getline(in, line)) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("text")) continue;
      ingest::SourceDocument d;
      d.id = j.value("id", "");
      d.title = j.value("title", "");
      d.text = j.value("text", "");
      if (!d.text.empty()) v->push_back(std::move(d));
    }
    return v;
  }();
  return *docs;
}

std::string& IngestError() {
  static std::string error;
  return error;
}

const ingest::Gazetteer* Gazetteer() {
  static const ingest::Gazetteer* g = [] {
    ingest::GazetteerPaths paths;
    paths.data_dir = ingest::ResolveDataDir(ingest::ExtractorConfig{});
    auto loaded = ingest::Gazetteer::Load(paths);
    if (!loaded.ok()) IngestError() = std::string(loaded.status().message());
    return loaded.ok() ? loaded->release() : nullptr;
  }();
  return g;
}

int64_t TextBytes(const std::vector<ingest::SourceDocument>& docs) {
  int64_t n = 0;
  for (const auto& d : docs) n += static_cast<int64_t>(d.text.size());
  return n;
}

void BM_Tokenize(benchmark::State& state) {
  auto& docs = Reuters();
  const ingest::Gazetteer* g = Gazetteer();
  if (docs.empty() || !g) {
    IngestError() = docs.empty() ? "no Reuters corpus" : IngestError();
    return state.SkipWithError(IngestError().c_str());
  }
  for (auto _ : state) {
    for (const auto& d : docs) {
      auto tokens = ingest::Tokenize(d.text, g->List(ingest::WordList::kAbbreviation));
      benchmark::DoNotOptimize(tokens);
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes(docs));
}
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);

void BM_SplitSentences(benchmark::State& state) {
  auto& docs = Reuters();
  const ingest::Gazetteer* g = Gazetteer();
  if (docs.empty() || !g) {
    IngestError() = docs.empty() ? "no Reuters corpus" : IngestError();
    return state.SkipWithError(IngestError().c_str());
  }
  std::vector<std::vector<ingest::Token>> tokens;
  for (const auto& d : docs) tokens.push_back(ingest::Tokenize(d.text, g->List(ingest::WordList::kAbbreviation)));
  for (auto _ : state) {
    for (const auto& t : tokens) {
      auto s = ingest::SplitSentences(t, g->List(ingest::WordList::kSentenceStarter));
      benchmark::DoNotOptimize(s);
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes(docs));
}
BENCHMARK(BM_SplitSentences)->Unit(benchmark::kMillisecond);

void BM_Extract(benchmark::State& state) {
  auto& docs = Reuters();
  static auto extractor = ingest::Extractor::Create(ingest::ExtractorConfig{});
  if (docs.empty() || !extractor.ok()) {
    IngestError() = docs.empty() ? "no Reuters corpus" : std::string(extractor.status().message());
    return state.SkipWithError(IngestError().c_str());
  }
  for (auto _ : state) {
    for (const auto& d : docs) {
      auto out = (*extractor)->Extract(d);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes(docs));
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(docs.size()) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Extract)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace kgraph::bench

BENCHMARK_MAIN();
