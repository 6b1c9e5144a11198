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

// The two bounds of every wait: `device_bound` in the device's time (what a module advertises),
// and a wall-clock backstop, so no wait outlasts its bound even if device time stops advancing
// (a simulator that froze, a clock that never moves). The backstop is generous, since device
// time may legitimately run slower than the wall (cpo-simd's --time-scale below 1).
class WaitBound {
 public:
  // The backstop for a device bound: kWallFactor times it, plus kWallSlack.
  static constexpr int kWallFactor = 100;
  static constexpr std::chrono::seconds kWallSlack{1};
  static std::chrono::nanoseconds WallBoundFor(std::chrono::nanoseconds device_bound);

  WaitBound(Clock& clock, std::chrono::nanoseconds device_bound);
  WaitBound(Clock& clock, std::chrono::nanoseconds device_bound,
            std::chrono::nanoseconds wall_bound);

  // Either bound passed.
  bool Expired();
  // The wall-clock backstop passed (device time stalled): for the error message.
  bool WallExpired() const;
  std::chrono::nanoseconds device_bound() const { return device_bound_; }
  std::chrono::nanoseconds device_deadline() const { return device_deadline_; }

 private:
  Clock& clock_;
  std::chrono::nanoseconds device_bound_;
  std::chrono::nanoseconds device_deadline_;
  std::chrono::steady_clock::time_point wall_deadline_;
};

class SteadyClock : public Clock {
 public:
  std::chrono::nanoseconds Now() override;
  void SleepFor(std::chrono::nanoseconds duration) override;
};

}  // namespace cpo
