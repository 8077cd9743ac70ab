// Tests of GraphStore::BulkLoad: counts, adjacency in both directions,
// idempotence by source hash, folding of duplicate triples, and bulk loads
// mixed with text ingest.
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <tuple>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/graph_store.h"
#include "tests/testing/store_dump.h"
#include "tests/testing/store_test.h"
#include "tests/testing/temp_dir.h"

namespace kgraph::storage {
namespace {

using ::kgraph::testing::DumpStore;
using ::kgraph::testing::TempDir;

std::vector<BulkTriple> SmallGraph() {
  return {{"Ada Lovelace", "born_in", "London", 0.9},
          {"Ada Lovelace", "field", "Mathematics", 0.8},
          {"Charles Babbage", "collaborated_with", "Ada Lovelace", 1.0},
          {"Charles Babbage", "born_in", "London", 0.7}};
}

using BulkLoadTest = testing::StoreTest;
// ctest -R storage selects these tests.
using storage_bulk_load = BulkLoadTest;

TEST_F(storage_bulk_load, ReportsCountsOfSmallGraph) {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.ok()) << r.status();
  // The phase timings are filled in and fit inside the call.
  for (double phase : {r->resolve_s, r->edges_s, r->entities_s, r->ingest_s}) EXPECT_GE(phase, 0);
  EXPECT_GT(r->edges_s + r->ingest_s, 0) << "writing and ingesting files takes measurable time";
  EXPECT_LE(r->resolve_s + r->edges_s + r->entities_s + r->ingest_s, wall);
  EXPECT_FALSE(r->already_loaded);
  EXPECT_EQ(r->triples, 4);
  EXPECT_EQ(r->unique_edges, 4);
  EXPECT_EQ(r->entities, 4);
  EXPECT_EQ(r->relations, 3);
  EXPECT_EQ(r->new_edges, 4);
  EXPECT_EQ(r->new_entities, 4);
  ExpectTotals(4, 4, 0, 1);
  ExpectVerifyOk();
}

TEST_F(storage_bulk_load, EdgesAreScannableInBothDirections) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234).ok());
  const EntityId ada = IdOf("Ada Lovelace"), london = IdOf("London"),
                 math = IdOf("mathematics"), babbage = IdOf("Charles Babbage");
  const RelationId born = Rel("born_in"), field = Rel("field"), collab = Rel("collaborated_with");

  auto out = Edges(ada, Direction::kOut);
  ASSERT_EQ(out.size(), 2u);
  for (const Edge& e : out) EXPECT_EQ(e.key.src, ada);
  // (relation, neighbor) order.
  EXPECT_LT(out[0].key.rel, out[1].key.rel);
  bool saw_born = false, saw_field = false;
  for (const Edge& e : out) {
    if (e.key.rel == born) {
      saw_born = true;
      EXPECT_EQ(e.key.dst, london);
      EXPECT_EQ(e.stats.bulk_count, 1);
      EXPECT_EQ(e.stats.mentions, 0);
      EXPECT_DOUBLE_EQ(e.stats.confidence_sum, 0.9);
      EXPECT_DOUBLE_EQ(e.stats.confidence_max, 0.9);
    } else if (e.key.rel == field) {
      saw_field = true;
      EXPECT_EQ(e.key.dst, math);
    }
  }
  EXPECT_TRUE(saw_born && saw_field);

  auto in_ada = Edges(ada, Direction::kIn);
  ASSERT_EQ(in_ada.size(), 1u);
  EXPECT_EQ(in_ada[0].key, (EdgeKey{babbage, collab, ada})) << "in-scan keys are src -> dst";

  auto in_london = Edges(london, Direction::kIn);
  ASSERT_EQ(in_london.size(), 2u);
  EXPECT_LT(in_london[0].key.src, in_london[1].key.src) << "same relation: ordered by neighbor";
  for (const Edge& e : in_london) {
    EXPECT_EQ(e.key.dst, london);
    EXPECT_EQ(e.key.rel, born);
  }
  EXPECT_TRUE(Edges(london, Direction::kOut).empty());

  // Relation filter.
  auto born_only = Edges(babbage, Direction::kOut, &born);
  ASSERT_EQ(born_only.size(), 1u);
  EXPECT_EQ(born_only[0].key.dst, london);
  EXPECT_TRUE(Edges(ada, Direction::kOut, &collab).empty());

  // Early stop.
  int visited = 0;
  ASSERT_TRUE(store_->ScanEdges(london, Direction::kIn, nullptr, [&](const Edge&) {
                       ++visited;
                       return false;
                     }).ok());
  EXPECT_EQ(visited, 1);
}

