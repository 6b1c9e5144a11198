// LaserSupervisor's public calls (see laser_supervisor.h): requests, reports, settings, and the
// raw windows, each checked before anything is written. The poll and the lane state machine's
// execution are in laser_supervisor.cc; meeting a module in laser_supervisor_start.cc.
#include <fmt/format.h>

#include <set>

#include "lasers/lane_banks.h"
#include "lasers/laser_supervisor.h"
#include "register_window.h"

namespace cpo::hal {

Status LaserSupervisor::CheckWritable() const {
  if (options_.start == LaserStartPolicy::kObserve) {
    return {StatusCode::kFailedPrecondition,
            "the device was opened to observe lasers only; open it with laser control to change "
            "them"};
  }
  return Status::Ok();
}

Status LaserSupervisor::CheckLanes(const Source& source, const std::vector<int>& lanes) const {
  if (lanes.empty()) return {StatusCode::kInvalidArgument, "no lanes given"};
  for (int lane : lanes) {
    if (lane < 1 || lane > source.config->lanes) {
      return {StatusCode::kOutOfRange,
              fmt::format("{} has lanes 1..{}; lane {} does not exist", source.config->name,
                          source.config->lanes, lane)};
    }
  }
  return Status::Ok();
}

Result<EngineIdentity> LaserSupervisor::Identity(int source_index) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  if (!source.identity) {
    auto identity = source.backend->ReadIdentity();
    if (!identity.ok()) return identity.status().WithContext(source.config->name);
    source.identity = *identity;
  }
  return *source.identity;
}

Result<LaserSourceCapabilities> LaserSupervisor::Capabilities(int source_index) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  if (!source.caps) {
    auto caps = source.backend->ReadCapabilities();
    if (!caps.ok()) return caps.status().WithContext(source.config->name);
    source.caps = *caps;
  }
  return *source.caps;
}

Result<std::vector<LaserLaneReport>> LaserSupervisor::Lanes(int source_index) {
  std::vector<LaserLaneReport> reports;
  {
    std::lock_guard lock(mutex_);
    Source& source = sources_[static_cast<size_t>(source_index)];
    Status read = ReadLanes(source_index);
    if (!read.ok() && source.present) return read.WithContext(source.config->name);
    // An observer follows what the owner does (sparing included) from the module itself.
    if (read.ok() && options_.start == LaserStartPolicy::kObserve) ObservePhases(source_index);
    reports = ReportsLocked(source_index);
  }
  OverlayPublished(source_index, reports);
  return reports;
}

std::vector<LaserLaneReport> LaserSupervisor::Reports(int source_index) {
  std::vector<LaserLaneReport> reports;
  {
    std::lock_guard lock(mutex_);
    reports = ReportsLocked(source_index);
  }
  OverlayPublished(source_index, reports);
  return reports;
}

void LaserSupervisor::OverlayPublished(int source_index, std::vector<LaserLaneReport>& reports) {
  if (published_ == nullptr) return;
  const std::string& name = sources_[static_cast<size_t>(source_index)].config->name;
  auto owner = published_->LaserLanes(name);
  if (!owner || owner->size() != reports.size()) return;
  for (size_t i = 0; i < reports.size(); ++i) {
    const LaserLaneReport& theirs = (*owner)[i];
    LaserLaneReport& ours = reports[i];
    ours.phase = theirs.phase;
    ours.requested = theirs.requested;
    ours.operating_power_mw = theirs.operating_power_mw;
    ours.reason = theirs.reason;
    ours.last_check = theirs.last_check;
    ours.spare_for = theirs.spare_for;
  }
}

std::vector<LaserLaneReport> LaserSupervisor::ReportsLocked(int source_index) const {
  const Source& source = sources_[static_cast<size_t>(source_index)];
  std::vector<LaserLaneReport> reports;
  for (int lane = 1; lane <= source.config->lanes; ++lane) {
    const Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    LaserLaneReport report;
    report.status = state.status;
    report.status.lane = lane;
    if (!source.present) report.status.state = LaserLaneState::kUnknown;
    report.phase = state.phase;
    report.requested = state.requested;
    report.operating_power_mw = state.operating_mw;
    report.reason = state.reason;
    report.last_check = state.last_check;
    report.spare_for = state.spare_for;
    reports.push_back(std::move(report));
  }
  return reports;
}

