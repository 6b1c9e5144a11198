#include "lasers/laser_supervisor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <utility>

#include "lasers/lane_banks.h"
#include "register_window.h"

namespace cpo::hal {
namespace {

// Lanes are read every this many rounds even without an interrupt (a masked flag, a laser
// whose failure raises nothing the mask lets through).
constexpr int kFullReadEveryRounds = 16;

std::string LaneList(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ","));
}

}  // namespace

std::string_view LaserLanePhaseName(LaserLanePhase phase) {
  switch (phase) {
    case LaserLanePhase::kOff:
      return "off";
    case LaserLanePhase::kChecking:
      return "checking";
    case LaserLanePhase::kVerifying:
      return "verifying";
    case LaserLanePhase::kOperating:
      return "operating";
    case LaserLanePhase::kFailed:
      return "failed";
    case LaserLanePhase::kRetired:
      return "retired";
    case LaserLanePhase::kAbsent:
      return "absent";
  }
  return "unknown";
}

LaserSupervisor::LaserSupervisor(const platform::Platform& platform,
                                 std::vector<std::unique_ptr<LaserSourceBackend>> backends,
                                 std::vector<OpticalEngine*> engines, Clock& clock,
                                 LaserSafetyOptions options, PublishedState* published)
    : platform_(platform),
      topology_(platform),
      engines_(std::move(engines)),
      clock_(clock),
      options_(options),
      published_(published),
      bus_group_(BusGroups(platform)) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < backends.size() && i < platform_.laser_sources.size(); ++i) {
    Source source;
    source.config = &platform_.laser_sources[i];
    source.backend = std::move(backends[i]);
    source.lanes.resize(static_cast<size_t>(source.config->lanes));
    source.flag_masks.assign(static_cast<size_t>((source.config->lanes + 7) / 8) * 8, 0);
    sources_.push_back(std::move(source));
  }
  // Every bus at once, so every module starts powering up at about the same time.
  std::vector<int> all(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) all[i] = static_cast<int>(i);
  ForEachSourceByBus(all, [this](int index) {
    // A source that does not answer now is treated as pulled out; it is set up when it answers.
    if (!Initialize(index, options_.start).ok()) {
      sources_[static_cast<size_t>(index)].present = false;
    }
  });
}

std::vector<Event> LaserSupervisor::TakeEvents() {
  std::lock_guard lock(mutex_);
  std::vector<Event> events;
  {
    std::lock_guard events_lock(events_mutex_);
    events.swap(events_);
  }
  for (Source& source : sources_) {
    for (Event& event : source.flags.TakeChanges(source.config->name)) {
      events.push_back(std::move(event));
    }
  }
  return events;
}

void LaserSupervisor::Emit(EventKind kind, const std::string& source, const std::string& name,
                           std::string detail, std::vector<std::string> ports,
                           std::chrono::nanoseconds outage) {
  const auto now = clock_.Now();
  // Safety actions reach the operator's log too (component "laser"; silent unless configured).
  if (auto logger = spdlog::get("cpo.laser")) {
    const bool dark = kind == EventKind::kLaserShutdown || kind == EventKind::kLaserFailed;
    logger->log(dark ? spdlog::level::warn : spdlog::level::info, "{} {} {}: {}{}",
                EventKindName(kind), source, name, detail,
                ports.empty() ? "" : fmt::format(" (ports {})", fmt::join(ports, " ")));
  }
  std::lock_guard lock(events_mutex_);
  events_.push_back({.kind = kind,
                     .source = source,
                     .name = name,
                     .detail = std::move(detail),
                     .time = now,
                     .ports = std::move(ports),
                     .outage = outage});
}

// --- Topology helpers.

const platform::FiberConfig* LaserSupervisor::FiberOf(const std::string& source, int lane) const {
  const int fiber = topology_.FiberOfLane(source, lane);
  if (fiber == 0) return nullptr;
  for (const auto& candidate : platform_.fibers) {
    if (candidate.source == source && candidate.fiber == fiber) return &candidate;
  }
  return nullptr;
}

