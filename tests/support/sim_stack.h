// The whole stack in process for sim tests: a SimulatedSwitch of a board under platform/boards,
// and a hal::Device opened on its model (HAL -> drivers -> I2C controller -> RTL).
#pragma once

#include <memory>
#include <string>

#include "cpo/drivers/open_device.h"
#include "cpo/sim/simulated_switch.h"

namespace cpo::sim {

struct Stack {
  std::unique_ptr<SimulatedSwitch> sim;
  std::shared_ptr<transport::RegisterIo> io;
  std::unique_ptr<hal::Device> device;
};

// Fails the calling test (and returns a partial stack) when the board does not open. Tests of
// the laser-source model itself pass kObserve, so the HAL's laser-safety core leaves the
// sources as their EEPROM has them.
Stack Build(const std::string& board,
            hal::LaserStartPolicy lasers = hal::LaserStartPolicy::kAllOff);
// The same for a platform a test has changed.
Stack Build(const platform::Platform& platform,
            hal::LaserStartPolicy lasers = hal::LaserStartPolicy::kAllOff);
// `board` with every laser source in joint mode: reached through the engine its first fibre
// feeds, its pages relocated from page B0h.
platform::Platform JointEverywhere(const std::string& board);

// The logical ports `selection` names ("eth3", "all"); fails the calling test when it names none.
std::vector<platform::SubPort> Select(hal::Device& device, const std::string& selection);

}  // namespace cpo::sim
