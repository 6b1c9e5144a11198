// Laser safety and sparing through the whole stack on sim-51t2: HAL core -> ELSFP and CMIS
// drivers -> I2C controllers -> RTL, with the plant's fibre model carrying each laser's light to
// the engine lanes. The model's own state (LaserLane, EngineInputDbm) is the judge.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cpo/platform/topology.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr int kEls0 = 0;          // els0 feeds oe0 lanes 1-32, fibre f -> lanes 4f-3..4f
constexpr double kCheckMw = 2.0;  // the EEPROM's fibre-check setpoint
constexpr double kOperatingMw = 18.0;

class LaserSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    ASSERT_TRUE(stack_.device);
    auto els0 = stack_.device->FindLaserSource("els0");
    ASSERT_TRUE(els0.ok());
    els0_ = *els0;
  }
  nanoseconds Now() { return stack_.device->clock().Now(); }
  // One supervision period: sleep (the model runs), then a laser-safety round. Tracks the
  // longest interval between the ends of two rounds (sleep plus the round's own bus time).
  std::vector<hal::Event> Poll() {
    stack_.device->clock().SleepFor(poll_);
    auto events = stack_.device->SuperviseLasers();
    const auto now = Now();
    if (last_round_.count() > 0) max_interval_ = std::max(max_interval_, now - last_round_);
    last_round_ = now;
    return events;
  }
  SimulatedSwitch::LaserLaneTruth Truth(int lane) {
    auto truth = stack_.sim->LaserLane(kEls0, lane - 1);
    EXPECT_TRUE(truth.ok());
    return truth.ok() ? *truth : SimulatedSwitch::LaserLaneTruth{};
  }
  std::vector<std::string> ImpactPorts(int lane) {
    platform::Topology topology(stack_.device->platform());
    auto impact = topology.ImpactOfLaser("els0", lane);
    EXPECT_TRUE(impact.ok());
    return impact.ok() ? impact->ports : std::vector<std::string>{};
  }
  hal::LaserLaneReport Report(int lane) {
    auto lanes = els0_->Lanes();
    EXPECT_TRUE(lanes.ok()) << lanes.status().ToString();
    return lanes.ok() ? (*lanes)[static_cast<size_t>(lane - 1)] : hal::LaserLaneReport{};
  }

  Stack stack_;
  hal::LaserSource* els0_ = nullptr;
  nanoseconds poll_{milliseconds(5)};
  nanoseconds last_round_{0};
  nanoseconds max_interval_{0};
};

TEST_F(LaserSafetyTest, LanesAreDarkAtOpenAndLightOnlyAfterTheFiberCheck) {
  for (int lane = 1; lane <= 10; ++lane) {
    EXPECT_FALSE(Truth(lane).enabled) << lane;
    EXPECT_EQ(Truth(lane).output_mw, 0.0) << lane;
  }
  ASSERT_TRUE(els0_->Enable({1, 2}).ok());
  for (int lane : {1, 2}) {
    const auto truth = Truth(lane);
    EXPECT_TRUE(truth.enabled);
    EXPECT_TRUE(truth.fiber_checked);
    EXPECT_NEAR(truth.output_mw, kOperatingMw, 0.05);
    const auto report = Report(lane);
    EXPECT_EQ(report.phase, hal::LaserLanePhase::kOperating);
    ASSERT_TRUE(report.last_check.has_value());
    EXPECT_TRUE(report.last_check->passed);
    // The check ran at the fibre-check setpoint: 3.01 dBm out, fibre loss 4.1 / 4.2 dB.
    EXPECT_NEAR(report.last_check->laser_output_mw, kCheckMw, 0.02);
    EXPECT_NEAR(report.last_check->worst_loss_db, lane == 1 ? 4.1 : 4.2, 0.05);
  }
  // Light arrives: oe0 lanes 1-4 get 18 mW - 4.1 dB.
  auto input = stack_.sim->EngineInputDbm(0, 1);
  ASSERT_TRUE(input.ok());
  EXPECT_NEAR(*input, 10 * std::log10(kOperatingMw) - 4.1, 0.05);
  EXPECT_FALSE(Truth(3).enabled);
}

