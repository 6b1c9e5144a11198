// OpticalEngine: data paths (application selection, DPDeinit, Tx disable, waiting for states).
#include <fmt/format.h>

#include <algorithm>

#include "cpo/hal/optical_engine.h"
#include "events/flag_history.h"

namespace cpo::hal {

Result<std::map<int, uint8_t>> OpticalEngine::BankMasks(const std::vector<int>& lanes) const {
  if (lanes.empty()) {
    return Status(StatusCode::kInvalidArgument, fmt::format("{}: no lanes given", config_.name));
  }
  std::map<int, uint8_t> masks;
  for (int lane : lanes) {
    if (lane < 1 || lane > config_.lanes) {
      return Status(StatusCode::kOutOfRange, fmt::format("{}: lane {} is outside lanes 1..{}",
                                                         config_.name, lane, config_.lanes));
    }
    masks[(lane - 1) / 8] |= static_cast<uint8_t>(1u << ((lane - 1) % 8));
  }
  return masks;
}

Result<ModuleStatus> OpticalEngine::State() {
  std::lock_guard lock(mutex_);
  auto status = backend_->ReadModuleStatus();
  if (!status.ok()) return status.status().WithContext(config_.name);
  return status;
}

Result<std::vector<LaneDataPath>> OpticalEngine::DataPaths() {
  std::lock_guard lock(mutex_);
  std::vector<LaneDataPath> lanes;
  for (int bank = 0; bank < config_.banks; ++bank) {
    auto paths = backend_->ReadDataPaths(bank);
    if (!paths.ok()) {
      return paths.status().WithContext(fmt::format("{} bank {}", config_.name, bank));
    }
    auto controls = backend_->ReadBankControls(bank);
    if (!controls.ok()) {
      return controls.status().WithContext(fmt::format("{} bank {}", config_.name, bank));
    }
    const auto now = clock_.Now();
    for (size_t i = 0; i < paths->size(); ++i) {
      LaneDataPath lane = (*paths)[i];
      // The read cleared DPStateChanged: the flag history keeps it for every other consumer.
      flag_history_->RecordDataPath(lane, now);
      lane.deinit_requested = ((controls->deinit >> i) & 1) != 0;
      lane.tx_disabled = ((controls->tx_disable >> i) & 1) != 0;
      lanes.push_back(lane);
    }
  }
  lanes.resize(static_cast<size_t>(config_.lanes));
  return lanes;
}

Status OpticalEngine::ConfigureDataPath(int first_lane, int app_sel) {
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  const Application* app = advertising.FindApplication(app_sel);
  if (app == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: AppSel {} is not advertised (the engine offers 1..{})",
                              config_.name, app_sel, advertising.applications.size()));
  }
  if (first_lane < 1 || first_lane + app->host_lanes - 1 > config_.lanes ||
      !app->MayStartAt(first_lane)) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: AppSel {} ({}, {} lanes) cannot start at lane {}; it may "
                              "start at lanes with host option bits 0x{:02X} and media option "
                              "bits 0x{:02X} (01h:{}) within each bank of 8",
                              config_.name, app_sel, HostInterfaceName(app->host_interface_id),
                              app->host_lanes, first_lane, app->host_lane_options,
                              app->media_lane_options, 175 + app_sel));
  }
  const int bank = (first_lane - 1) / 8;
  const int first_in_bank = (first_lane - 1) % 8;
  std::lock_guard lock(mutex_);
  auto controls = backend_->ReadBankControls(bank);
  if (!controls.ok()) return controls.status().WithContext(config_.name);
  std::array<uint8_t, 8> config = controls->staged_config;
  uint8_t mask = 0;
  for (int k = first_in_bank; k < first_in_bank + app->host_lanes; ++k) {
    // AppSel in bits 7-4, DataPathID (the data path's first lane in the bank) in bits 3-1.
    config[static_cast<size_t>(k)] = static_cast<uint8_t>(app_sel << 4 | first_in_bank << 1);
    mask |= static_cast<uint8_t>(1u << k);
  }
  CPO_RETURN_IF_ERROR(backend_->ApplyDataPathConfig(bank, mask, config).WithContext(config_.name));
  auto paths = backend_->ReadDataPaths(bank);
  if (!paths.ok()) return paths.status().WithContext(config_.name);
  const auto now = clock_.Now();
  for (const LaneDataPath& lane : *paths) flag_history_->RecordDataPath(lane, now);
  for (int k = first_in_bank; k < first_in_bank + app->host_lanes; ++k) {
    const LaneDataPath& lane = (*paths)[static_cast<size_t>(k)];
    if (lane.config_status != ConfigStatus::kSuccess) {
      return Status(
          StatusCode::kFailedPrecondition,
          fmt::format("{}: lane {} rejected AppSel {}: ConfigStatus {} (state {})", config_.name,
                      lane.lane, app_sel, ConfigStatusName(lane.config_status),
                      DataPathStateName(lane.state)));
    }
  }
  return Status::Ok();
}

