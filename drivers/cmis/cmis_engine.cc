#include "cpo/drivers/cmis/cmis_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <numeric>

#include "cpo/drivers/cmis/cmis_map.h"

namespace cpo::drivers {
namespace {

uint16_t U16(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

std::string Text(std::span<const uint8_t> bytes, size_t at, size_t width) {
  std::string text(bytes.begin() + static_cast<ptrdiff_t>(at),
                   bytes.begin() + static_cast<ptrdiff_t>(at + width));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.pop_back();
  return text;
}

// Four consecutive flag bits (HA, LA, HW, LW) starting at `bit` of one byte.
hal::ThresholdFlags FlagsFromNibble(uint8_t byte, int bit) {
  return {.high_alarm = ((byte >> bit) & 1) != 0,
          .low_alarm = ((byte >> (bit + 1)) & 1) != 0,
          .high_warning = ((byte >> (bit + 2)) & 1) != 0,
          .low_warning = ((byte >> (bit + 3)) & 1) != 0};
}

// A lane's flags from four consecutive bit/lane bytes (HA, LA, HW, LW).
hal::ThresholdFlags FlagsOfLane(std::span<const uint8_t> bytes, size_t at, size_t lane) {
  auto bit = [&](size_t k) { return ((bytes[at + k] >> lane) & 1) != 0; };
  return {.high_alarm = bit(0), .low_alarm = bit(1), .high_warning = bit(2), .low_warning = bit(3)};
}

// The inverse of FlagsFromNibble.
uint8_t NibbleFromFlags(const hal::ThresholdFlags& flags) {
  return static_cast<uint8_t>((flags.high_alarm ? 1 : 0) | (flags.low_alarm ? 2 : 0) |
                              (flags.high_warning ? 4 : 0) | (flags.low_warning ? 8 : 0));
}

}  // namespace

CmisEngine::CmisEngine(std::shared_ptr<transport::TwoWire> bus, uint8_t address7, int lanes)
    : bus_(std::move(bus)), address7_(address7), lanes_(lanes) {}

Status CmisEngine::SelectPage(uint8_t bank, uint8_t page) {
  const std::array<uint8_t, 3> select = {cmis::kBankSelect, bank, page};
  return bus_->Write(address7_, select);
}

Status CmisEngine::ReadBlock(uint8_t offset, std::span<uint8_t> out) {
  const std::array<uint8_t, 1> where = {offset};
  return bus_->WriteRead(address7_, where, out);
}

Result<hal::EngineIdentity> CmisEngine::ReadIdentity() {
  // Lower page 0..40 (identifier, revision, ..., active firmware) and page 00h 128..222 (vendor
  // fields through the checksum): one block each.
  std::array<uint8_t, 41> lower{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kIdentifier, lower));
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageAdvertising));
  std::array<uint8_t, 95> upper{};  // bytes 128..222
  CPO_RETURN_IF_ERROR(ReadBlock(128, upper));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - 128); };

  hal::EngineIdentity id;
  id.identifier = lower[cmis::kIdentifier];
  id.cmis_major = lower[1] >> 4;
  id.cmis_minor = lower[1] & 0x0f;
  id.firmware_major = lower[cmis::kActiveFirmwareMajor];
  id.firmware_minor = lower[cmis::kActiveFirmwareMajor + 1];
  id.vendor_name = Text(upper, at(cmis::kVendorName), 16);
  for (size_t i = 0; i < 3; ++i) id.vendor_oui[i] = upper[at(cmis::kVendorOui) + i];
  id.part_number = Text(upper, at(cmis::kPartNumber), 16);
  id.revision = Text(upper, at(cmis::kRevision), 2);
  id.serial_number = Text(upper, at(cmis::kSerialNumber), 16);
  id.date_code = Text(upper, at(cmis::kDateCode), 8);
  const uint32_t sum = std::accumulate(upper.begin(), upper.begin() + at(cmis::kChecksum), 0u);
  id.checksum_ok = (sum & 0xff) == upper[at(cmis::kChecksum)];
  return id;
}

Result<hal::EngineAdvertising> CmisEngine::ReadAdvertising() {
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageCapabilities));
  // Bytes 128..168: firmware and hardware versions through the durations, one block.
  std::array<uint8_t, cmis::kTxDurations + 1 - 128> block{};
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
  hal::EngineDurations& d = advertising.durations;
  d.data_path_init = bound(at(cmis::kDataPathDurations) & 0x0f);
  d.data_path_deinit = bound(at(cmis::kDataPathDurations) >> 4);
  d.module_power_up = bound(at(cmis::kModuleDurations) & 0x0f);
  d.module_power_down = bound(at(cmis::kModuleDurations) >> 4);
  d.tx_turn_on = bound(at(cmis::kTxDurations) & 0x0f);
  d.tx_turn_off = bound(at(cmis::kTxDurations) >> 4);
  return advertising;
}

