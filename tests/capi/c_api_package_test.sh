#!/usr/bin/env bash
# The installed C API as a NOS build would use it: `cmake --install` into a scratch prefix, then a
# C program compiled with `pkg-config --cflags --libs cpohal` (and once more through
# find_package(cpohal), and statically against libcpohal.a) brings up a port on cpo-simd and
# receives its link-up event.
# Usage: c_api_package_test.sh BUILD_DIR SOURCE_DIR CPO_SIMD
set -euo pipefail
build=$1 source=$2 simd=$3
stage=$(mktemp -d)
socket=$stage/sim.sock
simd_pid=
cleanup() {
  [[ -n $simd_pid ]] && kill "$simd_pid" 2>/dev/null && wait "$simd_pid" 2>/dev/null
  rm -rf "$stage"
}
trap cleanup EXIT
cmake --install "$build" --prefix "$stage/usr" >/dev/null
pc=$(dirname "$(find "$stage/usr" -name cpohal.pc)")
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs cpohal)
libdir=$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir cpohal)
cc -std=c11 -Wall -Wextra -Werror "$source/examples/c/port_up.c" $flags -Wl,-rpath,"$libdir" \
  -o "$stage/port_up"

platform=$source/platform/boards/sim-51t2/platform.yaml
"$simd" --platform "$platform" --socket "$socket" --log-level warn &
simd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
out=$("$stage/port_up" "$platform" eth28 "$socket")
echo "$out"
grep -q "^event port-link-up eth28" <<<"$out" || { echo "FAIL: no port-link-up event" >&2; exit 1; }
grep -q "^eth28: link up$" <<<"$out" || { echo "FAIL: eth28 not up" >&2; exit 1; }

# Linked statically (libcpohal.a holds the whole stack; Libs.private names the rest).
static_libs=$(PKG_CONFIG_PATH=$pc pkg-config --static --libs-only-l cpohal | sed 's/-lcpohal//')
cc -std=c11 -Wall -Wextra -Werror "$source/examples/c/port_up.c" \
  $(PKG_CONFIG_PATH=$pc pkg-config --cflags cpohal) "$libdir/libcpohal.a" $static_libs \
  -o "$stage/port_up_static"
if ldd "$stage/port_up_static" | grep -q libcpohal; then
  echo "FAIL: the static build still loads libcpohal.so" >&2
  exit 1
fi
"$stage/port_up_static" "$platform" eth28 "$socket" | grep -q "^eth28: link up$" ||
  { echo "FAIL: the static build did not bring eth28 up" >&2; exit 1; }

# The same program through the CMake package.
cmake -S "$source/tests/capi/find_package" -B "$stage/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$stage/usr" -DEXAMPLE_SOURCE="$source/examples/c/port_up.c" \
  -DCMAKE_BUILD_RPATH="$libdir" >/dev/null
cmake --build "$stage/consumer" >/dev/null
"$stage/consumer/port_up" "$platform" eth28 "$socket" | grep -q "^eth28: link up$" ||
  { echo "FAIL: the find_package build did not bring eth28 up" >&2; exit 1; }
echo "ok: pkg-config (shared and static) and find_package builds all brought eth28 up"
