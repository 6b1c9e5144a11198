#include "support/sim_stack.h"

#include <gtest/gtest.h>

#include "cpo/platform/loader.h"

namespace cpo::sim {

namespace {

Result<platform::Platform> LoadBoard(const std::string& board) {
  return platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/" + board + "/platform.yaml");
}

}  // namespace

Stack Build(const std::string& board, hal::LaserStartPolicy lasers) {
  auto platform = LoadBoard(board);
  EXPECT_TRUE(platform.ok()) << platform.status().ToString();
  if (!platform.ok()) return {};
  return Build(*platform, lasers);
}

platform::Platform JointEverywhere(const std::string& board) {
  auto platform = LoadBoard(board);
  EXPECT_TRUE(platform.ok()) << platform.status().ToString();
  if (!platform.ok()) return {};
  for (auto& source : platform->laser_sources) {
    for (const auto& fiber : platform->fibers) {
      if (fiber.source != source.name) continue;
      const platform::OpticalEngineConfig* engine = platform->FindEngine(fiber.engine);
      source.via = engine->name;
      source.page_base = platform::kDefaultJointPageBase;
      source.bus = engine->bus;
      source.address = engine->address;
      break;
    }
    EXPECT_TRUE(source.joint()) << source.name << " feeds no engine";
  }
  return *std::move(platform);
}

Stack Build(const platform::Platform& board, hal::LaserStartPolicy lasers) {
  Stack stack;
  const platform::Platform* platform = &board;
  auto sim = SimulatedSwitch::Create(*platform);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return stack;
  stack.sim = std::move(sim).value();
  stack.io = stack.sim->MakeRegisterIo();
  OpenOptions options;
  options.register_io = stack.io;
  options.clock = stack.sim->MakeClock();
  options.laser_safety.start = lasers;
  auto device = OpenDevice(*platform, options);
  EXPECT_TRUE(device.ok()) << device.status().ToString();
  if (device.ok()) stack.device = std::move(device).value();
  return stack;
}

std::vector<platform::SubPort> Select(hal::Device& device, const std::string& selection) {
  auto selected = device.SelectPorts(selection);
  EXPECT_TRUE(selected.ok()) << selection << ": " << selected.status().ToString();
  return selected.ok() ? *selected : std::vector<platform::SubPort>{};
}

}  // namespace cpo::sim
