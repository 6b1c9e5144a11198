// Breakout: how a front-panel port's lanes split into logical ports. A mode "NxS" (1x800G,
// 2x400G, 4x200G, 8x100G on 8 lanes) makes N sub-ports of lanes/N lanes each at S Gb/s; each needs
// the engine application whose host lane count is lanes/N. Sub-ports own disjoint slices of
// their port's lanes, so ownership across breakouts follows from the port's own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::platform {

struct BreakoutMode {
  int ports = 1;             // N
  int speed_gbps = 800;      // S
  std::string name() const;  // "4x200G"
  bool operator==(const BreakoutMode&) const = default;
};

// "1x800G", "2x400G", ...: N a power of two up to 8, S one of 100G, 200G, 400G, 800G, and the
// lanes per sub-port (lanes / N) carrying S at 100G a lane. kInvalidArgument says what is wrong
// and lists what a port of `lanes` lanes allows.
Result<BreakoutMode> ParseBreakoutMode(std::string_view text, int lanes);
// Every mode a port of `lanes` lanes can take, widest first.
std::vector<BreakoutMode> BreakoutModesFor(int lanes);

// One logical port of a broken-out front-panel port.
struct SubPort {
  std::string name;  // the port's own name for 1xN, else "<port>/<k>" (k from 1)
  std::string port;  // the front-panel port
  int index = 1;     // k
  int speed_gbps = 0;
  std::vector<int> host_lanes;
  std::vector<int> engine_lanes;  // the engine application's host lane count = their number
};

// The sub-ports `mode` makes of `port` (its lanes in the order the platform lists them).
Result<std::vector<SubPort>> SubPortsOf(const PortConfig& port, const BreakoutMode& mode);

}  // namespace cpo::platform