TEST_F(LaserSafetyTest, ManySourcesAtOnceAndNothingHalfAppliedOnARefusal) {
  // A spare in the request: refused before any lane is touched.
  Status refused = stack_.device->EnableLasers({{"els0", 1}, {"els1", 9}});
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("spare"), std::string::npos) << refused.message();
  EXPECT_FALSE(Truth(1).enabled);
  EXPECT_EQ(Report(1).phase, hal::LaserLanePhase::kOff);
  EXPECT_EQ(stack_.device->EnableLasers({{"els0", 11}}).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(stack_.device->EnableLasers({{"els99", 1}}).code(), StatusCode::kNotFound);
  // Two sources, 16 lanes, checked in parallel.
  std::vector<platform::LaserLane> lanes;
  for (const char* source : {"els0", "els1"}) {
    for (int lane = 1; lane <= 8; ++lane) lanes.push_back({source, lane});
  }
  const auto started = Now();
  ASSERT_TRUE(stack_.device->EnableLasers(lanes).ok());
  // One module power-up (200 ms) and one ramp (30 ms) for all, not one per lane.
  EXPECT_LT(Now() - started, milliseconds(400));
  for (int lane = 1; lane <= 8; ++lane) EXPECT_TRUE(Truth(lane).fiber_checked) << lane;
  auto els1 = stack_.sim->LaserLane(1, 7);
  ASSERT_TRUE(els1.ok());
  EXPECT_NEAR(els1->output_mw, kOperatingMw, 0.05);
}

