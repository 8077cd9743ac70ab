#!/usr/bin/env bash
# Sets up dependencies, builds everything and runs the whole default test
# suite (unit, storage, end-to-end server and Python client tests).
# Long fuzz/soak runs are not part of it.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j"$(nproc)"
cd "$BUILD_DIR"
ctest --output-on-failure -j"$(nproc)" --timeout 600
