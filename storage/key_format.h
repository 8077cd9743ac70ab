// The on-disk key layout of every column family, in one place (like LevelDB's
// log_format.h). Writers and readers both encode and decode through these
// functions; docs/ARCHITECTURE.md explains the layout and why it is so.
// All integers in keys are big-endian so that byte order == numeric order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/ids.h"

namespace kgraph::storage {

// Bump when any key or value encoding changes incompatibly.
// 2: content-derived document ids, source manifests and the text index in
// the documents family. Version-1 stores open read-only (export, verify).
inline constexpr int kSchemaVersion = 2;
inline constexpr int kOldestReadableSchemaVersion = 1;
inline constexpr char kFormatTag[] = "kgraph-graph-store";

// Column family names.
inline constexpr char kMetaCf[] = "default";       // schema version, format tag
inline constexpr char kEntitiesCf[] = "entities";  // id -> EntityRecord; id 'a' alias -> refcount; id 's' -> EntityStats
inline constexpr char kNamesCf[] = "names";        // NameKey 0x00 id -> refcount
inline constexpr char kOutEdgesCf[] = "out_edges";  // src rel dst -> EdgeStats
inline constexpr char kInEdgesCf[] = "in_edges";    // dst rel src -> EdgeStats
inline constexpr char kEvidenceCf[] = "evidence";   // src rel dst dochash seq -> EvidenceRecord
inline constexpr char kDocumentsCf[] = "documents";  // doc id -> DocumentRecord
inline constexpr char kRelationsCf[] = "relations";  // rel -> RelationRecord
inline constexpr char kCountersCf[] = "counters";    // name [id] -> int64 (merge: add)

inline constexpr char kMetaSchemaKey[] = "schema_version";
inline constexpr char kMetaFormatKey[] = "format";

inline constexpr size_t kEntityIdSize = 8;
inline constexpr size_t kRelationIdSize = 4;
inline constexpr size_t kEdgeKeySize = 8 + 4 + 8;
inline constexpr size_t kEvidenceKeySize = kEdgeKeySize + 8 + 4;
inline constexpr char kAliasTag = 'a';
inline constexpr char kStatsTag = 's';  // sorts after every alias key of the entity
inline constexpr char kNameSeparator = '\0';

void PutBigEndian64(std::string* dst, uint64_t v);
void PutBigEndian32(std::string* dst, uint32_t v);
uint64_t DecodeBigEndian64(const char* p);
uint32_t DecodeBigEndian32(const char* p);

// An edge as stored: out_edges keys it (src, rel, dst), in_edges (dst, rel, src).
struct EdgeKey {
  EntityId src = 0;
  RelationId rel = 0;
  EntityId dst = 0;
  bool operator==(const EdgeKey& o) const {
    return src == o.src && rel == o.rel && dst == o.dst;
  }
  bool operator<(const EdgeKey& o) const {
    if (src != o.src) return src < o.src;
    if (rel != o.rel) return rel < o.rel;
    return dst < o.dst;
  }
  template <typename H>
  friend H AbslHashValue(H h, const EdgeKey& k) {
    return H::combine(std::move(h), k.src, k.rel, k.dst);
  }
};

std::string EntityKey(EntityId id);
// The id every key of the entities family starts with.
// REQUIRES: key.size() >= kEntityIdSize.
EntityId EntityIdOfKey(std::string_view key);
std::string EntityAliasKey(EntityId id, std::string_view alias);
// Beside the record, so a page of entities is one MultiGet over adjacent keys.
std::string EntityStatsKey(EntityId id);
std::string NameIndexKey(std::string_view name_key, EntityId id);
std::string OutEdgeKey(const EdgeKey& e);
// The shared layout of both edge families, written into `out`
// (kEdgeKeySize bytes): OutEdgeKey is (src, rel, dst), InEdgeKey (dst, rel, src).
// For hot loops that must not allocate a string per key.
void EncodeEdgeKeyTo(EntityId a, RelationId rel, EntityId b, char* out);
std::string InEdgeKey(const EdgeKey& e);
// Prefixes for adjacency scans: all edges of `node`, optionally of one relation.
std::string NodePrefix(EntityId node);
std::string NodeRelationPrefix(EntityId node, RelationId rel);
// REQUIRES: key.size() == kEdgeKeySize.
EdgeKey DecodeOutEdgeKey(std::string_view key);
EdgeKey DecodeInEdgeKey(std::string_view key);
std::string EvidenceKey(const EdgeKey& e, uint64_t doc_hash, uint32_t seq);
std::string EvidencePrefix(const EdgeKey& e);  // == OutEdgeKey(e)
uint64_t DocumentHash(std::string_view doc_id);
// Reserved keys of the documents family. They start with NUL, which no
// document id may contain, so they sort before every document record.
//   SourceMemberKey: one key per document a source (a resolved file path or
//   URL) contributed, written in the document's own batch: the source's
//   manifest, for retracting articles that left a re-ingested source.
//   TextHashKey: the document that holds this text (title and body hash),
//   so the same article under a second name is reported, not stored twice.
inline constexpr char kReservedDocumentKeyTag = '\0';
std::string SourceMemberPrefix(std::string_view source);
std::string SourceMemberKey(std::string_view source, std::string_view doc_id);
std::string TextHashKey(uint64_t text_hash);
std::string RelationKey(RelationId rel);

// Counter keys (counters CF; values are int64 little-endian, merged by adding).
std::string TotalCounterKey(std::string_view name);  // "t/<name>"
std::string RelationEdgeCounterKey(RelationId rel);  // "r/<rel>"
inline constexpr char kEntitiesTotal[] = "entities";
inline constexpr char kEdgesTotal[] = "edges";
inline constexpr char kEvidenceTotal[] = "evidence";
inline constexpr char kDocumentsTotal[] = "documents";

std::string EncodeInt64(int64_t v);
int64_t DecodeInt64(std::string_view v);  // 0 unless v.size() == 8

// Per-entity counts, stored under EntityStatsKey as three little-endian
// int64s and merged componentwise by Int64AddOperator.
struct EntityStats {
  int64_t mentions = 0;
  int64_t out_degree = 0;
  int64_t in_degree = 0;
  bool empty() const { return mentions == 0 && out_degree == 0 && in_degree == 0; }
  void Add(const EntityStats& o) {
    mentions += o.mentions;
    out_degree += o.out_degree;
    in_degree += o.in_degree;
  }
};
std::string EncodeEntityStats(const EntityStats& s);
// Missing components (a shorter value) read as 0.
EntityStats DecodeEntityStats(std::string_view v);

// Aggregate properties of one edge. Stored (identically) in out_edges and
// in_edges so either scan direction gets weights without a second lookup.
// Little-endian fixed fields, 48 bytes or 32 when undated (below); merged by
// EdgeStatsMergeOperator.
struct EdgeStats {
  int64_t mentions = 0;       // evidence records (text ingest)
  int64_t bulk_count = 0;     // times asserted by bulk loads
  double confidence_sum = 0;  // over mentions + bulk_count assertions
  double confidence_max = 0;
  int64_t first_seen = 0;  // unix seconds; 0 = unknown
  int64_t last_seen = 0;

  int64_t weight() const { return mentions + bulk_count; }
  double confidence_mean() const {
    return weight() > 0 ? confidence_sum / static_cast<double>(weight()) : 0.0;
  }
  // Folds `other` into this (sums counts, max/min of the rest).
  void Add(const EdgeStats& other);
};
// An edge with no dates (every bulk-loaded edge, undated text) is stored
// without the two trailing fields: 32 bytes, a third less for the block
// builder, compression and disk. Readers accept both sizes, so stores
// written before the short form still read correctly.
inline constexpr size_t kEdgeStatsSize = 48;
inline constexpr size_t kEdgeStatsUndatedSize = 32;
std::string EncodeEdgeStats(const EdgeStats& s);
// Writes the encoding into `out` (room for kEdgeStatsSize bytes) and returns
// its length.
size_t EncodeEdgeStatsTo(const EdgeStats& s, char* out);
// Returns false iff `v` is not a valid encoding (48 or 32 bytes).
bool DecodeEdgeStats(std::string_view v, EdgeStats* s);

}  // namespace kgraph::storage
