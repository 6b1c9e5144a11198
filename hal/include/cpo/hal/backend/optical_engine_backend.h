// What the HAL core needs from an optical-engine driver. Drivers (drivers/cmis) implement it over
// a transport; the core never sees a transport or a register offset.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "cpo/hal/data_path_types.h"
#include "cpo/hal/diagnostics_types.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/hal/vdm_types.h"
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
  // Raw read and write (experts' diagnostics) of bytes at `offset` of that window, one bus
  // transaction each; a read touches no byte outside `out`.
  virtual Status ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                                 std::span<uint8_t> out) = 0;
  virtual Status WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                             std::span<const uint8_t> bytes) = 0;
  // The 8 lanes of bank `bank` (lanes 8*bank+1 .. 8*bank+8).
  virtual Result<std::vector<LaneMonitors>> ReadLaneMonitors(int bank) = 0;

  // Module state and IntL only (one byte): what a poller reads between events.
  virtual Result<ModuleStatus> ReadModuleStatus() = 0;
  // The data paths of a bank's 8 lanes (state, ConfigStatus, active configuration, pending and
  // the latched DPStateChanged flags, which this read clears). Controls are left default.
  virtual Result<std::array<LaneDataPath, 8>> ReadDataPaths(int bank) = 0;
  // DPState and DPStateChanged alone (which this read clears): what a poller reads.
  virtual Result<std::array<LaneDataPath, 8>> ReadDataPathStates(int bank) = 0;
  // A bank's lane controls (DPDeinit, Tx disable, staged DPConfig).
  virtual Result<BankControls> ReadBankControls(int bank) = 0;
  // Stages all 8 DPConfig bytes of the bank, then ApplyDPInit for `lanes` (bit/lane).
  virtual Status ApplyDataPathConfig(int bank, uint8_t lanes,
                                     const std::array<uint8_t, 8>& config) = 0;
  // The whole DPDeinit / Tx disable byte of a bank (bit/lane).
  virtual Status WriteDataPathDeinit(int bank, uint8_t lanes) = 0;
  virtual Status WriteTxDisable(int bank, uint8_t lanes) = 0;
  // Lane flag masks of a bank: page 10h bytes 213-232, bit/lane, in CMIS order (DPStateChanged,
  // Tx failure, Tx LOS, Tx CDR LOL, Tx adaptive EQ, Tx power HA/LA/HW/LW, Tx bias x4, Rx LOS,
  // Rx CDR LOL, Rx power x4, Rx output status changed).
  virtual Result<std::array<uint8_t, 20>> ReadLaneMasks(int bank) = 0;
  virtual Status WriteLaneMasks(int bank, const std::array<uint8_t, 20>& masks) = 0;
  // Diagnostics (pages 13h/14h) of a bank.
  virtual Result<DiagnosticControls> ReadDiagnosticControls(int bank) = 0;
  virtual Status WriteDiagnosticControls(int bank, const DiagnosticControls& controls) = 0;
  // Checker lock, BER and SNR of a bank's lanes (the *_checker_on fields are left false).
  virtual Result<std::array<PrbsLaneResult, 8>> ReadDiagnosticResults(int bank) = 0;
  // Every VDM sample of the first `banks` banks, read under one freeze so they belong together.
  virtual Result<std::vector<VdmSample>> ReadVdm(int banks) = 0;
  // The live samples of one observable type (e.g. 84, ELS input power) of a bank's lanes, no
  // freeze: the few bytes a supervisor polls.
  virtual Result<std::vector<VdmSample>> ReadVdmType(int bank, uint8_t type_id) = 0;
  // Whether the VDM samples are frozen (2Fh:144 bit 7): a frozen sample is old, not live.
  virtual Result<bool> ReadVdmFrozen() = 0;
  virtual Status ReleaseVdmFreeze() = 0;
  // The latched VDM flags of a bank's instances (page 2Ch; the read clears them), with lane and
  // type but no sample: what an interrupt asks for. An observer's read leaves them (flags_read).
  virtual Result<std::vector<VdmSample>> ReadVdmFlags(int bank) = 0;
  // Masks (true) or unmasks the flags of the instances of `type_id` on the lanes of `lane_bits`
  // (bit n: lane n + 1 of the bank), page 2Dh; other instances keep theirs. A masked flag still
  // latches but no longer holds IntL.
  virtual Status WriteVdmFlagMasks(int bank, uint8_t lane_bits, uint8_t type_id,
                                   const ThresholdFlags& masks) = 0;
};

}  // namespace cpo::hal
