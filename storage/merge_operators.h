// RocksDB merge operators for kgraph's counters, so that adding a document or
// a bulk load never needs a read-modify-write of a count. Both are
// associative; stateless and thread-safe.
#pragma once

#include <rocksdb/merge_operator.h>

namespace kgraph::storage {

// Values are one or more EncodeInt64()s (a refcount, or EntityStats);
// merge = componentwise sum, the shorter side padded with zeros. A value whose
// size is not a multiple of 8 fails the read (corruption must not pass).
class Int64AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* logger) const override;
  const char* Name() const override { return "kgraph.Int64Add"; }
};

// Values are EncodeEdgeStats(); merge = EdgeStats::Add.
class EdgeStatsMergeOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* logger) const override;
  const char* Name() const override { return "kgraph.EdgeStats"; }
};

}  // namespace kgraph::storage