double LaserSupervisor::ThresholdOfFiber(const platform::FiberConfig& fiber) const {
  std::optional<double> threshold;
  for (const auto& port : platform_.ports) {
    if (port.engine != fiber.engine) continue;
    for (int lane : fiber.engine_lanes) {
      if (std::find(port.engine_lanes.begin(), port.engine_lanes.end(), lane) !=
          port.engine_lanes.end()) {
        threshold = std::min(threshold.value_or(port.fiber_loss_threshold_db),
                             port.fiber_loss_threshold_db);
      }
    }
  }
  return threshold.value_or(options_.default_loss_threshold_db);
}

std::vector<std::string> LaserSupervisor::PortsOf(const std::string& source, int lane) const {
  auto impact = topology_.ImpactOfLaser(source, lane);
  return impact.ok() ? impact->ports : std::vector<std::string>{};
}

OpticalEngine* LaserSupervisor::EngineNamed(const std::string& name) const {
  for (OpticalEngine* engine : engines_) {
    if (engine->name() == name) return engine;
  }
  return nullptr;
}

// --- Writes (the only place lane enables, checked flags, setpoints and the map are written).

Status LaserSupervisor::WriteEnables(Source& source, int bank) {
  uint8_t bits = 0;
  for (int k = 0; k < kLanesPerBank; ++k) {
    const auto index = static_cast<size_t>(bank) * kLanesPerBank + static_cast<size_t>(k);
    if (index < source.lanes.size() && source.lanes[index].enable_written) bits |= 1u << k;
  }
  return source.backend->WriteLaneEnable(bank, bits);
}

Status LaserSupervisor::WriteChecked(Source& source, int bank) {
  uint8_t bits = 0;
  for (int k = 0; k < kLanesPerBank; ++k) {
    const auto index = static_cast<size_t>(bank) * kLanesPerBank + static_cast<size_t>(k);
    if (index < source.lanes.size() && source.lanes[index].checked_written) bits |= 1u << k;
  }
  return source.backend->WriteFiberChecked(bank, bits);
}

Status LaserSupervisor::WriteFiberMap(Source& source, int bank) {
  std::array<uint8_t, 8> map{};
  for (int k = 0; k < kLanesPerBank; ++k) {
    const int lane = bank * kLanesPerBank + k + 1;
    if (lane <= source.config->lanes) {
      map[static_cast<size_t>(k)] =
          static_cast<uint8_t>(topology_.FiberOfLane(source.config->name, lane));
    }
  }
  return source.backend->WriteFiberMap(bank, map);
}

// --- The poll.

void LaserSupervisor::Step() {
  std::lock_guard lock(mutex_);
  if (options_.start == LaserStartPolicy::kObserve) return;
  std::vector<int> all(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) all[i] = static_cast<int>(i);
  StepSourcesByBus(all);
}

std::map<std::string, std::string> LaserSupervisor::BusGroups(const platform::Platform& platform) {
  // Union-find over bus names: a source's bus joins the buses of the engines its fibres feed
  // (the fibre check reads those engines).
  std::map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> find = [&](const std::string& bus) {
    auto [it, inserted] = parent.emplace(bus, bus);
    if (it->second == bus) return bus;
    it->second = find(it->second);
    return it->second;
  };
  std::map<std::string, std::string> engine_bus;
  for (const auto& engine : platform.optical_engines) engine_bus[engine.name] = engine.bus;
  for (const auto& source : platform.laser_sources) find(source.bus);
  for (const auto& fiber : platform.fibers) {
    const platform::LaserSourceConfig* source = nullptr;
    for (const auto& candidate : platform.laser_sources) {
      if (candidate.name == fiber.source) source = &candidate;
    }
    auto engine = engine_bus.find(fiber.engine);
    if (source == nullptr || engine == engine_bus.end()) continue;
    const std::string a = find(source->bus);
    const std::string b = find(engine->second);
    if (a != b) parent[a] = b;
  }
  std::map<std::string, std::string> group;
  for (const auto& source : platform.laser_sources) group[source.bus] = find(source.bus);
  return group;
}

