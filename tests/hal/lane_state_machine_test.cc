// The laser-safety core's decisions, without a module: each rule of the lane state machine.
#include "lasers/lane_state_machine.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cpo::hal::lanes {
namespace {

using std::chrono::milliseconds;

LaneView Lane(LaserLaneState state, double power_mw, milliseconds now = milliseconds(10)) {
  LaneView view;
  view.status_fresh = true;
  view.status.state = state;
  view.status.power_mw = power_mw;
  view.now = now;
  view.deadline = milliseconds(100);
  view.operating_mw = 18;
  return view;
}

FiberCheckResult Passed(bool passed) {
  FiberCheckResult result;
  result.passed = passed;
  result.detail = "fibre 1: loss 2.00 dB";
  return result;
}

TEST(LaneStateMachineTest, ACheckingLaneIsMeasuredOnceOnAndFailedWhenItNeverComesOn) {
  EXPECT_EQ(WhileChecking(Lane(LaserLaneState::kOn, 2), milliseconds(500)).next, Next::kMeasure);
  EXPECT_EQ(WhileChecking(Lane(LaserLaneState::kRamping, 1), milliseconds(500)).next, Next::kWait);
  const Decision late =
      WhileChecking(Lane(LaserLaneState::kRamping, 1, milliseconds(101)), milliseconds(500));
  EXPECT_EQ(late.next, Next::kShutDown);
  EXPECT_NE(late.reason.find("within 500 ms (state ramping)"), std::string::npos) << late.reason;
  LaneView stale = Lane(LaserLaneState::kOn, 2);
  stale.status_fresh = false;  // nothing read this round: nothing decided on old news
  EXPECT_EQ(WhileChecking(stale, milliseconds(500)).next, Next::kWait);
}

TEST(LaneStateMachineTest, OnlyAPassedCheckLeadsToOperatingPower) {
  EXPECT_EQ(AfterCheck(Passed(true)).next, Next::kPassCheck);
  const Decision failed = AfterCheck(Passed(false));
  EXPECT_EQ(failed.next, Next::kShutDown);
  EXPECT_NE(failed.reason.find("fibre check failed: fibre 1"), std::string::npos);
  EXPECT_EQ(AfterVerify(Passed(true)).next, Next::kOperate);
  EXPECT_EQ(AfterVerify(Passed(false)).next, Next::kShutDown);
}

TEST(LaneStateMachineTest, AVerifyingLaneThatCannotReachItsPowerIsALaserFault) {
  EXPECT_EQ(WhileVerifying(Lane(LaserLaneState::kOn, 17)).next, Next::kMeasure);  // >= 90%
  EXPECT_EQ(WhileVerifying(Lane(LaserLaneState::kOn, 10)).next, Next::kWait);
  const Decision weak = WhileVerifying(Lane(LaserLaneState::kOn, 10, milliseconds(101)));
  EXPECT_EQ(weak.next, Next::kLaserFault);
  EXPECT_NE(weak.reason.find("10.00 mW did not reach the operating power 18.00 mW"),
            std::string::npos);
}

TEST(LaneStateMachineTest, AnOperatingLaneFaultsOnEachSignOfADyingLaser) {
  EXPECT_EQ(WhileOperating(Lane(LaserLaneState::kOn, 18), 0.5).next, Next::kMeasure);
  LaneView fault = Lane(LaserLaneState::kOn, 18);
  fault.status.fault_code = 1;
  EXPECT_EQ(WhileOperating(fault, 0.5).reason, "laser fault code 1 (APC loop)");
  EXPECT_EQ(WhileOperating(Lane(LaserLaneState::kOff, 0), 0.5).reason, "lane went off by itself");
  EXPECT_EQ(WhileOperating(Lane(LaserLaneState::kOn, 8.9), 0.5).next, Next::kLaserFault);
  EXPECT_EQ(WhileOperating(Lane(LaserLaneState::kOn, 9.1), 0.5).next, Next::kMeasure);
  LaneView runaway = Lane(LaserLaneState::kOn, 18);
  runaway.status.bias_flags.high_alarm = true;
  EXPECT_EQ(WhileOperating(runaway, 0.5).next, Next::kLaserFault);
  LaneView stale = Lane(LaserLaneState::kOff, 0);
  stale.status_fresh = false;  // no fresh read: the engine's light alone decides
  EXPECT_EQ(WhileOperating(stale, 0.5).next, Next::kMeasure);
}

TEST(LaneStateMachineTest, DarkAtTheEngineRulesOutTheLaserBeforeBlamingTheFibre) {
  EXPECT_EQ(AfterOperatingMeasure(Passed(true), false).next, Next::kHealthy);
  EXPECT_EQ(AfterOperatingMeasure(Passed(false), false).next, Next::kReadModule);
  const Decision cut = AfterOperatingMeasure(Passed(false), true);
  EXPECT_EQ(cut.next, Next::kShutDown);
  EXPECT_NE(cut.reason.find("fibre cut or pulled?"), std::string::npos);
}

TEST(LaneStateMachineTest, JudgeFiberTakesTheWeakestEngineLaneAndRefusesAGain) {
  FiberReading reading{.fiber = 3,
                       .engine = "oe0",
                       .engine_lanes = {1, 2, 3, 4},
                       .input_dbm = {0.0, -1.0, -0.5, 0.2},
                       .threshold_db = 6.0};
  const double two_mw_dbm = 10 * std::log10(2.0);
  const FiberCheckResult passed = JudgeFiber(2.0, reading, milliseconds(7));
  EXPECT_TRUE(passed.passed);
  EXPECT_NEAR(passed.worst_loss_db, two_mw_dbm + 1.0, 1e-9);
  EXPECT_NE(passed.detail.find("oe0 lane 2"), std::string::npos) << passed.detail;
  EXPECT_EQ(passed.time, milliseconds(7));
  reading.input_dbm[1] = -30;  // a cut between the laser and lane 2
  EXPECT_FALSE(JudgeFiber(2.0, reading, {}).passed);
  // A frozen VDM holding an 18 mW reading while the laser checks at 2 mW: a "gain".
  reading.input_dbm = {12.0, 12.0, 12.0, 12.0};
  const FiberCheckResult gain = JudgeFiber(2.0, reading, {});
  EXPECT_FALSE(gain.passed);
  EXPECT_NE(gain.detail.find("cannot be trusted"), std::string::npos) << gain.detail;
  // Within the monitors' spread a small apparent gain is fine.
  reading.input_dbm = {two_mw_dbm + 0.5, two_mw_dbm + 0.5, two_mw_dbm + 0.5, two_mw_dbm + 0.5};
  EXPECT_TRUE(JudgeFiber(2.0, reading, {}).passed);
  reading.input_dbm.clear();
  EXPECT_FALSE(JudgeFiber(2.0, reading, {}).passed);
}

TEST(LaneStateMachineTest, TheSpareIsTheFirstFreeOneAndNeverALaneInUse) {
  EXPECT_EQ(ChooseSpare({}), 0);
  const std::vector<SpareCandidate> lanes = {
      {.lane = 9, .phase = LaserLanePhase::kOperating, .requested = true, .fiber = 4},
      {.lane = 10, .phase = LaserLanePhase::kOff, .requested = true},   // asked for by someone
      {.lane = 11, .phase = LaserLanePhase::kOff, .check_only = true},  // being checked
      {.lane = 12, .phase = LaserLanePhase::kOff, .fiber = 2},          // lights a fibre
      {.lane = 13, .phase = LaserLanePhase::kFailed},
      {.lane = 14, .phase = LaserLanePhase::kOff},
      {.lane = 15, .phase = LaserLanePhase::kOff}};
  EXPECT_EQ(ChooseSpare(lanes), 14);
}

}  // namespace
}  // namespace cpo::hal::lanes
