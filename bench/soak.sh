#!/usr/bin/env bash
# Soak test: a fresh store, a real kgraphd on a free loopback port, and C
# concurrent gRPC clients mixing reads, ingests (Reuters-21578 first, then
# generated news) and deletes for N minutes. Records errors by gRPC code
# (per minute and total), requests per kind, and every 10 s kgraphd's RSS,
# the store's document count and the memory gauges of /metrics. Prints a
# table; the CSV and logs stay in the scratch directory.
#
# Usage: bench/soak.sh [--minutes 10] [--clients 48] [--build-dir build]
#                      [--corpus FILE|none] [--scratch DIR] [--no-build]
#                      [--bin DIR]   (kgraphd and kgraph-soak from DIR, as is)
# Exits non-zero if kgraphd dies or does not stop cleanly.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MINUTES=10
CLIENTS=48
BUILD_DIR="$ROOT/build"
CORPUS="$ROOT/../shared/corpus/reuters21578/reuters21578.jsonl"
SCRATCH=""
BUILD=1
BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --build-dir) BUILD_DIR="$(cd "$2" && pwd)"; shift ;;
    --corpus) CORPUS="$2"; shift ;;
    --scratch) SCRATCH="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --bin) BIN="$(cd "$2" && pwd)"; BUILD=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$CLIENTS" -lt 32 ] || [ "$CLIENTS" -gt 64 ]; then
  echo "soak.sh: --clients must be 32..64 (got $CLIENTS)" >&2
  exit 2
fi
[ "$CORPUS" = none ] && CORPUS=""
if [ -n "$CORPUS" ] && [ ! -r "$CORPUS" ]; then
  echo "soak.sh: $CORPUS: not readable; generated documents only" >&2
  CORPUS=""
fi

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ "$BUILD" = 1 ]; then
  log "building kgraphd, kgraph-soak in $BUILD_DIR"
  flock /tmp/kgraph-build.lock cmake --build "$BUILD_DIR" --target kgraphd kgraph-soak >/dev/null
fi
if [ -z "$SCRATCH" ]; then SCRATCH="$(mktemp -d /tmp/kgraph-soak.XXXXXX)"; fi
mkdir -p "$SCRATCH/bin"
# Private copies, taken under the build lock: a rebuild in the shared build
# directory during the soak must not replace the binaries under it.
if [ -n "$BIN" ]; then
  KGRAPHD="$BIN/kgraphd"
  SOAK="$BIN/kgraph-soak"
else
  flock /tmp/kgraph-build.lock cp "$BUILD_DIR/server/kgraphd" "$BUILD_DIR/bench/kgraph-soak" \
    "$SCRATCH/bin/"
  KGRAPHD="$SCRATCH/bin/kgraphd"
  SOAK="$SCRATCH/bin/kgraph-soak"
fi
rm -rf "$SCRATCH/db"
LOG="$SCRATCH/kgraphd.log"

# Port 0: kgraphd binds free ports and logs them.
"$KGRAPHD" --db "$SCRATCH/db" --listen 127.0.0.1:0 --metrics_listen 127.0.0.1:0 --quiet \
  2>"$LOG" &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  grep -q "kgraphd: serving" "$LOG" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
PORT="$(sed -n 's/.*serving .* on port \([0-9]*\).*/\1/p' "$LOG" | head -1)"
MPORT="$(sed -n 's/.*metrics port \([0-9]*\).*/\1/p' "$LOG" | head -1)"
[ -n "$PORT" ] && [ -n "$MPORT" ] || { echo "soak.sh: kgraphd did not start" >&2; cat "$LOG" >&2; exit 1; }
log "kgraphd pid $PID on 127.0.0.1:$PORT, metrics :$MPORT, store $SCRATCH/db; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

rc=0
# nice: on a small machine the server, not the load, should get the CPU.
nice -n 5 "$SOAK" --target "127.0.0.1:$PORT" --metrics "127.0.0.1:$MPORT" --server_pid "$PID" \
  --minutes "$MINUTES" --clients "$CLIENTS" ${CORPUS:+--corpus "$CORPUS"} \
  --csv "$SCRATCH/soak.csv" 2>"$SCRATCH/soak.progress" | tee "$SCRATCH/soak.txt" || rc=$?

kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq 1 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
  echo "soak.sh: kgraphd did not stop within 30 s of SIGTERM" >&2
  kill -9 "$PID"; rc=1
else
  wait "$PID" || { echo "soak.sh: kgraphd exited with $?" >&2; rc=1; }
fi
trap - EXIT
log "report $SCRATCH/soak.txt, samples $SCRATCH/soak.csv, server log $LOG"
exit "$rc"
