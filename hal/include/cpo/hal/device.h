// Device: one open CPO switch. Built by the composition root (cpo/drivers/open_device.h) from a
// platform file; owns every engine of it. Thread-safe.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "cpo/hal/optical_engine.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

class Device {
 public:
  // engine_backends[i] drives platform.optical_engines[i]. `keep_alive` holds what the backends
  // use (transports) so it lives as long as the device. `clock` is the device's time (steady
  // clock when null).
  Device(platform::Platform platform,
         std::vector<std::unique_ptr<OpticalEngineBackend>> engine_backends,
         std::shared_ptr<void> keep_alive = nullptr, std::shared_ptr<Clock> clock = nullptr);

  const platform::Platform& platform() const { return platform_; }
  const std::vector<std::unique_ptr<OpticalEngine>>& optical_engines() const { return engines_; }
  // By name ("oe3") or by index ("3").
  Result<OpticalEngine*> FindOpticalEngine(std::string_view name_or_index) const;

 private:
  platform::Platform platform_;
  std::shared_ptr<void> keep_alive_;
  std::shared_ptr<Clock> clock_;
  std::vector<std::unique_ptr<OpticalEngine>> engines_;
};

}  // namespace cpo::hal
