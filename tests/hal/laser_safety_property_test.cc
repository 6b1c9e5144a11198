// Property test of the HAL's laser-safety core: 10,000 random sequences of public API calls
// (enable, disable, fibre check, operating power, save/restore, supervision rounds) and injected
// faults (cut and dirty fibres, dead lasers, module pulled and plugged back) against a
// behavioural model of one laser source, its fibres and the engine lanes they light. After every
// bus access and every step of time the model's own state is checked: no lane above the
// fibre-check setpoint with its fibre unchecked, and no lane lit into a cut fibre longer than one
// supervision period. (The RTL model runs the same core in tests/sim/laser_safety_test.cc; it is
// too slow for 10,000 sequences.)
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cpo/hal/device.h"
#include "hal/fake_laser_world.h"

namespace cpo::hal {
namespace {

using fake::kCheckMw;
using fake::kFibers;
using fake::kLanes;
using fake::kPoll;
using fake::Rig;
using fake::World;

TEST(LaserSafetyPropertyTest, NoUncheckedHighPowerAndNoLightIntoACutFiber) {
  constexpr int kSequences = 10'000;
  constexpr int kStepsPerSequence = 12;
  std::mt19937 random(20261124);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint32_t>(n)); };
  int operating_seen = 0;
  int spared_seen = 0;
  int shutdowns_seen = 0;
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    Rig rig;
    World& world = rig.world;
    LaserSource& source = *rig.device->laser_sources()[0];
    rig.device->Subscribe([&](const Event& event) {
      spared_seen += event.kind == EventKind::kLaserSpared ? 1 : 0;
      shutdowns_seen += event.kind == EventKind::kLaserShutdown ? 1 : 0;
    });
    for (int step = 0; step < kStepsPerSequence; ++step) {
      const int lane = 1 + pick(kLanes);
      const int fiber = 1 + pick(kFibers);
      switch (pick(12)) {
        case 0:
        case 1:
          (void)source.Enable({lane});
          break;
        case 2:
          (void)source.Enable({1, 2, 3, 4});
          break;
        case 3:
          (void)source.Disable({lane});
          break;
        case 4:
          (void)source.FiberCheck({lane});
          break;
        case 5:
          (void)source.SetOperatingPower({lane}, 1.0 + pick(24));
          break;
        case 6:
          (void)(pick(2) == 0 ? source.SaveSet(hal::LaserSetKind::kControls)
                              : source.RestoreSet(hal::LaserSetKind::kControls));
          break;
        case 7:
          world.cut[static_cast<size_t>(fiber)] = !world.cut[static_cast<size_t>(fiber)];
          world.cut_at[static_cast<size_t>(fiber)] = rig.clock->Now();
          break;
        case 8:
          world.extra_db[static_cast<size_t>(fiber)] = pick(2) == 0 ? 0.0 : 3.0 * pick(4);
          break;
        case 9:
          world.lasers[static_cast<size_t>(lane - 1)].dead = true;
          break;
        case 10:
          if (world.present) {
            world.present = false;
            world.Reset();  // a pulled module resets: dark, unchecked, default map
          } else {
            world.present = true;
          }
          break;
        default:
          break;
      }
      world.Check();
      // Supervision rounds: the event monitor's work.
      for (int round = 1 + pick(8); round > 0; --round) {
        rig.clock->SleepFor(kPoll);
        rig.device->SuperviseLasers();
      }
      world.Check();
    }
    auto lanes = source.Lanes();
    if (lanes.ok()) {
      for (const auto& report : *lanes) {
        operating_seen += report.phase == LaserLanePhase::kOperating ? 1 : 0;
      }
    }
    ASSERT_EQ(world.violations, 0) << "sequence " << sequence << ": " << world.first_violation;
  }
  // The sequences really exercised the core (not a run where nothing ever lit).
  EXPECT_GT(operating_seen, kSequences / 2);
  EXPECT_GT(spared_seen, 100);
  EXPECT_GT(shutdowns_seen, 100);
  RecordProperty("operating_lanes_at_end", operating_seen);
  RecordProperty("spared", spared_seen);
  RecordProperty("shutdowns", shutdowns_seen);
}

// Regression (LaserSource::Module, issue 15): a public read of the module monitors takes the
// clear-on-read ModuleStateChanged before the safety core's round can; the core must still turn
// off the lanes a short low-power cycle relit without a fibre check.
TEST(LaserSafetyPropertyTest, AModuleReadDoesNotHideAPowerCycleFromTheSafetyCore) {
  Rig rig;
  World& world = rig.world;
  world.strict_checked = true;
  LaserSource& source = *rig.device->laser_sources()[0];
  ASSERT_TRUE(source.Enable({1, 2}).ok());
  for (int round = 0; round < 4; ++round) {
    rig.clock->SleepFor(kPoll);
    rig.device->SuperviseLasers();
  }
  ASSERT_EQ((*source.Lanes())[0].phase, LaserLanePhase::kOperating);
  int shutdowns = 0;
  rig.device->Subscribe(
      [&](const Event& event) { shutdowns += event.kind == EventKind::kLaserShutdown ? 1 : 0; });
  world.PowerCycle(rig.clock->Now());
  auto module = source.Module();  // takes the state-change flag
  ASSERT_TRUE(module.ok()) << module.status().ToString();
  for (int round = 0; round < 4; ++round) {
    rig.clock->SleepFor(kPoll);
    rig.device->SuperviseLasers();
  }
  EXPECT_EQ(world.violations, 0) << world.first_violation;
  EXPECT_GE(shutdowns, 2) << "both relit lanes turned off for a new check";
}

}  // namespace
}  // namespace cpo::hal
