// Lanes of a laser source as its module addresses them: 8 per bank, 1-based.
#pragma once

#include "cpo/hal/laser_source_types.h"

namespace cpo::hal {

inline constexpr int kLanesPerBank = 8;

inline int BankOf(int lane) { return (lane - 1) / kLanesPerBank; }

inline bool IsLit(LaserLanePhase phase) {
  return phase == LaserLanePhase::kChecking || phase == LaserLanePhase::kVerifying ||
         phase == LaserLanePhase::kOperating;
}

}  // namespace cpo::hal
