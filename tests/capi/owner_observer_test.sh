#!/usr/bin/env bash
# One switch, many processes (issue 14). examples/nos-agent owns sim-51t2 with 64 ports up; then
#  1. a second C API program (examples/c/observe), 100 concurrent cpoctl read commands and a
#     cpoctl telemetry --format prometheus loop change no port's state and use no spare;
#  2. cpoctl port down eth18 goes through the owner: eth18 stays admin down, no spare is used,
#     and port up eth18 brings it back through the owner;
#  3. the owner restarted (SIGTERM, start again) under traffic: no port down (an observer's
#     samples) and no lane dark (the simulator's own lane enables, read through its control
#     channel) at any sample taken meanwhile, 64 ports up after, no link-down event.
# Usage: owner_observer_test.sh NOS_AGENT OBSERVE CPOCTL CPO_SIMD SOURCE_DIR
set -euo pipefail
agent=$1 observe=$2 cpoctl=$3 simd=$4 source=$5
platform=$source/platform/boards/sim-51t2/platform.yaml
work=$(mktemp -d)
socket=$work/sim.sock
simd_pid= agent_pid= loop_pid= watch_pid=
cleanup() {
  [[ -n $loop_pid ]] && kill "$loop_pid" 2>/dev/null
  [[ -n $watch_pid ]] && kill "$watch_pid" 2>/dev/null
  [[ -n $agent_pid ]] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  [[ -n $simd_pid ]] && kill "$simd_pid" 2>/dev/null && wait "$simd_pid" 2>/dev/null
  # Whatever else this script started (an agent between restarts, a loop's cpoctl): a child left
  # running keeps ctest's output pipe open and hangs the whole run.
  pkill -P $$ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$work"/agent*.out "$work"/agent*.err; do echo "--- $f" >&2; tail -n 40 "$f" >&2; done
  exit 1
}
ctl() { "$cpoctl" --platform "$platform" --sim "$socket" "$@"; }
ports_up() { ctl --json show port | grep -c '"oper_up": true' || true; }
lanes_enabled() { ctl --json show laser | grep -c '"enabled": true' || true; }
# The plant's truth through the simulator's control channel (no bus read, no owner involved).
lanes_lit_truly() { ctl --json sim lasers | grep -c '"enabled": true' || true; }
spares_used() { ctl --json show laser | grep -cE '"spare_for": [1-9]|"phase": "(retired|failed)"' || true; }
start_agent() { # $1: tag
  "$agent" "$platform" "$socket" --log stderr >"$work/agent$1.out" 2>"$work/agent$1.err" &
  agent_pid=$!
  for _ in $(seq 900); do grep -q "monitoring" "$work/agent$1.out" && return 0; sleep 0.1; done
  fail "agent $1 did not report its ports"
}

"$simd" --platform "$platform" --socket "$socket" --log-level warn &
simd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
start_agent 1
grep -q "^nos-agent: 64 of 64 ports up; monitoring" "$work/agent1.out" || fail "the agent did not bring 64 ports up"
lit=$(lanes_enabled)
(( lit > 0 )) || fail "no laser lane is lit"
echo "owner up: 64 ports, $lit laser lanes lit"

# 1. Observers change nothing.
out=$("$observe" "$platform" "$socket") || fail "observe failed: $out"
[[ $out == "observe: observer, 8 of 8 engines read, 64 of 64 ports up
observe: the owner's last port.up of 64 ports: 64 ok, 0 failed" ]] || fail "observe: $out"
( while true; do ctl telemetry --format prometheus >/dev/null 2>&1 || true; done ) &
loop_pid=$!
pids=()
for i in $(seq 0 99); do
  case $((i % 5)) in
    0) ctl list ;;
    1) ctl show oe "oe$((i % 8))" ;;
    2) ctl show laser "els$((i % 16))" ;;
    3) ctl read els "els$((i % 16))" 220 4 --page 0x1a ;;
    4) ctl --json show port "eth$((i % 64))" ;;
  esac >/dev/null 2>"$work/read$i.err" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
kill "$loop_pid" 2>/dev/null; wait "$loop_pid" 2>/dev/null || true; loop_pid=
(( failed == 0 )) || fail "$failed of 100 concurrent read commands failed: $(cat "$work"/read*.err | head -5)"
sleep 1  # one more supervision round of the owner
[[ $(ports_up) == 64 ]] || fail "ports went down beside observers: $(ports_up) up"
[[ $(spares_used) == 0 ]] || fail "a spare was used or a lane failed beside observers"
[[ $(lanes_enabled) == "$lit" ]] || fail "lit lanes changed beside observers: $(lanes_enabled) of $lit"
if grep -E "laser-(failed|shutdown|spared)|port-link-down" "$work/agent1.out"; then
  fail "the owner saw a laser or link fault while observers read"
