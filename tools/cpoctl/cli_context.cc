#include "cli_context.h"

#include <cstdio>
#include <cstdlib>

#include "cpo/drivers/open_device.h"
#include "exit_codes.h"

namespace cpo::cpoctl {

std::string ResolvePlatformPath(const GlobalOptions& options) {
  if (!options.platform_path.empty()) return options.platform_path;
  if (const char* env = std::getenv("CPO_PLATFORM"); env != nullptr && *env != '\0') return env;
  return "/etc/cpo/platform.yaml";
}

Result<std::unique_ptr<hal::Device>> OpenFromOptions(const GlobalOptions& options,
                                                     hal::LaserStartPolicy lasers) {
  OpenOptions open;
  open.sim_socket = options.sim_socket;
  open.laser_safety.start = lasers;
  return OpenDevice(ResolvePlatformPath(options), open);
}

int Fail(const Status& status) {
  std::fprintf(stderr, "cpoctl: %s: %s\n", std::string(StatusCodeName(status.code())).c_str(),
               status.message().c_str());
  return ExitCodeFor(status);
}

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

Result<std::vector<hal::OpticalEngine*>> SelectEngines(const hal::Device& device,
                                                       const std::string& id) {
  std::vector<hal::OpticalEngine*> engines;
  if (id.empty() || id == "all") {
    for (const auto& engine : device.optical_engines()) engines.push_back(engine.get());
    return engines;
  }
  CPO_ASSIGN_OR_RETURN(hal::OpticalEngine * engine, device.FindOpticalEngine(id));
  engines.push_back(engine);
  return engines;
}

int EngineIndex(const hal::Device& device, const hal::OpticalEngine* engine) {
  const auto& engines = device.optical_engines();
  for (size_t i = 0; i < engines.size(); ++i) {
    if (engines[i].get() == engine) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace cpo::cpoctl
