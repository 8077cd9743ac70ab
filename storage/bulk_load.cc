// GraphStore::BulkLoad: sorted SST files per column family, ingested
// atomically with IngestExternalFiles. Nothing is visible until the ingest
// step, so a load that fails or is killed leaves the store as it was.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <thread>

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <unistd.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "model/text_limits.h"
#include "model/name_key.h"
#include "kgraph/storage/records.pb.h"
#include "storage/entity_cache.h"
#include "storage/families.h"
#include "storage/graph_store.h"

namespace kgraph::storage {
namespace {

namespace fs = std::filesystem;

// Writes one SST for one family; keys must arrive in strictly increasing order.
class SortedFileWriter {
 public:
  SortedFileWriter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string path)
      : writer_(rocksdb::EnvOptions(), FastWriteOptions(db->GetOptions(cf)), cf,
                /*invalidate_page_cache=*/false),
        path_(std::move(path)),
        cf_(cf) {}

  absl::Status Open() { return FromRocks(writer_.Open(path_), "opening " + path_); }

  // The family's options, but LZ4 throughout: ZSTD on the bulk path was a
  // third of the load's CPU; compaction recompresses the bottom level later.
  static rocksdb::Options FastWriteOptions(rocksdb::Options o) {
    o.bottommost_compression = rocksdb::kLZ4Compression;
    o.compression = rocksdb::kLZ4Compression;
    return o;
  }
  // Called once per key: the error message is built only on failure.
  absl::Status Put(const rocksdb::Slice& k, const rocksdb::Slice& v) {
    ++entries_;
    return Checked(writer_.Put(k, v));
  }
  absl::Status Merge(const rocksdb::Slice& k, const rocksdb::Slice& v) {
    ++entries_;
    return Checked(writer_.Merge(k, v));
  }
  // Adds the file to `args` unless it is empty (RocksDB rejects empty SSTs).
  absl::Status Finish(std::vector<rocksdb::IngestExternalFileArg>* args) {
    if (entries_ == 0) return absl::OkStatus();
    absl::Status s = FromRocks(writer_.Finish(), "finishing " + path_);
    if (!s.ok()) return s;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cf_;
    arg.external_files = {path_};
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    arg.options.allow_blocking_flush = true;
    args->push_back(std::move(arg));
    return absl::OkStatus();
  }

 private:
  absl::Status Checked(const rocksdb::Status& s) const {
    return s.ok() ? absl::OkStatus() : FromRocks(s, "writing " + path_);
  }

