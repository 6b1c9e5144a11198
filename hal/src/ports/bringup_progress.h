// BringUpTracker: where the running port bring-up (or bring-down) stands, published by the owner
// (Device::Progress, the request channel's bringup.progress) so an operator waiting on it beside
// the NOS sees its stage rather than a silent minute.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "cpo/hal/port.h"

namespace cpo::hal {

class BringUpTracker {
 public:
  void Start(std::string operation, int ports, std::chrono::nanoseconds now);
  void Stage(std::string stage, std::chrono::nanoseconds now);
  void DataPaths(int total, int done);
  void Finish(const PortBringUpReport& report, std::chrono::nanoseconds now);
  PortsProgress Now() const;

 private:
  mutable std::mutex mutex_;
  PortsProgress progress_;
  int depth_ = 0;  // a bring-up inside another (recovery inside a poll) reports as the outer one
};

}  // namespace cpo::hal
