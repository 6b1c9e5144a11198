// OpticalEngine: one co-packaged optical engine as the NOS and cpoctl see it. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/optical_engine_backend.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

class FlagHistory;

class OpticalEngine {
 public:
  // clock must outlive the engine (the Device owns both).
  OpticalEngine(platform::OpticalEngineConfig config, std::unique_ptr<OpticalEngineBackend> backend,
                Clock& clock);
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
  // Every flag any read of this engine has returned, with counts and device times (FlagRecord).
  std::vector<FlagRecord> FlagRecords();

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
  // Every lane's monitors, lane 1 first.
  Result<std::vector<LaneMonitors>> Lanes();
  // One lane (1-based).
  Result<LaneMonitors> Lane(int lane);

 private:
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
  std::unique_ptr<FlagHistory> flag_history_;
};

}  // namespace cpo::hal
