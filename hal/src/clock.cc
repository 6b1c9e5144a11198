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

std::chrono::nanoseconds SteadyClock::Now() {
  return std::chrono::steady_clock::now().time_since_epoch();
}

void SteadyClock::SleepFor(std::chrono::nanoseconds duration) {
  std::this_thread::sleep_for(duration);
}

}  // namespace cpo
