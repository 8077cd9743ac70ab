#include "storage/merge_operators.h"

#include <algorithm>

#include "storage/key_format.h"

namespace kgraph::storage {

bool Int64AddOperator::Merge(const rocksdb::Slice& key, const rocksdb::Slice* existing,
                             const rocksdb::Slice& value, std::string* new_value,
                             rocksdb::Logger* logger) const {
  std::string_view base = existing ? std::string_view(existing->data(), existing->size())
                                   : std::string_view();
  std::string_view delta(value.data(), value.size());
  if (base.size() % 8 != 0 || delta.size() % 8 != 0) return false;
  size_t n = std::max(base.size(), delta.size());
  new_value->clear();
  new_value->reserve(n);
  for (size_t off = 0; off < n; off += 8) {
    int64_t a = off < base.size() ? DecodeInt64(base.substr(off, 8)) : 0;
    int64_t b = off < delta.size() ? DecodeInt64(delta.substr(off, 8)) : 0;
    new_value->append(EncodeInt64(a + b));
  }
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
