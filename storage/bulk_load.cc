// GraphStore::BulkLoad: sorted SST files per column family, ingested
// atomically with IngestExternalFiles. Nothing is visible until the ingest
// step, so a load that fails or is killed leaves the store as it was.
#include <algorithm>
#include <filesystem>
#include <thread>

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <unistd.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "model/name_key.h"
#include "kgraph/storage/records.pb.h"
#include "storage/families.h"
#include "storage/graph_store.h"

namespace kgraph::storage {
namespace {

namespace fs = std::filesystem;

// Writes one SST for one family; keys must arrive in strictly increasing order.
class SortedFileWriter {
 public:
  SortedFileWriter(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, std::string path)
      : writer_(rocksdb::EnvOptions(), FastWriteOptions(db->GetOptions(cf)), cf),
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
  absl::Status Put(const std::string& k, const std::string& v) {
    ++entries_;
    return FromRocks(writer_.Put(k, v), "writing " + path_);
  }
  absl::Status Merge(const std::string& k, const std::string& v) {
    ++entries_;
    return FromRocks(writer_.Merge(k, v), "writing " + path_);
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
  rocksdb::SstFileWriter writer_;
  std::string path_;
  rocksdb::ColumnFamilyHandle* cf_;
  int64_t entries_ = 0;
};

struct BulkEntity {
  EntityId id = 0;
  std::string key;
  std::string name;
  int64_t mentions = 0;
  int64_t out_degree = 0;  // new edges only
  int64_t in_degree = 0;
  bool is_new = true;
};

}  // namespace

absl::StatusOr<BulkLoadResult> GraphStore::BulkLoad(const std::vector<BulkTriple>& triples,
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

  // Entities, with collision detection inside the input and against the store.
  // Entities live in a vector; the maps only index it, so the later passes
  // (sorting, SST writing) touch no hash table.
  std::vector<BulkEntity> entities;
  absl::flat_hash_map<EntityId, uint32_t> entity_index;
  absl::flat_hash_map<std::string, RelationId> relations;
  std::vector<std::pair<EdgeKey, EdgeStats>> edges;
  edges.reserve(triples.size());
  // Most names repeat many times; remember each spelling's entity so the
  // Unicode key work runs once per spelling, not once per triple.
  absl::flat_hash_map<std::string, uint32_t> spelling_index;
  auto entity_of = [&](const std::string& name) -> absl::StatusOr<EntityId> {
    auto known = spelling_index.find(name);
    if (known != spelling_index.end()) {
      BulkEntity& e = entities[known->second];
      e.mentions++;
      return e.id;
    }
    std::string key = IdentityKey(name);
    if (NameKey(name).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("entity name '", name, "' has no letters or digits"));
    }
    EntityId id = EntityIdForKey(key);
    auto [it, inserted] = entity_index.try_emplace(id, static_cast<uint32_t>(entities.size()));
    if (inserted) {
      BulkEntity e;
      e.id = id;
      e.key = std::move(key);
      e.name = name;
      entities.push_back(std::move(e));
    } else if (entities[it->second].key != key) {
      return absl::InternalError(absl::StrCat("entity id collision: '", entities[it->second].key,
                                              "' and '", key, "' both hash to ", id));
    }
    entities[it->second].mentions++;
    spelling_index.emplace(name, it->second);
    return id;
  };
  for (const BulkTriple& t : triples) {
    auto src = entity_of(t.subject);
    if (!src.ok()) return src.status();
    auto dst = entity_of(t.object);
    if (!dst.ok()) return dst.status();
    auto rit = relations.find(t.relation);
    if (rit == relations.end()) {
      rit = relations.emplace(t.relation, RelationIdForName(t.relation)).first;
    }
    EdgeStats st;
    st.bulk_count = 1;
    st.confidence_sum = st.confidence_max = t.confidence;
    edges.push_back({EdgeKey{*src, rit->second, *dst}, st});
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

  // Duplicate triples fold into one edge whose bulk_count says how often.
  std::sort(edges.begin(), edges.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t w = 0;
  for (size_t r = 0; r < edges.size(); ++r) {
    if (w > 0 && edges[w - 1].first == edges[r].first) {
      edges[w - 1].second.Add(edges[r].second);
    } else {
      edges[w++] = edges[r];
    }
  }
  edges.resize(w);
  result.unique_edges = static_cast<int64_t>(edges.size());
  result.entities = static_cast<int64_t>(entities.size());
  result.relations = static_cast<int64_t>(relations.size());

  // Which entities and edges are new decides the counters.
  std::vector<bool> edge_is_new(edges.size(), true);
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
    for (size_t i = 0; i < edges.size(); ++i) {
      std::string v;
      rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->out_edges, OutEdgeKey(edges[i].first), &v);
      if (s.ok()) edge_is_new[i] = false;
      else if (!s.IsNotFound()) return FromRocks(s, "edge lookup");
    }
  }