void LaserSupervisor::StepSourcesByBus(const std::vector<int>& source_indices) {
  ForEachSourceByBus(source_indices, [this](int index) { StepSource(index); });
}

void LaserSupervisor::ForEachSourceByBus(const std::vector<int>& source_indices,
                                         const std::function<void(int)>& work) {
  // A bus carries one transfer at a time; different buses run theirs at once. Sources that
  // share a bus (or an engine's bus) are worked in turn by one task.
  std::map<std::string, std::vector<int>> by_group;
  for (int index : source_indices) {
    by_group[bus_group_.at(sources_[static_cast<size_t>(index)].config->bus)].push_back(index);
  }
  std::vector<std::function<void()>> tasks;
  tasks.reserve(by_group.size());
  for (const auto& [group, indices] : by_group) {
    tasks.emplace_back([&work, group = &indices] {
      for (int index : *group) work(index);
    });
  }
  clock_.RunConcurrently(tasks);
}

Status LaserSupervisor::ReadLanes(int source_index, bool all, bool states_only) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  const int banks = (source.config->lanes + kLanesPerBank - 1) / kLanesPerBank;
  const auto now = clock_.Now();
  for (int bank = 0; bank < banks; ++bank) {
    bool lit = false;
    for (int k = 0; k < kLanesPerBank; ++k) {
      const auto index = static_cast<size_t>(bank) * kLanesPerBank + static_cast<size_t>(k);
      lit = lit || (index < source.lanes.size() && IsLit(source.lanes[index].phase));
    }
    if (!all && !lit) continue;
    if (states_only) {
      CPO_ASSIGN_OR_RETURN(auto read, source.backend->ReadLaneStates(bank));
      for (const LaserLaneStatus& status : read) {
        // Keep what only a full read brings (setpoints, bias, fibre); flags are not fresh.
        LaserLaneStatus& kept = source.lanes[static_cast<size_t>(status.lane - 1)].status;
        kept.state = status.state;
        kept.enabled = status.enabled;
        kept.fiber_checked = status.fiber_checked;
        kept.fault = status.fault;
        kept.fault_code = status.fault_code;
        kept.warning_code = status.warning_code;
        kept.power_mw = status.power_mw;
        kept.bias_flags = {};
        kept.power_flags = {};
        source.lanes[static_cast<size_t>(status.lane - 1)].status_fresh = true;
      }
      continue;
    }
    CPO_ASSIGN_OR_RETURN(auto read, source.backend->ReadLanes(bank));
    for (const LaserLaneStatus& status : read) {
      Lane& lane = source.lanes[static_cast<size_t>(status.lane - 1)];
      lane.status = status;
      lane.status_fresh = true;
      if (status.flags_read) source.flags.RecordLaserLane(status, now);
    }
  }
  return Status::Ok();
}

Result<std::vector<double>> LaserSupervisor::EngineInputDbm(Source& source, OpticalEngine& engine,
                                                            const std::vector<int>& lanes) {
  std::vector<int> missing;
  for (int lane : lanes) {
    if (source.input_cache.contains({engine.name(), lane})) continue;
    // The whole bank costs the same read as one lane of it.
    const int first = BankOf(lane) * kLanesPerBank + 1;
    for (int k = first; k < first + kLanesPerBank && k <= engine.lane_count(); ++k) {
      if (std::find(missing.begin(), missing.end(), k) == missing.end()) missing.push_back(k);
    }
  }
  if (!missing.empty()) {
    // Once a round per engine: samples must be live, not frozen.
    if (!source.vdm_live.contains(engine.name())) {
      CPO_RETURN_IF_ERROR(engine.CheckVdmLive());
      source.vdm_live.insert(engine.name());
    }
    CPO_ASSIGN_OR_RETURN(auto dbm, engine.ElsInputPowerDbm(missing));
    for (size_t i = 0; i < missing.size(); ++i) {
      source.input_cache[{engine.name(), missing[i]}] = dbm[i];
    }
  }
  std::vector<double> dbm;
  dbm.reserve(lanes.size());
  for (int lane : lanes) dbm.push_back(source.input_cache.at({engine.name(), lane}));
  return dbm;
}

