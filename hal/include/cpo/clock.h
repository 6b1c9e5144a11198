// Clock: the device's notion of time. On hardware it is the steady clock; with the in-process
// model it is the model's simulated time (sleeping steps the model), so timeouts taken from CMIS
// advertised durations are measured in the device's own time and tests are deterministic.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

namespace cpo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::nanoseconds Now() = 0;
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
  // Runs the tasks at once and returns when all are done: independent work on different buses,
  // whose transfers then overlap. Here each task gets a thread; the in-process model overrides
  // it to interleave them deterministically in simulated time, one task at a time. So tasks
  // must not share a bus, a device, or any lock held across a bus access (on the model, a task
  // blocked on such a lock would stall the others); other shared state needs a lock of its own.
  virtual void RunConcurrently(const std::vector<std::function<void()>>& tasks);
};

class SteadyClock : public Clock {
 public:
  std::chrono::nanoseconds Now() override;
  void SleepFor(std::chrono::nanoseconds duration) override;
};

}  // namespace cpo
