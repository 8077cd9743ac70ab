#include "storage/graph_store.h"

#include <algorithm>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_buffer_manager.h>
#include <rocksdb/write_batch.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "model/name_key.h"
#include "model/text_limits.h"
#include "kgraph/storage/records.pb.h"
#include "storage/crash_point.h"
#include "storage/entity_cache.h"
#include "storage/families.h"
#include "storage/merge_operators.h"

namespace kgraph::storage {

namespace fs = std::filesystem;

absl::Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(std::string(context), ": ", s.ToString());
  switch (s.code()) {
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(msg);
    case rocksdb::Status::kInvalidArgument:
      return absl::InvalidArgumentError(msg);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(msg);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
      return absl::UnavailableError(msg);
    case rocksdb::Status::kIOError:
      if (s.ToString().find("lock") != std::string::npos) return absl::UnavailableError(msg);
      return absl::InternalError(msg);
    default:
      return absl::InternalError(msg);
  }
}

namespace {

// `whole_key_filter`: with a prefix, whether the filter also holds whole keys
// (worth it only where point reads of absent keys are common).
rocksdb::ColumnFamilyOptions BaseOptions(const std::shared_ptr<rocksdb::Cache>& cache,
                                         const rocksdb::SliceTransform* prefix,
                                         bool whole_key_filter = true) {
  rocksdb::ColumnFamilyOptions cf;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Bulk loads make large files; with one monolithic filter and index per
  // file, every adjacency seek re-read a multi-MB filter that no cache shard
  // could hold. Partitioned (two-level) index and filters keep reads to small
  // blocks, and the pinned top level keeps the partition lookup in memory.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.pin_top_level_index_and_filter = true;
  // Pinned partitions are held by the table reader itself, so a point read
  // walks filter and index without a block-cache lookup (each a hash probe
  // under a shard mutex): MultiGet of a page of entities was a third of the
  // server's CPU under load. Their memory still counts against the cache.
  table.metadata_cache_options.top_level_index_pinning = rocksdb::PinningTier::kAll;
  table.metadata_cache_options.partition_pinning = rocksdb::PinningTier::kAll;
  table.metadata_cache_options.unpartitioned_pinning = rocksdb::PinningTier::kAll;
  table.format_version = 5;
  if (prefix != nullptr) {
    // Adjacency scans seek to a node prefix: the prefix bloom answers "does
    // this node have edges in this file" without reading data blocks.
    cf.prefix_extractor.reset(prefix);
    cf.memtable_prefix_bloom_size_ratio = 0.1;
    table.whole_key_filtering = whole_key_filter;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  cf.level_compaction_dynamic_level_bytes = true;
  return cf;
}

}  // namespace

std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  auto counters_op = std::make_shared<Int64AddOperator>();
  auto edges_op = std::make_shared<EdgeStatsMergeOperator>();
  std::vector<rocksdb::ColumnFamilyDescriptor> d;
  d.emplace_back(kMetaCf, BaseOptions(cache, nullptr));
  auto entities = BaseOptions(cache, rocksdb::NewFixedPrefixTransform(kEntityIdSize));
  entities.merge_operator = counters_op;  // alias refcounts
  d.emplace_back(kEntitiesCf, entities);
  auto names = BaseOptions(cache, nullptr);
  names.merge_operator = counters_op;
  d.emplace_back(kNamesCf, names);
  auto out = BaseOptions(cache, rocksdb::NewFixedPrefixTransform(kEntityIdSize));
  out.merge_operator = edges_op;
  d.emplace_back(kOutEdgesCf, out);
  // in_edges is only scanned (point reads go to out_edges, whose filter
  // answers "is this edge new" during ingest): prefixes alone halve the
  // filter work of writing it.
  auto in = BaseOptions(cache, rocksdb::NewFixedPrefixTransform(kEntityIdSize),
                        /*whole_key_filter=*/false);
  in.merge_operator = edges_op;
  d.emplace_back(kInEdgesCf, in);
  d.emplace_back(kEvidenceCf, BaseOptions(cache, rocksdb::NewFixedPrefixTransform(kEdgeKeySize)));
  d.emplace_back(kDocumentsCf, BaseOptions(cache, nullptr));
  d.emplace_back(kRelationsCf, BaseOptions(cache, nullptr));
  auto counters = BaseOptions(cache, nullptr);
  counters.merge_operator = counters_op;
  d.emplace_back(kCountersCf, counters);
  return d;
}

