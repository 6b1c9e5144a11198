// Lane lists as people write them: "1-8", "1-4,9-12", "5".
#pragma once

#include <string_view>
#include <vector>

#include "cpo/status.h"

namespace cpo::platform {

// The lanes of a comma-separated list of numbers and inclusive ranges, in the order written.
// kInvalidArgument names the piece that is not a lane or range.
Result<std::vector<int>> ParseLaneList(std::string_view text);

}  // namespace cpo::platform