Status LaserSupervisor::CheckRequest(int source_index, const std::vector<int>& lanes, bool on) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(CheckWritable());
  const Source& source = sources_[static_cast<size_t>(source_index)];
  CPO_RETURN_IF_ERROR(CheckLanes(source, lanes));
  for (int lane : lanes) {
    const Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    if (on && state.phase == LaserLanePhase::kRetired) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("{} lane {} is retired ({}); replace the module to use it again",
                          source.config->name, lane, state.reason)};
    }
    if (on && topology_.FiberOfLane(source.config->name, lane) == 0) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("{} lane {} feeds no fibre (a spare): the safety core lights it only "
                          "to take over a failed lane",
                          source.config->name, lane)};
    }
    if (!on) continue;
    // Refused before any light: a lane whose engine cannot measure it is never checked.
    const platform::FiberConfig* fiber = FiberOf(source.config->name, lane);
    OpticalEngine* engine = fiber == nullptr ? nullptr : EngineNamed(fiber->engine);
    if (engine != nullptr) {
      // Only a module that says it cannot is refused here; an engine that does not answer
      // fails the check itself, with its own reason.
      if (Status can = engine->CheckCanMeasureLaserInput();
          can.code() == StatusCode::kNotSupported) {
        return {StatusCode::kNotSupported,
                fmt::format("{} lane {} cannot be fibre-checked, so it stays dark: {}",
                            source.config->name, lane, can.message())};
      }
    }
  }
  return Status::Ok();
}

Status LaserSupervisor::Request(int source_index, const std::vector<int>& lanes, bool on,
                                bool check_only) {
  CPO_RETURN_IF_ERROR(CheckRequest(source_index, lanes, on));
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  for (int lane : lanes) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    if (!on) {
      state.requested = false;
      state.check_only = false;
      if (state.phase != LaserLanePhase::kRetired) {
        TurnOff(source_index, lane, LaserLanePhase::kOff, "", std::nullopt);
        if (!source.present) state.phase = LaserLanePhase::kAbsent;
      }
      continue;
    }
    if (IsLit(state.phase)) continue;  // already checking or on
    if (check_only) {
      state.check_only = true;
    } else {
      state.requested = true;
    }
    if (state.phase == LaserLanePhase::kFailed) state.phase = LaserLanePhase::kOff;
    state.reason.clear();
  }
  return Status::Ok();
}

Result<std::vector<LaserLaneReport>> LaserSupervisor::WaitSettled(int source_index,
                                                                  const std::vector<int>& lanes) {
  WaitSettledMany({{source_index, lanes}});
  return Lanes(source_index);
}

void LaserSupervisor::WaitSettledMany(const std::map<int, std::vector<int>>& lanes_of_source) {
  WaitBound until(clock_,
                  options_.power_up_timeout + 2 * options_.ramp_timeout + 4 * options_.poll_period);
  while (true) {
    bool settled = true;
    {
      std::lock_guard lock(mutex_);
      if (options_.start != LaserStartPolicy::kObserve) {
        std::vector<int> stepped;
        stepped.reserve(lanes_of_source.size());
        for (const auto& [source_index, lanes] : lanes_of_source) stepped.push_back(source_index);
        StepSourcesByBus(stepped);
      }
      for (const auto& [source_index, lanes] : lanes_of_source) {
        const Source& source = sources_[static_cast<size_t>(source_index)];
        for (int lane : lanes) {
          const Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
          const bool pending =
              state.phase == LaserLanePhase::kOff && (state.requested || state.check_only);
          if (state.phase == LaserLanePhase::kChecking ||
              state.phase == LaserLanePhase::kVerifying || pending) {
            settled = false;
          }
        }
      }
    }
    if (settled || until.Expired()) return;
    clock_.SleepFor(options_.poll_period);
  }
}

Status LaserSupervisor::SetOperatingPower(int source_index, const std::vector<int>& lanes,
                                          double power_mw) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(CheckWritable());
  Source& source = sources_[static_cast<size_t>(source_index)];
  CPO_RETURN_IF_ERROR(CheckLanes(source, lanes));
  if (!source.caps) return {StatusCode::kUnavailable, source.config->name + " has not answered"};
  if (!(power_mw >= source.caps->min_power_mw && power_mw <= source.caps->max_power_mw)) {
    return {StatusCode::kOutOfRange,
            fmt::format("{} mW is outside what {} can do ({}..{} mW)", power_mw,
                        source.config->name, source.caps->min_power_mw, source.caps->max_power_mw)};
  }
  for (int lane : lanes) {
    Lane& state = source.lanes[static_cast<size_t>(lane - 1)];
    state.operating_mw = power_mw;
    if (state.phase == LaserLanePhase::kOperating || state.phase == LaserLanePhase::kVerifying) {
      state.power_written_mw = power_mw;
      CPO_RETURN_IF_ERROR(source.backend->WriteSetpoints(lane, state.bias_setpoint_ma, power_mw));
    }
  }
  return Status::Ok();
}

