// Laser bring-up of the reference switch (sim-51t2) through the HAL's laser-safety core: one
// laser lane, then all 128 working lanes of the 16 sources at once (each fibre-checked at the
// check setpoint, raised to operating power, verified at the engines). Figures are simulated time
// (module power-up, ramp, bus and poll latency), the ratio all/one, and the bus bytes each run
// used: counts, stable on any machine.
#include <benchmark/benchmark.h>

#include "reference_switch.h"

namespace {

struct Run {
  double sim_ms = 0;
  double wire_bytes = 0;
  bool ok = false;
  std::string error;
};

Run EnableLasers(bool all) {
  Run run;
  cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
  auto* platform = &reference.platform;
  cpo::hal::Device* device = reference.device.get();
  if (!reference.device) {
    run.error = reference.error;
    return run;
  }
  std::vector<cpo::platform::LaserLane> lanes;
  for (const auto& source : platform->laser_sources) {
    for (int lane = 1; lane <= source.lanes; ++lane) {
      if (source.DefaultFiberOfLane(lane) != 0) lanes.push_back({source.name, lane});
    }
  }
  if (!all) lanes.resize(1);
  const auto bytes_before = device->TotalBusCounters().wire_bytes;
  const auto started = device->clock().Now();
  const cpo::Status status = device->EnableLasers(lanes);
  run.ok = status.ok();
  run.error = status.ToString();
  run.sim_ms = static_cast<double>((device->clock().Now() - started).count()) / 1e6;
  run.wire_bytes = static_cast<double>(device->TotalBusCounters().wire_bytes - bytes_before);
  return run;
}

void BM_LaserBringUp51t2(benchmark::State& state) {
  Run one;
  Run all;
  for (auto _ : state) {
    one = EnableLasers(false);
    all = EnableLasers(true);
  }
  if (!one.ok || !all.ok) return state.SkipWithError((one.error + " " + all.error).c_str());
  state.counters["one_lane_sim_ms"] = one.sim_ms;
  state.counters["all_128_lanes_sim_ms"] = all.sim_ms;
  state.counters["all_vs_one"] = all.sim_ms / one.sim_ms;
  state.counters["one_lane_wire_bytes"] = one.wire_bytes;
  state.counters["all_lanes_wire_bytes"] = all.wire_bytes;
}
BENCHMARK(BM_LaserBringUp51t2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
