// Versatile Diagnostics Monitoring samples of an optical engine (CMIS pages 20h-2Fh).
#pragma once

#include <cstdint>
#include <string_view>

#include "cpo/hal/optical_engine_types.h"

namespace cpo::hal {

// One VDM instance's sample, decoded.
struct VdmSample {
  int lane = 0;         // 1-based engine lane
  uint8_t type_id = 0;  // CMIS VDM observable type
  uint16_t raw = 0;
  double value = 0;  // in the unit VdmTypeUnit names
  // The module's threshold set for this instance (page 28h, same unit), and its latched flags
  // (page 2Ch, cleared on the module by the read; an observer leaves them unread: flags_read).
  Thresholds thresholds;
  bool flags_read = false;
  ThresholdFlags flags;
};

// Name and unit of an observable type ("laser_temperature", "C"); "type_N" and "" otherwise.
std::string_view VdmTypeName(uint8_t type_id);
std::string_view VdmTypeUnit(uint8_t type_id);

}  // namespace cpo::hal
