// Values an optical engine reports, in physical units. Shared by the HAL API and its backends.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpo/hal/data_path_types.h"
#include "cpo/hal/diagnostics_types.h"

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

// CMIS module fault cause (lower page byte 41).
enum class ModuleFaultCause : uint8_t {
  kNone = 0,
  kTecRunaway = 1,
  kDataMemoryCorrupted = 2,
  kProgramMemoryCorrupted = 3,
  kTxFault = 4,
  kRxFault = 5,
  kTemperature = 6,
  kVendor = 7,  // any other code
};
std::string_view ModuleFaultCauseName(ModuleFaultCause cause);  // "none", "tec-runaway", ...

// One monitored quantity's latched threshold flags (set since the previous read).
struct ThresholdFlags {
  bool high_alarm = false;
  bool low_alarm = false;
  bool high_warning = false;
  bool low_warning = false;
  bool any() const { return high_alarm || low_alarm || high_warning || low_warning; }
};

struct ModuleFlags {
  bool state_changed = false;  // ModuleStateChanged
  ThresholdFlags temperature;
  ThresholdFlags vcc;
};

// Masks of one lane's flags (true = masked: the flag latches and is reported, but does not
// assert IntL).
struct LaneFlagMasks {
  bool data_path_state_changed = false;
  ThresholdFlags tx_power;
  ThresholdFlags tx_bias;
  ThresholdFlags rx_power;
};

struct ModuleMonitors {
  ModuleState state = ModuleState::kUnknown;
  bool interrupt = false;  // IntL asserted: an unmasked latched flag is pending
  ModuleFlags flags;       // latched flags, cleared on the engine by this read
  // False when an observer read the monitors: the latched flags are the owner's to read, and
  // `flags` says nothing.
  bool flags_read = true;
  ModuleFlags masks;  // true = that flag still latches but does not assert IntL
  ModuleFaultCause fault_cause = ModuleFaultCause::kNone;
  bool low_power_requested = false;  // LowPwrRequestSW, or the LPMode pin where allowed
  double temperature_c = 0;
  double vcc_v = 0;
};

// Upper bounds the engine advertises (page 01h) for its state transitions.
struct EngineDurations {
  std::chrono::milliseconds module_power_up{0};
  std::chrono::milliseconds module_power_down{0};
  std::chrono::milliseconds data_path_init{0};
  std::chrono::milliseconds data_path_deinit{0};
  std::chrono::milliseconds tx_turn_on{0};
  std::chrono::milliseconds tx_turn_off{0};
};

// What the engine says it can do (page 01h), read once.
struct EngineAdvertising {
  EngineDurations durations;
  uint8_t hardware_major = 0;
  uint8_t hardware_minor = 0;
  uint8_t inactive_firmware_major = 0;
  uint8_t inactive_firmware_minor = 0;
  bool vdm_supported = false;
  bool diagnostics_pages_supported = false;  // pages 13h/14h
  // Lane banks the module serves (page 01h byte 142 bits 1-0: 1, 2 or 4 banks; code 3 defers to
  // byte 174 bits 4-0, ExtraLaneBanksSupported, read as the bank count).
  int banks = 1;
  // What a host may use (page 01h): Tx output disable (155 bit 1), the module monitors (159)
  // and the lane monitors (160; Tx bias in 2 uA units times tx_bias_multiplier).
  bool tx_disable_supported = false;
  bool rx_los_supported = false;      // 01h:158 bit 1
  bool rx_cdr_lol_supported = false;  // 01h:158 bit 2
  bool temperature_monitor = false;
  bool vcc_monitor = false;
  bool tx_bias_monitor = false;
  bool tx_power_monitor = false;
  bool rx_power_monitor = false;
  int tx_bias_multiplier = 1;
  uint8_t media_type = 0;                 // SFF-8024 media type (lower page 85)
  std::vector<Application> applications;  // lower page 86-117, AppSel 1 first
  DiagnosticCapabilities diagnostics;     // page 13h, when supported
  // The application selected by app_sel, or null.
  const Application* FindApplication(int app_sel) const {
    for (const auto& app : applications) {
      if (app.app_sel == app_sel) return &app;
    }
    return nullptr;
  }
};

// Module state and IntL alone (lower page byte 3): the cheap read bring-up polls.
struct ModuleStatus {
  ModuleState state = ModuleState::kUnknown;
  bool interrupt = false;
};

struct LaneMonitors {
  int lane = 0;  // 1-based CMIS lane
  // A monitor the module does not advertise (01h:160 bits 0-2) is not supported by this module:
  // its value is NaN and its flags stay clear, so no one reads a number that means nothing.
  bool tx_power_supported = true;
  bool tx_bias_supported = true;
  bool rx_power_supported = true;
  double tx_power_mw = 0;
  double tx_bias_ma = 0;
  double rx_power_mw = 0;
  // Latched flags, cleared on the engine by this read; not read by an observer (flags_read).
  bool flags_read = true;
  ThresholdFlags tx_power_flags;
  ThresholdFlags tx_bias_flags;
  ThresholdFlags rx_power_flags;
  // Loss of the received signal and of the receiver's clock (11h:147/148, latched), when the
  // module advertises them (01h:158 bits 1, 2).
  bool rx_los = false;
  bool rx_cdr_lol = false;
};

struct Thresholds {
  double high_alarm = 0;
  double low_alarm = 0;
  double high_warning = 0;
  double low_warning = 0;
};

// Page 02h, in physical units.
struct EngineThresholds {
  Thresholds temperature_c;
  Thresholds vcc_v;
  Thresholds tx_power_mw;
  Thresholds tx_bias_ma;
  Thresholds rx_power_mw;
};

// What the HAL remembers of one flag across reads.
struct FlagRecord {
  std::string name;        // "temperature.high_alarm", "lane5.rx_power.low_warning", ...
  bool latched = false;    // as of the latest read
  uint64_t set_count = 0;  // reads that found it newly set
  std::optional<std::chrono::nanoseconds> last_set;    // device time of the latest such read
  std::optional<std::chrono::nanoseconds> last_clear;  // device time it was first seen clear again
};

}  // namespace cpo::hal
