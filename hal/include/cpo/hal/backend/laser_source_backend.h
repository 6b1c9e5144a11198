// What the HAL core needs from an external laser source driver (drivers/elsfp). The core never
// sees a transport or a register offset. Lane enables and setpoints are the core's to guard:
// nothing above the core reaches these writes directly (laser safety).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "cpo/hal/laser_source_types.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/status.h"

namespace cpo::hal {

class LaserSourceBackend {
 public:
  virtual ~LaserSourceBackend() = default;
  virtual Result<EngineIdentity> ReadIdentity() = 0;
  virtual Result<LaserSourceCapabilities> ReadCapabilities() = 0;
  virtual Result<ModuleStatus> ReadModuleStatus() = 0;
  // Module state, flags (cleared by this read), temperature and supply.
  virtual Result<ModuleMonitors> ReadModuleMonitors() = 0;
  virtual Status SetLowPower(bool low_power) = 0;
  // The raw 256-byte window (lower page + `page` of `bank`), for diagnostics.
  virtual Result<std::array<uint8_t, 256>> ReadWindow(uint8_t bank, uint8_t page) = 0;
  // Raw read and write (experts' diagnostics) of bytes at `offset` of that window, one bus
  // transaction each; a read touches no byte outside `out`.
  virtual Status ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                                 std::span<uint8_t> out) = 0;
  virtual Status WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                             std::span<const uint8_t> bytes) = 0;
  // The 8 lanes of bank `bank` (lanes 8*bank+1 .. 8*bank+8); reading clears their latched flags.
  virtual Result<std::vector<LaserLaneStatus>> ReadLanes(int bank) = 0;
  // What a poller needs of a bank's lanes, in two short reads: fault/warning codes, enable,
  // state and fibre-checked (1Ah:212-223) and the power monitors (1Bh:200-215). Flags, bias,
  // setpoints and the fibre map are left default; latched flags are not touched.
  virtual Result<std::vector<LaserLaneStatus>> ReadLaneStates(int bank) = 0;
  // Whole bytes, bit/lane: lane enable (1Ah:220) and output-fibre-checked (1Ah:223).
  virtual Status WriteLaneEnable(int bank, uint8_t lanes) = 0;
  virtual Status WriteFiberChecked(int bank, uint8_t lanes) = 0;
  // Lane -> fibre map of a bank (1Ah:224-231; 0 = no fibre).
  virtual Status WriteFiberMap(int bank, const std::array<uint8_t, 8>& fiber_of_lane) = 0;
  // One lane's bias (mA) and optical power (mW) setpoints (page 1Bh).
  virtual Status WriteSetpoints(int lane, double bias_ma, double power_mw) = 0;
  // The power setpoints (mW) of a bank's 8 lanes (1Bh:144-159), one block write.
  virtual Status WritePowerSetpoints(int bank, const std::array<double, 8>& power_mw) = 0;
  // Masks of a bank's latched lane flags (1Ah:198-205, same order as the flags; bit/lane; set =
  // masked from IntL).
  virtual Status WriteLaneMasks(int bank, const std::array<uint8_t, 8>& masks) = 0;
  virtual Result<std::array<uint8_t, 8>> ReadLaneMasks(int bank) = 0;
  // Lane voltages and the bank's Icc (1Bh:232-241), one short read.
  virtual Result<std::vector<LaserLaneElectrical>> ReadElectrical(int bank) = 0;
  // Saves or restores a control or mask set (1Ah:184) and waits for its confirmation (185).
  virtual Status SaveRestore(const LaserSetCommand& command) = 0;
};

}  // namespace cpo::hal
