#!/usr/bin/env bash
# libcpohal.so exports exactly the functions cpo/c/cpo_hal.h declares (CPO_API), under its
# SONAME; nothing of the C++ inside leaks.
# Usage: exported_symbols_test.sh LIBRARY HEADER
set -euo pipefail
library=$1 header=$2
soname=$(objdump -p "$library" | awk '/SONAME/ {print $2}')
[[ $soname == libcpohal.so.0 ]] || { echo "FAIL: SONAME is '$soname', not libcpohal.so.0" >&2; exit 1; }
exported=$(nm -D --defined-only "$library" | awk '{print $3}' | sed 's/@.*//' | grep -v '^CPOHAL_' | sort -u)
declared=$(grep -v '#define' "$header" | grep -oE 'CPO_API [^(]*\(' | sed -E 's/.*[ *]([a-z_0-9]+)\($/\1/' | sort -u)
if [[ "$exported" != "$declared" ]]; then
  echo "FAIL: exported symbols differ from the header's CPO_API functions" >&2
  diff <(echo "$declared") <(echo "$exported") >&2 || true
  exit 1
fi
echo "ok: $(echo "$exported" | wc -l) symbols, SONAME $soname"