void LaserSupervisor::StepSource(int source_index) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  const std::string& name = source.config->name;
  const auto now = clock_.Now();
  source.input_cache.clear();
  source.vdm_live.clear();
  auto module = source.backend->ReadModuleStatus();
  if (!module.ok()) {
    if (!source.present) return;
    source.present = false;
    std::set<std::string> dark_ports;
    for (int lane = 1; lane <= source.config->lanes; ++lane) {
      Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
      if (IsLit(state.phase)) {
        for (auto& port : PortsOf(name, lane)) dark_ports.insert(port);
      }
      if (IsLit(state.phase) || (state.phase == LaserLanePhase::kOff && state.requested)) {
        state.phase = LaserLanePhase::kAbsent;
      }
      state.enable_written = false;
      state.checked_written = false;
      state.status.state = LaserLaneState::kUnknown;
    }
    Emit(EventKind::kLaserSourceChanged, name, "module.removed",
         fmt::format("{} stopped answering ({}); its lanes are dark and will be fibre-checked "
                     "again when a module answers",
                     name, module.status().message()),
         {dark_ports.begin(), dark_ports.end()});
    return;
  }
  if (!source.present) {
    // A module answers again: treat it as new (it may be a replacement) and check again.
    Status init = Initialize(source_index, LaserStartPolicy::kAllOff);
    if (!init.ok()) return;
    source.present = true;
    for (Lane& lane : source.lanes) {
      if (lane.phase == LaserLanePhase::kAbsent) lane.phase = LaserLanePhase::kOff;
    }
    Emit(EventKind::kLaserSourceChanged, name, "module.inserted",
         fmt::format("{} answers again: lanes off, requested lanes being fibre-checked", name));
    return;
  }
  if (module->state != ModuleState::kReady) {
    // Low power or a reset darkens the lasers; the module would relight enabled lanes when it is
    // back. Their fibres are unchecked from now on: dark, and checked again once it is Ready.
    for (int lane = 1; lane <= source.config->lanes; ++lane) {
      if (!IsLit(source.lanes[static_cast<size_t>(lane - 1)].phase)) continue;
      TurnOff(source_index, lane, LaserLanePhase::kOff,
              fmt::format("{} left Ready (module state {}); the lane is checked again when it is "
                          "Ready",
                          name, ModuleStateName(module->state)),
              EventKind::kLaserShutdown);
    }
    if (module->state == ModuleState::kLowPower) (void)source.backend->SetLowPower(false);
    source.ready_seen = false;
    return;
  }
  // Module flags first, before this round lights anything. The first look at a Ready module
  // reads them whatever IntL says, taking the state change of its own power-up; after that a
  // state change means the module left Ready and came back between two polls (a low-power
  // cycle or a reset too short to see): its lanes went dark and relit with no fibre check. The
  // backstop reads them too, for a module whose state-change flag is masked from IntL.
  static_assert(kFullReadEveryRounds > 0);
  const bool backstop = (now / options_.poll_period) % kFullReadEveryRounds == 0;
  {
    const bool lit_before = std::any_of(source.lanes.begin(), source.lanes.end(),
                                        [](const Lane& lane) { return IsLit(lane.phase); });
    // (ModuleStateChanged is acted on when found set; its clearing needs no extra read.)
    const bool module_flags_latched =
        source.flags.AnyLatched("temperature.") || source.flags.AnyLatched("vcc.");
    bool state_changed = std::exchange(source.state_change_pending, false);
    const bool was_ready = source.ready_seen;
    if (module->interrupt || module_flags_latched || !source.ready_seen || backstop) {
      auto monitors = source.backend->ReadModuleMonitors();
      if (monitors.ok() && monitors->flags_read) {
        source.flags.RecordModule(monitors->flags, now);
        state_changed = state_changed || monitors->flags.state_changed;
      }
      source.ready_seen = monitors.ok();
    }
    if (state_changed && was_ready && lit_before) {
      for (int lane = 1; lane <= source.config->lanes; ++lane) {
        if (!IsLit(source.lanes[static_cast<size_t>(lane - 1)].phase)) continue;
        TurnOff(source_index, lane, LaserLanePhase::kOff,
                fmt::format("{} changed module state between two polls (a low-power cycle "
                            "or a reset); the lane is checked again",
                            name),
                EventKind::kLaserShutdown);
      }
    }
  }
  std::vector<int> to_start;
  for (int lane = 1; lane <= source.config->lanes; ++lane) {
    const Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    if (state.phase == LaserLanePhase::kOff && (state.requested || state.check_only)) {
      to_start.push_back(lane);
    }
  }
  if (!to_start.empty()) {
    Status started = StartChecks(source_index, to_start);
    if (!started.ok()) {
      for (int lane : to_start) {
        TurnOff(source_index, lane, LaserLanePhase::kFailed,
                fmt::format("could not start the fibre check: {}", started.message()),
                EventKind::kLaserShutdown);
      }
    }
  }
  bool busy = false;
  bool lit = false;
  for (const Lane& lane : source.lanes) {
    busy =
        busy || lane.phase == LaserLanePhase::kChecking || lane.phase == LaserLanePhase::kVerifying;
    lit = lit || IsLit(lane.phase);
  }
  if (!lit) return;
  for (Lane& lane : source.lanes) lane.status_fresh = false;
  // Something to report (IntL) or the backstop: everything, flags included. Only checks under
  // way: the short state read.
  if ((module->interrupt || backstop) && !ReadLanes(source_index, /*all=*/false).ok()) return;
  if (!module->interrupt && !backstop && busy &&
      !ReadLanes(source_index, /*all=*/false, /*states_only=*/true).ok()) {
    return;
  }
  source.just_raised.clear();
  source.passed.clear();
  for (int lane = 1; lane <= source.config->lanes; ++lane) {
    switch (source.lanes[static_cast<size_t>(lane - 1)].phase) {
      case LaserLanePhase::kChecking:
        AdvanceCheck(source_index, lane);
        break;
      case LaserLanePhase::kVerifying:
        AdvanceVerify(source_index, lane);
        break;
      case LaserLanePhase::kOperating:
        SuperviseOperating(source_index, lane);
        break;
      default:
        break;
    }
  }
  if (!source.passed.empty()) FinishChecks(source_index);
  // Lanes raised to operating power this round: one short read of their banks, then verify, so
  // a checked lane is confirmed without waiting for the next round.
  if (!source.just_raised.empty()) {
    source.input_cache.clear();
    source.vdm_live.clear();
    for (Lane& lane : source.lanes) lane.status_fresh = false;
    if (ReadLanes(source_index, /*all=*/false, /*states_only=*/true).ok()) {
      for (int lane : source.just_raised) AdvanceVerify(source_index, lane);
    }
    source.just_raised.clear();
  }
}

