#!/usr/bin/env bash
# The Debian packages as a switch image would take them: cpack builds libcpohal0, libcpohal-dev,
# cpoctl and cpo-simd from the build tree; they are unpacked into a scratch root; a C program is
# compiled against the unpacked headers and library through pkg-config and brings a port up on
# the unpacked cpo-simd, getting its link-up event; the unpacked cpoctl reads it too.
# Usage: deb_package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
stage=$(mktemp -d)
simd_pid=
cleanup() {
  [[ -n $simd_pid ]] && kill "$simd_pid" 2>/dev/null && wait "$simd_pid" 2>/dev/null
  rm -rf "$stage"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$stage/debs" >/dev/null
for package in libcpohal0 libcpohal-dev cpoctl cpo-simd; do
  deb=$(ls "$stage"/debs/${package}_*.deb 2>/dev/null | head -1)
  [[ -n $deb ]] || fail "no $package package"
  dpkg-deb -x "$deb" "$stage/root"
done
[[ $(dpkg-deb -f "$stage"/debs/libcpohal-dev_*.deb Depends) == "libcpohal0 (= "*")" ]] ||
  fail "libcpohal-dev does not depend on its exact libcpohal0"
for file in usr/lib/libcpohal.so.0 usr/include/cpo/c/cpo_hal.h usr/lib/pkgconfig/cpohal.pc \
            usr/lib/cmake/cpohal/cpohalConfig.cmake usr/lib/udev/rules.d/60-cpo.rules \
            usr/bin/cpoctl usr/share/man/man1/cpoctl.1 usr/bin/cpo-simd; do
  [[ -e $stage/root/$file ]] || fail "/$file is in no package"
done

export PKG_CONFIG_PATH=$stage/root/usr/lib/pkgconfig
libdir=$(pkg-config --variable=libdir cpohal)
[[ $(realpath "$libdir") == $(realpath "$stage/root/usr/lib") ]] || fail "pkg-config libdir $libdir"
cc -std=c11 -Wall -Wextra -Werror "$source/examples/c/port_up.c" $(pkg-config --cflags --libs cpohal) \
  -Wl,-rpath,"$libdir" -o "$stage/port_up"

platform=$source/platform/boards/sim-51t2/platform.yaml
socket=$stage/sim.sock
"$stage/root/usr/bin/cpo-simd" --platform "$platform" --socket "$socket" --log-level warn &
simd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
out=$("$stage/port_up" "$platform" eth28 "$socket")
grep -q "^event port-link-up eth28" <<<"$out" || fail "no link-up event: $out"
"$stage/root/usr/bin/cpoctl" --platform "$platform" --sim "$socket" --json show port eth28 |
  grep -q '"oper_up": true' || fail "the packaged cpoctl does not see eth28 up"
echo "ok: 4 packages; a C program built through pkg-config from them brought eth28 up"