namespace {

constexpr size_t kMemtableBudgetBytes = 96ull << 20;

rocksdb::DBOptions StoreDbOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  // All memtables together stay within kMemtableBudgetBytes, charged to the
  // block cache, so the store's memory is the cache's capacity whatever the
  // write load. Without it each of the nine families could hold a 64 MiB
  // write buffer: a 10-minute ingest soak took kgraphd from 76 to 522 MB,
  // 200-250 MiB of it memtables (docs/RELIABILITY.md "Soak").
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(kMemtableBudgetBytes, cache);
  db_options.IncreaseParallelism(2);
  db_options.max_open_files = 512;
  // No row_cache: with RocksDB 7.8 a row cache filled by MultiGet made a
  // later Get of the same key return NotFound on a reopened store (test:
  // storage_document.PointReadsAgreeWithBatchReadsAfterReopen).
  return db_options;
}

absl::Status SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::InternalError(absl::StrCat(dir.string(), ": cannot open to sync"));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return absl::InternalError(absl::StrCat(dir.string(), ": fsync failed"));
  return absl::OkStatus();
}

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// "<parent>/.<name>.creating-<pid>": where a store is built before it is
// renamed into place.
constexpr char kCreatingInfix[] = ".creating-";

// Removes scratch directories of creations of `target` whose process is gone.
void RemoveStaleCreations(const fs::path& target) {
  std::error_code ec;
  const std::string prefix = absl::StrCat(".", target.filename().string(), kCreatingInfix);
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
    if (pid == ::getpid() || !ProcessAlive(pid)) fs::remove_all(entry.path(), ec);
  }
}

// Creates an empty, stamped store at `target` (absent or an empty
// directory) so that no crash can leave a half-made store there: the column
// families and the format tag are written in a sibling scratch directory,
// synced, and renamed into place in one rename(2). A crash before the rename
// leaves only the scratch directory (removed by the next creation); after
// it, a complete store.
absl::Status CreateStoreAtomically(const fs::path& target,
                                   const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  std::error_code ec;
  RemoveStaleCreations(target);
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (!fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      return absl::FailedPreconditionError(
          absl::StrCat(parent.string(), ": cannot create directory (", ec.message(), ")"));
    }
  }
  const fs::path scratch =
      parent / absl::StrCat(".", target.filename().string(), kCreatingInfix, ::getpid());
  fs::remove_all(scratch, ec);

  rocksdb::DBOptions db_options = StoreDbOptions(rocksdb::NewLRUCache(kMemtableBudgetBytes));
  db_options.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, scratch.string(), descriptors, &handles, &raw);
  if (!s.ok()) {
    fs::remove_all(scratch, ec);
    return FromRocks(s, absl::StrCat(target.string(), ": cannot create database"));
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  CrashPoint("create:after-families");
  rocksdb::WriteBatch stamp;
  stamp.Put(handles[0], kMetaFormatKey, kFormatTag);
  stamp.Put(handles[0], kMetaSchemaKey, std::to_string(kSchemaVersion));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  s = db->Write(wo, &stamp);
  if (s.ok()) s = db->Flush(rocksdb::FlushOptions(), handles);
  CrashPoint("create:after-stamp");
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  rocksdb::Status closed = db->Close();
  db.reset();
  if (s.ok()) s = closed;
  if (!s.ok()) {
    fs::remove_all(scratch, ec);
    return FromRocks(s, absl::StrCat(target.string(), ": cannot create database"));
  }
  absl::Status synced = SyncDirectory(scratch);
  if (!synced.ok()) {
    fs::remove_all(scratch, ec);
    return synced;
  }
  CrashPoint("create:before-rename");
  // rename(2) replaces an empty directory atomically; a non-empty one means
  // another process created the store first, which is as good.
  if (::rename(scratch.c_str(), target.c_str()) != 0) {
    const int err = errno;
    fs::remove_all(scratch, ec);
    if ((err == ENOTEMPTY || err == EEXIST) && fs::exists(target / "CURRENT", ec)) {
      return absl::OkStatus();
    }
    return absl::FailedPreconditionError(absl::StrCat(
        target.string(), ": cannot move the new database into place (", std::strerror(err), ")"));
  }
  CrashPoint("create:after-rename");
  return SyncDirectory(parent);
}

