// GraphStore: kgraph's graph over RocksDB column families (layout in
// storage/key_format.h). It stores entities, their names and aliases, typed
// edges in both directions with aggregate properties, per-edge evidence and
// per-document contribution records, so a document can be retracted exactly.
//
// Thread safety: all methods are safe to call concurrently. Writers
// (IngestDocument, DeleteDocument, bulk loads) are serialized by one mutex so
// that their read-then-write steps see a consistent state; readers never
// block on writers.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "absl/synchronization/mutex.h"
#include "model/ids.h"
#include "storage/key_format.h"

namespace rocksdb {
class WriteBatch;
class DB;
class ColumnFamilyHandle;
class Cache;
class Snapshot;
}  // namespace rocksdb

namespace kgraph::storage {

class DocumentRecord;  // proto/kgraph/storage/records.proto

struct StoreOptions {
  bool create_if_missing = true;
  bool read_only = false;
  size_t block_cache_bytes = 256ull << 20;  // one cache shared by every family
  // Decoded entities kept for GetEntities (reply pages); 0 turns it off.
  size_t entity_cache_entries = 100'000;
};

// Document ids and sources are at most this long, valid UTF-8 and free of
// control characters (the documents family reserves keys starting with NUL).
inline constexpr size_t kMaxDocumentIdBytes = 1024;
// InvalidArgument naming `field` unless `id` is a valid document id or source.
absl::Status ValidateDocumentId(std::string_view id, const char* field);

// ---- Write-side inputs -----------------------------------------------------

struct EntityInput {
  std::string name;  // canonical display name; NameKey(name) must be non-empty
  std::string type;  // PERSON, ORG, GPE, PRODUCT, MISC or ""
  std::vector<std::string> aliases;
  int64_t mentions = 1;
  std::map<std::string, std::string> attributes;
};

// Where an argument of a triple is mentioned: byte offsets in the document
// text (as the sentence's start and end), and the pronoun or description
// coreference resolved to it ("it"; "" for a name). start == end == 0: not known.
struct MentionSpan {
  uint64_t start = 0;
  uint64_t end = 0;
  std::string resolved_from;  // at most kMaxResolvedFromBytes
};
inline constexpr size_t kMaxResolvedFromBytes = 256;

struct TripleInput {
  std::string subject;  // a name or alias of an EntityInput of the same document
  std::string relation;
  std::string object;
  double confidence = 1.0;
  std::string rule;
  std::string sentence;
  uint64_t start = 0;
  uint64_t end = 0;
  MentionSpan subject_mention, object_mention;  // REQUIRES: inside [start, end] when known
};

struct DocumentInput {
  std::string doc_id;  // REQUIRES: non-empty
  std::string title;
  std::string date;  // YYYY-MM-DD or ""
  std::string url;
  uint64_t content_hash = 0;  // same id + same hash => re-ingest is a no-op
  // The resolved path or URL the document was read from: the document joins
  // that source's manifest (see ReconcileSource). "" = no source.
  std::string source;
  // Hash of the document's title and body; a second document with the same
  // text_hash under another id is not stored (IngestResult::duplicate_of).
  // 0 = no duplicate check.
  uint64_t text_hash = 0;
  std::vector<EntityInput> entities;
  std::vector<TripleInput> triples;
};

struct IngestResult {
  bool unchanged = false;  // same doc id and content hash already stored
  bool replaced = false;   // an older version of the document was retracted
  // Not stored: the same text is stored as this other document.
  std::string duplicate_of;
  int64_t entities_created = 0;
  int64_t edges_created = 0;
  int64_t evidence_written = 0;
};

// ---- Read-side views -------------------------------------------------------

struct Entity {
  EntityId id = 0;
  std::string name;
  std::string type;
  std::string canonical_key;
  std::vector<std::string> aliases;
  std::map<std::string, std::string> attributes;
  int64_t mentions = 0;
  int64_t out_degree = 0;
  int64_t in_degree = 0;
};

enum class Direction { kOut, kIn };

// An edge seen from either side; `key` is always src -> dst.
struct Edge {
  EdgeKey key;
  EdgeStats stats;
};

struct Evidence {
  std::string cursor;  // opaque position, for resuming a scan after this record
  std::string doc_id;
  std::string sentence;
  uint64_t start = 0;
  uint64_t end = 0;
  std::string rule;
  double confidence = 0;
  int64_t date = 0;
  MentionSpan subject_mention, object_mention;  // 0/0 when not known
};

struct RelationInfo {
  RelationId id = 0;
  std::string name;
  int64_t edges = 0;
};

// What the store keeps of one document (text or bulk source).
struct DocumentInfo {
  std::string doc_id;
  std::string title;
  std::string date;
  std::string url;
  std::string source;
  bool bulk = false;
  int64_t bulk_triples = 0;
  int64_t evidence = 0;  // evidence records (one per extracted triple)
  int64_t entities = 0;  // entities it mentions
};

struct StoreStats {
  int64_t entities = 0;
  int64_t edges = 0;
  int64_t evidence = 0;
  int64_t documents = 0;
  std::vector<RelationInfo> relations;  // by edge count, descending
  uint64_t disk_bytes = 0;
};

struct VerifyReport {
  int64_t entities_checked = 0;
  int64_t edges_checked = 0;
  int64_t evidence_checked = 0;
  std::vector<std::string> problems;  // empty iff the store is consistent
  bool ok() const { return problems.empty(); }
};

// One triple for BulkLoad; names are entity names (NameKey must be non-empty).
struct BulkTriple {
  std::string subject;
  std::string relation;
  std::string object;
  double confidence = 1.0;
};

struct BulkLoadResult {
  int64_t triples = 0;         // input triples
  int64_t unique_edges = 0;    // after merging duplicates within the input
  int64_t entities = 0;        // distinct entities in the input
  int64_t relations = 0;       // distinct relations in the input
  int64_t new_edges = 0;       // edges the store did not have before
  int64_t new_entities = 0;
  bool already_loaded = false;  // same source hash loaded before: nothing done
  // Wall-clock seconds of each phase (see docs/ARCHITECTURE.md, Bulk load).
  double resolve_s = 0;   // names to ids, slices merged, collisions checked
  double edges_s = 0;     // both edge families sorted and written
  double entities_s = 0;  // entity, name, relation, counter and source files
  double ingest_s = 0;    // IngestExternalFiles
};

class GraphStore;
class EntityCache;

// A reusable, consistent view of the adjacency families for one traversal.
// It owns one iterator per edge family and re-seeks it for every Scan, so a
// query pays iterator setup once rather than per expanded node, and every
// scan of the query reads the same snapshot (writes that land mid-query are
// not seen). Not thread-safe; one per query. Callbacks must not start
// another Scan on the same reader.
class AdjacencyReader {
 public:
  ~AdjacencyReader();
  // As GraphStore::ScanEdges.
  absl::Status Scan(EntityId node, Direction dir, const RelationId* rel,
                    const std::function<bool(const Edge&)>& fn);
  // As GraphStore::GetEdge, in the reader's snapshot.
  absl::StatusOr<EdgeStats> GetEdge(const EdgeKey& key);

