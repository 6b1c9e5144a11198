// CmisEngine: an optical engine managed over CMIS on a TwoWire bus. Implements the HAL's
// OpticalEngineBackend; the same code drives a real engine and the model.
#pragma once

#include <map>
#include <memory>

#include "cpo/drivers/cmis/cmis_access.h"
#include "cpo/hal/backend/optical_engine_backend.h"
#include "cpo/transport/two_wire.h"

namespace cpo::drivers {

class CmisEngine : public hal::OpticalEngineBackend {
 public:
  // An observer (see cpo/hal/owner/role.h) never reads latched flags nor freezes VDM.
  CmisEngine(std::shared_ptr<transport::TwoWire> bus, uint8_t address7, int lanes,
             hal::ProcessRole role = hal::ProcessRole::kOwner);

  Result<hal::EngineIdentity> ReadIdentity() override;
  Result<hal::EngineAdvertising> ReadAdvertising() override;
  Result<hal::EngineThresholds> ReadThresholds() override;
  Result<hal::ModuleMonitors> ReadModuleMonitors() override;
  Status SetLowPower(bool low_power) override;
  Status SoftwareReset() override;
  Status SetModuleFlagMasks(const hal::ModuleFlags& masks) override;
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t bank, uint8_t page) override;
  Status ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                         std::span<uint8_t> out) override;
  Status WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                     std::span<const uint8_t> bytes) override;
  Result<std::vector<hal::LaneMonitors>> ReadLaneMonitors(int bank) override;
  Result<hal::ModuleStatus> ReadModuleStatus() override;
  Result<std::array<hal::LaneDataPath, 8>> ReadDataPaths(int bank) override;
  Result<std::array<hal::LaneDataPath, 8>> ReadDataPathStates(int bank) override;
  Result<hal::BankControls> ReadBankControls(int bank) override;
  Status ApplyDataPathConfig(int bank, uint8_t lanes,
                             const std::array<uint8_t, 8>& config) override;
  Status WriteDataPathDeinit(int bank, uint8_t lanes) override;
  Status WriteTxDisable(int bank, uint8_t lanes) override;
  Result<std::array<uint8_t, 20>> ReadLaneMasks(int bank) override;
  Status WriteLaneMasks(int bank, const std::array<uint8_t, 20>& masks) override;
  Result<hal::DiagnosticControls> ReadDiagnosticControls(int bank) override;
  Status WriteDiagnosticControls(int bank, const hal::DiagnosticControls& controls) override;
  Result<std::array<hal::PrbsLaneResult, 8>> ReadDiagnosticResults(int bank) override;
  Result<std::vector<hal::VdmSample>> ReadVdm(int banks) override;
  Result<std::vector<hal::VdmSample>> ReadVdmType(int bank, uint8_t type_id) override;
  Result<bool> ReadVdmFrozen() override;
  Status ReleaseVdmFreeze() override;
  Result<std::vector<hal::VdmSample>> ReadVdmFlags(int bank) override;
  Status WriteVdmFlagMasks(int bank, uint8_t lane_bits, uint8_t type_id,
                           const hal::ThresholdFlags& masks) override;

 private:
  // A bank's VDM descriptors (page 20h), read once: they are static.
  Result<const std::array<uint8_t, 128>*> VdmDescriptors(int bank);
  // Page 28h of `bank`: the module's VDM threshold sets, read once.
  Result<const std::array<uint8_t, 128>*> VdmThresholds(int bank);
  // Refuses a bank outside the engine's lanes.
  Status CheckBank(int bank) const;
  // Every VDM sample of the first `banks` banks as they are now (no freeze).
  Result<std::vector<hal::VdmSample>> ReadVdmSamples(int banks);
  // Writes `bytes` starting at `offset` in one transaction.
  Status WriteBlock(uint8_t offset, std::span<const uint8_t> bytes);
  // BankSelect and PageSelect in one write transaction.
  Status SelectPage(uint8_t bank, uint8_t page);
  // A contiguous block from `offset` in one transfer.
  Status ReadBlock(uint8_t offset, std::span<uint8_t> out);
  Status WriteByte(uint8_t offset, uint8_t value);

  CmisAccess access_;
  int lanes_;
  // VDM descriptors (page 20h) are static: read once per bank.
  std::map<int, std::array<uint8_t, 128>> vdm_descriptors_;
  std::map<int, std::array<uint8_t, 128>> vdm_thresholds_;
};

}  // namespace cpo::drivers
