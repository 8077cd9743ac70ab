#include "storage/merge_operators.h"

#include "storage/key_format.h"

namespace kgraph::storage {

bool Int64AddOperator::Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
                             const rocksdb::Slice& value, std::string* new_value,
                             rocksdb::Logger* logger) const {
  int64_t base = existing ? DecodeInt64(std::string_view(existing->data(), existing->size())) : 0;
  int64_t delta = DecodeInt64(std::string_view(value.data(), value.size()));
  *new_value = EncodeInt64(base + delta);
  return true;
}

bool EdgeStatsMergeOperator::Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
                                   const rocksdb::Slice& value, std::string* new_value,
                                   rocksdb::Logger* logger) const {
  EdgeStats acc;
  if (existing != nullptr &&
      !DecodeEdgeStats(std::string_view(existing->data(), existing->size()), &acc)) {
    return false;  // corruption: surfaces as a read error, never silently wrong
  }
  EdgeStats delta;
  if (!DecodeEdgeStats(std::string_view(value.data(), value.size()), &delta)) return false;
  acc.Add(delta);
  *new_value = EncodeEdgeStats(acc);
  return true;
}

}  // namespace kgraph::storage
