#!/usr/bin/env bash
# cpoctl built with ThreadSanitizer against cpo-simd: the HAL's per-bus work runs on one thread
# per bus there (Clock::RunConcurrently), so every command that drives many buses at once runs
# here and any data race fails the run.
# Usage: tsan_cpoctl.sh TSAN_CPOCTL CPO_SIMD SOURCE_DIR
set -euo pipefail
cpoctl=$1 simd=$2 source_dir=$3
platform=$source_dir/platform/boards/sim-51t2/platform.yaml
socket=/tmp/cpo-tsan-$$.sock
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
"$simd" --platform "$platform" --socket "$socket" --log-level warn &
simd_pid=$!
trap 'kill "$simd_pid" 2>/dev/null; wait "$simd_pid" 2>/dev/null; rm -f "$socket".*.lock' EXIT
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done

run() {
  local status=0
  "$cpoctl" --platform "$platform" --sim "$socket" "$@" >/dev/null 2>"$socket.err" || status=$?
  if ((status == 66)) || grep -q "ThreadSanitizer" "$socket.err"; then
    cat "$socket.err" >&2
    echo "tsan: data race in 'cpoctl $*'" >&2
    exit 1
  fi
  echo "tsan: cpoctl $* (exit $status): no race"
}
run laser fiber-check els4 1-8
run port up all
run show port
run telemetry
run watch --count 2 --interval 0.1
run port down all
rm -f "$socket.err"
