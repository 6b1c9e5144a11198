// The owner of the reference switch (sim-51t2) restarting under traffic, and an observer's
// request routed through the owner's request channel.
// - Owner restart: 64 ports up; the owner goes away (nothing is written on the way out); a new
//   owner opens (adopting what runs) and asks for every port again, as a restarted NOS does.
//   Reported: lit laser lanes and linked ports before, right after the new open and after its
//   bring-up, the outage as port-seconds (ports down x device time of the restart: goal 0), the
//   restart's device time and bus bytes. Simulated time and counts: stable on any machine.
// - Request channel: `port.up eth28` (already up) through the channel against the same call made
//   directly, in device time (their ratio is the channel's cost in the device's time: none), and
//   the wall-clock round trip of an owner.status request (the benchmark's own time).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cpo/hal/owner/request_channel.h"
#include "reference_switch.h"

namespace {

using cpo::hal::Device;

int PortsUp(Device& device) {
  int up = 0;
  for (const auto& state : device.PortStates(device.Ports())) up += state.oper_up ? 1 : 0;
  return up;
}

int LanesLit(cpo::bench::ReferenceSwitch& reference) {
  int lit = 0;
  for (size_t source = 0; source < reference.platform.laser_sources.size(); ++source) {
    for (int lane = 0; lane < reference.platform.laser_sources[source].lanes; ++lane) {
      auto truth = reference.sim->LaserLane(static_cast<int>(source), lane);
      lit += truth.ok() && truth->enabled ? 1 : 0;
    }
  }
  return lit;
}

void BM_OwnerRestart51t2(benchmark::State& state) {
  for (auto _ : state) {
    cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
    if (!reference.device) return state.SkipWithError(reference.error.c_str());
    if (!reference.device->BringUpPorts(reference.device->Ports()).ok()) {
      return state.SkipWithError("the first owner did not bring every port up");
    }
    const int lit_before = LanesLit(reference);
    const int up_before = PortsUp(*reference.device);
    reference.device.reset();  // the owner stops
    cpo::OpenOptions options;
    options.register_io = reference.sim->MakeRegisterIo();
    auto clock = reference.sim->MakeClock();
    options.clock = clock;
    const auto started = clock->Now();
    auto restarted = cpo::OpenDevice(reference.platform, options);
    if (!restarted.ok()) return state.SkipWithError(restarted.status().ToString().c_str());
    const int lit_at_open = LanesLit(reference);
    const int up_at_open = PortsUp(**restarted);
    const auto report = (*restarted)->BringUpPorts((*restarted)->Ports());
    const auto finished = clock->Now();
    const int up_after = PortsUp(**restarted);
    const double restart_s = static_cast<double>((finished - started).count()) / 1e9;
    state.counters["lanes_lit_before"] = lit_before;
    state.counters["lanes_lit_at_new_open"] = lit_at_open;
    state.counters["lanes_lit_after"] = LanesLit(reference);
    state.counters["ports_up_before"] = up_before;
    state.counters["ports_up_at_new_open"] = up_at_open;
    state.counters["ports_up_after"] = up_after;
    // Ports not up at any of the three looks, for the whole restart: an upper bound.
    const int down = 64 - std::min({up_before, up_at_open, up_after});
    state.counters["outage_port_seconds"] = down * restart_s;
    state.counters["restart_sim_ms"] = restart_s * 1e3;
    state.counters["restart_bringup_wire_bytes"] = static_cast<double>(report.cost.wire_bytes);
    state.counters["restart_ok"] = report.ok() ? 1 : 0;
  }
}
BENCHMARK(BM_OwnerRestart51t2)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_RequestChannel51t2(benchmark::State& state) {
  cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
  if (!reference.device) return state.SkipWithError(reference.error.c_str());
  Device& device = *reference.device;
  auto eth28 = device.SelectPorts("eth28");
  if (!device.BringUpPorts(*eth28).ok()) return state.SkipWithError("eth28 did not come up");
  const std::string path = "/tmp/cpo-owner-bench-" + std::to_string(getpid()) + ".sock";
  if (!device.ServeRequests(path).ok()) return state.SkipWithError("cannot serve the channel");
  const auto direct = device.BringUpPorts(*eth28);
  const double direct_ms = static_cast<double>((direct.finished - direct.started).count()) / 1e6;
  auto routed = cpo::hal::CallOwner(path, R"({"version":1,"op":"port.up","ports":["eth28"]})",
                                    std::chrono::seconds(60));
  if (!routed.ok()) return state.SkipWithError(routed.status().ToString().c_str());
  const auto answer = nlohmann::json::parse(*routed);
  const double routed_ms = static_cast<double>(answer.value("finished_ns", int64_t{0}) -
                                               answer.value("started_ns", int64_t{0})) /
                           1e6;
  for (auto _ : state) {
    auto status =
        cpo::hal::CallOwner(path, R"({"version":1,"op":"owner.status"})", std::chrono::seconds(10));
    if (!status.ok()) return state.SkipWithError(status.status().ToString().c_str());
    benchmark::DoNotOptimize(status);
  }
  state.counters["port_up_direct_sim_ms"] = direct_ms;
  state.counters["port_up_routed_sim_ms"] = routed_ms;
  state.counters["routed_vs_direct"] = direct_ms > 0 ? routed_ms / direct_ms : 0;
  state.counters["routed_ok"] = answer.value("ok", false) ? 1 : 0;
}
BENCHMARK(BM_RequestChannel51t2)->Unit(benchmark::kMicrosecond)->Iterations(200);

}  // namespace
