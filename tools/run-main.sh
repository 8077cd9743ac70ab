#!/usr/bin/env bash
# The main job, end to end: install dependencies, build, extract and ingest
# the seed news page into a fresh store, start kgraphd on a free local port,
# and run example queries with the kgraph client. Leaves the store in
# ./out/news.db for further exploration.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$BUILD_DIR" -j"$(nproc)"
ADMIN="$BUILD_DIR/tools/kgraph-admin"
KGRAPHD="$BUILD_DIR/server/kgraphd"
KGRAPH="$BUILD_DIR/tools/client/kgraph"

SEED=${SEED:-../shared/corpus/seed/news-blog-page-19.txt}
DB=out/news.db
rm -rf "$DB"
mkdir -p out
if [ -f "$SEED" ]; then
  echo "== ingesting $SEED"
  "$ADMIN" ingest --db "$DB" "$SEED"
else
  echo "== $SEED not found; loading the bundled sample triples instead"
  "$ADMIN" load --db "$DB" data/sample/news_triples.tsv
fi
"$ADMIN" verify --db "$DB"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "== starting kgraphd on 127.0.0.1:$PORT"
"$KGRAPHD" --db "$DB" --listen "127.0.0.1:$PORT" --read_only 2> out/kgraphd.log &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  "$KGRAPH" --server "127.0.0.1:$PORT" stats >/dev/null 2>&1 && break
  sleep 0.1
done

run() { echo; echo "\$ kgraph $*"; "$KGRAPH" --server "127.0.0.1:$PORT" "$@"; }
run stats
run search Net
run entity "Netflix"
run neighbors "Netflix"
run path "Huawei" "China Telecom"
run evidence "Netflix" bids_for "Warner Bros. Discovery"
echo
echo "== done; the store is in $DB (kgraphd log: out/kgraphd.log)"
