#include "model/ids.h"

#include <xxhash.h>

namespace kgraph {

EntityId EntityIdForKey(std::string_view key) {
  EntityId id = XXH3_64bits_withSeed(key.data(), key.size(), 0x6b67726170680001ULL);
  return id == 0 ? 1 : id;
}

RelationId RelationIdForName(std::string_view name) {
  RelationId id = static_cast<RelationId>(
      XXH3_64bits_withSeed(name.data(), name.size(), 0x6b67726170680002ULL));
  return id == 0 ? 1 : id;
}

}  // namespace kgraph
