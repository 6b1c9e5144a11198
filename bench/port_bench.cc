// Port bring-up of the reference switch (sim-51t2) from cold to link up: one port (eth28, whose
// loopback plug lets it link alone), then all 64 at once (laser lanes lit and fibre-checked,
// SerDes transmitters on, engine data paths up, every link checked). Figures are simulated time
// (of the bring-up call, and from the model's power-on, device open included),
// the ratio all/one, the laser stage's share, and the bus bytes each run used: counts, stable on
// any machine.
#include <benchmark/benchmark.h>

#include "reference_switch.h"

namespace {

struct Run {
  double sim_ms = 0;
  double from_power_on_ms = 0;  // the model's time 0: device open included
  double laser_ms = 0;
  double wire_bytes = 0;
  bool ok = false;
  std::string error;
};

Run BringUp(const std::string& which) {
  Run run;
  cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
  cpo::hal::Device* device = reference.device.get();
  if (!reference.device) {
    run.error = reference.error;
    return run;
  }
  auto ports = device->SelectPorts(which);
  const cpo::hal::PortBringUpReport report = device->BringUpPorts(*ports);
  run.ok = report.ok();
  for (const auto& outcome : report.outcomes) {
    if (!outcome.status.ok()) run.error = outcome.status.ToString();
  }
  run.sim_ms = static_cast<double>((report.finished - report.started).count()) / 1e6;
  run.from_power_on_ms = static_cast<double>(report.finished.count()) / 1e6;
  run.laser_ms = static_cast<double>((report.lasers_done - report.started).count()) / 1e6;
  run.wire_bytes = static_cast<double>(report.cost.wire_bytes);
  return run;
}

void BM_PortBringUp51t2(benchmark::State& state) {
  Run one;
  Run all;
  for (auto _ : state) {
    one = BringUp("eth28");
    all = BringUp("all");
  }
  if (!one.ok || !all.ok) return state.SkipWithError((one.error + " " + all.error).c_str());
  state.counters["one_port_sim_ms"] = one.sim_ms;
  state.counters["all_64_ports_sim_ms"] = all.sim_ms;
  state.counters["all_vs_one"] = all.sim_ms / one.sim_ms;
  state.counters["one_port_from_power_on_ms"] = one.from_power_on_ms;
  state.counters["all_from_power_on_ms"] = all.from_power_on_ms;
  state.counters["all_vs_one_from_power_on"] = all.from_power_on_ms / one.from_power_on_ms;
  state.counters["all_laser_stage_ms"] = all.laser_ms;
  state.counters["one_port_wire_bytes"] = one.wire_bytes;
  state.counters["all_ports_wire_bytes"] = all.wire_bytes;
}
BENCHMARK(BM_PortBringUp51t2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
