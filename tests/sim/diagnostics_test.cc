// PRBS generators and checkers, loopbacks, injected bit errors, SNR and VDM through the whole
// stack: the LFSRs run in the RTL, the errors come from the plant, the HAL reads CMIS F16 BER.
#include <gtest/gtest.h>

#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using hal::DiagnosticSide;
using hal::LoopbackKind;
using hal::PrbsPattern;

class DiagnosticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    ASSERT_TRUE(stack_.device);
    engine_ = *stack_.device->FindOpticalEngine("oe0");
  }
  // Runs the patterns for `ms` of simulated time, then reads the lane's results.
  hal::PrbsLaneResult RunAndRead(int lane, uint64_t ms) {
    stack_.sim->model().StepNs(ms * 1'000'000);
    auto results = engine_->PrbsResults({lane});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? results->front() : hal::PrbsLaneResult{};
  }

  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
};

TEST_F(DiagnosticsTest, MediaPatternThroughMediaOutputLoopbackLocksWithNoErrors) {
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {3}, true).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {3}, PrbsPattern::kPrbs31, true, true).ok());
  const hal::PrbsLaneResult result = RunAndRead(3, 2);
  EXPECT_TRUE(result.media_checker_on);
  EXPECT_TRUE(result.media_locked);
  EXPECT_EQ(result.media_ber, 0.0);
  EXPECT_FALSE(result.host_checker_on);
  // Other lanes run nothing.
  EXPECT_FALSE(engine_->PrbsResults({4})->front().media_locked);
}

TEST_F(DiagnosticsTest, InjectedMediaErrorsAreMeasuredWithinTenPercent) {
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {1}, true).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {1}, PrbsPattern::kPrbs31, true, true).ok());
  constexpr double kInjected = 1e-3;
  ASSERT_TRUE(stack_.sim->SetEngineBitErrorRate(0, sim::DiagnosticSide::kMedia, 0, kInjected).ok());
  const hal::PrbsLaneResult result = RunAndRead(1, 5);
  EXPECT_TRUE(result.media_locked);
  EXPECT_NEAR(result.media_ber, kInjected, kInjected * 0.1) << result.media_ber;
  EXPECT_GT(result.media_ber, 0.0);
}

TEST_F(DiagnosticsTest, HostPatternThroughHostOutputLoopbackMeasuresHostErrors) {
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kHostOutput, {8}, true).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kHost, {8}, PrbsPattern::kPrbs15, true, true).ok());
  hal::PrbsLaneResult clean = RunAndRead(8, 1);
  EXPECT_TRUE(clean.host_locked);
  EXPECT_EQ(clean.host_ber, 0.0);
  constexpr double kInjected = 2e-4;
  ASSERT_TRUE(stack_.sim->SetEngineBitErrorRate(0, sim::DiagnosticSide::kHost, 7, kInjected).ok());
  // A fresh count: restart the checker.
  ASSERT_TRUE(engine_->StopPrbs(DiagnosticSide::kHost, {8}).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kHost, {8}, PrbsPattern::kPrbs15, true, true).ok());
  const hal::PrbsLaneResult noisy = RunAndRead(8, 20);
  EXPECT_TRUE(noisy.host_locked);
  EXPECT_NEAR(noisy.host_ber, kInjected, kInjected * 0.1) << noisy.host_ber;
}

TEST_F(DiagnosticsTest, EveryRequiredPatternLocksOnItselfAndNotOnAnother) {
  const PrbsPattern patterns[] = {
      PrbsPattern::kPrbs7,  PrbsPattern::kPrbs7Q, PrbsPattern::kPrbs9,
      PrbsPattern::kPrbs9Q, PrbsPattern::kPrbs15, PrbsPattern::kPrbs15Q,
      PrbsPattern::kPrbs23, PrbsPattern::kPrbs31, PrbsPattern::kPrbs31Q};
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {2}, true).ok());
  for (PrbsPattern pattern : patterns) {
    SCOPED_TRACE(std::string(hal::PrbsPatternName(pattern)));
    ASSERT_TRUE(engine_->StopPrbs(DiagnosticSide::kMedia, {2}).ok());
    ASSERT_TRUE(engine_->StartPrbs(DiagnosticSide::kMedia, {2}, pattern, true, true).ok());
    const hal::PrbsLaneResult same = RunAndRead(2, 1);
    EXPECT_TRUE(same.media_locked);
    EXPECT_EQ(same.media_ber, 0.0);
  }
  // The generator sends PRBS31Q, the checker expects PRBS31: never locks.
  ASSERT_TRUE(engine_->StopPrbs(DiagnosticSide::kMedia, {2}).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {2}, PrbsPattern::kPrbs31Q, true, false).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {2}, PrbsPattern::kPrbs31, false, true).ok());
  EXPECT_FALSE(RunAndRead(2, 1).media_locked);
}