TEST_F(storage_bulk_load, DegreesAndEntityRecords) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234).ok());
  const EntityId ada = IdOf("Ada Lovelace"), london = IdOf("London"), babbage = IdOf("Charles Babbage");
  EXPECT_EQ(store_->Degree(ada, Direction::kOut), 2);
  EXPECT_EQ(store_->Degree(ada, Direction::kIn), 1);
  EXPECT_EQ(store_->Degree(london, Direction::kIn), 2);
  EXPECT_EQ(store_->Degree(london, Direction::kOut), 0);
  EXPECT_EQ(store_->Degree(babbage, Direction::kOut), 2);
  auto e = store_->GetEntity(ada);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name, "Ada Lovelace");
  EXPECT_EQ(e->mentions, 3) << "Ada appears in three triples";
  EXPECT_EQ(e->out_degree, 2);
  EXPECT_EQ(e->in_degree, 1);
  EXPECT_TRUE(absl::IsNotFound(store_->GetEntity(ada ^ 1).status()));
}

// Runs of one subject with ever new objects: the subject's mentions are
// counted on the fast path while new objects grow (and rehash) the
// resolver's tables under it.
TEST_F(storage_bulk_load, MentionsOfLongSubjectRunsWithNewObjects) {
  std::vector<BulkTriple> t;
  for (int hub = 0; hub < 3; ++hub) {
    for (int k = 0; k < 5000; ++k) {
      t.push_back({"Hub " + std::to_string(hub), "links", "Leaf " + std::to_string(hub * 5000 + k), 1.0});
    }
  }
  t.push_back({"HUB 0", "links", "Leaf 0", 1.0});  // another spelling of Hub 0
  ASSERT_TRUE(store_->BulkLoad(t, "stars", 7).ok());
  for (int hub = 0; hub < 3; ++hub) {
    auto e = store_->GetEntity(IdOf("Hub " + std::to_string(hub)));
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->mentions, hub == 0 ? 5001 : 5000) << hub;
    EXPECT_EQ(e->out_degree, 5000) << hub;
  }
  auto leaf0 = store_->GetEntity(IdOf("Leaf 0"));
  ASSERT_TRUE(leaf0.ok()) << leaf0.status();
  EXPECT_EQ(leaf0->mentions, 2);
  EXPECT_EQ(leaf0->in_degree, 1) << "HUB 0 -> Leaf 0 folds into Hub 0 -> Leaf 0";
  auto leaf = store_->GetEntity(IdOf("Leaf 14999"));
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(leaf->mentions, 1);
}

TEST_F(storage_bulk_load, ListRelationsCountsEdgesPerRelation) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234).ok());
  auto rels = store_->ListRelations();
  ASSERT_EQ(rels.size(), 3u);
  EXPECT_EQ(rels[0].name, "born_in");
  EXPECT_EQ(rels[0].edges, 2);
  // Ties sorted by name.
  EXPECT_EQ(rels[1].name, "collaborated_with");
  EXPECT_EQ(rels[1].edges, 1);
  EXPECT_EQ(rels[2].name, "field");
  EXPECT_EQ(rels[2].edges, 1);
  EXPECT_EQ(store_->RelationName(rels[2].id), "field");
  EXPECT_TRUE(absl::IsNotFound(store_->FindRelation("unknown_rel").status()));
}

TEST_F(storage_bulk_load, SameSourceHashTwiceIsNoOp) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234).ok());
  const std::string before = DumpStore(*store_);
  auto again = store_->BulkLoad(SmallGraph(), "small.tsv", 0x1234);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_loaded);
  EXPECT_EQ(again->new_edges, 0);
  EXPECT_EQ(again->new_entities, 0);
  EXPECT_EQ(DumpStore(*store_), before);
  // Even different triples under a known hash change nothing.
  auto other = store_->BulkLoad({{"X", "r", "Y", 1.0}}, "other", 0x1234);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->already_loaded);
  EXPECT_EQ(DumpStore(*store_), before);
}

