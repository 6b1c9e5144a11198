#!/usr/bin/env bash
# The whole test suite: unit, sim (Verilator model) and hw (skipped without hardware) tests of the
# release build, the style gates (clang-format, clang-tidy), the unit tests again under
# AddressSanitizer and UBSan, and cpoctl under ThreadSanitizer driving every bus at once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/fetch-promtool.sh
jobs=$(nproc)

echo "== build: default preset"
bash tools/build.sh default
echo "== test: default preset (labels unit, sim, hw)"
ctest --preset default -j "$jobs"

echo "== lint: clang-format, clang-tidy"
bash tools/lint.sh build/default

echo "== build: asan preset (unit tests only)"
bash tools/build.sh asan
echo "== test: asan preset (label unit)"
ctest --preset asan -j "$jobs"

echo "== build: tsan preset (cpoctl)"
bash tools/build.sh tsan
echo "== test: cpoctl under ThreadSanitizer against cpo-simd"
bash tests/tools/tsan_cpoctl.sh build/tsan/tools/cpoctl build/default/sim/cpo-simd "$(pwd)"
