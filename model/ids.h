// Stable ids: entities and relations are named by a hash of their canonical
// key, so independent workers (parallel ingest, bulk loads on other machines)
// agree on ids without a central counter. Collisions are detected by storage,
// which keeps the key beside the id. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace kgraph {

using EntityId = uint64_t;
using RelationId = uint32_t;

// 0 is reserved as "no entity"; the hash is remapped away from it.
EntityId EntityIdForKey(std::string_view canonical_key);
RelationId RelationIdForName(std::string_view relation_name);

}  // namespace kgraph