TEST_F(storage_bulk_load, DuplicateTriplesFoldIntoOneEdge) {
  std::vector<BulkTriple> t = {{"A1", "r", "B1", 0.5}, {"A1", "r", "B1", 0.7}, {"A1", "s", "B1", 1.0}};
  auto r = store_->BulkLoad(t, "dups", 7);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->triples, 3);
  EXPECT_EQ(r->unique_edges, 2);
  EXPECT_EQ(r->new_edges, 2);
  auto e = store_->GetEdge({IdOf("A1"), Rel("r"), IdOf("B1")});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->bulk_count, 2);
  EXPECT_DOUBLE_EQ(e->confidence_sum, 1.2);
  EXPECT_DOUBLE_EQ(e->confidence_max, 0.7);
  EXPECT_DOUBLE_EQ(e->confidence_mean(), 0.6);
  ExpectTotals(2, 2, 0, 1);
  EXPECT_EQ(store_->Degree(IdOf("A1"), Direction::kOut), 2);
  ExpectVerifyOk();
}

TEST_F(storage_bulk_load, SecondSourceWithSameTriplesAddsCountsNotEdges) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "one", 1).ok());
  auto r = store_->BulkLoad(SmallGraph(), "two", 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->already_loaded);
  EXPECT_EQ(r->new_edges, 0);
  EXPECT_EQ(r->new_entities, 0);
  ExpectTotals(4, 4, 0, 2);
  auto e = store_->GetEdge({IdOf("Ada Lovelace"), Rel("born_in"), IdOf("London")});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->bulk_count, 2);
  EXPECT_DOUBLE_EQ(e->confidence_sum, 1.8);
  EXPECT_EQ(store_->Degree(IdOf("London"), Direction::kIn), 2);
  ExpectVerifyOk();
}

// A graph big enough to be split over threads, sorted in many buckets and
// written as several entity files, with the awkward cases spread through
// it: spelling variants of one entity (first spelling in input order must
// win), duplicate triples far apart (they must fold), and repeated subjects.
std::vector<BulkTriple> VariedGraph(int n, uint32_t seed) {
  std::vector<BulkTriple> t;
  uint32_t x = seed;
  auto next = [&x] { return x = x * 1664525u + 1013904223u; };
  for (int i = 0; i < n; ++i) {
    const int a = (next() >> 8) % 1500, b = (next() >> 8) % 1500;
    if (a == b) continue;
    // Later in the input, some entities appear upper-cased with doubled
    // spaces: the same identity key, another spelling.
    auto name = [&](int k) {
      return i > n / 2 && k % 7 == 0 ? "NODE  " + std::to_string(k) : "Node " + std::to_string(k);
    };
    t.push_back({name(a), "rel_" + std::to_string(next() % 5), name(b), 0.5 + (i % 5) / 10.0});
    if (i % 11 == 0) t.push_back(t.back());  // an adjacent duplicate
  }
  for (int i = 0; i < n / 10; ++i) t.push_back(t[i * 7 % t.size()]);  // distant duplicates
  return t;
}

// The brute-force answer for loading `batches` in order into an empty store.
struct Expected {
  std::map<std::tuple<std::string, std::string, std::string>, int> edges;  // by identity
  std::map<std::string, std::string> first_spelling;
  std::map<std::string, int64_t> mentions, out_degree, in_degree;
};
Expected BruteForce(const std::vector<std::vector<BulkTriple>>& batches) {
  Expected x;
  auto identity = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == ' ' && !out.empty() && out.back() == ' ') continue;
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
  };
  for (const auto& batch : batches) {
    for (const BulkTriple& t : batch) {
      const std::string s = identity(t.subject), o = identity(t.object);
      x.first_spelling.emplace(s, t.subject);
      x.first_spelling.emplace(o, t.object);
      x.mentions[s]++;
      x.mentions[o]++;
      if (x.edges[{s, t.relation, o}]++ == 0) {
        x.out_degree[s]++;
        x.in_degree[o]++;
      }
    }
  }
  return x;
}

