// OpticalEngine: one co-packaged optical engine as the NOS and cpoctl see it. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/optical_engine_backend.h"
#include "cpo/hal/events.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/hal/vdm_types.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

class FlagHistory;
class PublishedState;

class OpticalEngine {
 public:
  // clock (and published, when given) must outlive the engine (the Device owns them). An
  // observer beside an owner passes what the owner publishes: FlagRecords is then the owner's.
  OpticalEngine(platform::OpticalEngineConfig config, std::unique_ptr<OpticalEngineBackend> backend,
                Clock& clock, PublishedState* published = nullptr);
  ~OpticalEngine();

  const std::string& name() const { return config_.name; }
  const platform::OpticalEngineConfig& config() const { return config_; }
  int lane_count() const { return config_.lanes; }
  int bank_count() const { return config_.banks; }

  // Identity and advertising are static: read once, then served from the cache.
  Result<EngineIdentity> Identity();
  Result<EngineAdvertising> Advertising();
  Result<EngineThresholds> Thresholds();
  // Module state and monitors. The latched flags it returns are also kept in the flag history.
  Result<ModuleMonitors> Module();
  // Every flag any read of this engine has returned, with counts and device times (FlagRecord);
  // an observer beside an owner gets the owner's, which alone reads the latched bytes.
  std::vector<FlagRecord> FlagRecords();
  // Module state changes and flag changes any read has found since the previous call.
  std::vector<Event> TakeEvents();