// Whether the RocksDB database at `path` holds no key in any family: what an
// interrupted creation by an older kgraph (column families first, format tag
// in a second write) left behind.
bool HoldsNoKeys(const std::string& path, const std::vector<std::string>& families) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : families) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors, &handles, &raw).ok()) {
    return false;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  bool empty = true;
  for (auto* h : handles) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), h));
    it->SeekToFirst();
    if (it->Valid() || !it->status().ok()) empty = false;
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return empty;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GraphStore>> GraphStore::Open(const std::string& path,
                                                             const StoreOptions& options) {
  std::error_code ec;
  fs::path target = fs::path(path).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();  // "db/" names "db"
  bool exists = fs::exists(target, ec);
  if (exists && !fs::is_directory(target, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": not a directory"));
  }
  bool fresh = !exists || fs::is_empty(target, ec);
  if (!fresh && !fs::exists(target / "CURRENT", ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a kgraph database (directory is not empty and has no "
                           "RocksDB CURRENT file)"));
  }
  if (fresh && (!options.create_if_missing || options.read_only)) {
    return absl::NotFoundError(absl::StrCat(path, ": no database here"));
  }

  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  auto descriptors = FamilyDescriptors(cache);
  if (fresh) {
    absl::Status created = CreateStoreAtomically(target, descriptors);
    if (!created.ok()) return created;
  }
  // Leftovers of a bulk load killed before its ingest step; they were never
  // part of the database.
  if (!options.read_only) {
    for (const auto& entry : fs::directory_iterator(target, ec)) {
      if (entry.path().filename().string().rfind("bulk-tmp-", 0) == 0) {
        fs::remove_all(entry.path(), ec);
      }
    }
  }

  std::vector<std::string> existing;
  rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &existing);
  if (!ls.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a readable kgraph database (", ls.ToString(), ")"));
  }
  std::string problem;
  for (const auto& d : descriptors) {
    if (std::find(existing.begin(), existing.end(), d.name) == existing.end()) {
      problem = absl::StrCat("column family '", d.name, "' is missing");
      break;
    }
  }
  for (const auto& name : existing) {
    bool known = std::any_of(descriptors.begin(), descriptors.end(),
                             [&](const auto& d) { return d.name == name; });
    if (!known && problem.empty()) problem = absl::StrCat("unknown column family '", name, "'");
  }
  if (!problem.empty()) return RefuseOrRecover(path, options, problem, existing);

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::DBOptions db_options = StoreDbOptions(cache);
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, path, descriptors, &handles, &raw)
          : rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat(path, ": cannot open database"));
  std::unique_ptr<rocksdb::DB> db(raw);
  auto cfs = std::make_unique<Families>();
  cfs->all = handles;
  cfs->meta = handles[0];
  cfs->entities = handles[1];
  cfs->names = handles[2];
  cfs->out_edges = handles[3];
  cfs->in_edges = handles[4];
  cfs->evidence = handles[5];
  cfs->documents = handles[6];
  cfs->relations = handles[7];
  cfs->counters = handles[8];

  // Schema check: every store is stamped at creation.
  std::string format, version;
  rocksdb::Status fs_status = db->Get(rocksdb::ReadOptions(), cfs->meta, kMetaFormatKey, &format);
  if (fs_status.IsNotFound()) {
    for (auto* h : cfs->all) db->DestroyColumnFamilyHandle(h);
    db.reset();
    return RefuseOrRecover(path, options, "no format tag", existing);
  }
  s = db->Get(rocksdb::ReadOptions(), cfs->meta, kMetaSchemaKey, &version);
  int schema = 0;
  const bool readable_version = s.ok() && absl::SimpleAtoi(version, &schema) &&
                                schema >= kOldestReadableSchemaVersion &&
                                schema <= kSchemaVersion;
  if (format != kFormatTag || !readable_version) {
    for (auto* h : cfs->all) db->DestroyColumnFamilyHandle(h);
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": incompatible kgraph schema version '", version, "' (this build reads ",
        kOldestReadableSchemaVersion, " to ", kSchemaVersion, ")"));
  }
  // An older store keeps its key layout, so it still reads; but its
  // documents have position-based ids and no manifests, so writing to it
  // would store re-ingested articles twice.
  if (schema < kSchemaVersion && !options.read_only) {
    for (auto* h : cfs->all) db->DestroyColumnFamilyHandle(h);
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": schema version ", schema, " store (document ids by position in the page); "
        "this build writes version ", kSchemaVersion,
        " (ids from source and content). It opens read-only (verify, export, kgraphd "
        "--read_only). To rebuild: kgraph-admin export --db ", path,
        " --out edges.tsv keeps its edges; re-run `kgraph-admin ingest --db NEW ...` on the "
        "original inputs (and `kgraph-admin load` for bulk sources)"));
  }
  std::unique_ptr<GraphStore> store(
      new GraphStore(path, std::move(db), std::move(cfs), options));
  absl::Status rs = store->LoadRelationsNoLock();
  if (!rs.ok()) return rs;
  return store;
}