  rocksdb::SstFileWriter writer_;
  std::string path_;
  rocksdb::ColumnFamilyHandle* cf_;
  int64_t entries_ = 0;
};

struct BulkEntity {
  EntityId id = 0;
  std::string key;
  std::string_view name;  // first spelling in input order; points into the triples
  std::string name_key;   // NameKey(name), for the name index
  int64_t mentions = 0;
  bool is_new = true;
};

// One input triple reduced to ids, laid out as one edge family orders it:
// (a, rel, b) is (src, rel, dst) for out_edges and (dst, rel, src) for
// in_edges, so one sort and one writer serve both families. 32 bytes, so
// sorting 10M of them moves a third of what sorting (EdgeKey, EdgeStats) did.
struct PackedEdge {
  EntityId a;
  EntityId b;
  RelationId rel;
  double confidence;
};
static_assert(sizeof(PackedEdge) == 32);

// Duplicates order by confidence, so both families add their confidences
// in the same order and store bit-identical sums. A function object, not a
// function: std::sort then inlines the comparison.
struct PackedLess {
  bool operator()(const PackedEdge& x, const PackedEdge& y) const {
    if (x.a != y.a) return x.a < y.a;
    if (x.rel != y.rel) return x.rel < y.rel;
    if (x.b != y.b) return x.b < y.b;
    return x.confidence < y.confidence;
  }
};

// PackedEdge is trivial, so an array of them stays untouched (and
// unfaulted) until the resolve threads write it. Null if out of memory: a
// load too large for RAM fails with an error instead of aborting.
using PackedArray = std::unique_ptr<PackedEdge[]>;
PackedArray NewPackedArray(size_t n) { return PackedArray(new (std::nothrow) PackedEdge[n]); }

absl::Status OutOfMemory(size_t n) {
  return absl::ResourceExhaustedError(
      absl::StrCat("bulk load: cannot allocate ", n * sizeof(PackedEdge) / (1 << 20),
                   " MiB for an array of ", n, " edges"));
}

// Sorts by (a, rel, b). Ids are hashes, so the top 16 bits of `a` spread
// the edges evenly over 65,536 buckets: one counting pass and one scatter
// pass leave buckets of a few hundred edges, each sorted in cache. About
// 40% faster than std::sort over the whole array at 10M edges.
absl::Status SortPacked(PackedArray* edges, size_t n) {
  constexpr int kShift = 48;
  constexpr size_t kBuckets = size_t{1} << (64 - kShift);
  std::vector<size_t> start(kBuckets + 1, 0);
  const PackedEdge* src = edges->get();
  for (size_t i = 0; i < n; ++i) start[(src[i].a >> kShift) + 1]++;
  for (size_t b = 0; b < kBuckets; ++b) start[b + 1] += start[b];
  PackedArray sorted = NewPackedArray(n);
  if (sorted == nullptr) return OutOfMemory(n);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n; ++i) sorted[fill[src[i].a >> kShift]++] = src[i];
  edges->reset();
  for (size_t b = 0; b < kBuckets; ++b) {
    std::sort(sorted.get() + start[b], sorted.get() + start[b + 1], PackedLess());
  }
  *edges = std::move(sorted);
  return absl::OkStatus();
}

bool SameEdge(const PackedEdge& x, const PackedEdge& y) {
  return x.a == y.a && x.rel == y.rel && x.b == y.b;
}

// Two identity keys that hash to one entity id: inside one slice, or
// across slices when they merge.
absl::Status EntityIdCollision(const std::string& a, const std::string& b, EntityId id) {
  return absl::InternalError(
      absl::StrCat("entity id collision: '", a, "' and '", b, "' both hash to ", id));
}

// What resolving one contiguous slice of the input found.
struct ResolvedSlice {
  std::vector<BulkEntity> entities;  // first-seen order within the slice
  absl::flat_hash_map<std::string_view, RelationId> relations;
};

