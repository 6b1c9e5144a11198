// Cost of one full telemetry sweep of the reference switch (sim-51t2: 8 engines x 64 lanes):
// bus bytes and transactions against an ideal plan computed here from the CMIS layout, and the
// simulated bus time; then the same per module profile of sim-variety (one engine's sweep each).
// All figures are counts, stable on any machine.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>

#include "reference_switch.h"

namespace {

// The bytes a sweep needs, written from CMIS (shared/reference/cmis-elsfp.md), not from the
// driver: lower page state, flags, monitors, controls, fault cause; per bank, page 11h latched
// Tx power/bias and Rx power flags and the three monitors.
struct NeededField {
  bool banked;  // page 11h of every bank, or the lower page
  int first;
  int last;
};
constexpr NeededField kNeeded[] = {
    {false, 3, 3},   {false, 8, 9},    {false, 14, 17},  {false, 26, 26},
    {false, 41, 41}, {true, 139, 146}, {true, 149, 152}, {true, 154, 201},
};

// One select and one block read per needed page region: a read costs the address byte, the
// offset byte, the repeated-START address byte and the data; a bank/page select costs the
// address byte and 3 bytes (offset 126, bank, page).
uint64_t IdealWireBytes(int banks) {
  std::map<bool, std::pair<int, int>> regions;
  for (const NeededField& field : kNeeded) {
    auto [it, inserted] = regions.try_emplace(field.banked, field.first, field.last);
    if (!inserted) {
      it->second.first = std::min(it->second.first, field.first);
      it->second.second = std::max(it->second.second, field.last);
    }
  }
  auto read_cost = [](std::pair<int, int> region) {
    return uint64_t{3} + static_cast<uint64_t>(region.second - region.first + 1);
  };
  return read_cost(regions.at(false)) +
         static_cast<uint64_t>(banks) * (4 + read_cost(regions.at(true)));
}

uint64_t IdealWireBytes(const cpo::platform::Platform& platform) {
  uint64_t total = 0;
  for (const auto& engine : platform.optical_engines) total += IdealWireBytes(engine.banks);
  return total;
}

void BM_TelemetrySweep51t2(benchmark::State& state) {
  cpo::bench::ReferenceSwitch reference = cpo::bench::OpenReferenceSwitch();
  auto* platform = &reference.platform;
  cpo::hal::Device* device = reference.device.get();
  if (!reference.device) return state.SkipWithError(reference.error.c_str());
  // Static pages are read once, before the sweeps.
  for (const auto& engine : device->optical_engines()) {
    if (!engine->Identity().ok() || !engine->Thresholds().ok()) {
      return state.SkipWithError("static page read failed");
    }
  }
  cpo::hal::TelemetrySnapshot last;
  uint64_t sim_ns = 0;
  for (auto _ : state) {
    last = device->Telemetry();
    sim_ns += static_cast<uint64_t>((last.finished - last.started).count());
  }
  const double ideal = static_cast<double>(IdealWireBytes(*platform));
  state.counters["wire_bytes"] = static_cast<double>(last.cost.wire_bytes);
  state.counters["transactions"] = static_cast<double>(last.cost.transactions);
  state.counters["ideal_wire_bytes"] = ideal;
  state.counters["cost_vs_ideal"] = static_cast<double>(last.cost.wire_bytes) / ideal;
  state.counters["sim_ms_per_sweep"] =
      static_cast<double>(sim_ns) / 1e6 / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TelemetrySweep51t2)->Unit(benchmark::kMillisecond);

// One engine's sweep (module monitors, then every lane) on sim-variety, per engine profile:
// 0 the 64-lane 8-bank engine, 1 the 32-lane one without VDM, 2 the one without 13h/14h.
void BM_TelemetrySweepPerProfile(benchmark::State& state) {
  cpo::bench::ReferenceSwitch board = cpo::bench::OpenReferenceSwitch("sim-variety");
  if (!board.device) return state.SkipWithError(board.error.c_str());
  cpo::hal::OpticalEngine* engine =
      board.device->optical_engines()[static_cast<size_t>(state.range(0))].get();
  if (!engine->Identity().ok() || !engine->Thresholds().ok() || !engine->Advertising().ok()) {
    return state.SkipWithError("static page read failed");
  }
  state.SetLabel(board.platform.optical_engines[static_cast<size_t>(state.range(0))].profile);
  cpo::hal::BusCounters cost;
  uint64_t sim_ns = 0;
  for (auto _ : state) {
    const auto before = board.device->TotalBusCounters();
    const auto started = board.device->clock().Now();
    if (!engine->Module().ok() || !engine->Lanes().ok()) {
      return state.SkipWithError("sweep failed");
    }
    sim_ns += static_cast<uint64_t>((board.device->clock().Now() - started).count());
    cost = board.device->TotalBusCounters() - before;
  }
  const double ideal = static_cast<double>(IdealWireBytes(engine->lane_count() / 8));
  state.counters["wire_bytes"] = static_cast<double>(cost.wire_bytes);
  state.counters["transactions"] = static_cast<double>(cost.transactions);
  state.counters["ideal_wire_bytes"] = ideal;
  state.counters["cost_vs_ideal"] = static_cast<double>(cost.wire_bytes) / ideal;
  state.counters["sim_ms_per_sweep"] =
      static_cast<double>(sim_ns) / 1e6 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_TelemetrySweepPerProfile)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

// One laser source's sweep (module monitors, then every lane) on sim-variety, by how the host
// reaches it: 0 els2 at its own address (separate mode), 1 els1 through oe1's MCU (joint mode).
// Both are 8-lane sources of the same profile, so the difference is joint mode's page selects.
void BM_LaserSweepPerAccessMode(benchmark::State& state) {
  cpo::bench::ReferenceSwitch board = cpo::bench::OpenReferenceSwitch("sim-variety");
  if (!board.device) return state.SkipWithError(board.error.c_str());
  const char* name = state.range(0) == 0 ? "els2" : "els1";
  auto source = board.device->FindLaserSource(name);
  if (!source.ok()) return state.SkipWithError(source.status().ToString().c_str());
  const cpo::platform::LaserSourceConfig* config = board.platform.FindLaserSource(name);
  state.SetLabel(config->joint() ? "joint" : "separate");
  cpo::hal::BusCounters cost;
  uint64_t sim_ns = 0;
  for (auto _ : state) {
    const auto before = board.device->TotalBusCounters();
    const auto started = board.device->clock().Now();
    if (!(*source)->Module().ok() || !(*source)->Lanes().ok()) {
      return state.SkipWithError("sweep failed");
    }
    sim_ns += static_cast<uint64_t>((board.device->clock().Now() - started).count());
    cost = board.device->TotalBusCounters() - before;
  }
  state.counters["wire_bytes"] = static_cast<double>(cost.wire_bytes);
  state.counters["transactions"] = static_cast<double>(cost.transactions);
  state.counters["sim_ms_per_sweep"] =
      static_cast<double>(sim_ns) / 1e6 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_LaserSweepPerAccessMode)->DenseRange(0, 1)->Unit(benchmark::kMillisecond);

}  // namespace