absl::StatusOr<std::unique_ptr<GraphStore>> GraphStore::RefuseOrRecover(
    const std::string& path, const StoreOptions& options, const std::string& problem,
    const std::vector<std::string>& families) {
  // A store with no key at all is what an interrupted creation by an older
  // kgraph left: nothing can be lost by making it anew.
  if (HoldsNoKeys(path, families)) {
    if (options.read_only || !options.create_if_missing) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": an interrupted store creation left this empty database (", problem,
          "); it holds no data. Recover it with: kgraph-admin recover --db ", path));
    }
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ": cannot remove the empty database of an interrupted creation (", ec.message(),
          ")"));
    }
    return Open(path, options);
  }
  return absl::FailedPreconditionError(absl::StrCat(
      path, ": not a kgraph database (", problem,
      "). It holds data, so it is left untouched; move it aside (mv ", path, " ", path,
      ".bad) to create a new store there"));
}

GraphStore::GraphStore(std::string path, std::unique_ptr<rocksdb::DB> db,
                       std::unique_ptr<Families> cfs, const StoreOptions& options)
    : path_(std::move(path)),
      db_(std::move(db)),
      cfs_(std::move(cfs)),
      read_only_(options.read_only),
      entity_cache_(std::make_unique<EntityCache>(options.entity_cache_entries)) {}

namespace {

// The entity ids whose keys a write batch touches in one family (every key
// there starts with the 8-byte id).
class EntityIdsOfBatch : public rocksdb::WriteBatch::Handler {
 public:
  explicit EntityIdsOfBatch(uint32_t family_id) : family_id_(family_id) {}

  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice&) override {
    return Note(cf, key);
  }
  rocksdb::Status MergeCF(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice&) override {
    return Note(cf, key);
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override { return Note(cf, key); }
  rocksdb::Status SingleDeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return Note(cf, key);
  }
  rocksdb::Status DeleteRangeCF(uint32_t cf, const rocksdb::Slice&, const rocksdb::Slice&) override {
    if (cf == family_id_) all_ = true;
    return rocksdb::Status::OK();
  }
  void LogData(const rocksdb::Slice&) override {}

  const std::vector<EntityId>& ids() const { return ids_; }
  bool all() const { return all_; }

 private:
  rocksdb::Status Note(uint32_t cf, const rocksdb::Slice& key) {
    if (cf != family_id_) return rocksdb::Status::OK();
    if (key.size() < kEntityIdSize) {
      all_ = true;
    } else {
      const EntityId id = EntityIdOfKey(std::string_view(key.data(), key.size()));
      if (ids_.empty() || ids_.back() != id) ids_.push_back(id);
    }
    return rocksdb::Status::OK();
  }

