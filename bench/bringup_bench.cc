// Data-path bring-up of the reference switch (sim-51t2) from cold: one engine's 64 lanes (8 x
// 800G), then all 8 engines together. Figures are simulated time (the model's real durations
// plus bus and poll latency) against the advertised PwrUp + DPInit + DPTxTurnOn, the ratio of
// all engines to one, and the bus bytes each run used: counts, stable on any machine.
#include <benchmark/benchmark.h>

#include "reference_switch.h"

namespace {

struct Run {
  double sim_ms = 0;
  double advertised_ms = 0;
  double wire_bytes = 0;
  double poll_rounds = 0;
  bool ok = false;
  std::string error;
};

// A fresh simulated switch; brings up `engines` engines' lanes as 800G data paths.
Run BringUp(int engines) {
  Run run;
  cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
  auto* platform = &reference.platform;
  cpo::hal::Device* device = reference.device.get();
  if (!reference.device) {
    run.error = reference.error;
    return run;
  }
  std::vector<cpo::hal::DataPathRequest> requests;
  for (int e = 0; e < engines; ++e) {
    for (int first = 1; first <= 64; first += 8) {
      requests.push_back({platform->optical_engines[static_cast<size_t>(e)].name, first, 1});
    }
  }
  auto advertising = device->optical_engines().front()->Advertising();
  const auto& d = advertising->durations;
  run.advertised_ms =
      static_cast<double>((d.module_power_up + d.data_path_init + d.tx_turn_on).count());
  const cpo::hal::BringUpReport report = device->BringUpDataPaths(requests);
  run.ok = report.ok();
  if (!run.ok) {
    for (const auto& outcome : report.outcomes) {
      if (!outcome.status.ok()) run.error = outcome.status.ToString();
    }
  }
  run.sim_ms = static_cast<double>((report.finished - report.started).count()) / 1e6;
  run.wire_bytes = static_cast<double>(report.cost.wire_bytes);
  run.poll_rounds = static_cast<double>(report.poll_rounds);
  return run;
}

void BM_BringUp51t2(benchmark::State& state) {
  Run one;
  Run all;
  for (auto _ : state) {
    one = BringUp(1);
    all = BringUp(8);
  }
  if (!one.ok || !all.ok) return state.SkipWithError((one.error + all.error).c_str());
  state.counters["one_engine_sim_ms"] = one.sim_ms;
  state.counters["all_engines_sim_ms"] = all.sim_ms;
  state.counters["advertised_ms"] = one.advertised_ms;
  state.counters["one_vs_advertised"] = one.sim_ms / one.advertised_ms;
  state.counters["all_vs_advertised"] = all.sim_ms / all.advertised_ms;
  state.counters["all_vs_one"] = all.sim_ms / one.sim_ms;
  state.counters["one_wire_bytes"] = one.wire_bytes;
  state.counters["all_wire_bytes"] = all.wire_bytes;
  state.counters["all_poll_rounds"] = all.poll_rounds;
}
BENCHMARK(BM_BringUp51t2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
