#include "storage/key_format.h"

#include <cstring>

#include <xxhash.h>

namespace kgraph::storage {

void PutBigEndian64(std::string* dst, uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, 8);
}

void PutBigEndian32(std::string* dst, uint32_t v) {
  char buf[4];
  for (int i = 3; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, 4);
}

uint64_t DecodeBigEndian64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint32_t DecodeBigEndian32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string EntityKey(EntityId id) {
  std::string k;
  PutBigEndian64(&k, id);
  return k;
}

EntityId EntityIdOfKey(std::string_view key) { return DecodeBigEndian64(key.data()); }

std::string EntityAliasKey(EntityId id, std::string_view alias) {
  std::string k = EntityKey(id);
  k.push_back(kAliasTag);
  k.append(alias);
  return k;
}

std::string EntityStatsKey(EntityId id) {
  std::string k = EntityKey(id);
  k.push_back(kStatsTag);
  return k;
}

std::string NameIndexKey(std::string_view name_key, EntityId id) {
  std::string k(name_key);
  k.push_back(kNameSeparator);
  PutBigEndian64(&k, id);
  return k;
}

void EncodeEdgeKeyTo(EntityId a, RelationId rel, EntityId b, char* out) {
  for (int i = 7; i >= 0; --i, a >>= 8) out[i] = static_cast<char>(a & 0xff);
  for (int i = 11; i >= 8; --i, rel >>= 8) out[i] = static_cast<char>(rel & 0xff);
  for (int i = 19; i >= 12; --i, b >>= 8) out[i] = static_cast<char>(b & 0xff);
}

static std::string EdgeKeyBytes(EntityId a, RelationId rel, EntityId b) {
  std::string k(kEdgeKeySize, '\0');
  EncodeEdgeKeyTo(a, rel, b, k.data());
  return k;
}

std::string OutEdgeKey(const EdgeKey& e) { return EdgeKeyBytes(e.src, e.rel, e.dst); }
std::string InEdgeKey(const EdgeKey& e) { return EdgeKeyBytes(e.dst, e.rel, e.src); }

std::string NodePrefix(EntityId node) { return EntityKey(node); }

std::string NodeRelationPrefix(EntityId node, RelationId rel) {
  std::string k = EntityKey(node);
  PutBigEndian32(&k, rel);
  return k;
}

EdgeKey DecodeOutEdgeKey(std::string_view key) {
  return EdgeKey{DecodeBigEndian64(key.data()), DecodeBigEndian32(key.data() + 8),
                 DecodeBigEndian64(key.data() + 12)};
}

EdgeKey DecodeInEdgeKey(std::string_view key) {
  return EdgeKey{DecodeBigEndian64(key.data() + 12), DecodeBigEndian32(key.data() + 8),
                 DecodeBigEndian64(key.data())};
}

std::string EvidenceKey(const EdgeKey& e, uint64_t doc_hash, uint32_t seq) {
  std::string k = OutEdgeKey(e);
  PutBigEndian64(&k, doc_hash);
  PutBigEndian32(&k, seq);
  return k;
}

std::string EvidencePrefix(const EdgeKey& e) { return OutEdgeKey(e); }

std::string SourceMemberPrefix(std::string_view source) {
  std::string k;
  k.reserve(source.size() + 3);
  k.push_back(kReservedDocumentKeyTag);
  k.push_back('s');
  k.append(source.data(), source.size());
  k.push_back('\0');
  return k;
}

std::string SourceMemberKey(std::string_view source, std::string_view doc_id) {
  std::string k = SourceMemberPrefix(source);
  k.append(doc_id.data(), doc_id.size());
  return k;
}

std::string TextHashKey(uint64_t text_hash) {
  std::string k;
  k.push_back(kReservedDocumentKeyTag);
  k.push_back('h');
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<char>((text_hash >> (8 * i)) & 0xff));
  return k;
}

uint64_t DocumentHash(std::string_view doc_id) {
  return XXH3_64bits_withSeed(doc_id.data(), doc_id.size(), 0x6b67726170680003ULL);
}

std::string RelationKey(RelationId rel) {
  std::string k;
  PutBigEndian32(&k, rel);
  return k;
}

std::string TotalCounterKey(std::string_view name) {
  std::string k = "t/";
  k.append(name);
  return k;
}

std::string RelationEdgeCounterKey(RelationId rel) {
  std::string k = "r/";
  PutBigEndian32(&k, rel);
  return k;
}

std::string EncodeInt64(int64_t v) {
  std::string s(8, '\0');
  uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) {
    s[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  return s;
}

int64_t DecodeInt64(std::string_view v) {
  if (v.size() != 8) return 0;
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(v[i]);
  return static_cast<int64_t>(u);
}

std::string EncodeEntityStats(const EntityStats& s) {
  return EncodeInt64(s.mentions) + EncodeInt64(s.out_degree) + EncodeInt64(s.in_degree);
}

EntityStats DecodeEntityStats(std::string_view v) {
  EntityStats s;
  if (v.size() >= 8) s.mentions = DecodeInt64(v.substr(0, 8));
  if (v.size() >= 16) s.out_degree = DecodeInt64(v.substr(8, 8));
  if (v.size() >= 24) s.in_degree = DecodeInt64(v.substr(16, 8));
  return s;
}

void EdgeStats::Add(const EdgeStats& o) {
  bool had = weight() > 0;
  mentions += o.mentions;
  bulk_count += o.bulk_count;
  confidence_sum += o.confidence_sum;
  confidence_max = had ? std::max(confidence_max, o.confidence_max) : o.confidence_max;
  if (o.first_seen != 0 && (first_seen == 0 || o.first_seen < first_seen)) first_seen = o.first_seen;
  if (o.last_seen > last_seen) last_seen = o.last_seen;
}

size_t EncodeEdgeStatsTo(const EdgeStats& s, char* p) {
  std::memcpy(p, &s.mentions, 8);
  std::memcpy(p + 8, &s.bulk_count, 8);
  std::memcpy(p + 16, &s.confidence_sum, 8);
  std::memcpy(p + 24, &s.confidence_max, 8);
  if (s.first_seen == 0 && s.last_seen == 0) return kEdgeStatsUndatedSize;
  std::memcpy(p + 32, &s.first_seen, 8);
  std::memcpy(p + 40, &s.last_seen, 8);
  return kEdgeStatsSize;
}

std::string EncodeEdgeStats(const EdgeStats& s) {
  char buf[kEdgeStatsSize];
  return std::string(buf, EncodeEdgeStatsTo(s, buf));
}

bool DecodeEdgeStats(std::string_view v, EdgeStats* s) {
  if (v.size() != kEdgeStatsSize && v.size() != kEdgeStatsUndatedSize) return false;
  const char* p = v.data();
  std::memcpy(&s->mentions, p, 8);
  std::memcpy(&s->bulk_count, p + 8, 8);
  std::memcpy(&s->confidence_sum, p + 16, 8);
  std::memcpy(&s->confidence_max, p + 24, 8);
  s->first_seen = s->last_seen = 0;
  if (v.size() == kEdgeStatsSize) {
    std::memcpy(&s->first_seen, p + 32, 8);
    std::memcpy(&s->last_seen, p + 40, 8);
  }
  return true;
}

}  // namespace kgraph::storage
