#include "cpo/drivers/elsfp/elsfp_module.h"

#include <fmt/format.h>

#include <cmath>

#include "cpo/drivers/cmis/cmis_map.h"
#include "cpo/drivers/elsfp/elsfp_map.h"

namespace cpo::drivers {
namespace {

using namespace elsfp;  // NOLINT(google-build-using-namespace): register names only

// Flags of lane `bit` from four consecutive bit/lane bytes (HA, LA, HW, LW).
hal::ThresholdFlags LaneFlags(std::span<const uint8_t> bytes, size_t at, size_t bit) {
  auto flag = [&](size_t k) { return ((bytes[at + k] >> bit) & 1) != 0; };
  return {
      .high_alarm = flag(0), .low_alarm = flag(1), .high_warning = flag(2), .low_warning = flag(3)};
}

bool IsLatchedLaserByte(uint8_t page, uint8_t offset) {
  return page == kPageLaserControl && offset >= kLaneFlags && offset < kLaneFlags + 8;
}

}  // namespace

ElsfpModule::ElsfpModule(std::shared_ptr<transport::TwoWire> bus, uint8_t address7, int lanes,
                         hal::ProcessRole role, PageRelocation relocation)
    : access_(std::move(bus), address7, IsLatchedLaserByte, role, relocation), lanes_(lanes) {}

Status ElsfpModule::CheckBank(int bank) const {
  if (bank < 0 || bank * 8 >= lanes_) {
    return Status(StatusCode::kOutOfRange,
                  fmt::format("bank {} is outside the laser source's {} lanes", bank, lanes_));
  }
  return Status::Ok();
}

Result<hal::EngineIdentity> ElsfpModule::ReadIdentity() { return access_.ReadIdentity(); }
Result<hal::ModuleStatus> ElsfpModule::ReadModuleStatus() { return access_.ReadModuleStatus(); }
Result<hal::ModuleMonitors> ElsfpModule::ReadModuleMonitors() {
  return access_.ReadModuleMonitors();
}
Result<std::array<uint8_t, 256>> ElsfpModule::ReadWindow(uint8_t bank, uint8_t page) {
  return access_.ReadWindow(bank, page);
}

Status ElsfpModule::ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                                    std::span<uint8_t> out) {
  return access_.ReadWindowBytes(bank, page, offset, out);
}

Status ElsfpModule::WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                                std::span<const uint8_t> bytes) {
  return access_.WriteWindow(bank, page, offset, bytes);
}
Status ElsfpModule::SetLowPower(bool low_power) { return access_.SetLowPower(low_power); }

Result<hal::LaserSourceCapabilities> ElsfpModule::ReadCapabilities() {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(access_.SelectPage(0, kPageLaserControl));
  // Limits, mode and thresholds: 128..156 in one block; the fibre-check setpoint alone.
  std::array<uint8_t, kPowerThresholds + 8 - kMaxPower> block{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kMaxPower, block));
  std::array<uint8_t, 1> setpoint{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kFiberCheckSetpoint, setpoint));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - kMaxPower); };
  hal::LaserSourceCapabilities caps;
  caps.max_power_mw = CmisU16(block, at(kMaxPower)) * kMwPerPowerUnit;
  caps.min_power_mw = CmisU16(block, at(kMaxPower) + 2) * kMwPerPowerUnit;
  caps.max_bias_ma = CmisU16(block, at(kMaxBias)) * kMaPerBiasUnit;
  caps.min_bias_ma = CmisU16(block, at(kMaxBias) + 2) * kMaPerBiasUnit;
  caps.lanes = block[at(kControlMode)] >> 1;
  caps.mode = (block[at(kControlMode)] & 1) != 0 ? hal::LaserControlMode::kConstantPower
                                                 : hal::LaserControlMode::kConstantCurrent;
  caps.bias_ma = CmisThresholdsAt(block, at(kBiasThresholds), kMaPerBiasUnit);
  caps.power_mw = CmisThresholdsAt(block, at(kPowerThresholds), kMwPerPowerUnit);
  caps.fiber_check_setpoint_mw = setpoint[0];
  // Module temperature and Vcc thresholds (page 02h, as every CMIS module has them).
  CPO_RETURN_IF_ERROR(access_.SelectPage(0, cmis::kPageThresholds));
  std::array<uint8_t, cmis::kVccThresholds + 8 - cmis::kTemperatureThresholds> module{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(cmis::kTemperatureThresholds, module));
  caps.temperature_c = CmisThresholdsAt(module, 0, 1.0 / 256, /*is_signed=*/true);
  caps.vcc_v =
      CmisThresholdsAt(module, cmis::kVccThresholds - cmis::kTemperatureThresholds, 100e-6);
  return caps;
}

