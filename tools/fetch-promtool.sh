#!/usr/bin/env bash
# promtool (Debian package prometheus) checks cpoctl's Prometheus output in the tests. It is
# unpacked into build/tools-root rather than installed, so no Prometheus server is set up on the
# machine. Without it (no package mirror) that one check skips.
set -uo pipefail
cd "$(dirname "$0")/.."
root=build/tools-root
if command -v promtool >/dev/null || [[ -x $root/usr/bin/promtool ]]; then exit 0; fi
mkdir -p "$root"
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
if (cd "$download" && apt-get download -qq prometheus >/dev/null 2>&1) &&
   dpkg-deb -x "$download"/prometheus_*.deb "$root"; then
  echo "setup: promtool unpacked into $root"
else
  echo "setup: promtool unavailable (apt-get download prometheus failed); its check will skip"
fi
