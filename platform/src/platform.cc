#include "cpo/platform/platform.h"

namespace cpo::platform {

const I2cBusConfig* Platform::FindBus(const std::string& bus_name) const {
  for (const auto& bus : i2c_buses) {
    if (bus.name == bus_name) return &bus;
  }
  return nullptr;
}

const OpticalEngineConfig* Platform::FindEngine(const std::string& engine_name) const {
  for (const auto& engine : optical_engines) {
    if (engine.name == engine_name) return &engine;
  }
  return nullptr;
}

std::vector<const OpticalEngineConfig*> Platform::EnginesOnBus(const std::string& bus_name) const {
  std::vector<const OpticalEngineConfig*> out;
  for (const auto& engine : optical_engines) {
    if (engine.bus == bus_name) out.push_back(&engine);
  }
  return out;
}

}  // namespace cpo::platform
