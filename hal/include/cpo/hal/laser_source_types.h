// Values an external laser source (ELSFP) reports, in physical units. Shared by the HAL and its
// backends.
#pragma once

#include <cstdint>
#include <string_view>

#include "cpo/hal/optical_engine_types.h"

namespace cpo::hal {

// OIF ELSFP lane state (page 1Ah 221-222, two bits a lane).
enum class LaserLaneState : uint8_t { kOff = 0, kRamping = 1, kOn = 2, kUnknown = 3 };
std::string_view LaserLaneStateName(LaserLaneState state);  // "off", "ramping", "on"

enum class LaserControlMode : uint8_t { kConstantCurrent = 0, kConstantPower = 1 };

// What the source says it can do, and its thresholds (page 1Ah, read once).
struct LaserSourceCapabilities {
  int lanes = 0;
  LaserControlMode mode = LaserControlMode::kConstantPower;
  double max_power_mw = 0;
  double min_power_mw = 0;
  double max_bias_ma = 0;
  double min_bias_ma = 0;
  double fiber_check_setpoint_mw = 0;
  Thresholds bias_ma;
  Thresholds power_mw;
};

// One laser lane now (pages 1Ah and 1Bh).
struct LaserLaneStatus {
  int lane = 0;  // 1-based
  LaserLaneState state = LaserLaneState::kUnknown;
  bool enabled = false;
  bool fiber_checked = false;
  int fiber = 0;  // output fibre it feeds (0: none)
  double bias_ma = 0;
  double power_mw = 0;
  double bias_setpoint_ma = 0;
  double power_setpoint_mw = 0;
  bool fault = false;
  uint8_t fault_code = 0;  // 1 APC loop, 2 ACC loop, 9-15 vendor
  uint8_t warning_code = 0;
  ThresholdFlags bias_flags;  // latched, cleared on the source by this read
  ThresholdFlags power_flags;
};

}  // namespace cpo::hal