  absl::flat_hash_map<RelationId, int64_t> relation_edges;
  for (const BulkEntity& ent : entities) {
    if (ent.is_new) result.new_entities++;
  }
  for (size_t i = 0; i < edges.size(); ++i) {
    if (!edge_is_new[i]) continue;
    const EdgeKey& e = edges[i].first;
    relation_edges[e.rel]++;
    entities[entity_index[e.src]].out_degree++;
    entities[entity_index[e.dst]].in_degree++;
    result.new_edges++;
  }
  std::vector<std::pair<std::string, int64_t>> counters;
  counters.reserve(relation_edges.size() + 3);
  for (const auto& [rel, n] : relation_edges) counters.emplace_back(RelationEdgeCounterKey(rel), n);
  counters.emplace_back(TotalCounterKey(kEntitiesTotal), result.new_entities);
  counters.emplace_back(TotalCounterKey(kEdgesTotal), result.new_edges);
  counters.emplace_back(TotalCounterKey(kDocumentsTotal), 1);

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

  // Entity-side and edge-side files are independent: write them on two
  // threads (the in-edge sort runs on a third while out-edges are written).
  std::vector<rocksdb::IngestExternalFileArg> entity_args, edge_args;
  auto write_entity_side = [&]() -> absl::Status {
    {  // entities, ordered by id: for new ones the record and the name's
       // reference; for all, the stats delta (key order: record, 'a'..., 's').
      std::sort(entities.begin(), entities.end(),
                [](const BulkEntity& a, const BulkEntity& b) { return a.id < b.id; });
      SortedFileWriter fw(db_.get(), cfs_->entities, (tmp / "entities.sst").string());
      absl::Status s = fw.Open();
      for (const BulkEntity& ent : entities) {
        if (!s.ok()) break;
        const EntityId id = ent.id;
        if (ent.is_new) {
          EntityRecord rec;
          rec.set_id(id);
          rec.set_canonical_key(ent.key);
          rec.set_name(ent.name);
          s = fw.Put(EntityKey(id), rec.SerializeAsString());
          if (s.ok()) s = fw.Merge(EntityAliasKey(id, ent.name), EncodeInt64(1));
        }
        EntityStats st{ent.mentions, ent.out_degree, ent.in_degree};
        // A new entity has no stats yet: a plain value spares every later
        // read the merge-operator work.
        if (s.ok()) {
          s = ent.is_new ? fw.Put(EntityStatsKey(id), EncodeEntityStats(st))
                         : fw.Merge(EntityStatsKey(id), EncodeEntityStats(st));
        }
      }
      if (s.ok()) s = fw.Finish(&entity_args);
      if (!s.ok()) return s;

      std::vector<std::string> name_keys;
      name_keys.reserve(entities.size());
      for (const BulkEntity& ent : entities) {
        if (ent.is_new) name_keys.push_back(NameIndexKey(NameKey(ent.name), ent.id));
      }
      std::sort(name_keys.begin(), name_keys.end());
      SortedFileWriter nw(db_.get(), cfs_->names, (tmp / "names.sst").string());
      s = nw.Open();
      for (const auto& k : name_keys) {
        if (!s.ok()) break;
        s = nw.Merge(k, EncodeInt64(1));
      }
      if (s.ok()) s = nw.Finish(&entity_args);
      if (!s.ok()) return s;
    }
    {  // relations, counters, and the source record.
      SortedFileWriter rw(db_.get(), cfs_->relations, (tmp / "relations.sst").string());
      absl::Status s = rw.Open();
      for (RelationId id : new_relations) {
        if (!s.ok()) break;
        RelationRecord rec;
        rec.set_id(id);
        rec.set_name(rel_by_id[id]);
        s = rw.Put(RelationKey(id), rec.SerializeAsString());
      }
      if (s.ok()) s = rw.Finish(&entity_args);
      if (!s.ok()) return s;

      std::vector<std::pair<std::string, int64_t>>& sorted = counters;
      std::sort(sorted.begin(), sorted.end());
      SortedFileWriter cw(db_.get(), cfs_->counters, (tmp / "counters.sst").string());
      s = cw.Open();
      for (const auto& [k, v] : sorted) {
        if (!s.ok()) break;
        s = cw.Merge(k, EncodeInt64(v));
      }
      if (s.ok()) s = cw.Finish(&entity_args);
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
      if (s.ok()) s = dw.Finish(&entity_args);
      if (!s.ok()) return s;
    }

    return absl::OkStatus();
  };
  auto write_edge_side = [&]() -> absl::Status {
    {  // out_edges in (src, rel, dst) order; in_edges re-sorted by (dst, rel, src)
       // on a second thread while the out-edge file is written.
      std::vector<std::pair<EdgeKey, EdgeStats>> by_dst = edges;
      std::thread sorter([&by_dst] {
        std::sort(by_dst.begin(), by_dst.end(), [](const auto& a, const auto& b) {
          const EdgeKey& x = a.first;
          const EdgeKey& y = b.first;
          if (x.dst != y.dst) return x.dst < y.dst;
          if (x.rel != y.rel) return x.rel < y.rel;
          return x.src < y.src;
        });
      });
      SortedFileWriter ow(db_.get(), cfs_->out_edges, (tmp / "out_edges.sst").string());
      absl::Status s = ow.Open();
      for (const auto& [e, st] : edges) {
        if (!s.ok()) break;
        // Into an empty store every edge is new: plain values, so later
        // reads need no merge work. Otherwise merge onto what is there.
        s = store_empty ? ow.Put(OutEdgeKey(e), EncodeEdgeStats(st))
                        : ow.Merge(OutEdgeKey(e), EncodeEdgeStats(st));
      }
      if (s.ok()) s = ow.Finish(&edge_args);
      sorter.join();
      if (!s.ok()) return s;
      SortedFileWriter iw(db_.get(), cfs_->in_edges, (tmp / "in_edges.sst").string());
      s = iw.Open();
      for (const auto& [e, st] : by_dst) {
        if (!s.ok()) break;
        s = store_empty ? iw.Put(InEdgeKey(e), EncodeEdgeStats(st))
                        : iw.Merge(InEdgeKey(e), EncodeEdgeStats(st));
      }
      if (s.ok()) s = iw.Finish(&edge_args);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  };
  absl::Status entity_status;
  std::thread entity_writer([&] { entity_status = write_entity_side(); });
  absl::Status edge_status = write_edge_side();
  entity_writer.join();
  if (!entity_status.ok()) return fail(entity_status);
  if (!edge_status.ok()) return fail(edge_status);
  for (auto* part : {&entity_args, &edge_args}) {
    for (auto& a : *part) args.push_back(std::move(a));
  }

  // The one step that makes the load visible: atomic across all families.
  rocksdb::Status is = db_->IngestExternalFiles(args);
  cleanup();
  if (!is.ok()) return FromRocks(is, "ingesting bulk-load files");
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