TEST_F(DiagnosticsTest, WithoutALoopbackTheCheckerSeesNoSignalAndDoesNotLock) {
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {5}, PrbsPattern::kPrbs31, true, true).ok());
  const hal::PrbsLaneResult result = RunAndRead(5, 1);
  EXPECT_TRUE(result.media_checker_on);
  EXPECT_FALSE(result.media_locked);
  // Removing the loopback under a locked checker drops the lock.
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {5}, true).ok());
  EXPECT_TRUE(RunAndRead(5, 1).media_locked);
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {5}, false).ok());
  EXPECT_FALSE(RunAndRead(5, 1).media_locked);
}

TEST_F(DiagnosticsTest, ResettingStatisticsRestartsTheCountsOfRunningCheckers) {
  ASSERT_TRUE(engine_->SetLoopback(LoopbackKind::kMediaOutput, {4}, true).ok());
  ASSERT_TRUE(
      engine_->StartPrbs(DiagnosticSide::kMedia, {4}, PrbsPattern::kPrbs31, true, true).ok());
  ASSERT_TRUE(stack_.sim->SetEngineBitErrorRate(0, sim::DiagnosticSide::kMedia, 3, 1e-3).ok());
  EXPECT_GT(RunAndRead(4, 2).media_ber, 0.0);
  ASSERT_TRUE(stack_.sim->SetEngineBitErrorRate(0, sim::DiagnosticSide::kMedia, 3, 0).ok());
  ASSERT_TRUE(engine_->ResetPrbsStatistics().ok());
  // Counting restarts on the next word, without errors now: BER 0, still locked.
  const hal::PrbsLaneResult after = RunAndRead(4, 2);
  EXPECT_TRUE(after.media_locked);
  EXPECT_EQ(after.media_ber, 0.0);
}

TEST_F(DiagnosticsTest, SnrComesFromThePlant) {
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kSnrDb, 6, 17.5).ok());
  auto results = engine_->PrbsResults({7});
  ASSERT_TRUE(results.ok());
  EXPECT_NEAR(results->front().media_snr_db, 17.5, 1.0 / 256);
  EXPECT_NEAR(results->front().host_snr_db, 17.5, 1.0 / 256);
}

TEST_F(DiagnosticsTest, PatternsTheEngineDoesNotAdvertiseAreRefused) {
  EXPECT_EQ(engine_->StartPrbs(DiagnosticSide::kHost, {1}, PrbsPattern::kSsprq, true, false).code(),
            StatusCode::kNotSupported);
  EXPECT_EQ(engine_->StartPrbs(DiagnosticSide::kHost, {9}, PrbsPattern::kPrbs7, true, false).code(),
            StatusCode::kOutOfRange);
}

TEST_F(DiagnosticsTest, VdmSamplesDecodeThePlantValues) {
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kElsInputPowerDbm, 2, -3.25).ok());
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kPreFecBerCurrent, 2, 2.4e-5).ok());
  auto samples = engine_->Vdm();
  ASSERT_TRUE(samples.ok()) << samples.status().ToString();
  EXPECT_EQ(samples->size(), 8u * 8u);  // 8 lanes x 8 observables
  int seen = 0;
  for (const auto& sample : *samples) {
    if (sample.lane != 3) continue;
    ++seen;
    switch (sample.type_id) {
      case 84:
        EXPECT_NEAR(sample.value, -3.25, 0.005);
        break;
      case 15:  // pre-FEC BER current value, media side (CMIS VDM type 15)
        EXPECT_NEAR(sample.value, 2.4e-5, 2.4e-5 * 1e-3);
        break;
      case 4:
        EXPECT_NEAR(sample.value, SimulatedSwitch::DefaultValue(0, Quantity::kLaserTemperatureC, 2),
                    1.0 / 256);
        break;
      case 1:
        EXPECT_EQ(sample.value, SimulatedSwitch::DefaultValue(0, Quantity::kLaserAgePct, 2));
        break;
      default:
        break;
    }
  }
  EXPECT_EQ(seen, 8);
}

}  // namespace
}  // namespace cpo::sim
