// Tests of storage/key_format.h: big-endian keys sort numerically, edge keys
// round-trip in both directions, prefixes select the right keys, and value
// encodings round-trip and reject malformed input.
#include "storage/key_format.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kgraph::storage {
namespace {

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

const std::vector<uint64_t> kIds = {0,           1,          255,        256,
                                    0xffff,      0x10000,    0x7fffffff, 0x80000000ull,
                                    0xffffffffull, 0x100000000ull, 0x0123456789abcdefull,
                                    0x8000000000000000ull, std::numeric_limits<uint64_t>::max() - 1,
                                    std::numeric_limits<uint64_t>::max()};

TEST(storage_key_format, BigEndian64IsMostSignificantByteFirst) {
  std::string k;
  PutBigEndian64(&k, 0x0102030405060708ull);
  EXPECT_EQ(k, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(DecodeBigEndian64(k.data()), 0x0102030405060708ull);
}

TEST(storage_key_format, BigEndian32IsMostSignificantByteFirst) {
  std::string k;
  PutBigEndian32(&k, 0x0a0b0c0du);
  EXPECT_EQ(k, std::string("\x0a\x0b\x0c\x0d", 4));
  EXPECT_EQ(DecodeBigEndian32(k.data()), 0x0a0b0c0du);
}

TEST(storage_key_format, EntityKeyByteOrderEqualsNumericOrder) {
  std::mt19937_64 rng(42);
  std::vector<uint64_t> ids = kIds;
  for (int i = 0; i < 2000; ++i) ids.push_back(rng() >> (rng() % 64));
  for (size_t i = 0; i < ids.size(); ++i) {
    for (size_t j = i + 1; j < ids.size() && j < i + 50; ++j) {
      uint64_t a = ids[i], b = ids[j];
      std::string ka = EntityKey(a), kb = EntityKey(b);
      EXPECT_EQ(a < b, ka < kb) << a << " vs " << b;
      EXPECT_EQ(a == b, ka == kb) << a << " vs " << b;
    }
  }
}

TEST(storage_key_format, RelationKeyByteOrderEqualsNumericOrder) {
  std::vector<uint32_t> rels = {0, 1, 255, 256, 0xffff, 0x10000, 0x7fffffff, 0x80000000u,
                                0xfffffffeu, 0xffffffffu};
  for (uint32_t a : rels) {
    for (uint32_t b : rels) {
      EXPECT_EQ(a < b, RelationKey(a) < RelationKey(b)) << a << " vs " << b;
    }
    EXPECT_EQ(RelationKey(a).size(), kRelationIdSize);
    EXPECT_EQ(DecodeBigEndian32(RelationKey(a).data()), a);
  }
}

TEST(storage_key_format, SortedOutEdgeKeysAreInSrcRelDstOrder) {
  std::mt19937_64 rng(7);
  std::vector<EdgeKey> edges;
  for (int i = 0; i < 3000; ++i) {
    // Small domains so that ties on src and rel are common.
    edges.push_back({rng() % 5 == 0 ? rng() : rng() % 8, static_cast<RelationId>(rng() % 4 == 0 ? rng() : rng() % 3),
                     rng() % 3 == 0 ? rng() : rng() % 8});
  }
  std::vector<std::string> keys;
  for (const auto& e : edges) keys.push_back(OutEdgeKey(e));
  std::sort(edges.begin(), edges.end());
  std::sort(keys.begin(), keys.end());
  ASSERT_EQ(edges.size(), keys.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    EXPECT_EQ(DecodeOutEdgeKey(keys[i]), edges[i]) << "position " << i;
  }
}

TEST(storage_key_format, OutEdgeKeyRoundTrips) {
  for (uint64_t src : kIds) {
    for (uint64_t dst : {uint64_t{0}, uint64_t{1}, src ^ 0x5555, ~src}) {
      for (RelationId rel : {0u, 1u, 0x01020304u, 0xffffffffu}) {
        EdgeKey e{src, rel, dst};
        std::string k = OutEdgeKey(e);
        ASSERT_EQ(k.size(), kEdgeKeySize);
        EXPECT_EQ(DecodeOutEdgeKey(k), e);
        EXPECT_EQ(DecodeBigEndian64(k.data()), src) << "out key must start with src";
      }
    }
  }
}

TEST(storage_key_format, InEdgeKeyRoundTripsAndStartsWithDestination) {
  for (uint64_t src : kIds) {
    for (uint64_t dst : {uint64_t{0}, uint64_t{1}, src ^ 0x5555, ~src}) {
      for (RelationId rel : {0u, 7u, 0xfffffffeu}) {
        EdgeKey e{src, rel, dst};
        std::string k = InEdgeKey(e);
        ASSERT_EQ(k.size(), kEdgeKeySize);
        EXPECT_EQ(DecodeInEdgeKey(k), e);
        EXPECT_EQ(DecodeBigEndian64(k.data()), dst) << "in key must start with dst";
        EXPECT_EQ(DecodeBigEndian32(k.data() + 8), rel);
      }
    }
  }
}

TEST(storage_key_format, InAndOutKeysDifferUnlessSrcEqualsDst) {
  EdgeKey e{10, 3, 20};
  EXPECT_NE(OutEdgeKey(e), InEdgeKey(e));
  EdgeKey swapped{20, 3, 10};
  EXPECT_EQ(OutEdgeKey(e), InEdgeKey(swapped));
}

TEST(storage_key_format, NodePrefixIsPrefixOfExactlyThatNodesKeys) {
  const EntityId node = 0x0000000100000002ull;
  const std::string prefix = NodePrefix(node);
  EXPECT_EQ(prefix.size(), kEntityIdSize);
  EXPECT_TRUE(StartsWith(OutEdgeKey({node, 5, 99}), prefix));
  EXPECT_TRUE(StartsWith(InEdgeKey({99, 5, node}), prefix));
  EXPECT_TRUE(StartsWith(EntityKey(node), prefix));
  EXPECT_TRUE(StartsWith(EntityAliasKey(node, "x"), prefix));
  // Neighbouring ids must not share the prefix.
  EXPECT_FALSE(StartsWith(OutEdgeKey({node + 1, 5, 99}), prefix));
  EXPECT_FALSE(StartsWith(OutEdgeKey({node - 1, 5, 99}), prefix));
  EXPECT_FALSE(StartsWith(OutEdgeKey({node << 8, 5, 99}), prefix));
  // A node as the destination of an out-edge is not in its out-prefix.
  EXPECT_FALSE(StartsWith(OutEdgeKey({99, 5, node}), prefix));
}

TEST(storage_key_format, NodeRelationPrefixSelectsOneRelation) {
  const EntityId node = 77;
  const std::string prefix = NodeRelationPrefix(node, 3);
  EXPECT_EQ(prefix.size(), kEntityIdSize + kRelationIdSize);
  EXPECT_TRUE(StartsWith(prefix, NodePrefix(node)));
  EXPECT_TRUE(StartsWith(OutEdgeKey({node, 3, 1}), prefix));
  EXPECT_TRUE(StartsWith(OutEdgeKey({node, 3, ~0ull}), prefix));
  EXPECT_TRUE(StartsWith(InEdgeKey({1, 3, node}), prefix));
  EXPECT_FALSE(StartsWith(OutEdgeKey({node, 4, 1}), prefix));
  EXPECT_FALSE(StartsWith(OutEdgeKey({node, 3u << 8, 1}), prefix));
  EXPECT_FALSE(StartsWith(OutEdgeKey({node + 1, 3, 1}), prefix));
}

TEST(storage_key_format, EvidenceKeyExtendsEdgeKeyAndSortsByDocThenSeq) {
  EdgeKey e{1, 2, 3};
  std::string k = EvidenceKey(e, 0xabcdefull, 9);
  EXPECT_EQ(k.size(), kEvidenceKeySize);
  EXPECT_EQ(EvidencePrefix(e), OutEdgeKey(e));
  EXPECT_TRUE(StartsWith(k, EvidencePrefix(e)));
  EXPECT_EQ(DecodeBigEndian64(k.data() + kEdgeKeySize), 0xabcdefull);
  EXPECT_EQ(DecodeBigEndian32(k.data() + kEdgeKeySize + 8), 9u);
  EXPECT_LT(EvidenceKey(e, 5, 0xffffffffu), EvidenceKey(e, 6, 0));
  EXPECT_LT(EvidenceKey(e, 5, 1), EvidenceKey(e, 5, 256));
}

TEST(storage_key_format, NameIndexKeySeparatesNameFromId) {
  std::string k = NameIndexKey("huawei", 0x42);
  EXPECT_EQ(k.size(), 6 + 1 + 8);
  EXPECT_EQ(k.substr(0, 7), std::string("huawei\0", 7));
  EXPECT_EQ(DecodeBigEndian64(k.data() + 7), 0x42u);
  // "huawei" and everything under it sorts before a longer name.
  EXPECT_LT(NameIndexKey("huawei", ~0ull), NameIndexKey("huaweia", 0));
}

TEST(storage_key_format, CounterKeysAreDistinctPerKindAndId) {
  EXPECT_EQ(TotalCounterKey(kEntitiesTotal), "t/entities");
  EXPECT_NE(RelationEdgeCounterKey(5), RelationEdgeCounterKey(6));
  EXPECT_EQ(RelationEdgeCounterKey(5).size(), 2 + kRelationIdSize);
}

TEST(storage_key_format, EntityStatsKeySitsAfterRecordAndAliasesOfItsEntity) {
  const std::string stats = EntityStatsKey(5);
  EXPECT_EQ(stats.size(), kEntityIdSize + 1);
  EXPECT_EQ(stats.substr(0, kEntityIdSize), EntityKey(5));
  EXPECT_LT(EntityKey(5), stats);
  EXPECT_LT(EntityAliasKey(5, "zzz"), stats);
  EXPECT_LT(stats, EntityKey(6));
}

TEST(storage_key_format, EntityStatsRoundTripAndShortValuesReadAsZero) {
  EntityStats s{7, -2, 1LL << 40};
  EntityStats back = DecodeEntityStats(EncodeEntityStats(s));
  EXPECT_EQ(back.mentions, 7);
  EXPECT_EQ(back.out_degree, -2);
  EXPECT_EQ(back.in_degree, 1LL << 40);
  EntityStats partial = DecodeEntityStats(EncodeInt64(3));
  EXPECT_EQ(partial.mentions, 3);
  EXPECT_EQ(partial.out_degree, 0);
  EXPECT_EQ(partial.in_degree, 0);
  EXPECT_TRUE(DecodeEntityStats("").empty());
}

TEST(storage_key_format, Int64RoundTripsIncludingExtremes) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{255}, int64_t{256},
                    int64_t{-256}, int64_t{1} << 40, std::numeric_limits<int64_t>::max(),
                    std::numeric_limits<int64_t>::min()}) {
    std::string s = EncodeInt64(v);
    ASSERT_EQ(s.size(), 8u);
    EXPECT_EQ(DecodeInt64(s), v);
  }
  EXPECT_EQ(EncodeInt64(1), std::string("\x01\0\0\0\0\0\0\0", 8)) << "little-endian";
}

