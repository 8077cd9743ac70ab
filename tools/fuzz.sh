#!/usr/bin/env bash
# Fuzzes the libFuzzer targets in fuzz/ for a time budget each, one after the
# other, and reports per target: execs, execs/s and crashes. Builds build-fuzz
# (clang, KGRAPH_FUZZ=ON: ASan + UBSan + libFuzzer) under nice first. Each
# target fuzzes a scratch corpus seeded from fuzz/corpus/<name> (it grows
# across runs); crash, timeout, OOM and leak inputs are copied into
# fuzz/crashes/<name>/, where CTest's fuzz_replay_<name> replays them from then
# on. A target that crashes is restarted for the rest of its budget (at most
# MAX_CRASHES times), so one bug does not hide the next. Exits 1 on any crash.
#
# Usage: tools/fuzz.sh [--seconds N] [target...]   (default 120 s, all targets;
#        a target is e.g. html_reader or fuzz_html_reader)
# Environment: BUILD_DIR (build-fuzz), WORK (/tmp/kgraph-fuzz), NICE (15),
#   JOBS (2, build only), MAX_CRASHES (5), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build-fuzz}
WORK=${WORK:-/tmp/kgraph-fuzz}
NICE=${NICE:-15}
JOBS=${JOBS:-2}
MAX_CRASHES=${MAX_CRASHES:-5}
FUZZ_ARGS=${FUZZ_ARGS:-}
ALL_TARGETS="page_reader jsonl_reader html_reader triple_tsv triple_csv triple_jsonl triple_ntriples page_token extractor"

seconds=120
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#--seconds=}; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("${1#fuzz_}"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<<"$ALL_TARGETS"
for t in "${targets[@]}"; do
  case " $ALL_TARGETS " in
    *" $t "*) ;;
    *) echo "fuzz.sh: unknown target '$t' (one of: $ALL_TARGETS)" >&2; exit 2 ;;
  esac
done

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=clang CXX=clang++ nice -n "$NICE" cmake -S . -B "$BUILD_DIR" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKGRAPH_FUZZ=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
nice -n "$NICE" cmake --build "$BUILD_DIR" -j"$JOBS" --target "${targets[@]/#/fuzz_}"

# The target's own checks abort; ASan/UBSan reports end the run too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Third-party leaks tolerated, each with its reason: tools/lsan.supp.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$SRC/tools/lsan.supp}

summary=()
failed=0
for t in "${targets[@]}"; do
  bin="$SRC/$BUILD_DIR/fuzz/fuzz_$t"
  dir="$WORK/$t"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$SRC/fuzz/crashes/$t"
  cp -n "$SRC/fuzz/corpus/$t/"* "$dir/corpus/" 2>/dev/null || true
  dict=()
  [ -f "$SRC/fuzz/dict/$t.dict" ] && dict=("-dict=$SRC/fuzz/dict/$t.dict")
  execs=0
  crashes=()
  start=$(date +%s)
  run=0
  while :; do
    left=$(( seconds - ($(date +%s) - start) ))
    [ "$left" -gt 0 ] || break
    run=$((run + 1))
    log="$dir/run-$run.log"
    before=$(ls "$dir/artifacts" | sort)
    set +e
    # shellcheck disable=SC2086
    (cd "$dir" && nice -n "$NICE" "$bin" -max_total_time="$left" -rss_limit_mb=2048 -timeout=25 \
       -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" $FUZZ_ARGS \
       "$dir/corpus") >"$log" 2>&1
    rc=$?
    set -e
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    execs=$((execs + ${n:-0}))
    new=$(comm -13 <(echo "$before") <(ls "$dir/artifacts" | sort) | grep -E '^(crash|timeout|oom|leak)-' || true)
    if [ -n "$new" ]; then
      for a in $new; do
        cp -n "$dir/artifacts/$a" "$SRC/fuzz/crashes/$t/$a"
        crashes+=("fuzz/crashes/$t/$a")
      done
      echo "fuzz.sh: $t: $(echo "$new" | wc -w) failing input(s), log $log:" >&2
      grep -m3 -E "ERROR: |fuzz check failed|runtime error|deadly signal" "$log" | cut -c1-300 >&2 || true
      [ ${#crashes[@]} -lt "$MAX_CRASHES" ] || break
    elif [ "$rc" -ne 0 ]; then
      echo "fuzz.sh: $t exited $rc without an artifact; see $log" >&2
      crashes+=("(exit $rc, $log)")
      break
    else
      break  # budget used up
    fi
  done
  elapsed=$(( $(date +%s) - start ))
  rate=$(( execs / (elapsed > 0 ? elapsed : 1) ))
  [ ${#crashes[@]} -eq 0 ] || failed=1
  summary+=("$(printf '%-16s %6ss %12s %9s/s %3s  %s' "$t" "$elapsed" "$execs" "$rate" \
                "${#crashes[@]}" "${crashes[*]:-}")")
done

printf '\n%-16s %7s %12s %11s %3s  %s\n' target time execs execs/s crashes inputs
printf '%s\n' "${summary[@]}"
exit "$failed"
