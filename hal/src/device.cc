#include "cpo/hal/device.h"

#include <fmt/format.h>

#include <charconv>

namespace cpo::hal {

Device::Device(platform::Platform platform,
               std::vector<std::unique_ptr<OpticalEngineBackend>> engine_backends,
               std::shared_ptr<void> keep_alive, std::shared_ptr<Clock> clock)
    : platform_(std::move(platform)),
      keep_alive_(std::move(keep_alive)),
      clock_(clock ? std::move(clock) : std::make_shared<SteadyClock>()) {
  for (size_t i = 0; i < engine_backends.size() && i < platform_.optical_engines.size(); ++i) {
    engines_.push_back(std::make_unique<OpticalEngine>(platform_.optical_engines[i],
                                                       std::move(engine_backends[i]), *clock_));
  }
}

Result<OpticalEngine*> Device::FindOpticalEngine(std::string_view name_or_index) const {
  for (const auto& engine : engines_) {
    if (engine->name() == name_or_index) return engine.get();
  }
  size_t index = 0;
  auto [end, error] =
      std::from_chars(name_or_index.data(), name_or_index.data() + name_or_index.size(), index);
  if (error == std::errc() && end == name_or_index.data() + name_or_index.size() &&
      index < engines_.size()) {
    return engines_[index].get();
  }
  std::string names;
  for (const auto& engine : engines_) names += (names.empty() ? "" : ", ") + engine->name();
  return Status(StatusCode::kNotFound,
                fmt::format("no optical engine '{}' in platform {} (engines: {})", name_or_index,
                            platform_.name, names));
}

}  // namespace cpo::hal
