#include "cpo/drivers/cmis/cmis_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <numeric>

#include "cpo/drivers/cmis/cmis_map.h"

namespace cpo::drivers {
namespace {

uint16_t U16(std::span<const uint8_t> bytes, size_t at) { return CmisU16(bytes, at); }

// A lane's flags from four consecutive bit/lane bytes (HA, LA, HW, LW).
hal::ThresholdFlags FlagsOfLane(std::span<const uint8_t> bytes, size_t at, size_t lane) {
  auto bit = [&](size_t k) { return ((bytes[at + k] >> lane) & 1) != 0; };
  return {.high_alarm = bit(0), .low_alarm = bit(1), .high_warning = bit(2), .low_warning = bit(3)};
}

// The inverse of CmisAccess's flag nibble decoding (bits HA, LA, HW, LW).
uint8_t NibbleFromFlags(const hal::ThresholdFlags& flags) {
  return static_cast<uint8_t>((flags.high_alarm ? 1 : 0) | (flags.low_alarm ? 2 : 0) |
                              (flags.high_warning ? 4 : 0) | (flags.low_warning ? 8 : 0));
}

// Latched flags above the lower page: page 11h 134-152 (DPStateChanged and the lane flags) and
// the VDM flags of page 2Ch.
bool IsLatchedEngineByte(uint8_t page, uint8_t offset) {
  if (page == cmis::kPageVdmFlags) return offset >= 128;
  return page == cmis::kPageLaneStatus && offset >= cmis::kDataPathStateChanged &&
         offset <= cmis::kRxPowerHighAlarm + 3;
}

}  // namespace

CmisEngine::CmisEngine(std::shared_ptr<transport::TwoWire> bus, uint8_t address7, int lanes,
                       hal::ProcessRole role)
    : access_(std::move(bus), address7, IsLatchedEngineByte, role), lanes_(lanes) {}

Status CmisEngine::SelectPage(uint8_t bank, uint8_t page) { return access_.SelectPage(bank, page); }

Status CmisEngine::ReadBlock(uint8_t offset, std::span<uint8_t> out) {
  return access_.ReadBlock(offset, out);
}

Result<hal::EngineIdentity> CmisEngine::ReadIdentity() { return access_.ReadIdentity(); }

Result<hal::EngineAdvertising> CmisEngine::ReadAdvertising() {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageCapabilities));
  // Bytes 128..190: firmware and hardware versions, the supported controls and monitors, the
  // durations and the media lane assignment options, one block.
  std::array<uint8_t, cmis::kMediaLaneOptions + cmis::kMediaLaneOptionCount - 128> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(128, block));
  auto at = [&](uint8_t offset) { return block[static_cast<size_t>(offset - 128)]; };
  auto bound = [](uint8_t code) {
    return std::chrono::milliseconds(
        cmis::kDurationBoundMs[std::min<size_t>(code, std::size(cmis::kDurationBoundMs) - 1)]);
  };
  hal::EngineAdvertising advertising;
  advertising.inactive_firmware_major = at(cmis::kInactiveFirmwareMajor);
  advertising.inactive_firmware_minor = at(cmis::kInactiveFirmwareMajor + 1);
  advertising.hardware_major = at(cmis::kHardwareMajor);
  advertising.hardware_minor = at(cmis::kHardwareMajor + 1);
  advertising.vdm_supported = (at(cmis::kCapabilityFlags) & 0x40) != 0;
  advertising.diagnostics_pages_supported = (at(cmis::kCapabilityFlags) & 0x20) != 0;
  const int banks_code = at(cmis::kCapabilityFlags) & 0x03;
  advertising.banks = banks_code < 3 ? 1 << banks_code : at(cmis::kExtraLaneBanks) & 0x1F;
  advertising.tx_disable_supported = (at(cmis::kLaneControlsSupported) & 0x02) != 0;
  advertising.rx_los_supported = (at(cmis::kRxFlagsSupported) & 0x02) != 0;
  advertising.rx_cdr_lol_supported = (at(cmis::kRxFlagsSupported) & 0x04) != 0;
  advertising.temperature_monitor = (at(cmis::kModuleMonitorsSupported) & 0x01) != 0;
  advertising.vcc_monitor = (at(cmis::kModuleMonitorsSupported) & 0x02) != 0;
  advertising.tx_bias_monitor = (at(cmis::kLaneMonitorsSupported) & 0x01) != 0;
  advertising.tx_power_monitor = (at(cmis::kLaneMonitorsSupported) & 0x02) != 0;
  advertising.rx_power_monitor = (at(cmis::kLaneMonitorsSupported) & 0x04) != 0;
  advertising.tx_bias_multiplier = 1 << ((at(cmis::kLaneMonitorsSupported) >> 3) & 0x03);
  hal::EngineDurations& d = advertising.durations;
  d.data_path_init = bound(at(cmis::kDataPathDurations) & 0x0f);
  d.data_path_deinit = bound(at(cmis::kDataPathDurations) >> 4);
  d.module_power_up = bound(at(cmis::kModuleDurations) & 0x0f);
  d.module_power_down = bound(at(cmis::kModuleDurations) >> 4);
  d.tx_turn_on = bound(at(cmis::kTxDurations) & 0x0f);
  d.tx_turn_off = bound(at(cmis::kTxDurations) >> 4);

  // Lower page 85..117: media type and the application descriptors, one block.
  std::array<uint8_t, 1 + 4 * cmis::kApplicationCount> apps{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kMediaType, apps));
  advertising.media_type = apps[0];
  for (int a = 0; a < cmis::kApplicationCount; ++a) {
    const size_t base = 1 + 4 * static_cast<size_t>(a);
    if (apps[base] == 0x00 || apps[base] == 0xFF) break;  // end of the list
    hal::Application app;
    app.app_sel = a + 1;
    app.host_interface_id = apps[base];
    app.media_interface_id = apps[base + 1];
    app.host_lanes = apps[base + 2] >> 4;
    app.media_lanes = apps[base + 2] & 0x0f;
    app.host_lane_options = apps[base + 3];
    if (a < cmis::kMediaLaneOptionCount) {
      app.media_lane_options = at(static_cast<uint8_t>(cmis::kMediaLaneOptions + a));
    }
    advertising.applications.push_back(app);
  }
  if (advertising.diagnostics_pages_supported) {
    CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageDiagnosticControls));
    std::array<uint8_t, cmis::kPatternCapabilities + 8 - cmis::kLoopbackCapabilities> caps{};
    CPO_RETURN_IF_ERROR(ReadBlock(cmis::kLoopbackCapabilities, caps));
    auto pattern_bits = [&](size_t k) {
      const size_t first = cmis::kPatternCapabilities - cmis::kLoopbackCapabilities + 2 * k;
      // Byte n holds pattern codes 8n..8n+7.
      return static_cast<uint16_t>(caps[first] | caps[first + 1] << 8);
    };
    advertising.diagnostics.loopbacks = caps[0];
    advertising.diagnostics.host_generator_patterns = pattern_bits(0);
    advertising.diagnostics.media_generator_patterns = pattern_bits(1);
    advertising.diagnostics.host_checker_patterns = pattern_bits(2);
    advertising.diagnostics.media_checker_patterns = pattern_bits(3);
  }
  return advertising;
}

