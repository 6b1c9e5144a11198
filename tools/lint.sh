#!/usr/bin/env bash
# Style gates of CI: clang-format (Google style, .clang-format) over every C++ file, and
# clang-tidy (.clang-tidy) over the product sources (tests are held to -Werror by the compiler; the
# GoogleTest macros make tidying them slower than CI's budget allows). Needs a configured default
# build (compile_commands.json).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}

mapfile -t sources < <(git ls-files '*.cc' '*.h')
echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run --Werror "${sources[@]}"

echo "lint: clang-tidy"
run-clang-tidy -p "$build" -quiet -j "$(nproc)" \
  "$(pwd)/(hal|drivers|platform|sim|tools|bench|capi)/.*\.cc$" > "$build/clang-tidy.log" 2>&1 || true
if grep -qE '(warning|error):' "$build/clang-tidy.log"; then
  grep -E '(warning|error):' "$build/clang-tidy.log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u >&2
  echo "lint: clang-tidy found problems (full log: $build/clang-tidy.log)" >&2
  exit 1
fi
echo "lint: clean"
