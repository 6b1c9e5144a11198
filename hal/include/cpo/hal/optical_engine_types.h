// Values an optical engine reports, in physical units. Shared by the HAL API and its backends.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpo::hal {

struct EngineIdentity {
  uint8_t identifier = 0;  // SFF-8024 identifier (0x80: vendor allocation, used for CPO engines)
  uint8_t cmis_major = 0;
  uint8_t cmis_minor = 0;
  std::string vendor_name;  // trailing spaces removed
  std::array<uint8_t, 3> vendor_oui{};
  std::string part_number;
  std::string revision;
  std::string serial_number;
  std::string date_code;  // YYMMDDLL
  uint8_t firmware_major = 0;
  uint8_t firmware_minor = 0;
  bool checksum_ok = false;  // page 00h byte 222 matches bytes 128-221
};

// CMIS module state (lower page byte 3 bits 3-1).
enum class ModuleState : uint8_t {
  kUnknown = 0,
  kLowPower = 1,
  kPoweringUp = 2,
  kReady = 3,
  kPoweringDown = 4,
  kFault = 5,
};
std::string_view ModuleStateName(ModuleState state);  // "LowPwr", "Ready", ...

struct ModuleMonitors {
  ModuleState state = ModuleState::kUnknown;
  double temperature_c = 0;
  double vcc_v = 0;
};

struct LaneMonitors {
  int lane = 0;  // 1-based CMIS lane
  double tx_power_mw = 0;
  double tx_bias_ma = 0;
  double rx_power_mw = 0;
};

}  // namespace cpo::hal
