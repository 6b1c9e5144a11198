#include "cpo/clock.h"

#include <thread>

namespace cpo {

std::chrono::nanoseconds SteadyClock::Now() {
  return std::chrono::steady_clock::now().time_since_epoch();
}

void SteadyClock::SleepFor(std::chrono::nanoseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace cpo
