#!/usr/bin/env bash
# nlp/ pipeline throughput: `kgraph-admin annotate` (tokenizer, tagger,
# parser) over the whole Reuters-21578 JSONL file (../shared/corpus/
# reuters21578; measured, never trained on), Release build, one thread.
# Prints a markdown table of medians: wall seconds for the whole command
# (model loading, reading, annotating, writing JSON), MB/s of raw article text
# (the documents' `text` fields), words/s, model load seconds and peak RSS;
# for three pipelines: tokenize, tag, NER and parse every sentence (all);
# parse only the sentences with two or more entity mentions (entities); no
# parse (none).
#
#   bench/nlp.sh                       # 3 runs each, data/models
#   bench/nlp.sh --runs 1 --models DIR --input FILE.jsonl --no-build
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=3
INPUT="$ROOT/../shared/corpus/reuters21578/reuters21578.jsonl"
MODELS="$ROOT/data/models"
BUILD=1
THREADS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift ;;
    --input) INPUT="$2"; shift ;;
    --models) MODELS="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "nlp.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -f "$INPUT" ]; then
  echo "nlp.sh: $INPUT not found (the shared Reuters-21578 corpus); nothing to measure" >&2
  exit 0
fi
if [ "$BUILD" = 1 ]; then
  flock /tmp/kgraph-build.lock cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  flock /tmp/kgraph-build.lock cmake --build "$ROOT/build-bench" --target kgraph-admin -j2 >&2
fi
ADMIN="$ROOT/build-bench/tools/kgraph-admin"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# Median run (by wall seconds) of annotate with extra flags "$@".
measure() {
  local i
  for i in $(seq "$RUNS"); do
    "$ADMIN" annotate "$INPUT" --out "$OUT/out.jsonl" --models "$MODELS" --threads "$THREADS" "$@" \
      2>&1 >/dev/null | grep '^annotate: throughput:' | sed 's/^annotate: throughput: //'
  done | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^seconds=/) print substr($i, 9), $0 }' |
    sort -g | awk -v n="$RUNS" 'NR == int((n + 1) / 2)' | cut -d' ' -f2-
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

echo "| parse | threads | documents | raw text MB | words | wall s (median of $RUNS) | MB/s | words/s | load s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in all entities none; do
  line="$(measure --parse "$mode")"
  if [ -z "$line" ]; then
    echo "nlp.sh: kgraph-admin annotate printed no throughput line" >&2
    exit 1
  fi
  printf '| %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n' "$mode" "$THREADS" \
    "$(field "$line" documents)" "$(awk -v b="$(field "$line" text_bytes)" 'BEGIN { print b / 1e6 }')" \
    "$(field "$line" words)" "$(field "$line" seconds)" "$(field "$line" mb_per_s)" \
    "$(field "$line" words_per_s)" "$(field "$line" load_seconds)" "$(field "$line" peak_rss_mb)"
done
