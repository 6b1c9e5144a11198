#!/usr/bin/env bash
# The main job: start the simulated reference switch (sim-51t2: 8 engines x 64 lanes, 64 ports),
# then inspect it with cpoctl over the simulator socket, exactly as an operator would on hardware:
# power the engines up, light the lasers that feed oe0 through the HAL's fibre check, bring oe0's
# data paths up, bring ports up to link (and see why one cannot), run host-side and engine PRBS
# tests over loopbacks, read VDM.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/build.sh default

platform=platform/boards/sim-51t2/platform.yaml
bin=build/default
workdir=$(mktemp -d)
socket=$workdir/cpo-sim.sock
"$bin/sim/cpo-simd" --platform "$platform" --socket "$socket" --log-level warn &
simd=$!
trap 'kill "$simd" 2>/dev/null; wait "$simd" 2>/dev/null; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do [[ -S "$socket" ]] && break; sleep 0.1; done
[[ -S "$socket" ]] || { echo "demo: cpo-simd did not start" >&2; exit 1; }

cpoctl() { "$bin/tools/cpoctl" --platform "$platform" --sim "$socket" "$@"; }
step() { printf '\n\033[1m$ cpoctl %s\033[0m\n' "$*"; }
# Runs cpoctl and shows the first N lines of what it printed (a file, not a pipe: the rest of a
# long table must not meet a closed pipe), saying how much was left out.
first() {
  local lines=$1
  shift
  cpoctl "$@" >"$workdir/out.txt"
  head -n "$lines" "$workdir/out.txt"
  local total
  total=$(wc -l <"$workdir/out.txt")
  if ((total > lines)); then echo "  ... ($((total - lines)) more lines: cpoctl $*)"; fi
}

step list
first 14 list
step oe lowpower off all --wait
cpoctl oe lowpower off all --wait
step show oe oe0 "(identity, module state and monitors, then the first lanes)"
first 16 show oe oe0
step laser enable els0 1-8 "(fibre check at 2 mW, then 18 mW)"
cpoctl laser enable els0 1-8
step laser enable els1 1-8
cpoctl laser enable els1 1-8
step show laser els0
cpoctl show laser els0
step oe datapath up oe0 --app 1
cpoctl oe datapath up oe0 --app 1
step show oe oe0 --datapaths
first 14 show oe oe0 --datapaths
step port up eth28 "(a loopback plug: its lasers, SerDes, data path, then the link)"
cpoctl port up eth28
step port up eth9 "(cabled to eth41, which is down: the link cannot come up)"
cpoctl port up eth9 || true
step show port eth0 .. eth9
first 11 show port
step show port eth28 --lanes "(the lane path query)"
cpoctl show port eth28 --lanes
step diag prbs start eth28 "(host-side PRBS on the switch SerDes, over the plug)"
cpoctl diag prbs start eth28 --pattern PRBS31Q
step diag prbs show eth28
cpoctl diag prbs show eth28
cpoctl diag prbs stop eth28
step diag loopback set oe0 --lanes 1-8 --kind media-output
cpoctl diag loopback set oe0 --lanes 1-8 --kind media-output
step diag prbs start oe0 --lanes 1-8 --pattern PRBS31
cpoctl diag prbs start oe0 --lanes 1-8 --pattern PRBS31
sleep 0.5
step diag prbs show oe0 --lanes 1-8
cpoctl diag prbs show oe0 --lanes 1-8
step diag prbs stop oe0 --lanes 1-8
cpoctl diag prbs stop oe0 --lanes 1-8
step show oe oe0 --vdm "(first lines)"
first 12 show oe oe0 --vdm
step show oe 0 --json
cpoctl show oe 0 --json > "$workdir/oe0.json"
head -n 40 "$workdir/oe0.json"
echo "  ... ($(wc -l < "$workdir/oe0.json") lines; the whole document is one JSON object)"
echo
echo "demo: done. Everything above went cpoctl -> HAL -> CMIS driver -> I2C controller driver ->"
echo "      cpo-simd socket -> Verilator RTL, with values set by the simulated plant."