fi
echo "ok: observe + 100 concurrent cpoctl reads + a telemetry loop: 64 ports up, no spare, no fault"

# Regression: show oe --vdm refused to run beside an owner; it observes (no freeze, no latched
# flag read) and shows the samples with their thresholds.
vdm=$(ctl --json show oe oe0 --vdm 2>"$work/vdm.err") || fail "show oe --vdm beside the owner: $(cat "$work/vdm.err")"
grep -q '"high_alarm"' <<<"$vdm" || fail "show oe --vdm has no thresholds: ${vdm:0:300}"
grep -q '"flags": null' <<<"$vdm" || fail "an observer showed VDM flags it cannot have read"
echo "ok: show oe --vdm beside the owner"

# 2. Operator intent through the owner, followed by an observer's watch: it streams the
#    owner's events (its event log) and shows its bring-up progress.
# (cpoctl itself, not the ctl function: the signal that stops it must reach it.)
"$cpoctl" --platform "$platform" --sim "$socket" --json watch lasers --interval 0.1 \
  >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
down=$(ctl port down eth18 2>"$work/down.err") || fail "port down eth18: $down $(cat "$work/down.err")"
grep -q "asking the switch's owner" "$work/down.err" || fail "port down did not go through the owner"
sleep 1
eth18=$(ctl --json show port eth18)
grep -q '"admin_up": false' <<<"$eth18" || fail "eth18 is not admin down: $eth18"
[[ $(ports_up) == 62 ]] || fail "expected eth18 and its peer eth50 down: $(ports_up) up"
[[ $(spares_used) == 0 ]] || fail "the owner used a spare for an admin-down port"
if grep -E "laser-(failed|spared)" "$work/agent1.out"; then fail "admin down was taken for a fault"; fi
ctl port up eth18 >/dev/null 2>"$work/up.err" || fail "port up eth18: $(cat "$work/up.err")"
[[ $(ports_up) == 64 ]] || fail "port up eth18 through the owner: $(ports_up) up"
echo "ok: port down/up eth18 through the owner, no spare used"
owner=$(ctl --json show owner)
grep -q '"program": "nos-agent"' <<<"$owner" || fail "show owner does not name the agent: $owner"
grep -q '"operation": "port.up"' <<<"$owner" || fail "show owner has no last port.up: $owner"
sleep 1  # a frame after the owner's link-up poll
kill -INT "$watch_pid"; wait "$watch_pid" || fail "watch beside the owner failed: $(cat "$work/watch.err")"
watch_pid=
grep -q '"kind":"port-link-down".*"source":"eth18"' "$work/watch.out" ||
  fail "watch did not stream the owner's port-link-down of eth18: $(grep -c events "$work/watch.out") frames"
grep -q '"kind":"port-link-up".*"source":"eth18"' "$work/watch.out" ||
  fail "watch did not stream the owner's port-link-up of eth18"
grep -q '"program":"nos-agent"' "$work/watch.out" || fail "watch frames do not name the owner"
echo "ok: an observer's watch streamed the owner's link events of eth18; show owner names it"

# 3. The owner restarts while an observer samples the switch.
[[ $(lanes_lit_truly) == "$lit" ]] || fail "the simulator has $(lanes_lit_truly) lanes lit, cpoctl showed $lit"
( while true; do
    printf '%s %s\n' "$(ports_up)" "$(lanes_lit_truly)" >>"$work/samples"
  done ) &
loop_pid=$!
sleep 2
kill -TERM "$agent_pid"; wait "$agent_pid" || fail "the agent did not stop cleanly"; agent_pid=
sleep 1
start_agent 2
sleep 2
kill "$loop_pid" 2>/dev/null; wait "$loop_pid" 2>/dev/null || true; loop_pid=
grep -q "^nos-agent: 64 of 64 ports up; monitoring" "$work/agent2.out" || fail "64 ports not up after the restart"
samples=$(wc -l <"$work/samples")
(( samples >= 3 )) || fail "only $samples samples during the restart"
if awk -v lit="$lit" '$1 != 64 || $2 != lit { bad = 1 } END { exit !bad }' "$work/samples"; then
  fail "a sample during the restart saw ports down or lanes dark: $(sort -u "$work/samples" | head)"
fi
if grep -E "port-link-down|laser-shutdown" "$work/agent2.out"; then fail "the restarted owner dropped a link or a lane"; fi
echo "ok: owner restart: $samples samples, every one 64 ports up and $lit lanes lit; 0 link-down events"