 private:
  friend class GraphStore;
  struct State;
  explicit AdjacencyReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class GraphStore {
 public:
  // Opens (or creates) the store at `path`. Fails with FailedPrecondition if
  // the directory is not a kgraph store or has another schema version, and
  // never crashes on foreign directories. Creation is atomic: the store is
  // built and stamped in a sibling scratch directory and renamed into place,
  // so a crash leaves either no store or a complete one. An empty, unstamped
  // database left by an older kgraph's interrupted creation is made anew
  // (reported with the recovering command when opened read-only).
  static absl::StatusOr<std::unique_ptr<GraphStore>> Open(const std::string& path,
                                                          const StoreOptions& options);
  ~GraphStore();
  GraphStore(const GraphStore&) = delete;
  GraphStore& operator=(const GraphStore&) = delete;

  const std::string& path() const { return path_; }

  // ---- Writes (one atomic WriteBatch each) ----

  // Adds the document's entities, aliases, edges and evidence. Re-ingesting
  // the same doc_id with the same content_hash changes nothing; with another
  // hash, the old contribution is retracted in the same batch.
  absl::StatusOr<IngestResult> IngestDocument(const DocumentInput& doc);

  // Retracts exactly what `doc_id` contributed; edges and entities left with
  // no evidence, bulk assertion or mention disappear. NotFound if unknown.
  absl::Status DeleteDocument(std::string_view doc_id);

  // Makes the store's record of `source` match a complete re-read of it:
  // every document stored from `source` whose id is not in `present` is
  // deleted (each in its own atomic batch, so a crash midway leaves a store
  // that the next call finishes). Returns the ids deleted, in id order.
  // Call it only after every document of the source was read and written:
  // an article that failed to read would otherwise be retracted.
  absl::StatusOr<std::vector<std::string>> ReconcileSource(
      std::string_view source, const std::vector<std::string>& present);

  // Loads triples by writing sorted SST files under `path()/bulk-tmp-*` and
  // ingesting them atomically across families: either all of it becomes
  // visible or none. `source` names the input (for the documents family);
  // loading the same source_hash twice is a no-op.
  absl::StatusOr<BulkLoadResult> BulkLoad(absl::Span<const BulkTriple> triples,
                                          const std::string& source, uint64_t source_hash);

  // ---- Reads ----

  // NotFound if there is no entity `id`.
  absl::StatusOr<Entity> GetEntity(EntityId id) const;
  // Whether entity `id` exists: one point read, for callers that need no record.
  absl::StatusOr<bool> HasEntity(EntityId id) const;
  // Batch read for result pages: entities in the entity cache are copied
  // from it, the rest come from one MultiGet of their records and stats (and
  // enter the cache). Aliases are filled only if `with_aliases` (it costs a
  // scan per entity, and bypasses the cache). The result is aligned with
  // `ids`; nullopt where no entity.
  absl::StatusOr<std::vector<std::optional<Entity>>> GetEntities(
      const std::vector<EntityId>& ids, bool with_aliases = false) const;
  // Lookups served by the entity cache, and all lookups it was asked.
  struct EntityCacheCounts {
    int64_t hits = 0;
    int64_t lookups = 0;
  };
  EntityCacheCounts entity_cache_counts() const;
  // Ids whose name or alias has NameKey(name); empty if none.
  absl::StatusOr<std::vector<EntityId>> FindByName(std::string_view name) const;
  // Visits (name_key, id) in key order for name keys starting with
  // `key_prefix` (already a NameKey), strictly after `start_after` if given.
  // Stops when `fn` returns false.
  absl::Status ScanNamePrefix(
      std::string_view key_prefix,
      const std::function<bool(std::string_view name_key, EntityId id)>& fn) const;

  // Visits the edges of `node` in `dir`, in (relation, neighbor) order;
  // restricted to `rel` when it is non-null. Stops when `fn` returns false.
  absl::Status ScanEdges(EntityId node, Direction dir, const RelationId* rel,
                         const std::function<bool(const Edge&)>& fn) const;
  // Visits every edge in (src, rel, dst) order. Stops when `fn` returns false.
  absl::Status ScanAllOutEdges(const std::function<bool(const Edge&)>& fn) const;
  // A reader for many ScanEdges-like scans over one snapshot (traversals).
  std::unique_ptr<AdjacencyReader> NewAdjacencyReader() const;
  // NotFound if the edge does not exist.
  absl::StatusOr<EdgeStats> GetEdge(const EdgeKey& key) const;
  // A number that grows with every committed write and bulk load: equal
  // values mean the store did not change in between (for caches of query
  // results). RocksDB's sequence number alone is not enough: a bulk load
  // whose files overlap nothing does not advance it.
  uint64_t WriteVersion() const;

  // Visits the evidence of `edge` after position `cursor` ("" = start).
  absl::Status ScanEvidence(const EdgeKey& edge, std::string_view cursor,
                            const std::function<bool(const Evidence&)>& fn) const;

  int64_t Degree(EntityId id, Direction dir) const;
  // NotFound if the relation was never stored.
  absl::StatusOr<RelationId> FindRelation(std::string_view name) const;
  std::string RelationName(RelationId id) const;  // "" if unknown
  std::vector<RelationInfo> ListRelations() const;
  absl::StatusOr<StoreStats> GetStats() const;
  // True iff the document is stored.
  absl::StatusOr<bool> HasDocument(std::string_view doc_id) const;
  // NotFound if the document is not stored.
  absl::StatusOr<DocumentInfo> GetDocument(std::string_view doc_id) const;
  // Up to `limit` documents in id order, strictly after `after` ("" = from
  // the first), only those of `source` if it is not empty.
  absl::StatusOr<std::vector<DocumentInfo>> ListDocuments(std::string_view after, size_t limit,
                                                          std::string_view source = {}) const;

  // ---- Administration ----
  absl::Status Checkpoint(const std::string& out_dir) const;
  // Cross-checks edge twins, evidence and counters; never modifies the store.
  absl::StatusOr<VerifyReport> Verify() const;
  absl::Status Flush();
  // Block cache, memtables, table readers and entity cache, for /metrics
  // (struct in storage/memory_usage.h; `struct` here declares it).
  struct StoreMemoryUsage MemoryUsage() const;

 private:
  friend class AdjacencyReader;
  struct Families;
  class WriteContext;
  GraphStore(std::string path, std::unique_ptr<rocksdb::DB> db, std::unique_ptr<Families> cfs,
             const StoreOptions& options);
  // Open's answer to a directory that is a RocksDB database but not a
  // complete kgraph store (`problem` says why): one with no key at all is
  // made anew, anything else is refused untouched.
  static absl::StatusOr<std::unique_ptr<GraphStore>> RefuseOrRecover(
      const std::string& path, const StoreOptions& options, const std::string& problem,
      const std::vector<std::string>& families);

  // After `batch` is committed: drops the cached entities it wrote.
  void InvalidateCachedEntities(rocksdb::WriteBatch& batch);

  absl::Status LoadRelationsNoLock();
  // Undoes what `rec` contributed (evidence, edges, refs, counts) in `ctx`.
  absl::Status RetractDocumentNoLock(const DocumentRecord& rec, WriteContext* ctx)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Removes the entities `retracted` mentioned that are left with nothing.
  absl::Status RemoveOrphansNoLock(const DocumentRecord& retracted, WriteContext* ctx)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status RemoveEntityNoLock(EntityId id, WriteContext* ctx)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  int64_t ReadCounter(const std::string& key) const;

  const std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<Families> cfs_;
  const bool read_only_;
  const std::unique_ptr<EntityCache> entity_cache_;
  absl::Mutex write_mu_;
  mutable absl::Mutex relations_mu_;
  absl::flat_hash_map<RelationId, std::string> relation_names_ ABSL_GUARDED_BY(relations_mu_);
  absl::flat_hash_map<std::string, RelationId> relation_ids_ ABSL_GUARDED_BY(relations_mu_);
  std::atomic<uint64_t> bulk_loads_{0};  // committed BulkLoads, for WriteVersion()
};

}  // namespace kgraph::storage