Status LaserSupervisor::SetLaneFlagMasks(int source_index, const std::vector<int>& lanes,
                                         const ThresholdFlags& bias, const ThresholdFlags& power) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(CheckWritable());
  Source& source = sources_[static_cast<size_t>(source_index)];
  CPO_RETURN_IF_ERROR(CheckLanes(source, lanes));
  const bool masks[8] = {bias.high_alarm,  bias.low_alarm,  bias.high_warning,  bias.low_warning,
                         power.high_alarm, power.low_alarm, power.high_warning, power.low_warning};
  std::set<int> banks;
  for (int lane : lanes) {
    const int bank = BankOf(lane);
    banks.insert(bank);
    for (size_t j = 0; j < 8; ++j) {
      uint8_t& byte = source.flag_masks[static_cast<size_t>(bank) * 8 + j];
      const auto bit = static_cast<uint8_t>(1u << ((lane - 1) % kLanesPerBank));
      byte = masks[j] ? (byte | bit) : (byte & ~bit);
    }
  }
  for (int bank : banks) {
    std::array<uint8_t, 8> bytes{};
    std::copy_n(source.flag_masks.begin() + static_cast<ptrdiff_t>(bank) * 8, 8, bytes.begin());
    CPO_RETURN_IF_ERROR(source.backend->WriteLaneMasks(bank, bytes));
  }
  return Status::Ok();
}

Status LaserSupervisor::SaveRestore(int source_index, const LaserSetCommand& command) {
  CPO_RETURN_IF_ERROR(LaserSetCommandCode(command).status());
  {
    std::lock_guard lock(mutex_);
    CPO_RETURN_IF_ERROR(CheckWritable());
  }
  // A module mid power transition fails the command (1Ah:185 = 8): let the transition the
  // supervisor started (power-up at open) finish first, within its bound.
  WaitBound until(clock_, options_.power_up_timeout);
  while (true) {
    ModuleState state = ModuleState::kUnknown;
    {
      std::lock_guard lock(mutex_);
      CPO_ASSIGN_OR_RETURN(ModuleStatus module,
                           sources_[static_cast<size_t>(source_index)].backend->ReadModuleStatus());
      state = module.state;
    }
    if (state != ModuleState::kPoweringUp && state != ModuleState::kPoweringDown) break;
    if (until.Expired()) break;  // the module's own answer (failed) says the rest
    clock_.SleepFor(options_.poll_period);
  }
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(CheckWritable());
  Source& source = sources_[static_cast<size_t>(source_index)];
  const std::string& name = source.config->name;
  if (command.action == LaserSetAction::kSave) {
    return source.backend->SaveRestore(command).WithContext(name);
  }
  const int banks = (source.config->lanes + kLanesPerBank - 1) / kLanesPerBank;
  if (command.kind == LaserSetKind::kMasks) {
    CPO_RETURN_IF_ERROR(source.backend->SaveRestore(command).WithContext(name));
    // The masks the module now holds are the ones later mask changes start from.
    for (int bank = 0; bank < banks; ++bank) {
      auto masks = source.backend->ReadLaneMasks(bank);
      if (!masks.ok()) return masks.status().WithContext(name);
      std::copy(masks->begin(), masks->end(),
                source.flag_masks.begin() + static_cast<ptrdiff_t>(bank) * 8);
    }
    return Status::Ok();
  }
  // A restore rewrites setpoints: no lane may be lit at the fibre-check setpoint meanwhile.
  for (int lane = 1; lane <= source.config->lanes; ++lane) {
    const LaserLanePhase phase = source.lanes[static_cast<size_t>(lane - 1)].phase;
    if (phase == LaserLanePhase::kChecking || phase == LaserLanePhase::kVerifying) {
      return {StatusCode::kFailedPrecondition,
              fmt::format("{} lane {} is being fibre-checked; restore once checks finished",
                          source.config->name, lane)};
    }
  }
  CPO_RETURN_IF_ERROR(source.backend->SaveRestore(command).WithContext(name));
  // Take the restored set as the lanes' operating setpoints and fibre map; a lit lane whose
  // fibre changed is turned off and checked again.
  for (int bank = 0; bank < banks; ++bank) {
    CPO_ASSIGN_OR_RETURN(auto read, source.backend->ReadLanes(bank));
    for (const LaserLaneStatus& status : read) {
      Lane& state = source.lanes[static_cast<size_t>(status.lane - 1)];
      state.status = status;
      // The restored setpoints are every lane's operating power (no check was running).
      if (status.power_setpoint_mw > source.caps->fiber_check_setpoint_mw) {
        state.operating_mw = status.power_setpoint_mw;
      }
      state.power_written_mw = status.power_setpoint_mw;
      state.bias_setpoint_ma = status.bias_setpoint_ma;
      const bool moved = status.fiber != topology_.FiberOfLane(source.config->name, status.lane);
      if (moved) (void)topology_.SetFiberOfLane(source.config->name, status.lane, status.fiber);
      if (IsLit(state.phase) && moved) {
        const bool requested = state.requested;
        TurnOff(source_index, status.lane, LaserLanePhase::kOff, "", std::nullopt);
        state.requested = requested;
      }
    }
  }
  return Status::Ok();
}

