// What every cpoctl command shares: global options, opening the device, printing, failing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cpo/hal/device.h"
#include "cpo/status.h"

namespace cpo::cpoctl {

struct GlobalOptions {
  std::string platform_path;
  std::string sim_socket;
  bool json = false;
  std::string log_level = "warn";
};

// --platform, else $CPO_PLATFORM, else /etc/cpo/platform.yaml.
std::string ResolvePlatformPath(const GlobalOptions& options);
// Read commands observe the lasers (no writes); laser commands pass kAdoptChecked, so lanes an
// earlier cpoctl or the NOS fibre-checked stay lit.
Result<std::unique_ptr<hal::Device>> OpenFromOptions(
    const GlobalOptions& options, hal::LaserStartPolicy lasers = hal::LaserStartPolicy::kObserve);
// Prints "cpoctl: CODE: message" to stderr and returns the exit code for the status.
int Fail(const Status& status);
void Print(const std::string& text);
// "all" or one engine by name or index.
Result<std::vector<hal::OpticalEngine*>> SelectEngines(const hal::Device& device,
                                                       const std::string& id);
// Index of an engine in platform order.
int EngineIndex(const hal::Device& device, const hal::OpticalEngine* engine);

}  // namespace cpo::cpoctl
