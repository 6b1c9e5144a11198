#include "cpo/hal/optical_engine_types.h"

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

}  // namespace cpo::hal
