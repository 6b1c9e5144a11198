// Clock::RunConcurrently as hardware gets it: every task on its own thread, all done on return.
#include "cpo/clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>

namespace cpo {
namespace {

TEST(ClockTest, RunConcurrentlyRunsTheTasksAtOnceAndReturnsWhenAllAreDone) {
  SteadyClock clock;
  std::latch all_started(3);
  std::atomic<int> done{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 3; ++i) {
    tasks.emplace_back([&] {
      all_started.arrive_and_wait();  // only returns if all three run at the same time
      ++done;
    });
  }
  clock.RunConcurrently(tasks);
  EXPECT_EQ(done.load(), 3);
  clock.RunConcurrently({});
  clock.RunConcurrently({[&] { ++done; }});
  EXPECT_EQ(done.load(), 4);
}

}  // namespace
}  // namespace cpo
