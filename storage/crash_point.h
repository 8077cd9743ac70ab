// Crash points: named places in multi-step storage operations (store
// creation, bulk ingest) where a test can kill the process, to prove that a
// crash at any step leaves a store that opens and verifies.
// Thread-safe. Inert unless KGRAPH_CRASH_POINT names the point.
#pragma once

#include <string_view>

namespace kgraph::storage {

// Kills the process with SIGKILL, as `kill -9` would, when the environment
// variable KGRAPH_CRASH_POINT equals `point`. The variable is read once.
void CrashPoint(std::string_view point);

}  // namespace kgraph::storage