Result<ModuleMonitors> LaserSupervisor::Module(int source_index) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  auto monitors = source.backend->ReadModuleMonitors();
  if (!monitors.ok()) return monitors.status().WithContext(source.config->name);
  if (monitors->flags_read) {
    source.flags.RecordModule(monitors->flags, clock_.Now());
    source.state_change_pending = source.state_change_pending || monitors->flags.state_changed;
  }
  return monitors;
}

Result<std::vector<LaserLaneElectrical>> LaserSupervisor::Electrical(int source_index) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  std::vector<LaserLaneElectrical> lanes;
  for (int bank = 0; bank * kLanesPerBank < source.config->lanes; ++bank) {
    auto read = source.backend->ReadElectrical(bank);
    if (!read.ok()) return read.status().WithContext(source.config->name);
    lanes.insert(lanes.end(), read->begin(), read->end());
  }
  return lanes;
}

std::vector<FlagRecord> LaserSupervisor::FlagRecords(int source_index) {
  if (published_ != nullptr) {
    // The owner reads the latched bytes; its history is the one that counts.
    if (auto owner = published_->FlagRecords(
            platform_.laser_sources[static_cast<size_t>(source_index)].name)) {
      return *owner;
    }
  }
  std::lock_guard lock(mutex_);
  return sources_[static_cast<size_t>(source_index)].flags.Snapshot();
}

Result<std::array<uint8_t, 256>> LaserSupervisor::ReadWindow(int source_index, uint8_t page,
                                                             uint8_t bank) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  auto window = source.backend->ReadWindow(bank, page);
  if (!window.ok()) return window.status().WithContext(source.config->name);
  return window;
}

Result<std::vector<uint8_t>> LaserSupervisor::ReadWindowBytes(int source_index, uint8_t page,
                                                              uint8_t bank, uint8_t offset,
                                                              int count) {
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  const std::string& name = source.config->name;
  CPO_RETURN_IF_ERROR(CheckWindowAddress(name, page, bank, (source.config->lanes + 7) / 8));
  CPO_RETURN_IF_ERROR(CheckWindowRead(name, offset, count));
  std::vector<uint8_t> bytes(static_cast<size_t>(count));
  CPO_RETURN_IF_ERROR(source.backend->ReadWindowBytes(bank, page, offset, bytes).WithContext(name));
  return bytes;
}

Status LaserSupervisor::WriteWindow(int source_index, uint8_t page, uint8_t bank, uint8_t offset,
                                    std::span<const uint8_t> bytes) {
  constexpr uint8_t kLaserControlPage = 0x1A;   // lane enables, fibre map, fibre-checked
  constexpr uint8_t kLaserSetpointPage = 0x1B;  // bias and power setpoints
  std::lock_guard lock(mutex_);
  Source& source = sources_[static_cast<size_t>(source_index)];
  const std::string& name = source.config->name;
  if (offset >= 128 && (page == kLaserControlPage || page == kLaserSetpointPage)) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{}: page {:02X}h lights lanes or sets their power; raw writes "
                              "there would bypass the fibre check. Use 'cpoctl laser "
                              "enable|disable' (or LaserSource::SetOperatingPower)",
                              name, page));
  }
  constexpr uint8_t kGlobalControls = 26;  // low power request, software reset
  if (offset <= kGlobalControls && offset + bytes.size() > kGlobalControls) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("{}: lower page byte 26 puts the source in low power or resets it; "
                              "its lanes would then relight without a fibre check. Turn lanes "
                              "off with 'cpoctl laser disable' instead",
                              name));
  }
  const int banks = (source.config->lanes + 7) / 8;
  CPO_RETURN_IF_ERROR(CheckWindowAddress(name, page, bank, banks));
  CPO_RETURN_IF_ERROR(CheckWindowWrite(name, offset, bytes.size()));
  return source.backend->WriteWindow(bank, page, offset, bytes).WithContext(name);
}

}  // namespace cpo::hal