// Turns triples [begin, end) into ids, writing out[i] and in[i] for each
// triple i. Slices run on separate threads; each keeps its own spelling
// cache, so the Unicode key work runs once per spelling per slice.
absl::Status ResolveSlice(absl::Span<const BulkTriple> triples, size_t begin, size_t end,
                          PackedEdge* out, PackedEdge* in, ResolvedSlice* slice) {
  // Keys are copies, not views into the triples: short names then sit
  // inline in the table slot, so a hit costs one cache miss, not two. The
  // slot also counts the spelling's mentions, for the same reason.
  struct Spelling {
    EntityId id;
    uint32_t index;
    uint32_t mentions;
  };
  absl::flat_hash_map<std::string, Spelling> by_spelling;
  absl::flat_hash_map<EntityId, uint32_t> by_id;
  std::vector<BulkEntity>& entities = slice->entities;
  // Sets *e to the slot of the spelling `name` and counts the mention.
  // Adding a spelling may move the other slots (rehash): *added says so.
  auto entity_of = [&](const std::string& name, Spelling** e, bool* added) -> absl::Status {
    auto known = by_spelling.find(name);
    if (known != by_spelling.end()) {
      *e = &known->second;
      (*e)->mentions++;
      *added = false;
      return absl::OkStatus();
    }
    std::string key = IdentityKey(name);
    std::string name_key = NameKey(name);
    if (name_key.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("entity name ", QuoteForMessage(name), " has no letters or digits"));
    }
    const EntityId id = EntityIdForKey(key);
    auto [it, inserted] = by_id.try_emplace(id, static_cast<uint32_t>(entities.size()));
    if (inserted) {
      BulkEntity& ent = entities.emplace_back();
      ent.id = id;
      ent.key = std::move(key);
      ent.name = name;
      ent.name_key = std::move(name_key);
    } else if (entities[it->second].key != key) {
      return EntityIdCollision(entities[it->second].key, key, id);
    }
    *e = &by_spelling.emplace(name, Spelling{id, it->second, 1}).first->second;
    *added = true;
    return absl::OkStatus();
  };
  // Inputs are often grouped by subject, and relations repeat: the last of
  // each costs no lookup.
  const std::string* last_subject = nullptr;
  const std::string* last_relation = nullptr;
  Spelling* src = nullptr;
  RelationId rel = 0;
  // The spelling table outgrows the caches, so a lookup is a memory miss:
  // asking for the slot of an object a few triples ahead overlaps the misses.
  constexpr size_t kPrefetchAhead = 8;
  for (size_t i = begin; i < end; ++i) {
    if (i + kPrefetchAhead < end) by_spelling.prefetch(triples[i + kPrefetchAhead].object);
    const BulkTriple& t = triples[i];
    bool added = false;
    if (last_subject != nullptr && t.subject == *last_subject) {
      src->mentions++;
    } else if (absl::Status s = entity_of(t.subject, &src, &added); !s.ok()) {
      return s;
    }
    last_subject = &t.subject;
    Spelling* dst = nullptr;
    if (absl::Status s = entity_of(t.object, &dst, &added); !s.ok()) return s;
    if (added) src = &by_spelling.find(t.subject)->second;  // dst's insert may have moved it
    if (last_relation == nullptr || t.relation != *last_relation) {
      auto rit = slice->relations.find(t.relation);
      if (rit == slice->relations.end()) {
        rit = slice->relations.emplace(t.relation, RelationIdForName(t.relation)).first;
      }
      rel = rit->second;
      last_relation = &t.relation;
    }
    out[i] = PackedEdge{src->id, dst->id, rel, t.confidence};
    in[i] = PackedEdge{dst->id, src->id, rel, t.confidence};
  }
  for (const auto& [name, spelling] : by_spelling) {
    entities[spelling.index].mentions += spelling.mentions;
  }
  return absl::OkStatus();
}

// What writing one edge family counted.
struct EdgeFileTally {
  int64_t unique = 0;     // distinct edges after folding duplicates
  int64_t new_edges = 0;  // of those, absent from the store before
  absl::flat_hash_map<RelationId, int64_t> new_by_relation;
  // New edges per `a` entity, ascending by id: the degree deltas, ready to
  // merge-join with the entities in id order (no per-edge lookups).
  std::vector<std::pair<EntityId, int64_t>> new_by_entity;
};

// Sorts `edges`, folds duplicates into one edge whose bulk_count says how
// often it was asserted, writes the family's SST, and counts what is new.
absl::Status WriteEdgeFile(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                           rocksdb::ColumnFamilyHandle* out_edges_cf, bool is_out, bool store_empty,
                           PackedArray* edges, size_t n, const std::string& path,
                           EdgeFileTally* tally,
                           std::vector<rocksdb::IngestExternalFileArg>* args) {
  if (absl::Status sorted = SortPacked(edges, n); !sorted.ok()) return sorted;
  SortedFileWriter fw(db, cf, path);
  absl::Status s = fw.Open();
  if (!s.ok()) return s;
  char key[kEdgeKeySize];
  char value[kEdgeStatsSize];
  const PackedEdge* e = edges->get();
  const PackedEdge* const end = e + n;
  while (e != end) {
    EdgeStats st;
    st.bulk_count = 1;
    st.confidence_sum = st.confidence_max = e->confidence;
    const PackedEdge* next = e + 1;
    for (; next != end && SameEdge(*next, *e); ++next) {
      st.bulk_count++;
      st.confidence_sum += next->confidence;
      st.confidence_max = std::max(st.confidence_max, next->confidence);
    }
    tally->unique++;
    bool is_new = store_empty;
    if (!store_empty) {
      // Both families ask the out_edges family, so they agree on what is new.
      if (is_out) EncodeEdgeKeyTo(e->a, e->rel, e->b, key);
      else EncodeEdgeKeyTo(e->b, e->rel, e->a, key);
      std::string v;
      rocksdb::Status gs = db->Get(rocksdb::ReadOptions(), out_edges_cf, rocksdb::Slice(key, kEdgeKeySize), &v);
      if (gs.IsNotFound()) is_new = true;
      else if (!gs.ok()) return FromRocks(gs, "edge lookup");
    }
    if (is_new) {
      tally->new_edges++;
      if (is_out) tally->new_by_relation[e->rel]++;
      auto& by_entity = tally->new_by_entity;
      if (by_entity.empty() || by_entity.back().first != e->a) by_entity.emplace_back(e->a, 0);
      by_entity.back().second++;
    }
    EncodeEdgeKeyTo(e->a, e->rel, e->b, key);
    const size_t value_size = EncodeEdgeStatsTo(st, value);
    // Into an empty store every edge is new: plain values, so later reads
    // need no merge work. Otherwise merge onto what is there.
    const rocksdb::Slice k(key, kEdgeKeySize), v(value, value_size);
    s = store_empty ? fw.Put(k, v) : fw.Merge(k, v);
    if (!s.ok()) return s;
    e = next;
  }
  return fw.Finish(args);
}

