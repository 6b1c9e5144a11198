// Every wait has two bounds: the device's time and a wall-clock backstop for when device time
// stops (issue 14, "No hang").
#include <gtest/gtest.h>

#include <thread>

#include "cpo/clock.h"
#include "cpo/hal/optical_engine.h"
#include "fake_laser_world.h"

namespace cpo::hal {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// Device time that never moves: a simulator that froze. Sleeping takes real time.
class StoppedClock : public Clock {
 public:
  nanoseconds Now() override { return milliseconds(5); }
  void SleepFor(nanoseconds /*duration*/) override { std::this_thread::sleep_for(milliseconds(1)); }
};

TEST(WaitBoundTest, DeviceTimeEndsAWaitWhileItMoves) {
  fake::FakeClock clock;
  WaitBound until(clock, milliseconds(10), std::chrono::hours(1));
  EXPECT_FALSE(until.Expired());
  clock.SleepFor(milliseconds(10));
  EXPECT_TRUE(until.Expired());
  EXPECT_FALSE(until.WallExpired());
}

TEST(WaitBoundTest, TheWallClockEndsAWaitWhenDeviceTimeStops) {
  StoppedClock clock;
  WaitBound until(clock, milliseconds(10), milliseconds(30));
  int rounds = 0;
  while (!until.Expired() && rounds < 10'000) {
    clock.SleepFor(milliseconds(1));
    ++rounds;
  }
  EXPECT_TRUE(until.WallExpired());
  EXPECT_LT(rounds, 10'000);
}

TEST(WaitBoundTest, TheBackstopLeavesRoomForDeviceTimeSlowerThanTheWall) {
  // cpo-simd's --time-scale 0.1 runs device time ten times slower than the wall.
  EXPECT_GE(WaitBound::WallBoundFor(milliseconds(500)), milliseconds(500) * 10);
  EXPECT_GE(WaitBound::WallBoundFor(nanoseconds(0)), milliseconds(1000));
}

// An engine that never leaves LowPwr, advertising 1 ms transitions.
class StuckEngineBackend : public fake::FakeEngineBackend {
 public:
  explicit StuckEngineBackend(fake::World& world) : FakeEngineBackend(world) {}
  Result<EngineAdvertising> ReadAdvertising() override {
    EngineAdvertising advertising;
    advertising.durations.module_power_up = milliseconds(1);
    advertising.durations.module_power_down = milliseconds(1);
    return advertising;
  }
  Result<ModuleMonitors> ReadModuleMonitors() override {
    ModuleMonitors monitors;
    monitors.state = ModuleState::kLowPower;
    return monitors;
  }
};

TEST(WaitBoundTest, AModuleWaitOnAStoppedClockEndsAndSaysWhy) {
  fake::World world;
  StoppedClock clock;
  platform::OpticalEngineConfig config;
  config.name = "oe0";
  config.lanes = 8;
  config.banks = 1;
  OpticalEngine engine(config, std::make_unique<StuckEngineBackend>(world), clock);
  const auto started = std::chrono::steady_clock::now();
  auto ready = engine.WaitForModuleState(ModuleState::kReady);
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.status().code(), StatusCode::kTimeout);
  EXPECT_NE(ready.status().message().find("device time stalled"), std::string::npos)
      << ready.status().message();
  EXPECT_LT(waited, std::chrono::seconds(30));  // the backstop, not forever
}

}  // namespace
}  // namespace cpo::hal
