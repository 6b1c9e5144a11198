#include "cpo/platform/platform.h"

#include <algorithm>

namespace cpo::platform {

namespace {

// The named element of a list, or null.
template <typename T>
const T* FindNamed(const std::vector<T>& items, const std::string& name) {
  for (const auto& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

}  // namespace

const I2cBusConfig* Platform::FindBus(const std::string& bus_name) const {
  return FindNamed(i2c_buses, bus_name);
}

const OpticalEngineConfig* Platform::FindEngine(const std::string& engine_name) const {
  return FindNamed(optical_engines, engine_name);
}

const LaserSourceConfig* Platform::FindLaserSource(const std::string& source_name) const {
  return FindNamed(laser_sources, source_name);
}

const ModuleProfileConfig* Platform::FindProfile(const std::string& profile_name) const {
  return FindNamed(module_profiles, profile_name);
}

const PortConfig* Platform::FindPort(const std::string& port_name) const {
  return FindNamed(ports, port_name);
}

int LaserSourceConfig::DefaultFiberOfLane(int lane) const {
  int fiber = 0;
  for (int l = 1; l <= lanes && l <= lane; ++l) {
    const bool spare = std::find(spare_lanes.begin(), spare_lanes.end(), l) != spare_lanes.end();
    if (spare) {
      if (l == lane) return 0;
      continue;
    }
    ++fiber;
  }
  return lane >= 1 && lane <= lanes && fiber <= fibers ? fiber : 0;
}

std::vector<const OpticalEngineConfig*> Platform::EnginesOnBus(const std::string& bus_name) const {
  std::vector<const OpticalEngineConfig*> out;
  for (const auto& engine : optical_engines) {
    if (engine.bus == bus_name) out.push_back(&engine);
  }
  return out;
}

const CableConfig* Platform::CableOf(const std::string& port_name) const {
  for (const auto& cable : cables) {
    if (cable.port == port_name || cable.to == port_name) return &cable;
  }
  return nullptr;
}

}  // namespace cpo::platform