Result<hal::EngineThresholds> CmisEngine::ReadThresholds() {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageThresholds));
  // 128..199: temperature and Vcc, then Tx power, Tx bias and Rx power (one block).
  std::array<uint8_t, cmis::kRxPowerThresholds + 8 - cmis::kTemperatureThresholds> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kTemperatureThresholds, block));
  auto set = [&](uint8_t offset, double unit, bool is_signed) {
    return CmisThresholdsAt(block, static_cast<size_t>(offset - cmis::kTemperatureThresholds), unit,
                            is_signed);
  };
  hal::EngineThresholds thresholds;
  thresholds.temperature_c = set(cmis::kTemperatureThresholds, 1.0 / 256, true);
  thresholds.vcc_v = set(cmis::kVccThresholds, 100e-6, false);
  thresholds.tx_power_mw = set(cmis::kTxPowerThresholds, 1e-4, false);
  thresholds.tx_bias_ma = set(cmis::kTxBiasThresholds, 2e-3, false);
  thresholds.rx_power_mw = set(cmis::kRxPowerThresholds, 1e-4, false);
  return thresholds;
}

Result<hal::ModuleMonitors> CmisEngine::ReadModuleMonitors() {
  return access_.ReadModuleMonitors();
}

Status CmisEngine::WriteByte(uint8_t offset, uint8_t value) {
  return access_.WriteByte(offset, value);
}

Status CmisEngine::SetLowPower(bool low_power) { return access_.SetLowPower(low_power); }

