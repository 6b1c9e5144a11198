#!/usr/bin/env bash
# The whole test suite: unit, sim (Verilator model) and hw (skipped without hardware) tests of the
# release build, the style gates (clang-format, clang-tidy), the unit tests again under
# AddressSanitizer and UBSan, and cpoctl under ThreadSanitizer driving every bus at once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/fetch-promtool.sh
jobs=$(nproc)
# Each stage's wall time, so a slow one is found by reading CI's log.
stage_started=$SECONDS
stage() {
  echo "== (previous stage took $((SECONDS - stage_started)) s; $SECONDS s so far)"
  stage_started=$SECONDS
  echo "== $*"
}

stage "build: default preset"
bash tools/build.sh default
stage "test: default preset (labels unit, sim, hw)"
ctest --preset default -j "$jobs"

stage "lint: clang-format, clang-tidy"
bash tools/lint.sh build/default

stage "build: asan preset (unit tests only)"
bash tools/build.sh asan
stage "test: asan preset (label unit)"
ctest --preset asan -j "$jobs"

stage "build: tsan preset (cpoctl)"
bash tools/build.sh tsan
stage "test: cpoctl under ThreadSanitizer against cpo-simd"
bash tests/tools/tsan_cpoctl.sh build/tsan/tools/cpoctl build/default/sim/cpo-simd "$(pwd)"
echo "== (last stage took $((SECONDS - stage_started)) s; $SECONDS s in all)"
