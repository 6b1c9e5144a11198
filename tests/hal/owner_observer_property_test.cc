// Property test of one switch shared by two processes (issue 14): an owner Device and an
// observer Device on one behavioural laser source (tests/hal/fake_laser_world.h), with random
// interleavings of lane enables and disables (a port's lanes going up and down), fibre cuts and
// repairs, laser deaths, module pulls, low-power cycles too short for a poll to see, VDM freezes,
// owner restarts (adopting what runs), temperature-alarm transients, and the observer reading
// and trying to change things. After every bus access and every millisecond:
// - no lane above the fibre-check power on a fibre not checked since its last cut, the module's
//   removal or its last power cycle; no lane lit into a cut fibre past a poll period;
// - the observer never writes;
// and after each sequence no lit lane is unknown to the owner (no stranded spare), and every
// injected temperature transient was reported set, then cleared, by the owner.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "cpo/hal/device.h"
#include "hal/fake_laser_world.h"

namespace cpo::hal {
namespace {

using fake::kFibers;
using fake::kLanes;
using fake::kPoll;
using fake::Rig;
using fake::World;

bool IsLit(LaserLanePhase phase) {
  return phase == LaserLanePhase::kChecking || phase == LaserLanePhase::kVerifying ||
         phase == LaserLanePhase::kOperating;
}

TEST(OwnerObserverPropertyTest, TwoProcessesNeverLightAnUncheckedFibreNorLoseAFlag) {
  constexpr int kSequences = 2'000;
  constexpr int kStepsPerSequence = 14;
  std::mt19937 random(20261202);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint32_t>(n)); };
  int restarts = 0;
  int power_cycles = 0;
  int freezes = 0;
  int transients = 0;
  int observer_refusals = 0;
  int operating_seen = 0;
  for (int sequence = 0; sequence < kSequences; ++sequence) {
    Rig rig;
    World& world = rig.world;
    world.strict_checked = true;
    auto observer = rig.Open(ProcessRole::kObserver, LaserStartPolicy::kObserve);
    int flag_set = 0;
    int flag_cleared = 0;
    auto watch = [&](Device& owner) {
      owner.Subscribe([&](const Event& event) {
        if (event.name != "temperature.high_alarm") return;
        flag_set += event.kind == EventKind::kFlagSet ? 1 : 0;
        flag_cleared += event.kind == EventKind::kFlagCleared ? 1 : 0;
      });
    };
    watch(*rig.device);
    // A transient's set and clear must each reach the owner: (set, cleared) counts expected.
    int expect_set = 0;
    int expect_cleared = 0;
    std::string trace;  // what this sequence did, for a failure's message
    for (int step = 0; step < kStepsPerSequence; ++step) {
      LaserSource& source = *rig.device->laser_sources()[0];
      const int lane = 1 + pick(kLanes);
      const int fiber = 1 + pick(kFibers);
      int rounds = 1 + pick(6);
      const int action = pick(14);
      trace += fmt::format("\n  {:.0f} ms: action {} lane {} fibre {}",
                           rig.clock->Now().count() / 1e6, action, lane, fiber);
      switch (action) {
        case 0:
        case 1:
          (void)source.Enable({lane});
          break;
        case 2:
          (void)source.Enable({1, 2, 3, 4});  // a port's lanes up
          break;
        case 3:
          (void)source.Disable({1 + pick(2) * 2, 2 + pick(2) * 2});  // a port's lanes down
          break;
        case 4:
          if (world.cut[static_cast<size_t>(fiber)]) {
            world.cut[static_cast<size_t>(fiber)] = false;  // repaired
          } else {
            world.Cut(fiber, rig.clock->Now());
          }
          break;
        case 5:
          world.lasers[static_cast<size_t>(lane - 1)].dead = true;
          break;
        case 6:
          if (world.present) {
            world.present = false;
            world.Reset();  // a pulled module resets: dark, unchecked, default map
          } else {
            world.present = true;
          }
          break;
        case 7:
          if (world.present && world.powered) {
            world.PowerCycle(rig.clock->Now());
            ++power_cycles;
          }
          break;
        case 8:
          if (!world.frozen) {
            for (int f = 1; f <= kFibers; ++f) {
              world.frozen_dbm[static_cast<size_t>(f)] = world.InputDbm(f);
            }
            world.frozen = true;
            ++freezes;
          }
          break;
        case 9: {
          // The owner restarts: nothing written on the way out, the new one adopts.
          rig.device.reset();
          rig.device = rig.Open(ProcessRole::kOwner, LaserStartPolicy::kAdoptChecked);
          watch(*rig.device);
          ++restarts;
          // The new owner's history starts afresh: a transient under way is set for it.
          expect_set = flag_set + (world.hot ? 1 : 0);
          expect_cleared = flag_cleared;
          break;
        }
        case 10:
          if (world.present && !world.hot) {
            world.hot = true;  // a transient starts
            world.hot_latched = true;
            expect_set = flag_set + 1;
            ++transients;
          } else if (world.hot) {
            world.hot = false;  // and ends
            expect_cleared = flag_cleared + 1;
            rounds = 3 + pick(4);  // long enough for the owner to see it clear
          }
          break;
        case 11: {
          // The observer looks, and tries to change things: refused, nothing written.
          LaserSource& seen = *observer->laser_sources()[0];
          (void)seen.Lanes();
          observer_refusals += seen.Enable({lane}).ok() ? 0 : 1;
          observer_refusals += observer->EnableLasers({{"els0", lane}}).ok() ? 0 : 1;
          break;
        }
        case 12:
          (void)source.FiberCheck({lane});
          break;
        default:
          break;
      }
      world.Check();
      for (; rounds > 0; --rounds) {
        rig.clock->SleepFor(kPoll);
        (void)rig.device->PollEvents();
        if (pick(3) == 0) (void)observer->laser_sources()[0]->Lanes();
      }
      world.Check();
      // A step that pulled or plugged the module, or restarted the owner, is judged at the end.
      if (world.present && action != 6 && action != 9) {
        ASSERT_GE(flag_set, expect_set) << "sequence " << sequence << " step " << step
                                        << ": a transient's set was not reported" << trace;
        ASSERT_GE(flag_cleared, expect_cleared)
            << "sequence " << sequence << " step " << step
            << ": a transient's clearing was not reported" << trace;
      }
    }
    // The module back and a few rounds: every transient's set and clearing has been reported.
    world.present = true;
    for (int round = 0; round < 10; ++round) {
      rig.clock->SleepFor(kPoll);
      (void)rig.device->PollEvents();
    }
    ASSERT_GE(flag_set, expect_set) << "sequence " << sequence << ": a set was lost" << trace;
    ASSERT_GE(flag_cleared, expect_cleared)
        << "sequence " << sequence << ": a clearing was lost" << trace;
    ASSERT_EQ(world.violations, 0) << "sequence " << sequence << ": " << world.first_violation
                                   << " at " << world.first_violation_ms << " ms" << trace;
    // Nothing lit that the owner does not know it lights (a stranded spare, a forgotten check).
    auto lanes = rig.device->laser_sources()[0]->Lanes();
    if (lanes.ok() && world.present && world.powered) {
      for (int i = 0; i < kLanes; ++i) {
        const auto& report = (*lanes)[static_cast<size_t>(i)];
        operating_seen += report.phase == LaserLanePhase::kOperating ? 1 : 0;
        if (world.lasers[static_cast<size_t>(i)].enabled) {
          ASSERT_TRUE(IsLit(report.phase))
              << "sequence " << sequence << ": lane " << i + 1 << " lit but "
              << LaserLanePhaseName(report.phase) << " to the owner";
        }
      }
    }
  }
  // The sequences really exercised what they claim to.
  EXPECT_GT(restarts, kSequences / 2);
  EXPECT_GT(power_cycles, kSequences / 4);
  EXPECT_GT(freezes, kSequences / 4);
  EXPECT_GT(transients, kSequences / 4);
  EXPECT_GT(observer_refusals, kSequences / 2);
  EXPECT_GT(operating_seen, kSequences / 2);
  RecordProperty("owner_restarts", restarts);
  RecordProperty("power_cycles", power_cycles);
  RecordProperty("vdm_freezes", freezes);
  RecordProperty("flag_transients", transients);
}

}  // namespace
}  // namespace cpo::hal
