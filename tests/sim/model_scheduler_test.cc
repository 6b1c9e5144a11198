// The model's scheduler for concurrent work (Clock::RunConcurrently on the in-process model):
// waits of different tasks overlap in simulated time, transfers on different I2C controllers run
// at once as on hardware, and the interleaving is the same on every run.
#include "cpo/sim/model_scheduler.h"

#include <gtest/gtest.h>

#include <mutex>

#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(ModelSchedulerTest, WaitsOfDifferentTasksOverlap) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  Clock& clock = stack.device->clock();
  const nanoseconds start = clock.Now();
  std::vector<nanoseconds> woke(3);
  clock.RunConcurrently({
      [&] {
        clock.SleepFor(milliseconds(10));
        woke[0] = clock.Now() - start;
      },
      [&] {
        clock.SleepFor(milliseconds(30));
        woke[1] = clock.Now() - start;
      },
      [&] {
        clock.SleepFor(milliseconds(20));
        woke[2] = clock.Now() - start;
      },
  });
  const nanoseconds elapsed = clock.Now() - start;
  // One after another would be 60 ms.
  EXPECT_GE(elapsed, milliseconds(30));
  EXPECT_LT(elapsed, milliseconds(31));
  EXPECT_GE(woke[0], milliseconds(10));
  EXPECT_LT(woke[0], milliseconds(11));
  EXPECT_GE(woke[2], milliseconds(20));
  EXPECT_LT(woke[2], milliseconds(21));
}

TEST(ModelSchedulerTest, TransfersOnDifferentBusesRunAtOnce) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  Clock& clock = stack.device->clock();
  hal::OpticalEngine& oe0 = *stack.device->optical_engines()[0];  // bus oe-i2c0
  hal::OpticalEngine& oe1 = *stack.device->optical_engines()[1];  // bus oe-i2c1
  auto expected0 = oe0.ReadWindow(0, 0);
  auto expected1 = oe1.ReadWindow(0, 0);
  ASSERT_TRUE(expected0.ok() && expected1.ok());

  nanoseconds start = clock.Now();
  ASSERT_TRUE(oe0.ReadWindow(0, 0).ok());
  const nanoseconds one = clock.Now() - start;  // 256 bytes at 400 kHz: several ms

  Result<std::array<uint8_t, 256>> got0 = Status(StatusCode::kInternal, "not run");
  Result<std::array<uint8_t, 256>> got1 = got0;
  start = clock.Now();
  clock.RunConcurrently(
      {[&] { got0 = oe0.ReadWindow(0, 0); }, [&] { got1 = oe1.ReadWindow(0, 0); }});
  const nanoseconds both = clock.Now() - start;
  ASSERT_TRUE(got0.ok() && got1.ok());
  EXPECT_EQ(*got0, *expected0);
  EXPECT_EQ(*got1, *expected1);
  EXPECT_LT(both, one + one / 10) << "two buses took " << both.count() << " ns, one " << one.count()
                                  << " ns";
}

// Each task's wake-up times, for two runs on fresh switches.
std::vector<std::pair<int, int64_t>> InterleavedLog() {
  Stack stack = Build("sim-51t2");
  EXPECT_TRUE(stack.device);
  if (!stack.device) return {};
  Clock& clock = stack.device->clock();
  std::mutex mutex;
  std::vector<std::pair<int, int64_t>> log;
  std::vector<std::function<void()>> tasks;
  for (int task = 0; task < 4; ++task) {
    tasks.emplace_back([&, task] {
      hal::OpticalEngine& engine = *stack.device->optical_engines()[static_cast<size_t>(task)];
      for (int step = 0; step < 5; ++step) {
        (void)engine.Module();  // a bus transfer
        clock.SleepFor(std::chrono::microseconds(300 * (task + 1)));
        std::lock_guard lock(mutex);
        log.emplace_back(task, clock.Now().count());
      }
    });
  }
  clock.RunConcurrently(tasks);
  return log;
}

TEST(ModelSchedulerTest, TheInterleavingIsTheSameOnEveryRun) {
  const auto first = InterleavedLog();
  const auto second = InterleavedLog();
  ASSERT_EQ(first.size(), 20u);
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace cpo::sim