Status CmisEngine::SetModuleFlagMasks(const hal::ModuleFlags& masks) {
  // Bytes 31 and 32 in one write; the other bits of byte 31 (firmware fault masks) stay clear.
  const std::array<uint8_t, 2> write = {
      static_cast<uint8_t>(masks.state_changed ? 0x01 : 0x00),
      static_cast<uint8_t>(NibbleFromFlags(masks.temperature) | NibbleFromFlags(masks.vcc) << 4)};
  return WriteBlock(cmis::kModuleFlagsMask, write);
}

Status CmisEngine::SoftwareReset() {
  std::array<uint8_t, 1> controls{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kControls, controls));
  return WriteByte(cmis::kControls,
                   static_cast<uint8_t>(controls[0] | cmis::kControlSoftwareReset));
}

Result<std::array<uint8_t, 256>> CmisEngine::ReadWindow(uint8_t bank, uint8_t page) {
  return access_.ReadWindow(bank, page);
}

Status CmisEngine::ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                                   std::span<uint8_t> out) {
  return access_.ReadWindowBytes(bank, page, offset, out);
}

Status CmisEngine::WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                               std::span<const uint8_t> bytes) {
  return access_.WriteWindow(bank, page, offset, bytes);
}

Result<std::vector<hal::LaneMonitors>> CmisEngine::ReadLaneMonitors(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneStatus));
  // Latched threshold flags and the monitors of 8 lanes are one contiguous block: 139..201.
  constexpr uint8_t kFirst = cmis::kTxPowerHighAlarm;
  std::array<uint8_t, cmis::kRxPowerLane1 + 16 - kFirst> block{};
  CPO_RETURN_IF_ERROR(access_.ReadBlockOf(cmis::kPageLaneStatus, kFirst, block));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - kFirst); };
  std::vector<hal::LaneMonitors> lanes;
  for (size_t i = 0; i < cmis::kLanesPerBank; ++i) {
    hal::LaneMonitors lane;
    lane.lane = bank * cmis::kLanesPerBank + static_cast<int>(i) + 1;
    lane.tx_power_mw = U16(block, at(cmis::kTxPowerLane1) + 2 * i) * 1e-4;
    lane.tx_bias_ma = U16(block, at(cmis::kTxBiasLane1) + 2 * i) * 2e-3;
    lane.rx_power_mw = U16(block, at(cmis::kRxPowerLane1) + 2 * i) * 1e-4;
    lane.flags_read = !access_.observer();
    lane.tx_power_flags = FlagsOfLane(block, at(cmis::kTxPowerHighAlarm), i);
    lane.tx_bias_flags = FlagsOfLane(block, at(cmis::kTxBiasHighAlarm), i);
    lane.rx_power_flags = FlagsOfLane(block, at(cmis::kRxPowerHighAlarm), i);
    lane.rx_los = ((block[at(cmis::kRxLos)] >> i) & 1) != 0;
    lane.rx_cdr_lol = ((block[at(cmis::kRxCdrLol)] >> i) & 1) != 0;
    lanes.push_back(lane);
  }
  return lanes;
}

Status CmisEngine::CheckBank(int bank) const {
  if (bank < 0 || bank * cmis::kLanesPerBank >= lanes_) {
    return Status(StatusCode::kOutOfRange,
                  fmt::format("bank {} is outside the engine's {} lanes", bank, lanes_));
  }
  return Status::Ok();
}

Status CmisEngine::WriteBlock(uint8_t offset, std::span<const uint8_t> bytes) {
  return access_.WriteBlock(offset, bytes);
}

Result<hal::ModuleStatus> CmisEngine::ReadModuleStatus() { return access_.ReadModuleStatus(); }

namespace {

uint8_t Nibble(std::span<const uint8_t> bytes, size_t lane) {
  return static_cast<uint8_t>((bytes[lane / 2] >> (4 * (lane % 2))) & 0x0f);
}

}  // namespace

