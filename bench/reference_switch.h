// The benchmarks' subject: a fresh in-process simulated board (sim-51t2 unless named) with a
// Device opened on it (simulated time, so figures are counts that hold on any machine).
#pragma once

#include <memory>
#include <string>

#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"

namespace cpo::bench {

struct ReferenceSwitch {
  platform::Platform platform;
  std::unique_ptr<sim::SimulatedSwitch> sim;
  std::unique_ptr<hal::Device> device;  // null on failure, with error set
  std::string error;
};

inline ReferenceSwitch OpenReferenceSwitch(const std::string& board = "sim-51t2") {
  ReferenceSwitch reference;
  auto platform =
      platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/" + board + "/platform.yaml");
  if (!platform.ok()) {
    reference.error = platform.status().ToString();
    return reference;
  }
  reference.platform = *platform;
  auto sim = sim::SimulatedSwitch::Create(*platform);
  if (!sim.ok()) {
    reference.error = sim.status().ToString();
    return reference;
  }
  reference.sim = std::move(sim).value();
  OpenOptions options;
  options.register_io = reference.sim->MakeRegisterIo();
  options.clock = reference.sim->MakeClock();
  auto device = OpenDevice(*platform, options);
  if (!device.ok()) {
    reference.error = device.status().ToString();
    return reference;
  }
  reference.device = std::move(device).value();
  return reference;
}

}  // namespace cpo::bench