// Runs `jobs` on up to `threads` threads; the first failure in job order
// wins, so the error a caller sees does not depend on scheduling.
absl::Status RunJobs(const std::vector<std::function<absl::Status()>>& jobs, int threads) {
  std::vector<absl::Status> status(jobs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < jobs.size();) status[i] = jobs[i]();
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads && static_cast<size_t>(t) < jobs.size(); ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  for (absl::Status& s : status) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// IngestExternalFiles takes one argument per column family; a family
// written as several files (disjoint key ranges) gets one with all of them.
std::vector<rocksdb::IngestExternalFileArg> OneArgPerFamily(
    std::vector<rocksdb::IngestExternalFileArg> args) {
  std::vector<rocksdb::IngestExternalFileArg> merged;
  for (rocksdb::IngestExternalFileArg& a : args) {
    auto same = std::find_if(merged.begin(), merged.end(), [&](const auto& m) {
      return m.column_family == a.column_family;
    });
    if (same == merged.end()) {
      merged.push_back(std::move(a));
    } else {
      for (std::string& f : a.external_files) same->external_files.push_back(std::move(f));
    }
  }
  return merged;
}

}  // namespace

absl::StatusOr<BulkLoadResult> GraphStore::BulkLoad(absl::Span<const BulkTriple> triples,
                                                    const std::string& source,
                                                    uint64_t source_hash) {
  if (read_only_) return absl::FailedPreconditionError("store is open read-only");
  absl::MutexLock lock(&write_mu_);
  BulkLoadResult result;
  result.triples = static_cast<int64_t>(triples.size());
  const std::string source_id = absl::StrFormat("bulk:%016x", source_hash);
  {
    std::string raw;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->documents, source_id, &raw);
    if (s.ok()) {
      result.already_loaded = true;
      return result;
    }
    if (!s.IsNotFound()) return FromRocks(s, "source lookup");
  }
  const bool store_empty = ReadCounter(TotalCounterKey(kEntitiesTotal)) == 0 &&
                           ReadCounter(TotalCounterKey(kEdgesTotal)) == 0;
  absl::Time phase_start = absl::Now();
  // Seconds since the previous call (or the start of resolving).
  auto phase_seconds = [&phase_start] {
    const absl::Time now = absl::Now();
    const double s = absl::ToDoubleSeconds(now - phase_start);
    phase_start = now;
    return s;
  };

  // Resolve names to ids on every core, each over a slice of the input; the
  // slices' entities then merge in input order, so the stored spelling of
  // an entity is its first in the input whatever the split.
  const size_t n = triples.size();
  const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
  PackedArray out_edges = NewPackedArray(n), in_edges = NewPackedArray(n);
  if (out_edges == nullptr || in_edges == nullptr) return OutOfMemory(n);
  std::vector<ResolvedSlice> slices(threads);
  {
    std::vector<std::function<absl::Status()>> jobs;
    for (int k = 0; k < threads; ++k) {
      jobs.push_back([&, k] {
        return ResolveSlice(triples, n * k / threads, n * (k + 1) / threads, out_edges.get(),
                            in_edges.get(), &slices[k]);
      });
    }
    if (absl::Status s = RunJobs(jobs, threads); !s.ok()) return s;
  }
  std::vector<BulkEntity> entities = std::move(slices[0].entities);
  absl::flat_hash_map<EntityId, uint32_t> entity_index;
  entity_index.reserve(entities.size() * 5 / 4);
  for (uint32_t i = 0; i < entities.size(); ++i) entity_index.emplace(entities[i].id, i);
  for (size_t k = 1; k < slices.size(); ++k) {
    for (BulkEntity& e : slices[k].entities) {
      auto [it, inserted] = entity_index.try_emplace(e.id, static_cast<uint32_t>(entities.size()));
      if (inserted) {
        entities.push_back(std::move(e));
      } else if (entities[it->second].key != e.key) {
        return EntityIdCollision(entities[it->second].key, e.key, e.id);
      } else {
        entities[it->second].mentions += e.mentions;
      }
    }
    slices[k].entities.clear();
  }
  absl::flat_hash_map<std::string, RelationId> relations;
  for (const ResolvedSlice& sl : slices) {
    for (const auto& [name, id] : sl.relations) relations.emplace(std::string(name), id);
  }

  // Relation ids: collisions inside the input or with the registry.
  absl::flat_hash_map<RelationId, std::string> rel_by_id;
  std::vector<RelationId> new_relations;
  for (const auto& [name, id] : relations) {
    auto [it, inserted] = rel_by_id.emplace(id, name);
    if (!inserted) {
      return absl::InternalError(absl::StrCat("relation id collision: '", it->second, "' and '", name, "'"));
    }
    std::string known = RelationName(id);
    if (known.empty()) {
      new_relations.push_back(id);
    } else if (known != name) {
      return absl::InternalError(absl::StrCat("relation id collision: '", known, "' and '", name, "'"));
    }
  }
  std::sort(new_relations.begin(), new_relations.end());
  result.entities = static_cast<int64_t>(entities.size());
  result.relations = static_cast<int64_t>(relations.size());

  // Entities the store already has keep their record; a different key under
  // the same id is a hash collision.
  if (!store_empty) {
    for (BulkEntity& ent : entities) {
      std::string raw;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityKey(ent.id), &raw);
      if (s.ok()) {
        EntityRecord rec;
        if (rec.ParseFromString(raw) && rec.canonical_key() != ent.key) {
          return absl::InternalError(absl::StrCat("entity id collision with stored entity: '",
                                                  rec.canonical_key(), "' and '", ent.key, "'"));
        }
        ent.is_new = false;
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "entity lookup");
      }
    }
  }
  for (const BulkEntity& ent : entities) {
    if (ent.is_new) result.new_entities++;
  }

  result.resolve_s = phase_seconds();

  // Write one sorted file per family in a scratch directory inside the store.
  const fs::path tmp = fs::path(path_) / absl::StrCat("bulk-tmp-", getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return absl::InternalError(absl::StrCat("creating ", tmp.string(), ": ", ec.message()));
  auto cleanup = [&] { fs::remove_all(tmp, ec); };
  std::vector<rocksdb::IngestExternalFileArg> args;
  auto fail = [&](absl::Status s) {
    cleanup();
    return s;
  };

  // The two edge families sort and write in parallel; they also count the
  // degrees the entity stats need, so the entity side comes after.
  EdgeFileTally out_tally, in_tally;
  {
    std::vector<rocksdb::IngestExternalFileArg> out_args, in_args;
    auto edge_job = [&](rocksdb::ColumnFamilyHandle* cf, bool is_out, PackedArray* edges,
                        const char* file, EdgeFileTally* tally,
                        std::vector<rocksdb::IngestExternalFileArg>* job_args) {
      return [=, &tmp, &store_empty, &n, this]() {
        absl::Status s = WriteEdgeFile(db_.get(), cf, cfs_->out_edges, is_out, store_empty, edges,
                                       n, (tmp / file).string(), tally, job_args);
        edges->reset();  // free each family's array as soon as it is written
        return s;
      };
    };
    const std::vector<std::function<absl::Status()>> jobs = {
        edge_job(cfs_->out_edges, /*is_out=*/true, &out_edges, "out_edges.sst", &out_tally, &out_args),
        edge_job(cfs_->in_edges, /*is_out=*/false, &in_edges, "in_edges.sst", &in_tally, &in_args)};
    if (absl::Status s = RunJobs(jobs, threads); !s.ok()) return fail(s);
    for (auto* part : {&out_args, &in_args}) {
      for (auto& a : *part) args.push_back(std::move(a));
    }
  }
  if (out_tally.unique != in_tally.unique || out_tally.new_edges != in_tally.new_edges) {
    return fail(absl::InternalError("bulk load: the out- and in-edge files disagree"));
  }
  result.unique_edges = out_tally.unique;
  result.new_edges = out_tally.new_edges;
  result.edges_s = phase_seconds();

  std::vector<std::pair<std::string, int64_t>> counters;
  counters.reserve(out_tally.new_by_relation.size() + 3);
  for (const auto& [rel, count] : out_tally.new_by_relation) {
    counters.emplace_back(RelationEdgeCounterKey(rel), count);
  }
  counters.emplace_back(TotalCounterKey(kEntitiesTotal), result.new_entities);
  counters.emplace_back(TotalCounterKey(kEdgesTotal), result.new_edges);
  counters.emplace_back(TotalCounterKey(kDocumentsTotal), 1);

  // Entity side, as independent jobs (each its own SST file) over the
  // cores: the entity records, aliases and stats in id ranges, the name
  // index, and the relations, counters and source record.
  std::vector<std::pair<EntityId, uint32_t>> order(entities.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = {entities[i].id, i};
  std::sort(order.begin(), order.end());
  constexpr size_t kEntityParts = 4;
  std::vector<std::vector<rocksdb::IngestExternalFileArg>> job_args(kEntityParts + 2);
  std::vector<std::function<absl::Status()>> jobs;
  // The name index is the longest job: it goes first.
  jobs.push_back([&]() -> absl::Status {
    std::vector<std::string> name_keys;
    name_keys.reserve(entities.size());
    for (const BulkEntity& ent : entities) {
      if (ent.is_new) name_keys.push_back(NameIndexKey(ent.name_key, ent.id));
    }
    std::sort(name_keys.begin(), name_keys.end());
    SortedFileWriter nw(db_.get(), cfs_->names, (tmp / "names.sst").string());
    absl::Status s = nw.Open();
    const std::string one = EncodeInt64(1);
    for (size_t k = 0; k < name_keys.size() && s.ok(); ++k) s = nw.Merge(name_keys[k], one);
    return s.ok() ? nw.Finish(&job_args[kEntityParts]) : s;
  });
  for (size_t part = 0; part < kEntityParts; ++part) {
    jobs.push_back([&, part]() -> absl::Status {
      // Ordered by id: for new entities the record and the name's alias
      // reference; for all, the stats delta (key order: record, 'a'..., 's').
      const size_t lo = order.size() * part / kEntityParts;
      const size_t hi = order.size() * (part + 1) / kEntityParts;
      if (lo == hi) return absl::OkStatus();
      SortedFileWriter fw(db_.get(), cfs_->entities,
                          (tmp / absl::StrCat("entities-", part, ".sst")).string());
      absl::Status s = fw.Open();
      // The degree deltas are in id order too: walk them alongside.
      auto degrees_from = [&](const std::vector<std::pair<EntityId, int64_t>>& v) {
        return std::lower_bound(v.begin(), v.end(), std::make_pair(order[lo].first, int64_t{0}));
      };
      auto out_it = degrees_from(out_tally.new_by_entity);
      auto in_it = degrees_from(in_tally.new_by_entity);
      auto degree_of = [](EntityId id, auto* it, auto end) -> int64_t {
        return *it != end && (*it)->first == id ? ((*it)++)->second : 0;
      };
      const std::string one = EncodeInt64(1);
      EntityRecord rec;
      std::string raw;
      for (size_t k = lo; k < hi && s.ok(); ++k) {
        const BulkEntity& ent = entities[order[k].second];
        const EntityId id = ent.id;
        if (ent.is_new) {
          rec.set_id(id);
          rec.set_canonical_key(ent.key);
          rec.set_name(std::string(ent.name));
          raw.clear();
          rec.SerializeToString(&raw);
          s = fw.Put(EntityKey(id), raw);
          if (s.ok()) s = fw.Merge(EntityAliasKey(id, ent.name), one);
        }
        EntityStats st{ent.mentions, degree_of(id, &out_it, out_tally.new_by_entity.end()),
                       degree_of(id, &in_it, in_tally.new_by_entity.end())};
        // A new entity has no stats yet: a plain value spares every later
        // read the merge-operator work.
        if (s.ok()) {
          s = ent.is_new ? fw.Put(EntityStatsKey(id), EncodeEntityStats(st))
                         : fw.Merge(EntityStatsKey(id), EncodeEntityStats(st));
        }
      }
      return s.ok() ? fw.Finish(&job_args[part]) : s;
    });
  }
  jobs.push_back([&]() -> absl::Status {
    std::vector<rocksdb::IngestExternalFileArg>* meta_args = &job_args[kEntityParts + 1];
    SortedFileWriter rw(db_.get(), cfs_->relations, (tmp / "relations.sst").string());
    absl::Status s = rw.Open();
    for (RelationId id : new_relations) {
      if (!s.ok()) break;
      RelationRecord rec;
      rec.set_id(id);
      rec.set_name(rel_by_id[id]);
      s = rw.Put(RelationKey(id), rec.SerializeAsString());
    }
    if (s.ok()) s = rw.Finish(meta_args);
    if (!s.ok()) return s;

    std::sort(counters.begin(), counters.end());
    SortedFileWriter cw(db_.get(), cfs_->counters, (tmp / "counters.sst").string());
    s = cw.Open();
    for (const auto& [k, v] : counters) {
      if (!s.ok()) break;
      s = cw.Merge(k, EncodeInt64(v));
    }
    if (s.ok()) s = cw.Finish(meta_args);
    if (!s.ok()) return s;

    DocumentRecord rec;
    rec.set_doc_id(source_id);
    rec.set_title(source);
    rec.set_content_hash(source_hash);
    rec.set_bulk(true);
    rec.set_bulk_triples(static_cast<uint64_t>(triples.size()));
    SortedFileWriter dw(db_.get(), cfs_->documents, (tmp / "documents.sst").string());
    s = dw.Open();
    if (s.ok()) s = dw.Put(source_id, rec.SerializeAsString());
    return s.ok() ? dw.Finish(meta_args) : s;
  });
  if (absl::Status s = RunJobs(jobs, threads); !s.ok()) return fail(s);
  for (auto& part : job_args) {
    for (auto& a : part) args.push_back(std::move(a));
  }
  args = OneArgPerFamily(std::move(args));
  result.entities_s = phase_seconds();

  // The one step that makes the load visible: atomic across all families.
  rocksdb::Status is = db_->IngestExternalFiles(args);
  cleanup();
  entity_cache_->InvalidateAll();  // stats of any number of entities changed
  bulk_loads_.fetch_add(1);        // also after a failure, which may have applied some files
  if (!is.ok()) return FromRocks(is, "ingesting bulk-load files");
  result.ingest_s = phase_seconds();
  {
    absl::MutexLock rl(&relations_mu_);
    for (RelationId id : new_relations) {
      relation_names_[id] = rel_by_id[id];
      relation_ids_[rel_by_id[id]] = id;
    }
  }
  return result;
}

}  // namespace kgraph::storage