Result<std::array<hal::LaneDataPath, 8>> CmisEngine::ReadDataPathStates(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneStatus));
  // DPState and DPStateChanged (128..134). The latched lane flags from 135 on belong to the
  // monitor sweep and are not touched.
  std::array<uint8_t, cmis::kDataPathStateChanged + 1 - cmis::kDataPathStateLanes12> states{};
  CPO_RETURN_IF_ERROR(
      access_.ReadBlockOf(cmis::kPageLaneStatus, cmis::kDataPathStateLanes12, states));
  std::array<hal::LaneDataPath, 8> lanes{};
  for (size_t i = 0; i < lanes.size(); ++i) {
    hal::LaneDataPath& lane = lanes[i];
    lane.lane = bank * cmis::kLanesPerBank + static_cast<int>(i) + 1;
    const uint8_t state = Nibble(states, i);
    lane.state = state >= 1 && state <= 7 ? static_cast<hal::DataPathState>(state)
                                          : hal::DataPathState::kUnknown;
    lane.state_changed =
        ((states[cmis::kDataPathStateChanged - cmis::kDataPathStateLanes12] >> i) & 1) != 0;
  }
  return lanes;
}

Result<std::array<hal::LaneDataPath, 8>> CmisEngine::ReadDataPaths(int bank) {
  const auto hold = access_.Hold();  // page 11h stays selected for both reads
  // States first (selecting page 11h), then ConfigStatus through DPInitPending (202..235).
  CPO_ASSIGN_OR_RETURN(auto lanes, ReadDataPathStates(bank));
  std::array<uint8_t, cmis::kDataPathInitPending + 1 - cmis::kConfigStatusLanes12> status{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kConfigStatusLanes12, status));
  for (size_t i = 0; i < lanes.size(); ++i) {
    hal::LaneDataPath& lane = lanes[i];
    const uint8_t config_status = Nibble(status, i);
    lane.config_status = config_status <= 7 || config_status == 12
                             ? static_cast<hal::ConfigStatus>(config_status)
                             : hal::ConfigStatus::kOther;
    const uint8_t active = status[cmis::kActiveConfigLane1 - cmis::kConfigStatusLanes12 + i];
    lane.app_sel = active >> 4;
    lane.first_lane = bank * cmis::kLanesPerBank + ((active >> 1) & 0x7) + 1;
    lane.init_pending =
        ((status[cmis::kDataPathInitPending - cmis::kConfigStatusLanes12] >> i) & 1) != 0;
  }
  return lanes;
}

Result<hal::BankControls> CmisEngine::ReadBankControls(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  std::array<uint8_t, cmis::kDataPathConfigLane1 + 8 - cmis::kDataPathDeinit> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kDataPathDeinit, block));
  hal::BankControls controls;
  controls.deinit = block[0];
  controls.tx_disable = block[cmis::kTxOutputDisable - cmis::kDataPathDeinit];
  for (size_t i = 0; i < 8; ++i) {
    controls.staged_config[i] = block[cmis::kDataPathConfigLane1 - cmis::kDataPathDeinit + i];
  }
  return controls;
}

Status CmisEngine::ApplyDataPathConfig(int bank, uint8_t lanes,
                                       const std::array<uint8_t, 8>& config) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  CPO_RETURN_IF_ERROR(WriteBlock(cmis::kDataPathConfigLane1, config));
  return WriteByte(cmis::kApplyDataPathInit, lanes);
}

Status CmisEngine::WriteDataPathDeinit(int bank, uint8_t lanes) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  return WriteByte(cmis::kDataPathDeinit, lanes);
}

Status CmisEngine::WriteTxDisable(int bank, uint8_t lanes) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  return WriteByte(cmis::kTxOutputDisable, lanes);
}

namespace {

constexpr size_t kDiagBlock = cmis::kDiagnosticControlsEnd + 1 - cmis::kHostGeneratorEnable;
constexpr size_t At(uint8_t offset) { return offset - cmis::kHostGeneratorEnable; }

void PackPatterns(std::span<uint8_t> block, uint8_t offset,
                  const std::array<hal::PrbsPattern, 8>& patterns) {
  for (size_t lane = 0; lane < 8; ++lane) {
    block[At(offset) + lane / 2] |=
        static_cast<uint8_t>((static_cast<uint8_t>(patterns[lane]) & 0x0f) << (4 * (lane % 2)));
  }
}

std::array<hal::PrbsPattern, 8> UnpackPatterns(std::span<const uint8_t> block, uint8_t offset) {
  std::array<hal::PrbsPattern, 8> patterns{};
  for (size_t lane = 0; lane < 8; ++lane) {
    patterns[lane] =
        static_cast<hal::PrbsPattern>((block[At(offset) + lane / 2] >> (4 * (lane % 2))) & 0x0f);
  }
  return patterns;
}

}  // namespace

