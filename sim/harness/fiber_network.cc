#include "cpo/sim/fiber_network.h"

#include <fmt/format.h>

#include <cmath>

namespace cpo::sim {

FiberNetwork::FiberNetwork(const platform::Platform& platform, std::vector<int> engine_targets,
                           std::vector<int> laser_targets)
    : engine_targets_(std::move(engine_targets)), laser_targets_(std::move(laser_targets)) {
  std::map<std::string, int> source_index;
  for (size_t i = 0; i < platform.laser_sources.size(); ++i) {
    source_index[platform.laser_sources[i].name] = static_cast<int>(i);
    laser_lanes_.push_back(platform.laser_sources[i].lanes);
  }
  std::map<std::string, int> engine_index;
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    engine_index[platform.optical_engines[i].name] = static_cast<int>(i);
  }
  for (const auto& fiber : platform.fibers) {
    fibers_[{source_index.at(fiber.source), fiber.fiber}] =
        Fiber{engine_index.at(fiber.engine), fiber.engine_lanes, fiber.loss_db};
  }
}

void FiberNetwork::Propagate(Model& model, Plant& plant) {
  // Light into each fibre (mW): the sum of every lane the map points at it (a spare taking
  // over and a failed lane not yet unmapped both count).
  std::map<std::pair<int, int>, double> launched_mw;
  seen_scan_.resize(laser_targets_.size(), -1);
  launched_.resize(laser_targets_.size());
  for (size_t s = 0; s < laser_targets_.size(); ++s) {
    const int scan = model.ReadLaser(Model::LaserReadback::kScanCount, laser_targets_[s], 0);
    if (scan != seen_scan_[s]) {
      seen_scan_[s] = scan;
      launched_[s].clear();
      for (int lane = 0; lane < laser_lanes_[s]; ++lane) {
        const int fiber = model.ReadLaser(Model::LaserReadback::kFiber, laser_targets_[s], lane);
        const double mw =
            model.ReadLaser(Model::LaserReadback::kOutputPower10uW, laser_targets_[s], lane) /
            100.0;
        launched_[s].emplace_back(fiber, mw);
      }
    }
    for (const auto& [fiber, mw] : launched_[s]) {
      if (fiber != 0) launched_mw[{static_cast<int>(s), fiber}] += mw;
    }
  }
  for (auto& [key, fiber] : fibers_) {
    const auto launched = launched_mw.find(key);
    const double mw = launched == launched_mw.end() || fiber.cut ? 0.0 : launched->second;
    double dbm = kDarkInputDbm;
    if (mw > 0) dbm = std::max(kDarkInputDbm, 10 * std::log10(mw) - fiber.loss_db - fiber.extra_db);
    const int64_t code = std::llround(dbm * 100);
    const int target = engine_targets_[static_cast<size_t>(fiber.engine_index)];
    for (int lane : fiber.engine_lanes) {
      const std::pair<int, int> where{fiber.engine_index, lane};
      input_dbm_[where] = dbm;
      auto written = written_.find(where);
      if (written != written_.end() && written->second == code) continue;
      written_[where] = code;
      (void)plant.Set(target, Quantity::kElsInputPowerDbm, lane - 1, dbm);
    }
  }
}

Result<FiberNetwork::Fiber*> FiberNetwork::FindFiber(int source_index, int fiber) {
  auto found = fibers_.find({source_index, fiber});
  if (found == fibers_.end()) {
    return Status(StatusCode::kNotFound,
                  fmt::format("laser source {} has no fibre {} in the platform's fibers",
                              source_index, fiber));
  }
  return &found->second;
}

Status FiberNetwork::SetExtraLossDb(int source_index, int fiber, double extra_db) {
  CPO_ASSIGN_OR_RETURN(Fiber * found, FindFiber(source_index, fiber));
  if (!std::isfinite(extra_db) || extra_db < 0 || extra_db > 60) {
    return {StatusCode::kOutOfRange,
            fmt::format("extra loss {} dB is outside 0..60 dB (cut the fibre instead)", extra_db)};
  }
  found->extra_db = extra_db;
  return Status::Ok();
}

Status FiberNetwork::SetCut(int source_index, int fiber, bool cut) {
  CPO_ASSIGN_OR_RETURN(Fiber * found, FindFiber(source_index, fiber));
  found->cut = cut;
  return Status::Ok();
}

Result<double> FiberNetwork::EngineInputDbm(int engine_index, int lane) const {
  auto found = input_dbm_.find({engine_index, lane});
  if (found == input_dbm_.end()) {
    return Status(StatusCode::kNotFound,
                  fmt::format("engine {} lane {} is fed by no laser fibre", engine_index, lane));
  }
  return found->second;
}

}  // namespace cpo::sim
