#!/usr/bin/env bash
# Extraction throughput: `kgraph-admin extract` over the whole Reuters-21578
# JSONL file (../shared/corpus/reuters21578), Release build, one thread and
# all cores, several runs each, for the rules alone (--no-nlp) and the whole
# pipeline with the nlp/ core (tagger and NER over every sentence, parser
# where two entities meet, dependency patterns, relation classifier). Prints one markdown table of medians: wall
# seconds, MB/s of raw text (the documents' `text` fields) in total and per
# thread, documents/s, and the peak RSS of the process. Wall time covers
# reading, extraction and writing the output file.
#
#   bench/extract.sh                 # 5 runs per thread count
#   bench/extract.sh --runs 3 --input FILE.jsonl --no-build
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=5
INPUT="$ROOT/../shared/corpus/reuters21578/reuters21578.jsonl"
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --input) INPUT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "extract.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -f "$INPUT" ]; then
  echo "extract.sh: $INPUT not found (the shared Reuters-21578 corpus); nothing to measure" >&2
  exit 0
fi
if [ "$BUILD" = 1 ]; then
  flock /tmp/kgraph-build.lock cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  flock /tmp/kgraph-build.lock cmake --build "$ROOT/build-bench" --target kgraph-admin -j2 >&2
fi
ADMIN="$ROOT/build-bench/tools/kgraph-admin"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
CORES="$(nproc)"

# Runs extract RUNS times with $1 threads; prints the median run's summary
# fields (the run with the median wall time).
measure() {
  local threads="$1" i
  shift
  for i in $(seq "$RUNS"); do
    "$ADMIN" extract "$INPUT" --out "$OUT/out.jsonl" --threads "$threads" "$@" 2>&1 >/dev/null |
      grep '^extract: throughput:' | sed 's/^extract: throughput: //'
  done | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) print substr($i, 9), $0 }' |
    sort -g | awk -v n="$RUNS" 'NR == int((n + 1) / 2)' | cut -d' ' -f2-
}

field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

echo "| pipeline | threads | documents | raw text MB | wall s (median of $RUNS) | MB/s | MB/s per thread | documents/s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in rules nlp; do
for threads in 1 "$CORES"; do
  if [ "$mode" = rules ]; then line="$(measure "$threads" --no-nlp)"; else line="$(measure "$threads")"; fi
  if [ -z "$line" ]; then
    echo "extract.sh: kgraph-admin extract printed no throughput line" >&2
    exit 1
  fi
  mbs="$(field "$line" mb_per_s)"
  printf '| %s | %s | %s | %.1f | %s | %s | %.2f | %s | %s |\n' "$mode" "$threads" "$(field "$line" documents)" \
    "$(awk -v b="$(field "$line" text_bytes)" 'BEGIN { print b / 1e6 }')" "$(field "$line" seconds)" \
    "$mbs" "$(awk -v m="$mbs" -v t="$threads" 'BEGIN { print m / t }')" \
    "$(field "$line" docs_per_s)" "$(field "$line" peak_rss_mb)"
  [ "$CORES" = 1 ] && break
done
done