Status OpticalEngine::SetDataPathsDeinit(const std::vector<int>& lanes, bool deinit) {
  CPO_ASSIGN_OR_RETURN(auto masks, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  for (const auto& [bank, mask] : masks) {
    auto controls = backend_->ReadBankControls(bank);
    if (!controls.ok()) return controls.status().WithContext(config_.name);
    const auto value =
        static_cast<uint8_t>(deinit ? (controls->deinit | mask) : (controls->deinit & ~mask));
    CPO_RETURN_IF_ERROR(backend_->WriteDataPathDeinit(bank, value).WithContext(config_.name));
  }
  return Status::Ok();
}

Status OpticalEngine::SetLaneFlagMasks(const std::vector<int>& lanes, const LaneFlagMasks& masks) {
  CPO_ASSIGN_OR_RETURN(auto by_bank, BankMasks(lanes));
  // Byte index within 10h:213-232 of each maskable flag this HAL reports.
  const std::pair<size_t, bool> bits[] = {
      {0, masks.data_path_state_changed},  // DPStateChanged
      {5, masks.tx_power.high_alarm},     {6, masks.tx_power.low_alarm},
      {7, masks.tx_power.high_warning},   {8, masks.tx_power.low_warning},
      {9, masks.tx_bias.high_alarm},      {10, masks.tx_bias.low_alarm},
      {11, masks.tx_bias.high_warning},   {12, masks.tx_bias.low_warning},
      {15, masks.rx_power.high_alarm},    {16, masks.rx_power.low_alarm},
      {17, masks.rx_power.high_warning},  {18, masks.rx_power.low_warning},
  };
  std::lock_guard lock(mutex_);
  for (const auto& [bank, lane_bits] : by_bank) {
    auto current = backend_->ReadLaneMasks(bank);
    if (!current.ok()) return current.status().WithContext(config_.name);
    for (const auto& [index, masked] : bits) {
      uint8_t& byte = (*current)[index];
      byte = static_cast<uint8_t>(masked ? (byte | lane_bits) : (byte & ~lane_bits));
    }
    CPO_RETURN_IF_ERROR(backend_->WriteLaneMasks(bank, *current).WithContext(config_.name));
  }
  return Status::Ok();
}

Status OpticalEngine::SetTxDisabled(const std::vector<int>& lanes, bool disabled) {
  CPO_ASSIGN_OR_RETURN(auto masks, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  for (const auto& [bank, mask] : masks) {
    auto controls = backend_->ReadBankControls(bank);
    if (!controls.ok()) return controls.status().WithContext(config_.name);
    const auto value = static_cast<uint8_t>(disabled ? (controls->tx_disable | mask)
                                                     : (controls->tx_disable & ~mask));
    CPO_RETURN_IF_ERROR(backend_->WriteTxDisable(bank, value).WithContext(config_.name));
  }
  return Status::Ok();
}

Result<std::vector<LaneDataPath>> OpticalEngine::DataPathsOf(const std::vector<int>& lanes,
                                                             bool states_only) {
  CPO_ASSIGN_OR_RETURN(auto masks, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  std::vector<LaneDataPath> found;
  for (const auto& [bank, mask] : masks) {
    auto paths = states_only ? backend_->ReadDataPathStates(bank) : backend_->ReadDataPaths(bank);
    if (!paths.ok()) return paths.status().WithContext(config_.name);
    const auto now = clock_.Now();
    for (const LaneDataPath& lane : *paths) flag_history_->RecordDataPath(lane, now);
    for (size_t i = 0; i < 8; ++i) {
      if (((mask >> i) & 1) != 0) found.push_back((*paths)[i]);
    }
  }
  return found;
}

Result<std::vector<LaneDataPath>> OpticalEngine::WaitForDataPaths(const std::vector<int>& lanes,
                                                                  DataPathState state) {
  CPO_RETURN_IF_ERROR(BankMasks(lanes).status());
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  const EngineDurations& d = advertising.durations;
  // The longest legitimate path: out of whatever transition is running, then into `state`.
  std::chrono::nanoseconds bound =
      d.data_path_deinit + d.data_path_init + d.tx_turn_on + d.tx_turn_off;
  bound += bound / 10 + std::chrono::milliseconds(1);
  const std::chrono::nanoseconds poll = std::max<std::chrono::nanoseconds>(
      std::chrono::microseconds(500),
      std::min({d.data_path_init, d.tx_turn_on, d.data_path_deinit, d.tx_turn_off}) / 20);
  WaitBound until(clock_, bound);
  while (true) {
    CPO_ASSIGN_OR_RETURN(std::vector<LaneDataPath> found, DataPathsOf(lanes, true));
    std::string behind;
    for (const LaneDataPath& lane : found) {
      if (lane.state != state) {
        behind += fmt::format("{}lane {} {}", behind.empty() ? "" : ", ", lane.lane,
                              DataPathStateName(lane.state));
      }
    }
    if (behind.empty()) return found;
    if (until.Expired()) {
      return Status(
          StatusCode::kTimeout,
          fmt::format("{}: data paths not {} after {} ms, the advertised bound{}: {}", config_.name,
                      DataPathStateName(state),
                      std::chrono::duration_cast<std::chrono::milliseconds>(bound).count(),
                      until.WallExpired() ? " (device time stalled: wall-clock bound)" : "",
                      behind));
    }
    clock_.SleepFor(poll);
  }
}

}  // namespace cpo::hal