  const uint32_t family_id_;
  std::vector<EntityId> ids_;
  bool all_ = false;
};

}  // namespace

GraphStore::EntityCacheCounts GraphStore::entity_cache_counts() const {
  return {entity_cache_->hits(), entity_cache_->lookups()};
}

void GraphStore::InvalidateCachedEntities(rocksdb::WriteBatch& batch) {
  if (!entity_cache_->enabled()) return;
  EntityIdsOfBatch touched(cfs_->entities->GetID());
  // Iterate fails only on a malformed batch, which Write would have refused.
  if (!batch.Iterate(&touched).ok() || touched.all()) return entity_cache_->InvalidateAll();
  entity_cache_->Invalidate(touched.ids());
}

GraphStore::~GraphStore() {
  if (db_ == nullptr) return;
  if (!read_only_) {
    rocksdb::FlushOptions fo;
    db_->Flush(fo, cfs_->all);
  }
  for (auto* h : cfs_->all) db_->DestroyColumnFamilyHandle(h);
  db_->Close();
}

absl::Status GraphStore::LoadRelationsNoLock() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_->relations));
  absl::MutexLock lock(&relations_mu_);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    RelationRecord rec;
    if (!rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("relations: unreadable record");
    }
    relation_names_[rec.id()] = rec.name();
    relation_ids_[rec.name()] = rec.id();
  }
  return FromRocks(it->status(), "relations scan");
}

int64_t GraphStore::ReadCounter(const std::string& key) const {
  std::string v;
  if (!db_->Get(rocksdb::ReadOptions(), cfs_->counters, key, &v).ok()) return 0;
  return DecodeInt64(v);
}

absl::StatusOr<bool> GraphStore::HasEntity(EntityId id) const {
  // A cached entity existed at the last completed write that touched it.
  if (entity_cache_->Contains(id)) return true;
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityKey(id), &value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "entity lookup");
  return true;
}

absl::StatusOr<Entity> GraphStore::GetEntity(EntityId id) const {
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->entities));
  std::string prefix = EntityKey(id);
  Entity e;
  bool found = false;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() == kEntityIdSize) {
      EntityRecord rec;
      if (!rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(absl::StrCat("entity ", id, ": unreadable record"));
      }
      e.id = id;
      e.name = rec.name();
      e.type = rec.type();
      e.canonical_key = rec.canonical_key();
      e.attributes.insert(rec.attributes().begin(), rec.attributes().end());
      found = true;
    } else if (it->key().size() == kEntityIdSize + 1 && it->key()[kEntityIdSize] == kStatsTag) {
      EntityStats st = DecodeEntityStats(std::string_view(it->value().data(), it->value().size()));
      e.mentions = st.mentions;
      e.out_degree = st.out_degree;
      e.in_degree = st.in_degree;
    } else if (it->key()[kEntityIdSize] == kAliasTag) {
      if (DecodeInt64(std::string_view(it->value().data(), it->value().size())) > 0) {
        e.aliases.emplace_back(it->key().data() + kEntityIdSize + 1,
                               it->key().size() - kEntityIdSize - 1);
      }
    }
  }
  if (!it->status().ok()) return FromRocks(it->status(), "entity scan");
  if (!found) return absl::NotFoundError(absl::StrCat("no entity with id ", id));
  e.aliases.erase(std::remove(e.aliases.begin(), e.aliases.end(), e.name), e.aliases.end());
  return e;
}

