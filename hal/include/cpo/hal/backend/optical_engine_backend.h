// What the HAL core needs from an optical-engine driver. Drivers (drivers/cmis) implement it over
// a transport; the core never sees a transport or a register offset.
#pragma once

#include <vector>

#include "cpo/hal/optical_engine_types.h"
#include "cpo/status.h"

namespace cpo::hal {

class OpticalEngineBackend {
 public:
  virtual ~OpticalEngineBackend() = default;
  virtual Result<EngineIdentity> ReadIdentity() = 0;
  virtual Result<ModuleMonitors> ReadModuleMonitors() = 0;
  // The 8 lanes of bank `bank` (lanes 8*bank+1 .. 8*bank+8).
  virtual Result<std::vector<LaneMonitors>> ReadLaneMonitors(int bank) = 0;
};

}  // namespace cpo::hal
