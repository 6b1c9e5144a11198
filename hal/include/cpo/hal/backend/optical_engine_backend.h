// What the HAL core needs from an optical-engine driver. Drivers (drivers/cmis) implement it over
// a transport; the core never sees a transport or a register offset.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "cpo/hal/optical_engine_types.h"
#include "cpo/status.h"

namespace cpo::hal {

class OpticalEngineBackend {
 public:
  virtual ~OpticalEngineBackend() = default;
  virtual Result<EngineIdentity> ReadIdentity() = 0;
  virtual Result<EngineAdvertising> ReadAdvertising() = 0;
  virtual Result<EngineThresholds> ReadThresholds() = 0;
  virtual Result<ModuleMonitors> ReadModuleMonitors() = 0;
  // Requests low power (true) or leaves it (false); the module then moves on its own.
  virtual Status SetLowPower(bool low_power) = 0;
  virtual Status SoftwareReset() = 0;
  // Masks of the module-level flags (true = masked: latches, does not assert IntL).
  virtual Status SetModuleFlagMasks(const ModuleFlags& masks) = 0;
  // The 256-byte window with `page` of `bank` selected: lower page (0-127) then the upper page.
  virtual Result<std::array<uint8_t, 256>> ReadWindow(uint8_t bank, uint8_t page) = 0;
  // The 8 lanes of bank `bank` (lanes 8*bank+1 .. 8*bank+8).
  virtual Result<std::vector<LaneMonitors>> ReadLaneMonitors(int bank) = 0;
};

}  // namespace cpo::hal