TEST(storage_key_format, DecodeInt64OfWrongSizeIsZero) {
  EXPECT_EQ(DecodeInt64(""), 0);
  EXPECT_EQ(DecodeInt64(std::string(7, '\x01')), 0);
  EXPECT_EQ(DecodeInt64(std::string(9, '\x01')), 0);
}

TEST(storage_key_format, EdgeStatsRoundTrip) {
  EdgeStats s;
  s.mentions = 3;
  s.bulk_count = 1234567890123;
  s.confidence_sum = 2.75;
  s.confidence_max = 0.9;
  s.first_seen = 1600000000;
  s.last_seen = -5;
  std::string v = EncodeEdgeStats(s);
  ASSERT_EQ(v.size(), kEdgeStatsSize);
  EdgeStats d;
  ASSERT_TRUE(DecodeEdgeStats(v, &d));
  EXPECT_EQ(d.mentions, 3);
  EXPECT_EQ(d.bulk_count, 1234567890123);
  EXPECT_DOUBLE_EQ(d.confidence_sum, 2.75);
  EXPECT_DOUBLE_EQ(d.confidence_max, 0.9);
  EXPECT_EQ(d.first_seen, 1600000000);
  EXPECT_EQ(d.last_seen, -5);
  EXPECT_EQ(d.weight(), 3 + 1234567890123);
}

