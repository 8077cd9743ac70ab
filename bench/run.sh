#!/usr/bin/env bash
# Benchmarks side by side: kgraph in process, kgraph over gRPC (kgraphd on
# loopback), Kùzu (npm package, COPY FROM + Cypher) and an in-memory CSR limit,
# on the same data and the same seeded workload. Prints one markdown table.
# Exits non-zero if any system's answers differ from the CSR reference.
#
# Usage: bench/run.sh [--sizes 1M,10M] [--50m] [--no-fb15k] [--no-kuzu] [--no-grpc]
#                     [--passes 3] [--load-repeats 1] [--duration 10]
#                     [--concurrency 1,16,64] [--seed 42] [--scratch DIR]
#                     [--micro] [--no-build]
# Default: FB15k-237 + R-MAT 1M + 10M. Everything generated goes to the
# scratch directory (default build-bench/data); nothing large is committed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SIZES="1M,10M"
FB15K=1
KUZU=1
GRPC=1
PASSES=3
LOAD_REPEATS=1
DURATION=10
CONCURRENCY="1,16,64"
SEED=42
SCRATCH="$ROOT/build-bench/data"
MICRO=0
BUILD=1
KUZU_VERSION=0.11.3
FB15K_DIR="$ROOT/../shared/datasets/fb15k237"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift ;;
    --50m) SIZES="$SIZES,50M" ;;
    --no-fb15k) FB15K=0 ;;
    --no-kuzu) KUZU=0 ;;
    --no-grpc) GRPC=0 ;;
    --passes) PASSES="$2"; shift ;;
    --load-repeats) LOAD_REPEATS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --concurrency) CONCURRENCY="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --scratch) SCRATCH="$2"; shift ;;
    --micro) MICRO=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- build (Release, serialized with other builds on this machine) ----
if [ "$BUILD" = 1 ]; then
  log "building kgraph-bench, kgraphd (Release, build-bench/)"
  flock /tmp/kgraph-build.lock cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  targets="kgraph-bench"
  [ "$GRPC" = 1 ] && targets="$targets kgraphd"
  [ "$MICRO" = 1 ] && targets="$targets kgraph-microbench"
  # shellcheck disable=SC2086
  flock /tmp/kgraph-build.lock cmake --build build-bench --target $targets -j2
fi
BENCH="$ROOT/build-bench/bench/kgraph-bench"
KGRAPHD="$ROOT/build-bench/server/kgraphd"
mkdir -p "$SCRATCH"

# ---- Kùzu from npm, into a scratch folder (never into the repo) ----
KUZU_DIR="$SCRATCH/kuzu-npm"
if [ "$KUZU" = 1 ]; then
  if ! command -v node >/dev/null; then
    echo "run.sh: node is not installed; use --no-kuzu" >&2; exit 1
  fi
  if [ ! -f "$KUZU_DIR/node_modules/kuzu/package.json" ] ||
     ! grep -q "\"version\": \"$KUZU_VERSION\"" "$KUZU_DIR/node_modules/kuzu/package.json"; then
    log "installing kuzu@$KUZU_VERSION into $KUZU_DIR"
    mkdir -p "$KUZU_DIR"
    (cd "$KUZU_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund "kuzu@$KUZU_VERSION" >&2)
  fi
  if ! KUZU_MODULE="$KUZU_DIR/node_modules/kuzu" node -e 'require(process.env.KUZU_MODULE)' 2>/dev/null; then
    # npm may skip install scripts; the package's own installer copies the prebuilt binary.
    (cd "$KUZU_DIR/node_modules/kuzu" && node install.js >&2)
  fi
  export KUZU_MODULE="$KUZU_DIR/node_modules/kuzu"
fi

LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_AT_START%% *}" 'BEGIN { exit !(l > 1.5) }'; then
  log "WARNING: load average is $LOAD_AT_START: other work on this machine will skew the numbers"
fi

# ---- datasets ----
DIRS=()
if [ "$FB15K" = 1 ]; then
  if [ -f "$FB15K_DIR/train2id.txt" ] && [ -f "$FB15K_DIR/entity2id.txt" ] && [ -f "$FB15K_DIR/relation2id.txt" ]; then
    log "gen fb15k237"
    "$BENCH" gen --source "fb15k:$FB15K_DIR" --seed "$SEED" --out "$SCRATCH/fb15k237"
    DIRS+=("$SCRATCH/fb15k237")
  else
    echo "run.sh: FB15k-237 not found at $FB15K_DIR (train2id.txt, entity2id.txt, relation2id.txt); skipping it" >&2
  fi
fi
IFS=',' read -r -a size_list <<< "$SIZES"
for s in "${size_list[@]}"; do
  n="${s%M}"
  [ "$n" = "$s" ] && { echo "run.sh: sizes are like 1M,10M,50M (got $s)" >&2; exit 2; }
  dir="$SCRATCH/rmat-${n}M"
  if [ -f "$dir/meta.json" ] && grep -q "\"edges\": $((n * 1000000))," "$dir/meta.json" &&
     [ -f "$dir/.seed-$SEED" ]; then
    log "reusing $dir"
  else
    log "gen rmat ${n}M edges (seed $SEED)"
    rm -rf "$dir"
    "$BENCH" gen --source rmat --edges $((n * 1000000)) --seed "$SEED" --out "$dir"
    touch "$dir/.seed-$SEED"
  fi
  DIRS+=("$dir")
done

# ---- systems ----
SERVER_PID=""
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
for dir in "${DIRS[@]}"; do
  name="$(basename "$dir")"
  rm -f "$dir"/{csr,kgraph,kuzu,grpc}.json
  log "$name: CSR reference"
  "$BENCH" csr --data "$dir" --passes "$PASSES" --out "$dir/csr.json"
  log "$name: kgraph in process (BulkLoad + query engine)"
  "$BENCH" kgraph --data "$dir" --db "$SCRATCH/db-$name" --passes "$PASSES" \
    --load_repeats "$LOAD_REPEATS" --out "$dir/kgraph.json"
  if [ "$GRPC" = 1 ]; then
    log "$name: kgraphd on 127.0.0.1:$PORT"
    "$KGRAPHD" --db "$SCRATCH/db-$name" --listen "127.0.0.1:$PORT" --quiet 2>"$dir/kgraphd.log" &
    SERVER_PID=$!
    "$BENCH" grpc --data "$dir" --target "127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --server_pid "$SERVER_PID" --floor --expect "$dir/csr.json" --out "$dir/grpc.json"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  fi
  if [ "$KUZU" = 1 ]; then
    log "$name: Kùzu $KUZU_VERSION"
    node "$ROOT/bench/kuzu_driver.js" --data "$dir" --db "$SCRATCH/kuzu-$name" --passes "$PASSES" \
      --out "$dir/kuzu.json"
    rm -rf "$SCRATCH/kuzu-$name" "$SCRATCH/kuzu-$name.wal"
  fi
  rm -rf "$SCRATCH/db-$name"
done

if [ "$MICRO" = 1 ]; then
  log "micro-benchmarks"
  "$ROOT/build-bench/bench/kgraph-microbench" --benchmark_min_time=0.2 >&2
fi

MACHINE="$(date +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), load avg $LOAD_AT_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
"$BENCH" report "${DIRS[@]}" --machine "$MACHINE"
