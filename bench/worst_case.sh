#!/usr/bin/env bash
# Hostile read load against kgraphd with its default budgets: 16 clients of
# worst-case calls (weighted k-shortest and all-simple paths with the largest
# limits the server allows, weighted shortest paths, pages of a 1M-edge
# supernode's listing) over FB15k-237 and over a 1M-edge star. Prints one
# markdown table (kgraphd CPU per call from /proc, latencies, outcomes, RSS)
# and kgraphd's peak RSS; exits 1 if the RSS reached 512 MB or a call kind's
# CPU per call exceeded 1 s. About 2.5 minutes; see docs/RELIABILITY.md,
# "Bounded reads".
#
# Usage: bench/worst_case.sh [--build-dir build-bench] [--no-build]
#                            [--seconds 12] [--clients 16] [--scratch DIR]
#                            [-- extra kgraph-worst-case flags]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="$ROOT/build-bench"
BUILD=1
SECONDS_PER_PHASE=12
CLIENTS=16
SCRATCH=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD_DIR="$(cd "$2" 2>/dev/null && pwd || echo "$2")"; shift ;;
    --no-build) BUILD=0 ;;
    --seconds) SECONDS_PER_PHASE="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --scratch) SCRATCH="$2"; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "worst_case.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$SCRATCH" ] || SCRATCH="$BUILD_DIR/worst-case"

if [ "$BUILD" = 1 ]; then
  echo "[$(date +%H:%M:%S)] building kgraph-worst-case, kgraphd in $BUILD_DIR" >&2
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    flock /tmp/kgraph-build.lock cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  flock /tmp/kgraph-build.lock cmake --build "$BUILD_DIR" --target kgraph-worst-case kgraphd -j2
fi

echo "[$(date +%H:%M:%S)] load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
status=0
"$BUILD_DIR/bench/kgraph-worst-case" --kgraphd "$BUILD_DIR/server/kgraphd" \
  --fb15k "$ROOT/../shared/datasets/fb15k237" --scratch "$SCRATCH" \
  --clients "$CLIENTS" --seconds "$SECONDS_PER_PHASE" "${EXTRA[@]}" || status=$?
echo "[$(date +%H:%M:%S)] load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
rm -rf "$SCRATCH"
exit "$status"
