// What the HAL core needs from the switch ASIC's SerDes/port block driver (drivers/serdes). Lanes
// are the switch's host lanes (0-based, as the platform's `host_lanes`); a port block groups
// `lanes_per_port()` of them and stores its breakout, so every process sharing the switch sees
// one breakout.
#pragma once

#include <cstdint>
#include <vector>

#include "cpo/hal/serdes_types.h"
#include "cpo/status.h"

namespace cpo::hal {

class SerdesBackend {
 public:
  virtual ~SerdesBackend() = default;
  virtual int lanes() const = 0;
  virtual int lanes_per_port() const = 0;
  virtual Result<SerdesLaneConfig> ReadLaneConfig(int lane) = 0;
  // Writing a lane makes its checker re-acquire lock; counts continue.
  virtual Status WriteLaneConfig(int lane, const SerdesLaneConfig& config) = 0;
  // Zeroes the lane checker's bit and error counts.
  virtual Status ClearCounters(int lane) = 0;
  virtual Result<SerdesLaneStatus> ReadLaneStatus(int lane) = 0;
  // Logical ports the port block `block` (host lanes block*lanes_per_port() ..) is split into; 0
  // when nobody has configured it since reset.
  virtual Result<int> ReadBreakout(int block) = 0;
  virtual Status WriteBreakout(int block, int sub_ports) = 0;
  // Every port block's PCS lock, a bit per lane (lane k of block b: bit k of element b), in one
  // read: what an event poller needs to find links that changed.
  virtual Result<std::vector<uint8_t>> ReadPcsLocks() = 0;
};

}  // namespace cpo::hal
