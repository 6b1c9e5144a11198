// ElsfpModule: an external laser source (OIF ELSFP over CMIS) on a TwoWire bus. Implements the
// HAL's LaserSourceBackend; the same code drives a real module and the model.
#pragma once

#include <memory>

#include "cpo/drivers/cmis/cmis_access.h"
#include "cpo/hal/backend/laser_source_backend.h"

namespace cpo::drivers {

class ElsfpModule : public hal::LaserSourceBackend {
 public:
  // An observer (see cpo/hal/owner/role.h) never reads the latched lane flags (1Ah:186-193).
  // Joint mode: address7 is the relaying engine's and `relocation` says where its pages are.
  ElsfpModule(std::shared_ptr<transport::TwoWire> bus, uint8_t address7, int lanes,
              hal::ProcessRole role = hal::ProcessRole::kOwner, PageRelocation relocation = {});

  Result<hal::EngineIdentity> ReadIdentity() override;
  Result<hal::LaserSourceCapabilities> ReadCapabilities() override;
  Result<hal::ModuleStatus> ReadModuleStatus() override;
  Result<hal::ModuleMonitors> ReadModuleMonitors() override;
  Status SetLowPower(bool low_power) override;
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t bank, uint8_t page) override;
  Status ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                         std::span<uint8_t> out) override;
  Status WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                     std::span<const uint8_t> bytes) override;
  Result<std::vector<hal::LaserLaneStatus>> ReadLanes(int bank) override;
  Result<std::vector<hal::LaserLaneStatus>> ReadLaneStates(int bank) override;
  Status WriteLaneEnable(int bank, uint8_t lanes) override;
  Status WriteFiberChecked(int bank, uint8_t lanes) override;
  Status WriteFiberMap(int bank, const std::array<uint8_t, 8>& fiber_of_lane) override;
  Status WriteSetpoints(int lane, double bias_ma, double power_mw) override;
  Status WritePowerSetpoints(int bank, const std::array<double, 8>& power_mw) override;
  Status WriteLaneMasks(int bank, const std::array<uint8_t, 8>& masks) override;
  Result<std::array<uint8_t, 8>> ReadLaneMasks(int bank) override;
  Result<std::vector<hal::LaserLaneElectrical>> ReadElectrical(int bank) override;
  Status SaveRestore(const hal::LaserSetCommand& command) override;

 private:
  Status CheckBank(int bank) const;

  CmisAccess access_;
  int lanes_;
};

}  // namespace cpo::drivers
