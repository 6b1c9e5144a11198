#include "cpo/transport/sim_clock.h"

#include <algorithm>
#include <thread>

namespace cpo::transport {

namespace {

int64_t WallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::chrono::nanoseconds SimClock::Now() {
  auto time = io_->ReadSimTime();
  if (time.ok()) {
    last_ns_.store(static_cast<int64_t>(time->now_ns));
    last_wall_ns_.store(WallNs());
    return std::chrono::nanoseconds(last_ns_.load());
  }
  int64_t told_at = last_wall_ns_.load();
  if (told_at == 0) {
    // Never told: count from this first failed ask.
    const int64_t now = WallNs();
    last_wall_ns_.compare_exchange_strong(told_at, now);
    told_at = last_wall_ns_.load();
  }
  const int64_t since = std::max<int64_t>(0, WallNs() - told_at);
  return std::chrono::nanoseconds(last_ns_.load() + since);
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
  if (time.ok()) {
    last_ns_.store(static_cast<int64_t>(time->now_ns));
    last_wall_ns_.store(WallNs());
  }
}

}  // namespace cpo::transport
