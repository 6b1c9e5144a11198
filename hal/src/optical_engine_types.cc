#include "cpo/hal/optical_engine_types.h"

#include "cpo/hal/laser_source_types.h"

namespace cpo::hal {

std::string_view ModuleStateName(ModuleState state) {
  switch (state) {
    case ModuleState::kLowPower:
      return "LowPwr";
    case ModuleState::kPoweringUp:
      return "PwrUp";
    case ModuleState::kReady:
      return "Ready";
    case ModuleState::kPoweringDown:
      return "PwrDn";
    case ModuleState::kFault:
      return "Fault";
    case ModuleState::kUnknown:
      break;
  }
  return "Unknown";
}

std::string_view ModuleFaultCauseName(ModuleFaultCause cause) {
  switch (cause) {
    case ModuleFaultCause::kNone:
      return "none";
    case ModuleFaultCause::kTecRunaway:
      return "tec-runaway";
    case ModuleFaultCause::kDataMemoryCorrupted:
      return "data-memory-corrupted";
    case ModuleFaultCause::kProgramMemoryCorrupted:
      return "program-memory-corrupted";
    case ModuleFaultCause::kTxFault:
      return "tx-fault";
    case ModuleFaultCause::kRxFault:
      return "rx-fault";
    case ModuleFaultCause::kTemperature:
      return "temperature";
    case ModuleFaultCause::kVendor:
      break;
  }
  return "vendor";
}

std::string_view LaserLaneStateName(LaserLaneState state) {
  switch (state) {
    case LaserLaneState::kOff:
      return "off";
    case LaserLaneState::kRamping:
      return "ramping";
    case LaserLaneState::kOn:
      return "on";
    case LaserLaneState::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace cpo::hal
