// Device: one open CPO switch. Built by the composition root (cpo/drivers/open_device.h) from a
// platform file; owns every engine of it. Thread-safe.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/bus_statistics.h"
#include "cpo/hal/data_path_bringup.h"
#include "cpo/hal/optical_engine.h"
#include "cpo/hal/telemetry.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

// What a Device is built from.
struct DeviceParts {
  platform::Platform platform;
  // engine_backends[i] drives platform.optical_engines[i].
  std::vector<std::unique_ptr<OpticalEngineBackend>> engine_backends;
  // The management buses' counters, for the cost of a telemetry sweep.
  std::vector<std::shared_ptr<BusStatistics>> buses;
  // The device's time; the steady clock when null.
  std::shared_ptr<Clock> clock;
  // Whatever the backends use (transports), kept alive as long as the device.
  std::shared_ptr<void> keep_alive;
};

class Device {
 public:
  explicit Device(DeviceParts parts);

  const platform::Platform& platform() const { return platform_; }
  const std::vector<std::unique_ptr<OpticalEngine>>& optical_engines() const { return engines_; }
  // By name ("oe3") or by index ("3").
  Result<OpticalEngine*> FindOpticalEngine(std::string_view name_or_index) const;
  Clock& clock() const { return *clock_; }

  // One sweep: every engine's module monitors and flags and every lane's monitors and flags,
  // with the device time it took and the bus transactions and bytes it used. Static pages
  // (identity, advertising, thresholds) are not read. An engine that fails to answer is
  // reported in its entry; the sweep goes on.
  TelemetrySnapshot Telemetry();

  // Brings every requested data path from wherever its engine is (low power included) to
  // Activated, all engines and lanes at once: power up, select the application, release
  // DPDeinit, enable Tx once Initialized. Driven by the engines' interrupt line (IntL) and
  // bounded by their advertised durations (device time), never by fixed sleeps; a data path
  // that misses its bound is re-initialized up to options.max_retries times. Runs on the
  // calling thread.
  BringUpReport BringUpDataPaths(const std::vector<DataPathRequest>& requests,
                                 const BringUpOptions& options = {});

 private:
  BusCounters TotalBusCounters() const;

  platform::Platform platform_;
  std::shared_ptr<void> keep_alive_;
  std::shared_ptr<Clock> clock_;
  std::vector<std::shared_ptr<BusStatistics>> buses_;
  std::vector<std::unique_ptr<OpticalEngine>> engines_;
};

}  // namespace cpo::hal
