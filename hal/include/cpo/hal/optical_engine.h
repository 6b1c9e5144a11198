// OpticalEngine: one co-packaged optical engine as the NOS and cpoctl see it. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cpo/hal/backend/optical_engine_backend.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

class OpticalEngine {
 public:
  OpticalEngine(platform::OpticalEngineConfig config,
                std::unique_ptr<OpticalEngineBackend> backend);

  const std::string& name() const { return config_.name; }
  const platform::OpticalEngineConfig& config() const { return config_; }
  int lane_count() const { return config_.lanes; }
  int bank_count() const { return config_.banks; }

  // Identity is static: read once, then served from the cache.
  Result<EngineIdentity> Identity();
  Result<ModuleMonitors> Module();
  // Every lane's monitors, lane 1 first.
  Result<std::vector<LaneMonitors>> Lanes();
  // One lane (1-based).
  Result<LaneMonitors> Lane(int lane);

 private:
  platform::OpticalEngineConfig config_;
  std::unique_ptr<OpticalEngineBackend> backend_;
  std::mutex mutex_;
  std::optional<EngineIdentity> identity_;
};

}  // namespace cpo::hal