Result<std::vector<hal::LaserLaneStatus>> ElsfpModule::ReadLanes(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  // Page 1Ah 166..231: fault flags through the fibre map, one block (reading clears the latched
  // lane flags at 186..193); page 1Bh 128..215: setpoints and monitors, one block.
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  std::array<uint8_t, kFiberMap + 8 - kFaultFlags> control{};
  CPO_RETURN_IF_ERROR(access_.ReadBlockOf(kPageLaserControl, kFaultFlags, control));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserMonitors));
  std::array<uint8_t, kPowerMonitor + 16 - kBiasSetpoint> monitors{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kBiasSetpoint, monitors));
  auto c = [](uint8_t offset) { return static_cast<size_t>(offset - kFaultFlags); };
  auto m = [](uint8_t offset) { return static_cast<size_t>(offset - kBiasSetpoint); };
  std::vector<hal::LaserLaneStatus> lanes;
  for (size_t i = 0; i < 8 && bank * 8 + static_cast<int>(i) < lanes_; ++i) {
    hal::LaserLaneStatus lane;
    const size_t global = static_cast<size_t>(bank) * 8 + i;  // for the lanes 1-32 fault flags
    lane.lane = static_cast<int>(global) + 1;
    lane.fault = ((control[c(kFaultFlags) + global / 8] >> (global % 8)) & 1) != 0;
    lane.flags_read = !access_.observer();
    lane.bias_flags = LaneFlags(control, c(kLaneFlags), i);
    lane.power_flags = LaneFlags(control, c(kLaneFlags) + 4, i);
    lane.fault_code = control[c(kLaneCodes) + i] & 0x0f;
    lane.warning_code = control[c(kLaneCodes) + i] >> 4;
    lane.enabled = ((control[c(kLaneEnable)] >> i) & 1) != 0;
    const uint8_t state = (control[c(kLaneState) + i / 4] >> (2 * (i % 4))) & 3;
    lane.state = static_cast<hal::LaserLaneState>(state);
    lane.fiber_checked = ((control[c(kFiberChecked)] >> i) & 1) != 0;
    lane.fiber = control[c(kFiberMap) + i];
    lane.bias_setpoint_ma = CmisU16(monitors, m(kBiasSetpoint) + 2 * i) * kMaPerBiasUnit;
    lane.power_setpoint_mw = CmisU16(monitors, m(kPowerSetpoint) + 2 * i) * kMwPerPowerUnit;
    lane.bias_ma = CmisU16(monitors, m(kBiasMonitor) + 2 * i) * kMaPerBiasUnit;
    lane.power_mw = CmisU16(monitors, m(kPowerMonitor) + 2 * i) * kMwPerPowerUnit;
    lanes.push_back(lane);
  }
  return lanes;
}

Result<std::vector<hal::LaserLaneStatus>> ElsfpModule::ReadLaneStates(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  std::array<uint8_t, kFiberChecked + 1 - kLaneCodes> control{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kLaneCodes, control));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserMonitors));
  std::array<uint8_t, 16> power{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kPowerMonitor, power));
  auto c = [](uint8_t offset) { return static_cast<size_t>(offset - kLaneCodes); };
  std::vector<hal::LaserLaneStatus> lanes;
  for (size_t i = 0; i < 8 && bank * 8 + static_cast<int>(i) < lanes_; ++i) {
    hal::LaserLaneStatus lane;
    lane.lane = bank * 8 + static_cast<int>(i) + 1;
    lane.fault_code = control[c(kLaneCodes) + i] & 0x0f;
    lane.warning_code = control[c(kLaneCodes) + i] >> 4;
    lane.fault = lane.fault_code != 0;
    lane.enabled = ((control[c(kLaneEnable)] >> i) & 1) != 0;
    lane.state =
        static_cast<hal::LaserLaneState>((control[c(kLaneState) + i / 4] >> (2 * (i % 4))) & 3);
    lane.fiber_checked = ((control[c(kFiberChecked)] >> i) & 1) != 0;
    lane.power_mw = CmisU16(power, 2 * i) * kMwPerPowerUnit;
    lanes.push_back(lane);
  }
  return lanes;
}

Status ElsfpModule::WriteLaneEnable(int bank, uint8_t lanes) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  return access_.WriteByte(kLaneEnable, lanes);
}

Status ElsfpModule::WriteFiberChecked(int bank, uint8_t lanes) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  return access_.WriteByte(kFiberChecked, lanes);
}

Status ElsfpModule::WriteFiberMap(int bank, const std::array<uint8_t, 8>& fiber_of_lane) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  return access_.WriteBlock(kFiberMap, fiber_of_lane);
}