Status LaserSupervisor::StartCheck(int source_index, int lane) {
  return StartChecks(source_index, {lane});
}

Status LaserSupervisor::StartChecks(int source_index, const std::vector<int>& lanes) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  if (source.caps->mode != LaserControlMode::kConstantPower) {
    return {StatusCode::kNotSupported,
            "the source runs in constant-current mode; the fibre check needs constant power"};
  }
  for (int lane : lanes) {
    if (FiberOf(source.config->name, lane) == nullptr) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("lane {} feeds no fibre (a spare waiting for a failed lane)", lane)};
    }
  }
  std::set<int> banks;
  for (int lane : lanes) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    state.power_written_mw = source.caps->fiber_check_setpoint_mw;
    state.checked_written = false;
    banks.insert(BankOf(lane));
  }
  // Order matters: check setpoints and cleared flags before the light comes on. Three writes a
  // bank, however many lanes.
  for (int bank : banks) {
    CPO_RETURN_IF_ERROR(WritePowers(source, bank));
    CPO_RETURN_IF_ERROR(WriteChecked(source, bank));
  }
  for (int lane : lanes) source.lanes[static_cast<size_t>(lane - 1)].enable_written = true;
  for (int bank : banks) CPO_RETURN_IF_ERROR(WriteEnables(source, bank));
  for (int lane : lanes) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    state.phase = LaserLanePhase::kChecking;
    state.reason.clear();
    state.deadline = clock_.Now() + options_.ramp_timeout;
  }
  return Status::Ok();
}