  // Low power on: the module powers down (PwrDn, then LowPwr). Off: it powers up (PwrUp, then
  // Ready). The call returns at once; WaitForModuleState follows the transition.
  Status SetLowPower(bool low_power);
  // CMIS SoftwareReset: volatile controls return to their defaults, the module to LowPwr.
  Status Reset();
  // Masks module-level flags (true = masked): a masked flag still latches and is reported, but
  // does not assert the interrupt. Module() reports the masks in force.
  Status SetModuleFlagMasks(const ModuleFlags& masks);
  // Polls until the module reports `state`, for at most the advertised duration of the
  // transition that leads there plus 10% (device time, from the Device's clock). kTimeout says
  // which state the module was left in; kFailedPrecondition when it entered Fault instead.
  Result<ModuleMonitors> WaitForModuleState(ModuleState state);
  // The raw 256-byte window (lower page + `page` of `bank`), for diagnostics. Reading the lower
  // page also reads its clear-on-read flag bytes. Banks apply to pages 10h and up.
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t page, uint8_t bank);
  // Raw write for experts (cpoctl write): 1..8 bytes at `offset` of that window, in one
  // transaction, within the lower or the upper page. The HAL's view (flags, data-path state)
  // learns of it on its next read.
  Status WriteWindow(uint8_t page, uint8_t bank, uint8_t offset, std::span<const uint8_t> bytes);
  // Raw read of exactly `count` bytes at `offset` of that window (no other clear-on-read byte).
  Result<std::vector<uint8_t>> ReadWindowBytes(uint8_t page, uint8_t bank, uint8_t offset,
                                               int count);
  // Every lane's monitors, lane 1 first; what the module does not advertise is marked
  // unsupported (LaneMonitors).
  Result<std::vector<LaneMonitors>> Lanes();
  // One lane (1-based).
  Result<LaneMonitors> Lane(int lane);
  // Module state and IntL alone (one byte on the bus).
  Result<ModuleStatus> State();

  // --- Data paths (CMIS application selection and the per-lane data-path state machine).
  // Every lane's data path with its controls. Reading clears the latched DPStateChanged flags.
  Result<std::vector<LaneDataPath>> DataPaths();
  // Selects application `app_sel` for the data path starting at `first_lane` (1-based; its
  // lanes are the application's host lane count) and applies it (ApplyDPInit). The lanes stay
  // held in DPDeinit until SetDataPathsDeinit(lanes, false). kFailedPrecondition carries the
  // ConfigStatus of a rejection; nothing is written when the request does not fit the advertised
  // applications.
  Status ConfigureDataPath(int first_lane, int app_sel);
  // Clears (release) or sets (hold) DPDeinit of `lanes`; the engine then initializes or
  // deinitializes them on its own. Other lanes are untouched.
  Status SetDataPathsDeinit(const std::vector<int>& lanes, bool deinit);
  // Masks the flags of `lanes` as `masks` says (other lanes keep theirs).
  Status SetLaneFlagMasks(const std::vector<int>& lanes, const LaneFlagMasks& masks);
  // Tx output disable of `lanes` (an Initialized lane with Tx enabled turns on to Activated).
  Status SetTxDisabled(const std::vector<int>& lanes, bool disabled);
  // The data paths of `lanes` only (no controls): one status read per bank involved. Reading
  // clears those banks' DPStateChanged flags. states_only reads DPState and DPStateChanged
  // alone (7 bytes a bank), as a poller does; ConfigStatus and the rest stay default.
  Result<std::vector<LaneDataPath>> DataPathsOf(const std::vector<int>& lanes,
                                                bool states_only = false);
  // Polls until every lane of `lanes` is in `state`, within the advertised durations that lead
  // there plus 10% (device time). kTimeout names the lanes left behind and their states.
  Result<std::vector<LaneDataPath>> WaitForDataPaths(const std::vector<int>& lanes,
                                                     DataPathState state);

  // --- Diagnostics (pages 13h/14h).
  // Starts the generator and/or checker of `side` on `lanes` with `pattern`; a checker started
  // anew begins a fresh error count.
  Status StartPrbs(DiagnosticSide side, const std::vector<int>& lanes, PrbsPattern pattern,
                   bool generator, bool checker);
  // Stops generator and checker of `side` on `lanes`; results stay readable.
  Status StopPrbs(DiagnosticSide side, const std::vector<int>& lanes);
  Status SetLoopback(LoopbackKind kind, const std::vector<int>& lanes, bool enabled);
  // Restarts the error counts of every running checker of the engine (page 13h byte 177 bit 5).
  Status ResetPrbsStatistics();
  // Checker lock, BER and SNR of `lanes`, with which checkers are on.
  Result<std::vector<PrbsLaneResult>> PrbsResults(const std::vector<int>& lanes);
  // The diagnostic controls of every bank (generators, checkers, patterns, loopbacks).
  Result<std::vector<DiagnosticControls>> DiagnosticControlsByBank();

  // --- VDM: every sample of every lane, read under one freeze.
  Result<std::vector<VdmSample>> Vdm();
  // The latched VDM flags of every instance (page 2Ch of each bank; the read clears them and the
  // flag history keeps them), without the samples: what an interrupt with VDM asks for. The
  // samples' value is NaN.
  Result<std::vector<VdmSample>> VdmFlags();
  // Masks (true) or unmasks the flags of observable `type_id` (vdm_types.h) on `lanes` (page 2Dh):
  // a masked flag still latches and is still reported, but no longer holds IntL.
  Status SetVdmFlagMasks(const std::vector<int>& lanes, uint8_t type_id,
                         const ThresholdFlags& masks);
  // The light each of `lanes` receives from its external laser (VDM type 84, dBm), live: one
  // short read per bank involved. Indexed like `lanes`.
  Result<std::vector<double>> ElsInputPowerDbm(const std::vector<int>& lanes);
  // OK when the engine can measure that light at all (it advertises VDM); otherwise the lanes
  // feeding it cannot be fibre-checked, and kNotSupported says so.
  Status CheckCanMeasureLaserInput();
  // Whether a lane flag was latched when its lanes were last read: they need reading again to
  // see it clear (or latch again), whatever IntL says.
  bool LaneFlagsLatched();
  // Whether the flags of VDM need reading now: the engine advertises VDM, and IntL is asserted
  // (`interrupt`), a VDM flag was latched when last read (it may yet clear), or `backstop` (a
  // masked flag latches without IntL).
  bool VdmFlagsDue(bool interrupt, bool backstop);
  // OK when the VDM samples are live. Frozen samples (2Fh:144, a freeze someone left behind)
  // are old light, which no fibre check may trust: the freeze is released and its end awaited;
  // kUnavailable if it does not end.
  Status CheckVdmLive();

 private:
  // Marks the monitors the module does not advertise (when its advertising could be read).
  void MarkUnadvertised(std::vector<LaneMonitors>& lanes);
  Result<std::vector<LaneMonitors>> ReadLanes();
  // The platform's bank range, then the module's own: a bank or page (13h/14h, 20h-2Fh) it does
  // not advertise is refused as "not supported by this module" rather than read as zeros.
  Status CheckBank(uint8_t page, uint8_t bank);
  // kNotSupported naming `what` and the page 01h bit, when the module lacks those pages.
  Status RequireDiagnosticsPages(std::string_view what);
  Status RequireVdm(std::string_view what);
  // Lanes grouped per bank as bit masks; refuses lanes outside 1..lane_count.
  Result<std::map<int, uint8_t>> BankMasks(const std::vector<int>& lanes) const;
  // Read-modify-write of one bank's diagnostic controls (under mutex_).
  template <typename Change>
  Status ChangeDiagnostics(const std::vector<int>& lanes, Change change);
  // Serves a static value from `cache`, reading it once with `read` on first use.
  template <typename T, typename Read>
  Result<T> Cached(std::optional<T>& cache, Read read) {
    std::lock_guard lock(mutex_);
    if (!cache) {
      auto value = read();
      if (!value.ok()) return value.status().WithContext(config_.name);
      cache = std::move(value).value();
    }
    return *cache;
  }

  platform::OpticalEngineConfig config_;
  std::unique_ptr<OpticalEngineBackend> backend_;
  Clock& clock_;
  std::mutex mutex_;
  std::optional<EngineIdentity> identity_;
  std::optional<EngineAdvertising> advertising_;
  std::optional<EngineThresholds> thresholds_;
  PublishedState* published_;
  std::unique_ptr<FlagHistory> flag_history_;
  ModuleState last_state_ = ModuleState::kUnknown;  // as the latest module read found it
  std::vector<Event> state_events_;
};

}  // namespace cpo::hal