TEST_F(LaserSafetyTest, DirtyConnectorFailsTheCheckAndTheLaneStaysDark) {
  ASSERT_TRUE(stack_.sim->SetFiberExtraLossDb(kEls0, 3, 8.0).ok());
  Status enabled = els0_->Enable({3});
  EXPECT_EQ(enabled.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(enabled.message().find("fibre check failed"), std::string::npos) << enabled.message();
  EXPECT_FALSE(Truth(3).enabled);
  EXPECT_FALSE(Truth(3).fiber_checked);
  const auto report = Report(3);
  EXPECT_EQ(report.phase, hal::LaserLanePhase::kFailed);
  ASSERT_TRUE(report.last_check.has_value());
  EXPECT_NEAR(report.last_check->worst_loss_db, 4.3 + 8.0, 0.05);
  // Cleaned: the same request passes.
  ASSERT_TRUE(stack_.sim->SetFiberExtraLossDb(kEls0, 3, 0.0).ok());
  EXPECT_TRUE(els0_->Enable({3}).ok());
  EXPECT_TRUE(Truth(3).fiber_checked);
}

TEST_F(LaserSafetyTest, FiberCheckAloneLeavesTheLaneDark) {
  auto results = els0_->FiberCheck({4});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_TRUE((*results)[0].passed) << (*results)[0].detail;
  EXPECT_FALSE(Truth(4).enabled);
  EXPECT_EQ(Report(4).phase, hal::LaserLanePhase::kOff);
}

// Regression: a second process once took the check setpoint left in a dark lane's register for
// its operating power and ran the lane at 2 mW.
TEST_F(LaserSafetyTest, AnotherProcessFindsTheOperatingPowerOfDarkLanes) {
  ASSERT_TRUE(els0_->FiberCheck({4}).ok());
  OpenOptions options;
  options.register_io = stack_.io;
  options.clock = stack_.sim->MakeClock();
  options.laser_safety.start = hal::LaserStartPolicy::kAdoptChecked;
  auto second = OpenDevice(stack_.device->platform(), options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE((*second)->EnableLasers({{"els0", 4}, {"els0", 5}}).ok());
  EXPECT_NEAR(Truth(4).output_mw, kOperatingMw, 0.05);
  EXPECT_NEAR(Truth(5).output_mw, kOperatingMw, 0.05);
}

TEST_F(LaserSafetyTest, CutFiberTurnsTheLaneOffWithinTheBound) {
  ASSERT_TRUE(els0_->Enable({1}).ok());
  Poll();
  const auto cut_at = Now();
  ASSERT_TRUE(stack_.sim->SetFiberCut(kEls0, 1, true).ok());
  std::vector<hal::Event> shutdowns;
  for (int round = 0; round < 10 && shutdowns.empty(); ++round) {
    for (auto& event : Poll()) {
      if (event.kind == hal::EventKind::kLaserShutdown) shutdowns.push_back(event);
    }
  }
  ASSERT_EQ(shutdowns.size(), 1u);
  const auto dark_after = Now() - cut_at;
  EXPECT_FALSE(Truth(1).enabled);
  EXPECT_EQ(Truth(1).output_mw, 0.0);
  EXPECT_FALSE(Truth(1).fiber_checked);
  // Within one poll interval (the sleep plus the round's own reads) of the cut.
  EXPECT_LE(dark_after, max_interval_) << dark_after.count() / 1e6 << " ms";
  EXPECT_LE(max_interval_, milliseconds(25));  // 5 ms sleep + at most 20 ms of reads
  EXPECT_EQ(shutdowns[0].ports, ImpactPorts(1));
  RecordProperty("cut_to_dark_us", static_cast<int>(dark_after.count() / 1000));
  EXPECT_EQ(Report(1).phase, hal::LaserLanePhase::kFailed);
}

TEST_F(LaserSafetyTest, DeadLaserFailsOverToASpareWithinTheBound) {
  ASSERT_TRUE(els0_->Enable({1, 2, 3, 4, 5, 6, 7, 8}).ok());
  const auto ports = ImpactPorts(3);
  ASSERT_FALSE(ports.empty());
  Poll();
  const auto died_at = Now();
  ASSERT_TRUE(
      stack_.sim->SetLaserPhysics(kEls0, 2, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  std::optional<hal::Event> spared;
  for (int round = 0; round < 40 && !spared; ++round) {
    for (auto& event : Poll()) {
      EXPECT_NE(event.kind, hal::EventKind::kLaserFailed) << event.detail;
      if (event.kind == hal::EventKind::kLaserSpared) spared = event;
    }
  }
  ASSERT_TRUE(spared.has_value());
  const auto back_after = Now() - died_at;
  // Ramp (30 ms) + fibre check (done in the first round after the ramp, so at most one poll
  // interval) + 2 poll intervals; a poll interval is the sleep plus the round's own bus time.
  const auto bound = milliseconds(30) + 3 * max_interval_;
  EXPECT_LE(back_after, bound) << back_after.count() / 1e6 << " ms, interval "
                               << max_interval_.count() / 1e6 << " ms";
  EXPECT_LE(max_interval_, milliseconds(25));  // 5 ms sleep + at most 20 ms of reads
  // The reported outage starts at the last round that saw the laser healthy: it covers the
  // real one and exceeds it by at most one interval.
  EXPECT_GE(spared->outage, back_after);
  EXPECT_LE(spared->outage, back_after + max_interval_);
  EXPECT_EQ(spared->ports, ports);
  RecordProperty("death_to_back_us", static_cast<int>(back_after.count() / 1000));
  // Spare lane 9 now lights fibre 3; the dead lane is retired and dark.
  const auto spare = Truth(9);
  EXPECT_TRUE(spare.enabled);
  EXPECT_TRUE(spare.fiber_checked);
  EXPECT_EQ(spare.fiber, 3);
  EXPECT_NEAR(spare.output_mw, kOperatingMw, 0.05);
  EXPECT_EQ(Truth(3).fiber, 0);
  EXPECT_FALSE(Truth(3).enabled);
  EXPECT_EQ(Report(3).phase, hal::LaserLanePhase::kRetired);
  EXPECT_EQ(Report(9).spare_for, 3);
  auto input = stack_.sim->EngineInputDbm(0, 9);  // fibre 3 -> oe0 lanes 9-12
  ASSERT_TRUE(input.ok());
  EXPECT_NEAR(*input, 10 * std::log10(kOperatingMw) - 4.3, 0.05);
}

TEST_F(LaserSafetyTest, WithoutASpareOnlyTheDeadLasersPortsGoDown) {
  ASSERT_TRUE(els0_->Enable({1, 2, 3, 4, 5, 6, 7, 8}).ok());
  std::vector<hal::Event> failed;
  int spared = 0;
  for (int lane : {3, 4, 5}) {  // spares 9 and 10 take 3 and 4; nothing is left for 5
    ASSERT_TRUE(
        stack_.sim->SetLaserPhysics(kEls0, lane - 1, {.threshold_ma = 20, .slope_mw_per_ma = 0})
            .ok());
    for (int round = 0; round < 40; ++round) {
      bool done = false;
      for (auto& event : Poll()) {
        if (event.kind == hal::EventKind::kLaserSpared) {
          ++spared;
          done = true;
        }
        if (event.kind == hal::EventKind::kLaserFailed) {
          failed.push_back(event);
          done = true;
        }
      }
      if (done) break;
    }
  }
  EXPECT_EQ(spared, 2);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].ports, ImpactPorts(5));
  EXPECT_EQ(Report(5).phase, hal::LaserLanePhase::kFailed);
  EXPECT_NE(Report(5).reason.find("no spare"), std::string::npos) << Report(5).reason;
  for (int lane : {1, 2, 6, 7, 8, 9, 10}) {
    EXPECT_EQ(Report(lane).phase, hal::LaserLanePhase::kOperating) << lane;
  }
}

TEST_F(LaserSafetyTest, PulledModuleIsCheckedAgainWhenPluggedBack) {
  ASSERT_TRUE(els0_->Enable({1, 2}).ok());
  ASSERT_TRUE(stack_.sim->RemoveLaserSource(kEls0).ok());
  bool removed = false;
  for (int round = 0; round < 4 && !removed; ++round) {
    for (auto& event : Poll()) removed = removed || event.name == "module.removed";
  }
  ASSERT_TRUE(removed);
  EXPECT_EQ(Report(1).phase, hal::LaserLanePhase::kAbsent);
  ASSERT_TRUE(stack_.sim->InsertLaserSource(kEls0).ok());
  // Until the check passes, nothing above the check setpoint and nothing lit unchecked.
  bool operating = false;
  for (int round = 0; round < 200 && !operating; ++round) {
    Poll();
    for (int lane : {1, 2}) {
      const auto truth = Truth(lane);
      if (truth.output_mw > kCheckMw * 1.05) {
        EXPECT_TRUE(truth.fiber_checked) << lane;
      }
    }
    operating = Report(1).phase == hal::LaserLanePhase::kOperating &&
                Report(2).phase == hal::LaserLanePhase::kOperating;
  }
  EXPECT_TRUE(operating);
  EXPECT_TRUE(Truth(1).fiber_checked);
  EXPECT_NEAR(Truth(2).output_mw, kOperatingMw, 0.05);
}

TEST_F(LaserSafetyTest, SaveAndRestoreTheControlSet) {
  using hal::LaserSetKind;
  EXPECT_EQ(els0_->RestoreSet(LaserSetKind::kControls).code(),
            StatusCode::kFailedPrecondition);  // nothing saved
  ASSERT_TRUE(els0_->Enable({1}).ok());
  ASSERT_TRUE(els0_->SaveSet(LaserSetKind::kControls).ok());
  ASSERT_TRUE(els0_->SetOperatingPower({1}, 12.0).ok());
  Poll();
  EXPECT_NEAR(Truth(1).output_mw, 12.0, 0.05);
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kControls).ok());
  // The saved set had 18 mW for the lit lane; it keeps its checked fibre.
  EXPECT_NEAR(Report(1).operating_power_mw, kOperatingMw, 0.01);
  Poll();
  EXPECT_NEAR(Truth(1).output_mw, kOperatingMw, 0.05);
  EXPECT_TRUE(Truth(1).fiber_checked);
}