Status LaserSupervisor::WritePowers(Source& source, int bank) {
  std::array<double, 8> power_mw{};
  for (int k = 0; k < kLanesPerBank; ++k) {
    const auto index = static_cast<size_t>(bank) * kLanesPerBank + static_cast<size_t>(k);
    if (index < source.lanes.size()) {
      power_mw[static_cast<size_t>(k)] = source.lanes[index].power_written_mw;
    }
  }
  return source.backend->WritePowerSetpoints(bank, power_mw);
}

FiberCheckResult LaserSupervisor::Measure(int source_index, int lane, double output_mw) {
  const Source& source = sources_[static_cast<size_t>(source_index)];
  FiberCheckResult result;
  result.time = clock_.Now();
  result.laser_output_mw = output_mw;
  const platform::FiberConfig* fiber = FiberOf(source.config->name, lane);
  if (fiber == nullptr) {
    result.detail = fmt::format("lane {} feeds no fibre", lane);
    return result;
  }
  result.threshold_db = ThresholdOfFiber(*fiber);
  OpticalEngine* engine = EngineNamed(fiber->engine);
  if (engine == nullptr) {
    result.detail = fmt::format("fibre {} feeds engine '{}', which the device does not have",
                                fiber->fiber, fiber->engine);
    return result;
  }
  if (output_mw <= 0) {
    result.detail = fmt::format("{} lane {} puts out no light", source.config->name, lane);
    return result;
  }
  auto input =
      EngineInputDbm(sources_[static_cast<size_t>(source_index)], *engine, fiber->engine_lanes);
  if (!input.ok()) {
    result.detail =
        fmt::format("cannot read the engine's input power: {}", input.status().message());
    return result;
  }
  return lanes::JudgeFiber(output_mw,
                           {.fiber = fiber->fiber,
                            .engine = fiber->engine,
                            .engine_lanes = fiber->engine_lanes,
                            .input_dbm = *input,
                            .threshold_db = result.threshold_db},
                           result.time);
}

lanes::LaneView LaserSupervisor::ViewOf(const Lane& state) const {
  return {.status_fresh = state.status_fresh,
          .status = state.status,
          .now = clock_.Now(),
          .deadline = state.deadline,
          .operating_mw = state.operating_mw};
}

void LaserSupervisor::AdvanceCheck(int source_index, int lane) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
  const lanes::Decision waiting = lanes::WhileChecking(ViewOf(state), options_.ramp_timeout);
  if (waiting.next == lanes::Next::kShutDown) {
    TurnOff(source_index, lane, LaserLanePhase::kFailed, waiting.reason, EventKind::kLaserShutdown);
  }
  if (waiting.next != lanes::Next::kMeasure) return;
  FiberCheckResult result = Measure(source_index, lane, state.status.power_mw);
  state.last_check = result;
  const lanes::Decision checked = lanes::AfterCheck(result);
  if (checked.next != lanes::Next::kPassCheck) {
    TurnOff(source_index, lane, LaserLanePhase::kFailed, checked.reason,
            state.spare_for != 0 ? EventKind::kLaserFailed : EventKind::kLaserShutdown);
    return;
  }
  // Passed: the flag, then the operating setpoint, are written for the whole bank after the
  // round (FinishChecks), so many lanes cost two writes a bank.
  state.checked_written = true;
  source.passed.push_back(lane);
}