TEST_F(storage_bulk_load, LargeVariedInputMatchesBruteForce) {
  const std::vector<BulkTriple> first = VariedGraph(20000, 1);
  const std::vector<BulkTriple> second = VariedGraph(6000, 2);  // overlaps the first
  auto r1 = store_->BulkLoad(first, "first", 1);
  ASSERT_TRUE(r1.ok()) << r1.status();
  const Expected after_first = BruteForce({first});
  EXPECT_EQ(r1->triples, static_cast<int64_t>(first.size()));
  EXPECT_EQ(r1->unique_edges, static_cast<int64_t>(after_first.edges.size()));
  EXPECT_EQ(r1->new_edges, r1->unique_edges);
  EXPECT_EQ(r1->entities, static_cast<int64_t>(after_first.mentions.size()));

  auto r2 = store_->BulkLoad(second, "second", 2);
  ASSERT_TRUE(r2.ok()) << r2.status();
  const Expected both = BruteForce({first, second});
  EXPECT_EQ(r2->new_edges, static_cast<int64_t>(both.edges.size() - after_first.edges.size()));
  EXPECT_EQ(r2->new_entities,
            static_cast<int64_t>(both.mentions.size() - after_first.mentions.size()));
  ExpectTotals(static_cast<int64_t>(both.mentions.size()), static_cast<int64_t>(both.edges.size()),
               0, 2);

  for (const auto& [key, spelling] : both.first_spelling) {
    const EntityId id = IdOf(spelling);
    auto e = store_->GetEntity(id);
    ASSERT_TRUE(e.ok()) << key << ": " << e.status();
    EXPECT_EQ(e->name, spelling) << "the first spelling in input order is kept";
    EXPECT_EQ(e->mentions, both.mentions.at(key)) << key;
    EXPECT_EQ(e->out_degree, both.out_degree.count(key) ? both.out_degree.at(key) : 0) << key;
    EXPECT_EQ(e->in_degree, both.in_degree.count(key) ? both.in_degree.at(key) : 0) << key;
  }
  int checked = 0;
  for (const auto& [edge, count] : both.edges) {
    if (count < 2 || ++checked > 200) continue;
    const auto& [s, rel, o] = edge;
    auto e = store_->GetEdge({IdOf(both.first_spelling.at(s)), Rel(rel), IdOf(both.first_spelling.at(o))});
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->bulk_count, count) << s << " " << rel << " " << o;
  }
  EXPECT_GT(checked, 50) << "the graph should have many duplicated edges";
  ExpectVerifyOk();
}

DocumentInput TextDoc() {
  DocumentInput d;
  d.doc_id = "text-1";
  d.date = "2020-02-02";
  d.entities = {{"Ada Lovelace", "PERSON", {"Ada"}, 1, {}}, {"London", "GPE", {}, 1, {}},
                {"Analytical Engine", "PRODUCT", {}, 1, {}}};
  TripleInput born;
  born.subject = "Ada";
  born.relation = "born_in";
  born.object = "London";
  born.confidence = 0.5;
  born.sentence = "Ada was born in London.";
  TripleInput wrote;
  wrote.subject = "Ada Lovelace";
  wrote.relation = "wrote_about";
  wrote.object = "Analytical Engine";
  wrote.confidence = 0.6;
  wrote.sentence = "Ada wrote about the Analytical Engine.";
  d.triples = {born, wrote};
  return d;
}