// The OIF-ELSFP slots: two host sets beside the factory one, each kind on its own.
TEST_F(LaserSafetyTest, TwoSlotsAndTheFactoryControlSetRestoreIndependently) {
  using hal::LaserSetKind;
  using hal::LaserSetSlot;
  ASSERT_TRUE(els0_->Enable({1}).ok());
  ASSERT_TRUE(els0_->SetOperatingPower({1}, 12.0).ok());
  ASSERT_TRUE(els0_->SaveSet(LaserSetKind::kControls, LaserSetSlot::kSet1).ok());
  ASSERT_TRUE(els0_->SetOperatingPower({1}, 15.0).ok());
  ASSERT_TRUE(els0_->SaveSet(LaserSetKind::kControls, LaserSetSlot::kSet2).ok());
  EXPECT_EQ(els0_->SaveSet(LaserSetKind::kControls, LaserSetSlot::kFactory).code(),
            StatusCode::kInvalidArgument);
  // A mask set never saved: nothing to restore, and the controls are untouched.
  EXPECT_EQ(els0_->RestoreSet(LaserSetKind::kMasks, LaserSetSlot::kSet1).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kControls, LaserSetSlot::kSet1).ok());
  EXPECT_NEAR(Report(1).operating_power_mw, 12.0, 0.01);
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kControls, LaserSetSlot::kSet2).ok());
  EXPECT_NEAR(Report(1).operating_power_mw, 15.0, 0.01);
  // The factory set: what the module's non-volatile memory loaded (18 mW a lane).
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kControls, LaserSetSlot::kFactory).ok());
  EXPECT_NEAR(Report(1).operating_power_mw, kOperatingMw, 0.01);
  Poll();
  EXPECT_NEAR(Truth(1).output_mw, kOperatingMw, 0.05);
  EXPECT_TRUE(Truth(1).fiber_checked) << "a restore keeps a lane's checked fibre";
}