absl::StatusOr<std::vector<std::optional<Entity>>> GraphStore::GetEntities(
    const std::vector<EntityId>& ids, bool with_aliases) const {
  std::vector<std::optional<Entity>> out(ids.size());
  if (ids.empty()) return out;
  // Read before the store is: see EntityCache for why.
  const uint64_t generation = entity_cache_->generation();
  std::vector<size_t> misses;  // indexes into `ids` the cache does not hold
  misses.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    Entity cached;
    if (!with_aliases && entity_cache_->Lookup(ids[i], &cached)) {
      out[i] = std::move(cached);
    } else {
      misses.push_back(i);
    }
  }
  if (misses.empty()) return out;
  // Record and stats of each entity are adjacent keys: one MultiGet, and
  // mostly one data block per entity.
  const size_t n = misses.size();
  std::vector<std::string> keys(2 * n);
  std::vector<rocksdb::Slice> slices(2 * n);
  for (size_t k = 0; k < n; ++k) {
    keys[2 * k] = EntityKey(ids[misses[k]]);
    keys[2 * k + 1] = EntityStatsKey(ids[misses[k]]);
  }
  for (size_t k = 0; k < 2 * n; ++k) slices[k] = keys[k];
  std::vector<rocksdb::PinnableSlice> values(2 * n);
  std::vector<rocksdb::Status> status(2 * n);
  db_->MultiGet(rocksdb::ReadOptions(), cfs_->entities, 2 * n, slices.data(), values.data(),
                status.data());
  for (size_t k = 0; k < n; ++k) {
    const size_t i = misses[k];
    const rocksdb::Status& rs = status[2 * k];
    if (rs.IsNotFound()) continue;
    if (!rs.ok()) return FromRocks(rs, "entity batch read");
    EntityRecord rec;
    if (!rec.ParseFromArray(values[2 * k].data(), static_cast<int>(values[2 * k].size()))) {
      return absl::DataLossError(absl::StrCat("entity ", ids[i], ": unreadable record"));
    }
    Entity& e = out[i].emplace();
    e.id = ids[i];
    e.name = rec.name();
    e.type = rec.type();
    e.canonical_key = rec.canonical_key();
    e.attributes.insert(rec.attributes().begin(), rec.attributes().end());
    if (status[2 * k + 1].ok()) {
      EntityStats st = DecodeEntityStats(
          std::string_view(values[2 * k + 1].data(), values[2 * k + 1].size()));
      e.mentions = st.mentions;
      e.out_degree = st.out_degree;
      e.in_degree = st.in_degree;
    } else if (!status[2 * k + 1].IsNotFound()) {
      return FromRocks(status[2 * k + 1], "entity stats batch read");
    }
    entity_cache_->InsertIfCurrent(generation, e);
    if (with_aliases) {
      auto full = GetEntity(ids[i]);
      if (full.ok()) e.aliases = std::move(full->aliases);
    }
  }
  return out;
}

absl::StatusOr<std::vector<EntityId>> GraphStore::FindByName(std::string_view name) const {
  std::string key = NameKey(name);
  std::vector<EntityId> ids;
  if (key.empty()) return ids;
  std::string prefix = key;
  prefix.push_back(kNameSeparator);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_->names));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;
    if (DecodeInt64(std::string_view(it->value().data(), it->value().size())) <= 0) continue;
    ids.push_back(DecodeBigEndian64(it->key().data() + prefix.size()));
  }
  if (!it->status().ok()) return FromRocks(it->status(), "name lookup");
  return ids;
}

absl::Status GraphStore::ScanNamePrefix(
    std::string_view key_prefix,
    const std::function<bool(std::string_view, EntityId)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cfs_->names));
  rocksdb::Slice prefix(key_prefix.data(), key_prefix.size());
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.size() < 9) continue;
    if (DecodeInt64(std::string_view(it->value().data(), it->value().size())) <= 0) continue;
    std::string_view name_key(k.data(), k.size() - 9);
    if (!fn(name_key, DecodeBigEndian64(k.data() + k.size() - 8))) break;
  }
  return FromRocks(it->status(), "name scan");
}

namespace {

// The one adjacency scan: seeks `it` (an iterator over the family of `dir`)
// to the node's prefix and visits its edges until `fn` returns false.
absl::Status ScanAdjacency(rocksdb::Iterator* it, EntityId node, Direction dir,
                           const RelationId* rel, const std::function<bool(const Edge&)>& fn) {
  std::string prefix = rel ? NodeRelationPrefix(node, *rel) : NodePrefix(node);
  Edge edge;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (k.size() != kEdgeKeySize) continue;
    edge.key = dir == Direction::kOut ? DecodeOutEdgeKey(k) : DecodeInEdgeKey(k);
    if (!DecodeEdgeStats(std::string_view(it->value().data(), it->value().size()), &edge.stats)) {
      return absl::DataLossError(absl::StrCat("edge of node ", node, ": bad stats encoding"));
    }
    if (!fn(edge)) break;
  }
  return FromRocks(it->status(), "edge scan");
}

}  // namespace

