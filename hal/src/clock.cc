#include "cpo/clock.h"

#include <thread>

namespace cpo {

void Clock::RunConcurrently(const std::vector<std::function<void()>>& tasks) {
  if (tasks.size() == 1) {
    tasks.front()();
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  for (const auto& task : tasks) threads.emplace_back(task);
  for (auto& thread : threads) thread.join();
}

std::chrono::nanoseconds WaitBound::WallBoundFor(std::chrono::nanoseconds device_bound) {
  return device_bound * kWallFactor + kWallSlack;
}

WaitBound::WaitBound(Clock& clock, std::chrono::nanoseconds device_bound)
    : WaitBound(clock, device_bound, WallBoundFor(device_bound)) {}

WaitBound::WaitBound(Clock& clock, std::chrono::nanoseconds device_bound,
                     std::chrono::nanoseconds wall_bound)
    : clock_(clock),
      device_bound_(device_bound),
      device_deadline_(clock.Now() + device_bound),
      wall_deadline_(std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(wall_bound)) {}

bool WaitBound::Expired() { return clock_.Now() >= device_deadline_ || WallExpired(); }

bool WaitBound::WallExpired() const { return std::chrono::steady_clock::now() >= wall_deadline_; }

std::chrono::nanoseconds SteadyClock::Now() {
  return std::chrono::steady_clock::now().time_since_epoch();
}

void SteadyClock::SleepFor(std::chrono::nanoseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace cpo