TEST_F(storage_bulk_load, BulkLoadIntoStoreWithDocumentsKeepsCountersRight) {
  ASSERT_TRUE(store_->IngestDocument(TextDoc()).ok());
  ExpectTotals(3, 2, 2, 1);
  auto r = store_->BulkLoad(SmallGraph(), "small.tsv", 0x99);
  ASSERT_TRUE(r.ok()) << r.status();
  // Ada and London exist; Mathematics and Charles Babbage are new.
  EXPECT_EQ(r->new_entities, 2);
  // Ada -born_in-> London exists from the text.
  EXPECT_EQ(r->new_edges, 3);
  ExpectTotals(5, 5, 2, 2);
  const EntityId ada = IdOf("Ada Lovelace"), london = IdOf("London");
  auto e = store_->GetEdge({ada, Rel("born_in"), london});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->mentions, 1);
  EXPECT_EQ(e->bulk_count, 1);
  EXPECT_DOUBLE_EQ(e->confidence_sum, 1.4);
  EXPECT_DOUBLE_EQ(e->confidence_max, 0.9);
  EXPECT_EQ(store_->Degree(ada, Direction::kOut), 3);
  EXPECT_EQ(store_->Degree(london, Direction::kIn), 2);
  auto a = store_->GetEntity(ada);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->mentions, 1 + 3);
  EXPECT_EQ(a->type, "PERSON") << "bulk load must not clobber the text entity's record";
  ExpectVerifyOk();

  // Retracting the text keeps the bulk assertion, its share of the confidence,
  // and the entities the bulk load mentions.
  ASSERT_TRUE(store_->DeleteDocument("text-1").ok());
  auto after = store_->GetEdge({ada, Rel("born_in"), london});
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->mentions, 0);
  EXPECT_EQ(after->bulk_count, 1);
  EXPECT_DOUBLE_EQ(after->confidence_sum, 0.9);
  EXPECT_TRUE(store_->GetEntity(ada).ok());
  auto engine = store_->FindByName("Analytical Engine");
  ASSERT_TRUE(engine.ok());
  EXPECT_TRUE(engine->empty());
  ExpectTotals(4, 4, 0, 1);
  ExpectVerifyOk();
}

TEST_F(storage_bulk_load, DocumentIngestAfterBulkLoadReusesBulkEntitiesAndEdges) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0x99).ok());
  auto r = store_->IngestDocument(TextDoc());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->entities_created, 1) << "only Analytical Engine is new";
  EXPECT_EQ(r->edges_created, 1) << "only wrote_about is new";
  ExpectTotals(5, 5, 2, 2);
  ExpectVerifyOk();
}

TEST_F(storage_bulk_load, BulkSourceCannotBeDeletedAsDocument) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 0xabc).ok());
  absl::Status s = store_->DeleteDocument("bulk:0000000000000abc");
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  ExpectTotals(4, 4, 0, 1);
}

TEST_F(storage_bulk_load, RejectsNamelessEntityAndLeavesStoreUnchanged) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 1).ok());
  const std::string before = DumpStore(*store_);
  auto r = store_->BulkLoad({{"Good", "r", "Name", 1.0}, {"???", "r", "Name", 1.0}}, "bad", 2);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_EQ(DumpStore(*store_), before);
  // No scratch directory is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.Sub("db"))) {
    EXPECT_NE(entry.path().filename().string().rfind("bulk-tmp-", 0), 0u) << entry.path();
  }
}

TEST_F(storage_bulk_load, SurvivesReopen) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 1).ok());
  const std::string before = DumpStore(*store_);
  store_.reset();
  auto s = GraphStore::Open(dir_.Sub("db"), StoreOptions{});
  ASSERT_TRUE(s.ok()) << s.status();
  store_ = std::move(*s);
  EXPECT_EQ(DumpStore(*store_), before);
  auto again = store_->BulkLoad(SmallGraph(), "small.tsv", 1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_loaded) << "the source record must persist";
}

TEST_F(storage_bulk_load, OpenRemovesLeftoverScratchDirectory) {
  ASSERT_TRUE(store_->BulkLoad(SmallGraph(), "small.tsv", 1).ok());
  store_.reset();
  const std::string leftover = dir_.Sub("db") + "/bulk-tmp-424242";
  std::filesystem::create_directories(leftover);
  dir_.WriteFile("db/bulk-tmp-424242/entities.sst", "partial");
  auto s = GraphStore::Open(dir_.Sub("db"), StoreOptions{});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(std::filesystem::exists(leftover));
  store_ = std::move(*s);
  ExpectTotals(4, 4, 0, 1);
  ExpectVerifyOk();
}

}  // namespace
}  // namespace kgraph::storage
