#!/usr/bin/env bash
# examples/nos-agent against cpo-simd, with cpoctl reading the same switch while it runs: all
# ports come up, link events are logged, cpoctl sees the ports up, SIGTERM stops it cleanly
# (exit 0), and stdout carries only the agent's own lines (the library writes none there).
# Usage: nos_agent_test.sh NOS_AGENT CPOCTL CPO_SIMD SOURCE_DIR
set -euo pipefail
agent=$1 cpoctl=$2 simd=$3 source=$4
platform=$source/platform/boards/sim-51t2/platform.yaml
work=$(mktemp -d)
socket=$work/sim.sock
simd_pid= agent_pid=
cleanup() {
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null
  [[ -n $simd_pid ]] && kill "$simd_pid" 2>/dev/null && wait "$simd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- agent stdout" >&2; cat "$work/out" >&2; echo "--- agent stderr" >&2; cat "$work/err" >&2; exit 1; }

"$simd" --platform "$platform" --socket "$socket" --log-level warn &
simd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
"$agent" "$platform" "$socket" --log stderr >"$work/out" 2>"$work/err" &
agent_pid=$!
for _ in $(seq 600); do grep -q "monitoring" "$work/out" && break; sleep 0.1; done
grep -q "^nos-agent: 64 of 64 ports up; monitoring" "$work/out" || fail "the agent did not bring all 64 ports up"
# The monitor's polls deliver the link changes (each poll also supervises every laser).
for _ in $(seq 600); do grep -q "port-link-up eth28 " "$work/out" && break; sleep 0.1; done
grep -q "^nos-agent: event .* port-link-up eth28 " "$work/out" || fail "no link-up event for eth28"

# cpoctl beside the agent, on the same switch.
state=$("$cpoctl" --platform "$platform" --sim "$socket" --json show port eth28)
grep -q '"oper_up": true' <<<"$state" || fail "cpoctl does not see eth28 up: $state"
"$cpoctl" --platform "$platform" --sim "$socket" telemetry >/dev/null || fail "cpoctl telemetry failed"
# Beside the owner, Prometheus carries the laser sources' flag history (the owner's) and thresholds.
prom=$("$cpoctl" --platform "$platform" --sim "$socket" telemetry --format prometheus) ||
  fail "cpoctl telemetry --format prometheus failed"
grep -q '^cpo_laser_lane_alarm_latched{device="sim-51t2",source="els0",lane="1"} 0$' <<<"$prom" ||
  fail "no laser lane alarm sample from the owner's flag history: $(grep cpo_laser_lane_alarm <<<"$prom" | head -3)"
grep -q '^# TYPE cpo_laser_flag_sets_total counter$' <<<"$prom" || fail "no laser flag-set counter"
grep -q '^cpo_laser_lane_bias_threshold_amperes{device="sim-51t2",source="els0",level="high_alarm"} ' <<<"$prom" ||
  fail "no laser bias threshold"
grep -q '^cpo_laser_temperature_threshold_celsius{device="sim-51t2",source="els0",level="high_alarm"} 75$' <<<"$prom" ||
  fail "no laser module temperature threshold: $(grep cpo_laser_temperature_threshold <<<"$prom" | head -2)"

kill -TERM "$agent_pid"
status=0
wait "$agent_pid" || status=$?
agent_pid=
((status == 0)) || fail "the agent exited $status on SIGTERM"
grep -q "^nos-agent: stopped$" "$work/out" || fail "no clean stop"
if grep -v "^nos-agent: " "$work/out" | grep -q .; then fail "something else wrote to stdout"; fi
grep -q "of 64 port(s) up in" "$work/err" || fail "the library's log (stderr, component hal) is missing"
echo "ok: 64 ports up, link events logged, cpoctl read alongside, clean SIGTERM stop"
