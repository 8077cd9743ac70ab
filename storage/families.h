// Internal to storage/: the column-family handles of an open GraphStore and
// the RocksDB options each family is tuned with. Not part of the public API.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include "absl/status/status.h"
#include "storage/graph_store.h"

namespace kgraph::storage {

struct GraphStore::Families {
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  rocksdb::ColumnFamilyHandle* entities = nullptr;
  rocksdb::ColumnFamilyHandle* names = nullptr;
  rocksdb::ColumnFamilyHandle* out_edges = nullptr;
  rocksdb::ColumnFamilyHandle* in_edges = nullptr;
  rocksdb::ColumnFamilyHandle* evidence = nullptr;
  rocksdb::ColumnFamilyHandle* documents = nullptr;
  rocksdb::ColumnFamilyHandle* relations = nullptr;
  rocksdb::ColumnFamilyHandle* counters = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> all;  // owned; destroyed before the DB
};

// Converts a RocksDB status to absl, prefixing `context`. The only place
// rocksdb::Status crosses into kgraph's error space.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view context);

// Families and their options, in the order they are opened.
std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(
    const std::shared_ptr<rocksdb::Cache>& cache);

}  // namespace kgraph::storage