TEST_F(LaserSafetyTest, TheMaskSetSavesAndRestoresTheLaneMasks) {
  using hal::LaserSetKind;
  using hal::LaserSetSlot;
  auto masks = [&] {
    auto bytes = els0_->ReadWindowBytes(0x1A, 0, 198, 8);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    return bytes.ok() ? *bytes : std::vector<uint8_t>{};
  };
  const hal::ThresholdFlags all{true, true, true, true};
  ASSERT_TRUE(els0_->SetLaneFlagMasks({2}, all, all).ok());
  const Status saved = els0_->SaveSet(LaserSetKind::kMasks, LaserSetSlot::kSet2);
  ASSERT_TRUE(saved.ok()) << saved.ToString();
  ASSERT_TRUE(els0_->SetLaneFlagMasks({2}, {}, {}).ok());
  EXPECT_EQ(masks(), std::vector<uint8_t>(8, 0x00));
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kMasks, LaserSetSlot::kSet2).ok());
  EXPECT_EQ(masks(), std::vector<uint8_t>(8, 0x02)) << "lane 2's eight masks, restored";
  // The HAL starts later mask changes from the restored bytes: masking lane 3 keeps lane 2's.
  ASSERT_TRUE(els0_->SetLaneFlagMasks({3}, all, all).ok());
  EXPECT_EQ(masks(), std::vector<uint8_t>(8, 0x06));
  ASSERT_TRUE(els0_->RestoreSet(LaserSetKind::kMasks, LaserSetSlot::kFactory).ok());
  EXPECT_EQ(masks(), std::vector<uint8_t>(8, 0x00)) << "the factory masks: none";
}

// Laser Icc and lane voltage are live monitors (issue 15, item 17): a lit lane shows its diode's
// forward voltage, its bank's supply current grows by its bias.
TEST_F(LaserSafetyTest, LaneVoltageAndIccFollowTheLitLanes) {
  auto read = [&](int lane) {
    auto electrical = els0_->Electrical();
    EXPECT_TRUE(electrical.ok()) << electrical.status().ToString();
    return electrical.ok() ? (*electrical)[static_cast<size_t>(lane - 1)]
                           : hal::LaserLaneElectrical{};
  };
  const hal::LaserLaneElectrical dark = read(1);
  EXPECT_EQ(dark.voltage_v, 0.0);
  EXPECT_GT(dark.bank_icc_ma, 90.0) << "electronics and TEC draw with every lane dark";
  ASSERT_TRUE(els0_->Enable({1}).ok());
  Poll();
  const hal::LaserLaneElectrical lit = read(1);
  const double bias_ma = Report(1).status.bias_ma;
  ASSERT_GT(bias_ma, 10.0);
  EXPECT_NEAR(lit.voltage_v, 1.1 + 0.002 * bias_ma, 0.02);
  EXPECT_NEAR(lit.bank_icc_ma - dark.bank_icc_ma, bias_ma, 0.5);
  EXPECT_EQ(read(2).voltage_v, 0.0) << "lane 2 stays dark";
}

}  // namespace
}  // namespace cpo::sim
