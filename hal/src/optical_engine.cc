#include "cpo/hal/optical_engine.h"

#include <fmt/format.h>

namespace cpo::hal {

OpticalEngine::OpticalEngine(platform::OpticalEngineConfig config,
                             std::unique_ptr<OpticalEngineBackend> backend)
    : config_(std::move(config)), backend_(std::move(backend)) {}

Result<EngineIdentity> OpticalEngine::Identity() {
  std::lock_guard lock(mutex_);
  if (!identity_) {
    auto identity = backend_->ReadIdentity();
    if (!identity.ok()) return identity.status().WithContext(config_.name);
    identity_ = std::move(identity).value();
  }
  return *identity_;
}

Result<ModuleMonitors> OpticalEngine::Module() {
  std::lock_guard lock(mutex_);
  auto monitors = backend_->ReadModuleMonitors();
  if (!monitors.ok()) return monitors.status().WithContext(config_.name);
  return monitors;
}

Result<std::vector<LaneMonitors>> OpticalEngine::Lanes() {
  std::lock_guard lock(mutex_);
  std::vector<LaneMonitors> lanes;
  lanes.reserve(static_cast<size_t>(config_.lanes));
  for (int bank = 0; bank < config_.banks; ++bank) {
    auto bank_lanes = backend_->ReadLaneMonitors(bank);
    if (!bank_lanes.ok()) {
      return bank_lanes.status().WithContext(fmt::format("{} bank {}", config_.name, bank));
    }
    lanes.insert(lanes.end(), bank_lanes->begin(), bank_lanes->end());
  }
  lanes.resize(static_cast<size_t>(config_.lanes));
  return lanes;
}

Result<LaneMonitors> OpticalEngine::Lane(int lane) {
  if (lane < 1 || lane > config_.lanes) {
    return Status(StatusCode::kOutOfRange, fmt::format("{}: lane {} is outside lanes 1..{}",
                                                       config_.name, lane, config_.lanes));
  }
  std::lock_guard lock(mutex_);
  auto bank_lanes = backend_->ReadLaneMonitors((lane - 1) / 8);
  if (!bank_lanes.ok()) return bank_lanes.status().WithContext(config_.name);
  return (*bank_lanes)[static_cast<size_t>((lane - 1) % 8)];
}

}  // namespace cpo::hal