void LaserSupervisor::FinishChecks(int source_index) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  std::set<int> banks;
  for (int lane : source.passed) banks.insert(BankOf(lane));
  for (int bank : banks) {
    if (!WriteChecked(source, bank).ok()) {
      source.passed.clear();
      return;
    }
  }
  std::set<int> raised_banks;
  std::set<int> dark_banks;
  for (int lane : source.passed) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    if (state.check_only && !state.requested) {
      state.check_only = false;
      state.enable_written = false;
      state.power_written_mw = state.operating_mw;
      state.phase = LaserLanePhase::kOff;
      dark_banks.insert(BankOf(lane));
      continue;
    }
    state.check_only = false;
    // The flag is set: only now the operating setpoint.
    state.power_written_mw = state.operating_mw;
    state.phase = LaserLanePhase::kVerifying;
    state.deadline = clock_.Now() + options_.ramp_timeout;
    raised_banks.insert(BankOf(lane));
    source.just_raised.push_back(lane);
  }
  for (int bank : dark_banks) (void)WriteEnables(source, bank);
  for (int bank : raised_banks) dark_banks.insert(bank);
  for (int bank : dark_banks) (void)WritePowers(source, bank);
  source.passed.clear();
}

void LaserSupervisor::AdvanceVerify(int source_index, int lane) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
  const auto now = clock_.Now();
  const lanes::Decision waiting = lanes::WhileVerifying(ViewOf(state));
  if (waiting.next == lanes::Next::kLaserFault) {
    HandleLaserFault(source_index, lane, waiting.reason);
  }
  if (waiting.next != lanes::Next::kMeasure) return;
  const lanes::Decision verified =
      lanes::AfterVerify(Measure(source_index, lane, state.status.power_mw));
  if (verified.next != lanes::Next::kOperate) {
    TurnOff(source_index, lane, LaserLanePhase::kFailed, verified.reason,
            state.spare_for != 0 ? EventKind::kLaserFailed : EventKind::kLaserShutdown);
    return;
  }
  state.phase = LaserLanePhase::kOperating;
  state.last_healthy = now;
  if (state.spare_for != 0 && state.outage_since.count() > 0) {
    const auto outage = now - state.outage_since;
    const auto ports = PortsOf(source.config->name, lane);
    Emit(EventKind::kLaserSpared, source.config->name, fmt::format("lane{}", lane),
         fmt::format("lane {} failed ({}); its fibre {} now lit by spare lane {}; ports {} back "
                     "after {:.1f} ms",
                     state.spare_for, source.lanes[static_cast<size_t>(state.spare_for - 1)].reason,
                     topology_.FiberOfLane(source.config->name, lane), lane, LaneList(ports),
                     outage.count() / 1e6),
         ports, outage);
    state.outage_since = {};
  }
}