absl::Status GraphStore::ScanEdges(EntityId node, Direction dir, const RelationId* rel,
                                   const std::function<bool(const Edge&)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;
  auto* cf = dir == Direction::kOut ? cfs_->out_edges : cfs_->in_edges;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf));
  return ScanAdjacency(it.get(), node, dir, rel, fn);
}

struct AdjacencyReader::State {
  rocksdb::DB* db = nullptr;
  const GraphStore::Families* cfs = nullptr;
  const rocksdb::Snapshot* snapshot = nullptr;
  std::unique_ptr<rocksdb::Iterator> out, in;
};

AdjacencyReader::AdjacencyReader(std::unique_ptr<State> state) : state_(std::move(state)) {}

AdjacencyReader::~AdjacencyReader() {
  state_->out.reset();
  state_->in.reset();
  state_->db->ReleaseSnapshot(state_->snapshot);
}

absl::Status AdjacencyReader::Scan(EntityId node, Direction dir, const RelationId* rel,
                                   const std::function<bool(const Edge&)>& fn) {
  std::unique_ptr<rocksdb::Iterator>& it = dir == Direction::kOut ? state_->out : state_->in;
  if (!it) {
    rocksdb::ReadOptions ro;
    ro.prefix_same_as_start = true;
    ro.snapshot = state_->snapshot;
    it.reset(state_->db->NewIterator(
        ro, dir == Direction::kOut ? state_->cfs->out_edges : state_->cfs->in_edges));
  }
  return ScanAdjacency(it.get(), node, dir, rel, fn);
}

absl::StatusOr<EdgeStats> AdjacencyReader::GetEdge(const EdgeKey& key) {
  rocksdb::ReadOptions ro;
  ro.snapshot = state_->snapshot;
  std::string v;
  rocksdb::Status s = state_->db->Get(ro, state_->cfs->out_edges, OutEdgeKey(key), &v);
  if (s.IsNotFound()) return absl::NotFoundError("no such edge");
  if (!s.ok()) return FromRocks(s, "edge lookup");
  EdgeStats stats;
  if (!DecodeEdgeStats(v, &stats)) return absl::DataLossError("bad edge stats encoding");
  return stats;
}

std::unique_ptr<AdjacencyReader> GraphStore::NewAdjacencyReader() const {
  auto state = std::make_unique<AdjacencyReader::State>();
  state->db = db_.get();
  state->cfs = cfs_.get();
  state->snapshot = db_->GetSnapshot();
  return std::unique_ptr<AdjacencyReader>(new AdjacencyReader(std::move(state)));
}

absl::Status GraphStore::ScanAllOutEdges(const std::function<bool(const Edge&)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->out_edges));
  Edge edge;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view k(it->key().data(), it->key().size());
    if (k.size() != kEdgeKeySize) continue;
    edge.key = DecodeOutEdgeKey(k);
    if (!DecodeEdgeStats(std::string_view(it->value().data(), it->value().size()), &edge.stats)) {
      return absl::DataLossError("bad edge stats encoding");
    }
    if (!fn(edge)) break;
  }
  return FromRocks(it->status(), "edge scan");
}

uint64_t GraphStore::WriteVersion() const {
  return db_->GetLatestSequenceNumber() + bulk_loads_.load();
}

absl::StatusOr<EdgeStats> GraphStore::GetEdge(const EdgeKey& key) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->out_edges, OutEdgeKey(key), &v);
  if (s.IsNotFound()) return absl::NotFoundError("no such edge");
  if (!s.ok()) return FromRocks(s, "edge lookup");
  EdgeStats stats;
  if (!DecodeEdgeStats(v, &stats)) return absl::DataLossError("bad edge stats encoding");
  return stats;
}

