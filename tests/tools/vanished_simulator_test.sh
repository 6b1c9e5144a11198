#!/usr/bin/env bash
# cpo-simd killed while `cpoctl port up all` runs (at two moments: during the laser stage and
# during the data-path stage): cpoctl must not hang on a clock that stopped. It exits 3 within a
# wall-clock bound, with one line per failed stage rather than one per port or lane.
# Usage: vanished_simulator_test.sh CPOCTL CPO_SIMD SOURCE_DIR
set -uo pipefail
cpoctl=$1 simd=$2 source=$3
platform=$source/platform/boards/sim-51t2/platform.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; echo "--- out" >&2; cat "$work/out" >&2; echo "--- err" >&2; tail -c 2000 "$work/err" >&2; exit 1; }

for kill_after in 0.6 2.0; do
  socket=$work/sim-$kill_after.sock
  "$simd" --platform "$platform" --socket "$socket" --log-level warn &
  simd_pid=$!
  for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
  start=$SECONDS
  timeout 120 "$cpoctl" --platform "$platform" --sim "$socket" port up all >"$work/out" 2>"$work/err" &
  ctl=$!
  sleep "$kill_after"
  kill -9 "$simd_pid"; wait "$simd_pid" 2>/dev/null
  wait "$ctl"; rc=$?
  took=$((SECONDS - start))
  ((rc != 124)) || fail "cpoctl hung after cpo-simd died (killed after ${kill_after}s)"
  ((rc == 3)) || fail "exit $rc, not 3 (unavailable), when cpo-simd died after ${kill_after}s"
  lines=$(wc -l <"$work/out")
  ((lines <= 6)) || fail "$lines lines of output: one per failed stage expected"
  bytes=$(($(wc -c <"$work/out") + $(wc -c <"$work/err")))
  ((bytes < 8192)) || fail "$bytes bytes of output"
  echo "ok: cpo-simd killed after ${kill_after}s: exit 3 in ${took}s, $lines lines, $bytes bytes"
done