Status ElsfpModule::WriteSetpoints(int lane, double bias_ma, double power_mw) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  if (lane < 1 || lane > lanes_) {
    return Status(StatusCode::kOutOfRange,
                  fmt::format("lane {} is outside the laser source's lanes 1..{}", lane, lanes_));
  }
  const int64_t bias = std::llround(bias_ma / kMaPerBiasUnit);
  const int64_t power = std::llround(power_mw / kMwPerPowerUnit);
  if (bias < 0 || bias > 0xffff || power < 0 || power > 0xffff) {
    return Status(
        StatusCode::kOutOfRange,
        fmt::format("setpoints {} mA / {} mW do not fit the 16-bit registers", bias_ma, power_mw));
  }
  const int bank = (lane - 1) / 8;
  const auto k = static_cast<uint8_t>((lane - 1) % 8);
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserMonitors));
  const std::array<uint8_t, 2> bias_bytes = {static_cast<uint8_t>(bias >> 8),
                                             static_cast<uint8_t>(bias & 0xff)};
  CPO_RETURN_IF_ERROR(access_.WriteBlock(static_cast<uint8_t>(kBiasSetpoint + 2 * k), bias_bytes));
  const std::array<uint8_t, 2> power_bytes = {static_cast<uint8_t>(power >> 8),
                                              static_cast<uint8_t>(power & 0xff)};
  return access_.WriteBlock(static_cast<uint8_t>(kPowerSetpoint + 2 * k), power_bytes);
}

Status ElsfpModule::WritePowerSetpoints(int bank, const std::array<double, 8>& power_mw) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  std::array<uint8_t, 16> bytes{};
  for (size_t k = 0; k < 8; ++k) {
    const int64_t code = std::llround(power_mw[k] / kMwPerPowerUnit);
    if (code < 0 || code > 0xffff) {
      return Status(
          StatusCode::kOutOfRange,
          fmt::format("power setpoint {} mW does not fit the 16-bit register", power_mw[k]));
    }
    bytes[2 * k] = static_cast<uint8_t>(code >> 8);
    bytes[2 * k + 1] = static_cast<uint8_t>(code & 0xff);
  }
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserMonitors));
  return access_.WriteBlock(kPowerSetpoint, bytes);
}

Status ElsfpModule::WriteLaneMasks(int bank, const std::array<uint8_t, 8>& masks) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  return access_.WriteBlock(kLaneMasks, masks);
}

Result<std::vector<hal::LaserLaneElectrical>> ElsfpModule::ReadElectrical(int bank) {
  const auto hold = access_.Hold();
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserMonitors));
  std::array<uint8_t, kIcc + 2 - kLaneVoltage> block{};  // 232..241
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kLaneVoltage, block));
  std::vector<hal::LaserLaneElectrical> lanes;
  for (size_t i = 0; i < 8 && bank * 8 + static_cast<int>(i) < lanes_; ++i) {
    lanes.push_back({bank * 8 + static_cast<int>(i) + 1, block[i] * kVoltsPerVoltageUnit,
                     CmisU16(block, kIcc - kLaneVoltage) * kMaPerIccUnit});
  }
  return lanes;
}

Result<std::array<uint8_t, 8>> ElsfpModule::ReadLaneMasks(int bank) {
  const auto hold = access_.Hold();
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  CPO_RETURN_IF_ERROR(access_.SelectPage(static_cast<uint8_t>(bank), kPageLaserControl));
  std::array<uint8_t, 8> masks{};
  CPO_RETURN_IF_ERROR(access_.ReadBlock(kLaneMasks, masks));
  return masks;
}

Status ElsfpModule::SaveRestore(const hal::LaserSetCommand& command) {
  CPO_ASSIGN_OR_RETURN(const uint8_t code, hal::LaserSetCommandCode(command));
  const std::string what = hal::LaserSetCommandName(command);
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(access_.SelectPage(0, kPageLaserControl));
  CPO_RETURN_IF_ERROR(access_.WriteByte(kSaveRestore, code));
  // The copy takes the module a moment; each read is a bus transaction, so a few suffice.
  constexpr int kResultPolls = 20;
  constexpr uint8_t kSuccess = 1, kInProgress = 2, kInvalid = 3, kNothingSaved = 4, kFailed = 8;
  std::array<uint8_t, 1> result{};
  for (int poll = 0; poll < kResultPolls; ++poll) {
    CPO_RETURN_IF_ERROR(access_.ReadBlock(kSaveRestoreResult, result));
    if (result[0] != kInProgress) break;
  }
  switch (result[0]) {
    case kSuccess:
      return Status::Ok();
    case kInProgress:
      return {StatusCode::kTimeout,
              fmt::format("{}: still in progress after {} reads of 1Ah:185", what, kResultPolls)};
    case kInvalid:
      return {StatusCode::kNotSupported,
              fmt::format("{}: the laser source does not know command 0x{:02X} (1Ah:185 = 3)", what,
                          code)};
    case kNothingSaved:
      return {StatusCode::kFailedPrecondition,
              fmt::format("{}: nothing was saved in that slot (1Ah:185 = 4); save it first", what)};
    case kFailed:
      return {StatusCode::kFailedPrecondition,
              fmt::format("{}: the laser source failed it (1Ah:185 = 8), as a module does during "
                          "a power transition or in ModuleFault; check 'cpoctl show els' and retry",
                          what)};
    default:
      return {StatusCode::kDataLoss,
              fmt::format("{}: 1Ah:185 = {} is no OIF-ELSFP confirmation code", what, result[0])};
  }
}

}  // namespace cpo::drivers
