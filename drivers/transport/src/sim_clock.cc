#include "cpo/transport/sim_clock.h"

#include <algorithm>
#include <thread>

namespace cpo::transport {

std::chrono::nanoseconds SimClock::Now() {
  auto time = io_->ReadSimTime();
  if (time.ok()) last_ns_.store(static_cast<int64_t>(time->now_ns));
  return std::chrono::nanoseconds(last_ns_.load());
}

void SimClock::SleepFor(std::chrono::nanoseconds duration) {
  auto time = io_->ReadSimTime();
  if (!time.ok() || time->time_scale <= 0) {
    std::this_thread::sleep_for(duration);
    return;
  }
  const uint64_t until = time->now_ns + static_cast<uint64_t>(duration.count());
  while (time.ok() && time->now_ns < until) {
    // Sleep about as long as the rest would take at the simulator's pace, at most 1 ms, so a
    // simulator running slower than asked is followed closely.
    const double remaining_wall_ns = static_cast<double>(until - time->now_ns) / time->time_scale;
    std::this_thread::sleep_for(std::chrono::nanoseconds(
        static_cast<int64_t>(std::clamp(remaining_wall_ns, 20'000.0, 1'000'000.0))));
    time = io_->ReadSimTime();
  }
  if (time.ok()) last_ns_.store(static_cast<int64_t>(time->now_ns));
}

}  // namespace cpo::transport