Result<hal::EngineThresholds> CmisEngine::ReadThresholds() {
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageThresholds));
  // 128..199: temperature and Vcc, then Tx power, Tx bias and Rx power (one block).
  std::array<uint8_t, cmis::kRxPowerThresholds + 8 - cmis::kTemperatureThresholds> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kTemperatureThresholds, block));
  auto set = [&](uint8_t offset, double unit, bool is_signed) {
    auto value = [&](size_t k) {
      const uint16_t raw =
          U16(block, static_cast<size_t>(offset - cmis::kTemperatureThresholds) + 2 * k);
      return (is_signed ? static_cast<int16_t>(raw) : raw) * unit;
    };
    return hal::Thresholds{value(0), value(1), value(2), value(3)};
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
  // Bytes 3..41 in one block: state, flags, monitors, controls, masks, firmware, fault cause.
  std::array<uint8_t, cmis::kModuleFaultCause + 1 - cmis::kModuleState> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kModuleState, block));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - cmis::kModuleState); };
  hal::ModuleMonitors monitors;
  const int state = (block[at(cmis::kModuleState)] >> 1) & 0x7;
  monitors.state =
      state >= 1 && state <= 5 ? static_cast<hal::ModuleState>(state) : hal::ModuleState::kUnknown;
  const uint8_t cause = block[at(cmis::kModuleFaultCause)];
  monitors.fault_cause =
      cause <= 6 ? static_cast<hal::ModuleFaultCause>(cause) : hal::ModuleFaultCause::kVendor;
  monitors.low_power_requested = (block[at(cmis::kControls)] & cmis::kControlLowPwrRequestSw) != 0;
  monitors.interrupt = (block[at(cmis::kModuleState)] & 0x01) == 0;
  monitors.flags.state_changed = (block[at(cmis::kModuleFlags)] & 0x01) != 0;
  monitors.flags.temperature = FlagsFromNibble(block[at(cmis::kTempVccFlags)], 0);
  monitors.flags.vcc = FlagsFromNibble(block[at(cmis::kTempVccFlags)], 4);
  monitors.masks.state_changed = (block[at(cmis::kModuleFlagsMask)] & 0x01) != 0;
  monitors.masks.temperature = FlagsFromNibble(block[at(cmis::kTempVccFlagsMask)], 0);
  monitors.masks.vcc = FlagsFromNibble(block[at(cmis::kTempVccFlagsMask)], 4);
  monitors.temperature_c = static_cast<int16_t>(U16(block, at(cmis::kTemperature))) / 256.0;
  monitors.vcc_v = U16(block, at(cmis::kSupplyVoltage)) * 100e-6;
  return monitors;
}

Status CmisEngine::WriteByte(uint8_t offset, uint8_t value) {
  const std::array<uint8_t, 2> write = {offset, value};
  return bus_->Write(address7_, write);
}

Status CmisEngine::SetLowPower(bool low_power) {
  std::array<uint8_t, 1> controls{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kControls, controls));
  // Software decides from now on: the LPMode pin no longer holds the module in low power.
  uint8_t value = controls[0] & ~(cmis::kControlLowPwrAllowRequestHw | cmis::kControlSoftwareReset);
  value = low_power ? (value | cmis::kControlLowPwrRequestSw)
                    : (value & ~cmis::kControlLowPwrRequestSw);
  return WriteByte(cmis::kControls, static_cast<uint8_t>(value));
}

Status CmisEngine::SetModuleFlagMasks(const hal::ModuleFlags& masks) {
  // Bytes 31 and 32 in one write; the other bits of byte 31 (firmware fault masks) stay clear.
  const std::array<uint8_t, 3> write = {
      cmis::kModuleFlagsMask, static_cast<uint8_t>(masks.state_changed ? 0x01 : 0x00),
      static_cast<uint8_t>(NibbleFromFlags(masks.temperature) | NibbleFromFlags(masks.vcc) << 4)};
  return bus_->Write(address7_, write);
}

Status CmisEngine::SoftwareReset() {
  std::array<uint8_t, 1> controls{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kControls, controls));
  return WriteByte(cmis::kControls,
                   static_cast<uint8_t>(controls[0] | cmis::kControlSoftwareReset));
}

Result<std::array<uint8_t, 256>> CmisEngine::ReadWindow(uint8_t bank, uint8_t page) {
  CPO_RETURN_IF_ERROR(SelectPage(bank, page));
  std::array<uint8_t, 256> window{};
  CPO_RETURN_IF_ERROR(ReadBlock(0, std::span(window).first(128)));
  CPO_RETURN_IF_ERROR(ReadBlock(128, std::span(window).last(128)));
  return window;
}

Result<std::vector<hal::LaneMonitors>> CmisEngine::ReadLaneMonitors(int bank) {
  if (bank < 0 || bank * cmis::kLanesPerBank >= lanes_) {
    return Status(StatusCode::kOutOfRange,
                  fmt::format("bank {} is outside the engine's {} lanes", bank, lanes_));
  }
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageLaneStatus));
  // Latched threshold flags and the monitors of 8 lanes are one contiguous block: 139..201.
  constexpr uint8_t kFirst = cmis::kTxPowerHighAlarm;
  std::array<uint8_t, cmis::kRxPowerLane1 + 16 - kFirst> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(kFirst, block));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - kFirst); };
  std::vector<hal::LaneMonitors> lanes;
  for (size_t i = 0; i < cmis::kLanesPerBank; ++i) {
    hal::LaneMonitors lane;
    lane.lane = bank * cmis::kLanesPerBank + static_cast<int>(i) + 1;
    lane.tx_power_mw = U16(block, at(cmis::kTxPowerLane1) + 2 * i) * 1e-4;
    lane.tx_bias_ma = U16(block, at(cmis::kTxBiasLane1) + 2 * i) * 2e-3;
    lane.rx_power_mw = U16(block, at(cmis::kRxPowerLane1) + 2 * i) * 1e-4;
    lane.tx_power_flags = FlagsOfLane(block, at(cmis::kTxPowerHighAlarm), i);
    lane.tx_bias_flags = FlagsOfLane(block, at(cmis::kTxBiasHighAlarm), i);
    lane.rx_power_flags = FlagsOfLane(block, at(cmis::kRxPowerHighAlarm), i);
    lanes.push_back(lane);
  }
  return lanes;
}

}  // namespace cpo::drivers