absl::Status GraphStore::ScanEvidence(const EdgeKey& edge, std::string_view cursor,
                                      const std::function<bool(const Evidence&)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cfs_->evidence));
  std::string prefix = EvidencePrefix(edge);
  if (cursor.empty()) {
    it->Seek(prefix);
  } else {
    if (cursor.size() != kEvidenceKeySize || cursor.substr(0, kEdgeKeySize) != prefix) {
      return absl::InvalidArgumentError("evidence cursor does not belong to this edge");
    }
    it->Seek(rocksdb::Slice(cursor.data(), cursor.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(cursor.data(), cursor.size())) it->Next();
  }
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    EvidenceRecord rec;
    if (!rec.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError("unreadable evidence record");
    }
    Evidence ev;
    ev.cursor = it->key().ToString();
    ev.doc_id = rec.doc_id();
    ev.sentence = rec.sentence();
    ev.start = rec.start();
    ev.end = rec.end();
    ev.rule = rec.rule();
    ev.confidence = rec.confidence();
    ev.date = rec.date();
    ev.subject_mention = {rec.subject_start(), rec.subject_end(), rec.subject_resolved_from()};
    ev.object_mention = {rec.object_start(), rec.object_end(), rec.object_resolved_from()};
    if (!fn(ev)) break;
  }
  return FromRocks(it->status(), "evidence scan");
}

int64_t GraphStore::Degree(EntityId id, Direction dir) const {
  std::string v;
  if (!db_->Get(rocksdb::ReadOptions(), cfs_->entities, EntityStatsKey(id), &v).ok()) return 0;
  EntityStats st = DecodeEntityStats(v);
  return dir == Direction::kOut ? st.out_degree : st.in_degree;
}

absl::StatusOr<RelationId> GraphStore::FindRelation(std::string_view name) const {
  absl::ReaderMutexLock lock(&relations_mu_);
  auto it = relation_ids_.find(std::string(name));
  if (it == relation_ids_.end()) {
    return absl::NotFoundError(absl::StrCat("unknown relation ", QuoteForMessage(name)));
  }
  return it->second;
}

std::string GraphStore::RelationName(RelationId id) const {
  absl::ReaderMutexLock lock(&relations_mu_);
  auto it = relation_names_.find(id);
  return it == relation_names_.end() ? std::string() : it->second;
}

std::vector<RelationInfo> GraphStore::ListRelations() const {
  std::vector<RelationInfo> out;
  {
    absl::ReaderMutexLock lock(&relations_mu_);
    for (const auto& [id, name] : relation_names_) out.push_back({id, name, 0});
  }
  for (auto& r : out) r.edges = ReadCounter(RelationEdgeCounterKey(r.id));
  std::sort(out.begin(), out.end(), [](const RelationInfo& a, const RelationInfo& b) {
    return a.edges != b.edges ? a.edges > b.edges : a.name < b.name;
  });
  return out;
}

absl::StatusOr<StoreStats> GraphStore::GetStats() const {
  StoreStats st;
  st.entities = ReadCounter(TotalCounterKey(kEntitiesTotal));
  st.edges = ReadCounter(TotalCounterKey(kEdgesTotal));
  st.evidence = ReadCounter(TotalCounterKey(kEvidenceTotal));
  st.documents = ReadCounter(TotalCounterKey(kDocumentsTotal));
  st.relations = ListRelations();
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(path_, ec)) {
    if (entry.is_regular_file(ec)) st.disk_bytes += entry.file_size(ec);
  }
  return st;
}

absl::StatusOr<bool> GraphStore::HasDocument(std::string_view doc_id) const {
  if (doc_id.empty() || doc_id[0] == kReservedDocumentKeyTag) return false;
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cfs_->documents,
                               rocksdb::Slice(doc_id.data(), doc_id.size()), &v);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromRocks(s, "document lookup");
  return true;
}

absl::Status GraphStore::Checkpoint(const std::string& out_dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
  if (!s.ok()) return FromRocks(s, "checkpoint");
  std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  return FromRocks(cp->CreateCheckpoint(out_dir), absl::StrCat("checkpoint to ", out_dir));
}

absl::Status GraphStore::Flush() {
  return FromRocks(db_->Flush(rocksdb::FlushOptions(), cfs_->all), "flush");
}

}  // namespace kgraph::storage
