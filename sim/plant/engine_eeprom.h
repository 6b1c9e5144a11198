// The non-volatile contents of a simulated CMIS optical engine, as (storage address, byte) pairs
// for the RTL's EEPROM port (address = slot * 128 + offset % 128; slots per cmis_target.sv).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "cpo/sim/plant.h"

namespace cpo::sim {

std::vector<std::pair<uint16_t, uint8_t>> BuildEngineEeprom(const EngineIdentity& identity,
                                                            int lanes, const EngineTiming& timing,
                                                            const EngineThresholds& thresholds,
                                                            const EngineFeatures& features);

}  // namespace cpo::sim
