// Clock: the device's notion of time. On hardware it is the steady clock; with the in-process
// model it is the model's simulated time (sleeping steps the model), so timeouts taken from CMIS
// advertised durations are measured in the device's own time and tests are deterministic.
#pragma once

#include <chrono>

namespace cpo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::nanoseconds Now() = 0;
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

class SteadyClock : public Clock {
 public:
  std::chrono::nanoseconds Now() override;
  void SleepFor(std::chrono::nanoseconds duration) override;
};

}  // namespace cpo