TEST(storage_key_format, UndatedEdgeStatsUseTheShortForm) {
  EdgeStats s;
  s.bulk_count = 2;
  s.confidence_sum = 1.5;
  s.confidence_max = 0.9;
  std::string v = EncodeEdgeStats(s);
  ASSERT_EQ(v.size(), kEdgeStatsUndatedSize);
  EdgeStats d;
  d.first_seen = d.last_seen = 77;  // must be reset, not left over
  ASSERT_TRUE(DecodeEdgeStats(v, &d));
  EXPECT_EQ(d.bulk_count, 2);
  EXPECT_DOUBLE_EQ(d.confidence_sum, 1.5);
  EXPECT_DOUBLE_EQ(d.confidence_max, 0.9);
  EXPECT_EQ(d.first_seen, 0);
  EXPECT_EQ(d.last_seen, 0);
  // A dated edge keeps all 48 bytes, even with only one date known.
  s.last_seen = 1600000000;
  EXPECT_EQ(EncodeEdgeStats(s).size(), kEdgeStatsSize);
  // The long form of an undated edge (stores written before the short form)
  // still reads.
  std::string long_form = v + std::string(16, '\0');
  EdgeStats l;
  ASSERT_TRUE(DecodeEdgeStats(long_form, &l));
  EXPECT_EQ(l.bulk_count, 2);
}

TEST(storage_key_format, DecodeEdgeStatsRejectsWrongSizes) {
  std::string good = EncodeEdgeStats(EdgeStats{});
  for (size_t n : {size_t{0}, size_t{1}, size_t{8}, kEdgeStatsUndatedSize - 1,
                   kEdgeStatsUndatedSize + 8, kEdgeStatsSize - 1, kEdgeStatsSize + 1,
                   2 * kEdgeStatsSize}) {
    EdgeStats d;
    d.mentions = 99;
    EXPECT_FALSE(DecodeEdgeStats(std::string(n, '\0'), &d)) << "size " << n;
  }
  EdgeStats d;
  EXPECT_TRUE(DecodeEdgeStats(good, &d));
}

TEST(storage_key_format, EdgeStatsMeanOfEmptyIsZero) {
  EdgeStats s;
  EXPECT_EQ(s.weight(), 0);
  EXPECT_EQ(s.confidence_mean(), 0.0);
  s.mentions = 2;
  s.bulk_count = 2;
  s.confidence_sum = 2.0;
  EXPECT_DOUBLE_EQ(s.confidence_mean(), 0.5);
}

}  // namespace
}  // namespace kgraph::storage