void LaserSupervisor::SuperviseOperating(int source_index, int lane) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
  const auto now = clock_.Now();
  const lanes::Decision laser = lanes::WhileOperating(ViewOf(state), options_.collapse_fraction);
  if (laser.next == lanes::Next::kLaserFault) {
    HandleLaserFault(source_index, lane, laser.reason);
    return;
  }
  // The light must still arrive: a cut or pulled fibre turns the lane off.
  const double output_mw = state.status.power_mw > 0 ? state.status.power_mw : state.operating_mw;
  const FiberCheckResult result = Measure(source_index, lane, output_mw);
  const lanes::Decision light = lanes::AfterOperatingMeasure(result, state.status_fresh);
  if (light.next == lanes::Next::kReadModule) {
    if (ReadLanes(source_index, /*all=*/false).ok() && state.status_fresh) {
      SuperviseOperating(source_index, lane);
      return;
    }
    // The module does not answer: the light is gone all the same.
    const lanes::Decision dark = lanes::AfterOperatingMeasure(result, /*status_fresh=*/true);
    TurnOff(source_index, lane, LaserLanePhase::kFailed, dark.reason, EventKind::kLaserShutdown);
    return;
  }
  if (light.next == lanes::Next::kShutDown) {
    TurnOff(source_index, lane, LaserLanePhase::kFailed, light.reason, EventKind::kLaserShutdown);
    return;
  }
  state.last_healthy = now;
}

void LaserSupervisor::TurnOff(int source_index, int lane, LaserLanePhase phase,
                              const std::string& reason, std::optional<EventKind> kind) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
  state.enable_written = false;
  (void)WriteEnables(source, BankOf(lane));
  state.checked_written = false;
  (void)WriteChecked(source, BankOf(lane));
  if (state.power_written_mw != state.operating_mw && state.operating_mw > 0) {
    state.power_written_mw = state.operating_mw;  // dark now: the register keeps operating power
    (void)WritePowers(source, BankOf(lane));
  }
  state.phase = phase;
  state.reason = reason;
  state.check_only = false;
  if (phase != LaserLanePhase::kOff) state.requested = false;
  if (kind) {
    auto ports = PortsOf(source.config->name, lane);
    Emit(*kind, source.config->name, fmt::format("lane{}", lane),
         fmt::format("{} lane {} off: {}{}", source.config->name, lane, reason,
                     ports.empty() ? "" : "; ports down: " + LaneList(ports)),
         ports);
  }
}

void LaserSupervisor::HandleLaserFault(int source_index, int lane, const std::string& reason) {
  Source& source = sources_[static_cast<size_t>(source_index)];
  const std::string& name = source.config->name;
  Lane& failed = source.lanes[static_cast<size_t>(lane - 1)];
  const int fiber = topology_.FiberOfLane(name, lane);
  const auto outage_since = failed.last_healthy;
  std::vector<lanes::SpareCandidate> candidates;
  for (int candidate : source.config->spare_lanes) {
    const Lane& state = source.lanes[static_cast<size_t>(candidate - 1)];
    candidates.push_back({.lane = candidate,
                          .phase = state.phase,
                          .requested = state.requested,
                          .check_only = state.check_only,
                          .fiber = topology_.FiberOfLane(name, candidate)});
  }
  const int spare = lanes::ChooseSpare(candidates);
  if (spare == 0 || fiber == 0) {
    TurnOff(source_index, lane, LaserLanePhase::kFailed, reason + "; no spare lane left",
            EventKind::kLaserFailed);
    return;
  }
  TurnOff(source_index, lane, LaserLanePhase::kRetired,
          fmt::format("{}; fibre {} moved to spare lane {}", reason, fiber, spare), std::nullopt);
  (void)topology_.SetFiberOfLane(name, spare, fiber);
  (void)WriteFiberMap(source, BankOf(lane));
  if (BankOf(spare) != BankOf(lane)) (void)WriteFiberMap(source, BankOf(spare));
  Lane& replacement = source.lanes[static_cast<size_t>(spare - 1)];
  replacement.requested = true;
  replacement.operating_mw = failed.operating_mw;
  replacement.spare_for = lane;
  replacement.outage_since = outage_since;
  Status started = StartCheck(source_index, spare);
  if (!started.ok()) {
    TurnOff(source_index, spare, LaserLanePhase::kFailed,
            fmt::format("spare for failed lane {} could not start: {}", lane, started.message()),
            EventKind::kLaserFailed);
  }
}

}  // namespace cpo::hal
