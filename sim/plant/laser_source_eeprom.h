// The non-volatile contents of a simulated ELSFP laser source (elsfp_target.sv slots: 0 lower
// page, 1-3 pages 00h-02h, 4 + 2b page 1Ah bank b, 5 + 2b page 1Bh bank b).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "cpo/sim/plant.h"

namespace cpo::sim {

std::vector<std::pair<uint16_t, uint8_t>> BuildLaserSourceEeprom(
    const EngineIdentity& identity, int lanes, const std::vector<int>& fiber_of_lane,
    const LaserSourceTiming& timing);

}  // namespace cpo::sim