Result<std::array<uint8_t, 20>> CmisEngine::ReadLaneMasks(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  std::array<uint8_t, 20> masks{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kLaneMasks, masks));
  return masks;
}

Status CmisEngine::WriteLaneMasks(int bank, const std::array<uint8_t, 20>& masks) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneControls));
  return WriteBlock(cmis::kLaneMasks, masks);
}

Result<hal::DiagnosticControls> CmisEngine::ReadDiagnosticControls(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageDiagnosticControls));
  std::array<uint8_t, kDiagBlock> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kHostGeneratorEnable, block));
  hal::DiagnosticControls controls;
  controls.host_generator = block[At(cmis::kHostGeneratorEnable)];
  controls.media_generator = block[At(cmis::kMediaGeneratorEnable)];
  controls.host_checker = block[At(cmis::kHostCheckerEnable)];
  controls.media_checker = block[At(cmis::kMediaCheckerEnable)];
  controls.host_generator_pattern = UnpackPatterns(block, cmis::kHostGeneratorPattern);
  controls.media_generator_pattern = UnpackPatterns(block, cmis::kMediaGeneratorPattern);
  controls.host_checker_pattern = UnpackPatterns(block, cmis::kHostCheckerPattern);
  controls.media_checker_pattern = UnpackPatterns(block, cmis::kMediaCheckerPattern);
  for (size_t k = 0; k < controls.loopback.size(); ++k) {
    controls.loopback[k] = block[At(cmis::kMediaOutputLoopback) + k];
  }
  return controls;
}

Status CmisEngine::WriteDiagnosticControls(int bank, const hal::DiagnosticControls& controls) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageDiagnosticControls));
  // The whole control block 144..183 in one write; reserved bytes are written as zero.
  std::array<uint8_t, kDiagBlock> block{};
  block[At(cmis::kHostGeneratorEnable)] = controls.host_generator;
  block[At(cmis::kMediaGeneratorEnable)] = controls.media_generator;
  block[At(cmis::kHostCheckerEnable)] = controls.host_checker;
  block[At(cmis::kMediaCheckerEnable)] = controls.media_checker;
  PackPatterns(block, cmis::kHostGeneratorPattern, controls.host_generator_pattern);
  PackPatterns(block, cmis::kMediaGeneratorPattern, controls.media_generator_pattern);
  PackPatterns(block, cmis::kHostCheckerPattern, controls.host_checker_pattern);
  PackPatterns(block, cmis::kMediaCheckerPattern, controls.media_checker_pattern);
  if (controls.reset_statistics) block[At(cmis::kDiagnosticOptions)] = cmis::kResetErrorStatistics;
  for (size_t k = 0; k < controls.loopback.size(); ++k) {
    block[At(cmis::kMediaOutputLoopback) + k] = controls.loopback[k];
  }
  return WriteBlock(cmis::kHostGeneratorEnable, block);
}

Result<std::array<hal::PrbsLaneResult, 8>> CmisEngine::ReadDiagnosticResults(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageDiagnosticResults));
  std::array<hal::PrbsLaneResult, 8> lanes{};
  CPO_RETURN_IF_ERROR(WriteByte(cmis::kDiagnosticSelector, cmis::kSelectBer));
  std::array<uint8_t, 2> lost_lock{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kHostCheckerLostLock, lost_lock));
  std::array<uint8_t, 32> ber{};  // host 192..207, media 208..223
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kHostBerLane1, ber));
  CPO_RETURN_IF_ERROR(WriteByte(cmis::kDiagnosticSelector, cmis::kSelectSnr));
  std::array<uint8_t, 16> host_snr{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kHostSnrLane1, host_snr));
  std::array<uint8_t, 16> media_snr{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kMediaSnrLane1, media_snr));
  for (size_t i = 0; i < lanes.size(); ++i) {
    hal::PrbsLaneResult& lane = lanes[i];
    lane.lane = bank * cmis::kLanesPerBank + static_cast<int>(i) + 1;
    lane.host_locked = ((lost_lock[0] >> i) & 1) == 0;
    lane.media_locked = ((lost_lock[1] >> i) & 1) == 0;
    lane.host_ber = CmisF16(U16(ber, 2 * i));
    lane.media_ber = CmisF16(U16(ber, 16 + 2 * i));
    lane.host_snr_db = U16(host_snr, 2 * i) / 256.0;
    lane.media_snr_db = U16(media_snr, 2 * i) / 256.0;
  }
  return lanes;
}

}  // namespace cpo::drivers