# 4. The other probes of issue 14, beside the restarted owner.
# a) Two `port up all` and a `port down all` at once: the owner carries them out one at a time.
ctl port up all >/dev/null 2>&1 & p1=$!
ctl port up all >/dev/null 2>&1 & p2=$!
ctl port down all >/dev/null 2>&1 & p3=$!
wait "$p1" "$p2" "$p3" || true
sleep 1
[[ $(spares_used) == 0 ]] || fail "concurrent port up/down used a spare or failed a lane"
table=$(ctl show port)
half=$(awk 'NR > 1 && $5 == "down" && ($6 == "up" || $7 == "up")' <<<"$table" | wc -l)
((half == 0)) || fail "$half admin-down ports still have lasers or data paths up: $(head -5 <<<"$table")"
checking=$(ctl --json show laser | grep -c '"phase": "checking"' || true)
((checking == 0)) || fail "$checking laser lanes left lit at the fibre-check power"
ctl port up all >/dev/null 2>&1 || fail "port up all after the concurrent run"
[[ $(ports_up) == 64 ]] || fail "not every port came back after the concurrent run: $(ports_up)"
echo "ok: two port up all + a port down all at once: nothing half-applied, no spare, no lane at check power"

# b) The owner spares a dead laser; observers see the port up on the spare.
ctl sim inject laser-fail els7 1 >/dev/null || fail "inject laser-fail"
for _ in $(seq 100); do grep -q "laser-spared els7" "$work/agent2.out" && break; sleep 0.1; done
grep -q "laser-spared els7" "$work/agent2.out" || fail "the owner did not spare els7 lane 1"
eth28=$(ctl show port eth28)
awk 'NR == 2 { exit !($9 == "up") }' <<<"$eth28" || fail "an observer sees eth28 down after sparing: $eth28"
els7=$(ctl --json show laser els7)
grep -qE '"phase": "retired"' <<<"$els7" || fail "an observer does not see els7 lane 1 retired: $els7"
grep -qE '"reason": "[^"]+' <<<"$els7" || fail "an observer does not see why the owner retired els7 lane 1"
echo "ok: els7 lane 1 spared by the owner; cpoctl shows eth28 up on the spare and why lane 1 retired"

# c) Temperature excursions while a telemetry loop runs: the owner sees every one set and clear.
# Each excursion lasts until the owner has reported it (and each return until it has reported the
# clear): the owner's poll interval stretches with the machine's load (a CI run beside other
# tests), so a fixed hold would merge two excursions into one latched flag on a busy machine.
( while true; do ctl telemetry --format prometheus >/dev/null 2>&1 || true; done ) &
loop_pid=$!
owner_events() { grep -c "flag-$1 oe0 temperature.high_alarm" "$work/agent2.out" || true; }
wait_owner_events() { # $1: set|cleared, $2: count to reach
  for _ in $(seq 600); do (( $(owner_events "$1") >= $2 )) && return 0; sleep 0.1; done
  return 1
}
before_set=$(owner_events set)
before_clear=$(owner_events cleared)
for n in 1 2 3 4 5; do
  ctl sim inject plant oe0 temperature_c 90 >/dev/null
  wait_owner_events set $((before_set + n)) ||
    fail "excursion $n beside telemetry: the owner reported no temperature.high_alarm set within 60 s"
  ctl sim inject plant oe0 temperature_c 42 >/dev/null
  wait_owner_events cleared $((before_clear + n)) ||
    fail "excursion $n beside telemetry: the owner reported no temperature.high_alarm clear within 60 s"
done
sleep 1
kill "$loop_pid" 2>/dev/null; wait "$loop_pid" 2>/dev/null || true; loop_pid=
set_events=$(( $(owner_events set) - before_set ))
clear_events=$(( $(owner_events cleared) - before_clear ))
((set_events == 5 && clear_events == 5)) ||
  fail "5 excursions beside telemetry: the owner saw $set_events set and $clear_events cleared"
echo "ok: 5 temperature excursions beside a telemetry loop: 5 set and 5 cleared at the owner"

# d) Raw writes that would bypass laser safety are refused.
log=$work/writes.log
out=$(ctl write reg 0x10000 0x14 --force --write-log "$log" 2>&1) && fail "write reg into an I2C controller window was allowed"
grep -q "I2C controller 0's window" <<<"$out" || fail "write reg refusal does not say why: $out"
out=$(ctl write els els0 26 0x10 --force --write-log "$log" 2>&1) && fail "a low-power write to els0 was allowed beside the owner"
[[ $(lanes_enabled) -ge "$lit" ]] || fail "lanes went dark after refused raw writes"
echo "ok: raw writes into the I2C windows and the ELSFP's global controls refused"
