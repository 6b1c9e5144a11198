// The whole stack in process: HAL Device -> CMIS driver -> I2C controller driver -> model.
#include <gtest/gtest.h>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

TEST(StackTest, EngineReportsThePlantsIdentityAndDefaults) {
  Stack stack = Build("sim-mini");
  auto* engine = *stack.device->FindOpticalEngine("oe0");
  auto id = engine->Identity();
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  const EngineIdentity expected = SimulatedSwitch::DefaultIdentity(0);
  EXPECT_EQ(id->vendor_name, expected.vendor_name);
  EXPECT_EQ(id->part_number, expected.part_number);
  EXPECT_EQ(id->serial_number, expected.serial_number);
  EXPECT_EQ(id->revision, expected.revision);
  EXPECT_EQ(id->date_code, expected.date_code);
  EXPECT_EQ(id->firmware_major, expected.firmware_major);
  EXPECT_EQ(id->firmware_minor, expected.firmware_minor);
  EXPECT_EQ(id->identifier, 0x80);
  EXPECT_EQ(id->cmis_major, 5);
  EXPECT_EQ(id->cmis_minor, 3);
  EXPECT_TRUE(id->checksum_ok);

  auto module = engine->Module();
  ASSERT_TRUE(module.ok());
  // The host holds LPMode at power-on, so engines start in low power.
  EXPECT_EQ(module->state, hal::ModuleState::kLowPower);
  EXPECT_EQ(module->fault_cause, hal::ModuleFaultCause::kNone);
  EXPECT_NEAR(module->temperature_c, SimulatedSwitch::DefaultValue(0, Quantity::kTemperatureC, -1),
              1.0 / 256);
  EXPECT_NEAR(module->vcc_v, 3.3, 1e-4);

  auto lanes = engine->Lanes();
  ASSERT_TRUE(lanes.ok());
  ASSERT_EQ(lanes->size(), 8u);
  for (const auto& lane : *lanes) {
    const int i = lane.lane - 1;
    EXPECT_NEAR(lane.tx_power_mw, SimulatedSwitch::DefaultValue(0, Quantity::kTxPowerMw, i), 1e-4);
    EXPECT_NEAR(lane.tx_bias_ma, SimulatedSwitch::DefaultValue(0, Quantity::kTxBiasMa, i), 2e-3);
    EXPECT_NEAR(lane.rx_power_mw, SimulatedSwitch::DefaultValue(0, Quantity::kRxPowerMw, i), 1e-4);
  }
}

TEST(StackTest, PlantChangesReachTheHalWithCmisEncodingAndSign) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, -12.25).ok());
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kVccV, -1, 3.1337).ok());
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 4, 0.0123).ok());
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kTxBiasMa, 7, 123.456).ok());
  auto* engine = *stack.device->FindOpticalEngine("0");
  auto module = engine->Module();
  ASSERT_TRUE(module.ok());
  EXPECT_DOUBLE_EQ(module->temperature_c, -12.25);
  EXPECT_NEAR(module->vcc_v, 3.1337, 1e-9);
  EXPECT_NEAR(engine->Lane(5)->rx_power_mw, 0.0123, 1e-9);
  EXPECT_NEAR(engine->Lane(8)->tx_bias_ma, 123.456, 1e-9);
  // Out of what the monitor can encode: refused, nothing changes.
  EXPECT_EQ(stack.sim->SetEngineQuantity(0, Quantity::kTxPowerMw, 0, 7.0).code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(stack.sim->SetEngineQuantity(0, Quantity::kTxPowerMw, 8, 1.0).code(),
            StatusCode::kOutOfRange);
  EXPECT_EQ(engine->Lane(9).status().code(), StatusCode::kOutOfRange);
}

TEST(StackTest, ReferenceScaleServesEveryBankOfEveryEngine) {
  Stack stack = Build("sim-51t2");
  ASSERT_EQ(stack.device->optical_engines().size(), 8u);
  ASSERT_TRUE(stack.sim->SetEngineQuantity(5, Quantity::kTxPowerMw, 60, 2.5).ok());
  for (const auto& engine : stack.device->optical_engines()) {
    auto lanes = engine->Lanes();
    ASSERT_TRUE(lanes.ok()) << lanes.status().ToString();
    ASSERT_EQ(lanes->size(), 64u);
    EXPECT_EQ(lanes->back().lane, 64);
  }
  auto lane = (*stack.device->FindOpticalEngine("oe5"))->Lane(61);
  ASSERT_TRUE(lane.ok());
  EXPECT_NEAR(lane->tx_power_mw, 2.5, 1e-9);
  EXPECT_EQ((*stack.device->FindOpticalEngine("oe7"))->Identity()->serial_number, "SIMOE0007");
}

class CmisPagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    auto bus = drivers::CpoI2cController::Create(stack_.io, 0, 1000);
    ASSERT_TRUE(bus.ok());
    bus_ = std::move(bus).value();
  }
  std::vector<uint8_t> ReadAt(uint8_t offset, size_t n) {
    std::vector<uint8_t> out(n);
    const uint8_t where[] = {offset};
    EXPECT_TRUE(bus_->WriteRead(0x50, where, out).ok());
    return out;
  }
  void WriteAt(uint8_t offset, std::vector<uint8_t> data) {
    data.insert(data.begin(), offset);
    ASSERT_TRUE(bus_->Write(0x50, data).ok());
  }
  Stack stack_;
  std::unique_ptr<drivers::CpoI2cController> bus_;
};

TEST_F(CmisPagingTest, BankAndPageSelectReadBackAndPickTheBank) {
  // Lane 25 (bank 3, lane 1) Tx power at 154: 1.24 mW = 12400 x 0.1 uW (set here: with its
  // laser dark the fibre model would report 0).
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTxPowerMw, 24, 1.24).ok());
  WriteAt(126, {3, 0x11});
  EXPECT_EQ(ReadAt(126, 2), std::vector<uint8_t>({3, 0x11}));
  EXPECT_EQ(ReadAt(154, 2), std::vector<uint8_t>({12400 >> 8, 12400 & 0xff}));
}

TEST_F(CmisPagingTest, ReadOnlyBytesIgnoreWritesAndControlBytesKeepThem) {
  const auto temperature = ReadAt(14, 2);
  WriteAt(14, {0x12, 0x34});
  EXPECT_EQ(ReadAt(14, 2), temperature);
  WriteAt(26, {0x10});
  EXPECT_EQ(ReadAt(26, 1), std::vector<uint8_t>({0x10}));
  WriteAt(126, {0, 0x00});
  const auto vendor = ReadAt(129, 4);
  WriteAt(129, {'X', 'X'});
  EXPECT_EQ(ReadAt(129, 4), vendor);
}

TEST_F(CmisPagingTest, ASequentialReadCrossesFromLowerIntoTheUpperPage) {
  WriteAt(126, {0, 0x00});
  const auto span = ReadAt(120, 16);
  EXPECT_EQ(span[6], 0);                                            // BankSelect
  EXPECT_EQ(span[7], 0x00);                                         // PageSelect
  EXPECT_EQ(std::string(span.begin() + 9, span.end()), "CPO-HAL");  // vendor name from 129
}

TEST_F(CmisPagingTest, UnsupportedPageOrBankReadsZero) {
  WriteAt(126, {9, 0x11});  // bank 9 of a 64-lane engine does not exist
  EXPECT_EQ(ReadAt(154, 4), std::vector<uint8_t>(4, 0));
  WriteAt(126, {0, 0x55});
  EXPECT_EQ(ReadAt(128, 4), std::vector<uint8_t>(4, 0));
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

// The module state machine through the whole stack, timed in simulated time.
class ModuleStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    engine_ = *stack_.device->FindOpticalEngine("oe0");
  }
  uint64_t NowNs() { return stack_.sim->model().now_ns(); }
  hal::ModuleState State() { return engine_->Module()->state; }

  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
};

TEST_F(ModuleStateTest, AdvertisedDurationsBoundTheRealOnes) {
  auto advertising = engine_->Advertising();
  ASSERT_TRUE(advertising.ok()) << advertising.status().ToString();
  const EngineTiming timing;  // what the plant programs
  EXPECT_EQ(advertising->durations.module_power_up, std::chrono::milliseconds(500));
  EXPECT_EQ(advertising->durations.module_power_down, std::chrono::milliseconds(100));
  EXPECT_GT(advertising->durations.module_power_up.count(), timing.module_power_up_ms);
  EXPECT_GT(advertising->durations.module_power_down.count(), timing.module_power_down_ms);
  EXPECT_EQ(advertising->hardware_major, 1);
}

TEST_F(ModuleStateTest, PowerUpAndDownTakeTheirRealDurationInSimulatedTime) {
  const EngineTiming timing;
  ASSERT_EQ(State(), hal::ModuleState::kLowPower);
  ASSERT_TRUE(engine_->Advertising().ok());  // cached before timing: the wait's own bus reads
  const uint64_t start = NowNs();
  ASSERT_TRUE(engine_->SetLowPower(false).ok());
  EXPECT_EQ(State(), hal::ModuleState::kPoweringUp);
  auto ready = engine_->WaitForModuleState(hal::ModuleState::kReady);
  ASSERT_TRUE(ready.ok()) << ready.status().ToString();
  const double up_ms = static_cast<double>(NowNs() - start) / 1e6;
  // Reached after the real duration, noticed within one poll (1% of the bound).
  EXPECT_GE(up_ms, timing.module_power_up_ms);
  EXPECT_LE(up_ms, timing.module_power_up_ms + 6.0 + 1.0);
  EXPECT_FALSE(ready->low_power_requested);

  const uint64_t down_start = NowNs();
  ASSERT_TRUE(engine_->SetLowPower(true).ok());
  EXPECT_EQ(State(), hal::ModuleState::kPoweringDown);
  auto low = engine_->WaitForModuleState(hal::ModuleState::kLowPower);
  ASSERT_TRUE(low.ok()) << low.status().ToString();
  const double down_ms = static_cast<double>(NowNs() - down_start) / 1e6;
  EXPECT_GE(down_ms, timing.module_power_down_ms);
  EXPECT_LE(down_ms, timing.module_power_down_ms + 6.0 + 1.0);
  EXPECT_TRUE(low->low_power_requested);
}

TEST_F(ModuleStateTest, LowPowerRequestDuringPowerUpPowersDown) {
  ASSERT_TRUE(engine_->SetLowPower(false).ok());
  stack_.sim->model().StepNs(100'000'000);  // 100 ms into the 400 ms power-up
  ASSERT_EQ(State(), hal::ModuleState::kPoweringUp);
  ASSERT_TRUE(engine_->SetLowPower(true).ok());
  EXPECT_EQ(State(), hal::ModuleState::kPoweringDown);
  EXPECT_TRUE(engine_->WaitForModuleState(hal::ModuleState::kLowPower).ok());
}

TEST_F(ModuleStateTest, TheLpModePinHoldsLowPowerUntilSoftwareTakesOver) {
  // Nothing requested: the pin (asserted by the host at power-on) keeps the module in LowPwr.
  stack_.sim->model().StepNs(1'000'000'000);
  EXPECT_EQ(State(), hal::ModuleState::kLowPower);
  {
    std::lock_guard lock(stack_.sim->mutex());
    ASSERT_TRUE(stack_.sim->plant().SetLpModePin(*stack_.sim->EngineTarget(0), false).ok());
  }
  stack_.sim->model().StepNs(1);
  EXPECT_EQ(State(), hal::ModuleState::kPoweringUp);
}

TEST_F(ModuleStateTest, FaultReportsItsCauseAndOnlyAResetLeavesIt) {
  ASSERT_TRUE(engine_->SetLowPower(false).ok());
  ASSERT_TRUE(engine_->WaitForModuleState(hal::ModuleState::kReady).ok());
  ASSERT_TRUE(stack_.sim->SetEngineFault(0, ModuleFault::kTecRunaway).ok());
  auto module = engine_->Module();
  EXPECT_EQ(module->state, hal::ModuleState::kFault);
  EXPECT_EQ(module->fault_cause, hal::ModuleFaultCause::kTecRunaway);
  // Waiting for Ready from Fault fails at once and says why.
  auto wait = engine_->WaitForModuleState(hal::ModuleState::kReady);
  EXPECT_EQ(wait.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wait.status().message().find("tec-runaway"), std::string::npos);

  // The cause persists: a reset lands in Fault again.
  ASSERT_TRUE(engine_->Reset().ok());
  EXPECT_EQ(State(), hal::ModuleState::kFault);
  // Cause removed: the reset returns the module to LowPwr with default controls.
  ASSERT_TRUE(stack_.sim->SetEngineFault(0, ModuleFault::kNone).ok());
  EXPECT_EQ(State(), hal::ModuleState::kFault);
  ASSERT_TRUE(engine_->Reset().ok());
  module = engine_->Module();
  EXPECT_EQ(module->state, hal::ModuleState::kLowPower);
  EXPECT_EQ(module->fault_cause, hal::ModuleFaultCause::kNone);
  EXPECT_FALSE(module->low_power_requested);  // SW request cleared; the pin holds it low
}

TEST_F(ModuleStateTest, WindowDumpShowsTheSelectedPage) {
  auto window = engine_->ReadWindow(0x00, 0);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ((*window)[0], 0x80);
  EXPECT_EQ(std::string(window->begin() + 129, window->begin() + 140), "CPO-HAL SIM");
  EXPECT_EQ((*window)[127], 0x00);
  auto lanes = engine_->ReadWindow(0x11, 0);
  ASSERT_TRUE(lanes.ok());
  EXPECT_EQ((*lanes)[127], 0x11);
  EXPECT_EQ((*lanes)[154], 10000 >> 8);  // lane 1 Tx power 1.0 mW
  EXPECT_EQ(engine_->ReadWindow(0x11, 1).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(engine_->ReadWindow(0x01, 1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

// Latched flags, thresholds, masks and IntL through the whole stack.
class FlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    engine_ = *stack_.device->FindOpticalEngine("oe0");
    target_ = *stack_.sim->EngineTarget(0);
  }
  uint32_t IntlStatus() { return *stack_.io->Read32(0x1C); }
  std::optional<hal::FlagRecord> Record(const std::string& name) {
    for (const auto& record : engine_->FlagRecords()) {
      if (record.name == name) return record;
    }
    return std::nullopt;
  }

  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
  int target_ = 0;
};

TEST_F(FlagsTest, ThresholdsComeFromPage02hInPhysicalUnits) {
  auto thresholds = engine_->Thresholds();
  ASSERT_TRUE(thresholds.ok()) << thresholds.status().ToString();
  const EngineThresholds expected;
  EXPECT_DOUBLE_EQ(thresholds->temperature_c.high_alarm, expected.temperature_c.high_alarm);
  EXPECT_DOUBLE_EQ(thresholds->temperature_c.low_alarm, expected.temperature_c.low_alarm);
  EXPECT_NEAR(thresholds->vcc_v.low_warning, expected.vcc_v.low_warning, 1e-4);
  EXPECT_NEAR(thresholds->tx_power_mw.high_warning, expected.tx_power_mw.high_warning, 1e-4);
  EXPECT_NEAR(thresholds->tx_bias_ma.low_alarm, expected.tx_bias_ma.low_alarm, 2e-3);
  EXPECT_NEAR(thresholds->rx_power_mw.low_alarm, expected.rx_power_mw.low_alarm, 1e-4);
}

TEST_F(FlagsTest, NothingIsLatchedAtNominalValues) {
  auto module = engine_->Module();
  ASSERT_TRUE(module.ok());
  EXPECT_FALSE(module->interrupt);
  EXPECT_FALSE(module->flags.temperature.any());
  EXPECT_FALSE(module->flags.vcc.any());
  auto lanes = engine_->Lanes();
  ASSERT_TRUE(lanes.ok());
  for (const auto& lane : *lanes) {
    EXPECT_FALSE(lane.tx_power_flags.any() || lane.tx_bias_flags.any() || lane.rx_power_flags.any())
        << "lane " << lane.lane;
  }
  EXPECT_EQ(IntlStatus(), 0u);
}

TEST_F(FlagsTest, OverTemperatureLatchesAssertsIntlAndClearsOnlyAfterTheConditionGoes) {
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 85.0).ok());
  EXPECT_EQ(IntlStatus(), 1u << target_);
  ASSERT_TRUE(stack_.io->Write32(0x20, 1u << target_).ok());  // route IntL to the irq line
  EXPECT_TRUE(stack_.sim->model().irq());

  auto first = engine_->Module();
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->interrupt);
  EXPECT_TRUE(first->flags.temperature.high_alarm);
  EXPECT_TRUE(first->flags.temperature.high_warning);
  EXPECT_FALSE(first->flags.temperature.low_alarm);
  // The condition persists: the read could not clear it.
  EXPECT_TRUE(engine_->Module()->flags.temperature.high_alarm);

  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 45.0).ok());
  // Latched since the last read, so reported once more, then gone.
  EXPECT_TRUE(engine_->Module()->flags.temperature.high_alarm);
  auto cleared = engine_->Module();
  EXPECT_FALSE(cleared->flags.temperature.any());
  EXPECT_FALSE(cleared->interrupt);
  EXPECT_EQ(IntlStatus(), 0u);
  EXPECT_FALSE(stack_.sim->model().irq());

  auto record = Record("temperature.high_alarm");
  ASSERT_TRUE(record.has_value());
  EXPECT_FALSE(record->latched);
  EXPECT_EQ(record->set_count, 1u);
  ASSERT_TRUE(record->last_set.has_value());
  ASSERT_TRUE(record->last_clear.has_value());
  EXPECT_GT(*record->last_clear, *record->last_set);
}

// High flags: a lane whose data path is not Activated raises no low ones (see
// LowFlagsCountOnlyOnActivatedLanes).
TEST_F(FlagsTest, LaneFlagsLatchPerLaneAndReachTheHistory) {
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 2, 3.5).ok());   // lane 3
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTxBiasMa, 6, 110.0).ok());  // lane 7
  auto lanes = engine_->Lanes();
  ASSERT_TRUE(lanes.ok());
  EXPECT_TRUE((*lanes)[2].rx_power_flags.high_alarm);
  EXPECT_TRUE((*lanes)[2].rx_power_flags.high_warning);
  EXPECT_FALSE((*lanes)[2].rx_power_flags.low_alarm);
  EXPECT_TRUE((*lanes)[6].tx_bias_flags.high_warning);
  EXPECT_FALSE((*lanes)[6].tx_bias_flags.high_alarm);
  EXPECT_FALSE((*lanes)[3].rx_power_flags.any());
  EXPECT_TRUE(engine_->Module()->interrupt);
  EXPECT_EQ(Record("lane3.rx_power.high_alarm")->set_count, 1u);
  EXPECT_TRUE(Record("lane7.tx_bias.high_warning")->latched);
  EXPECT_FALSE(Record("lane4.rx_power.high_alarm")->latched);

  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 2, 0.9).ok());
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTxBiasMa, 6, 55.0).ok());
  ASSERT_TRUE(engine_->Lanes().ok());  // reports the last latched values, clears them
  auto after = engine_->Lanes();
  EXPECT_FALSE((*after)[2].rx_power_flags.any());
  EXPECT_FALSE(engine_->Module()->interrupt);
  EXPECT_FALSE(Record("lane3.rx_power.high_alarm")->latched);
}

TEST_F(FlagsTest, AMaskSilencesIntlButKeepsTheFlag) {
  hal::ModuleFlags masks;
  masks.vcc = {.high_alarm = false, .low_alarm = true, .high_warning = false, .low_warning = true};
  ASSERT_TRUE(engine_->SetModuleFlagMasks(masks).ok());
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kVccV, -1, 2.9).ok());
  EXPECT_EQ(IntlStatus(), 0u);
  auto module = engine_->Module();
  EXPECT_TRUE(module->flags.vcc.low_alarm);
  EXPECT_TRUE(module->flags.vcc.low_warning);
  EXPECT_FALSE(module->interrupt);
  EXPECT_TRUE(module->masks.vcc.low_alarm);
  EXPECT_FALSE(module->masks.vcc.high_alarm);
  EXPECT_FALSE(module->masks.temperature.any());
  // An unmasked flag of the same byte still interrupts.
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 90.0).ok());
  EXPECT_EQ(IntlStatus(), 1u << target_);
}

TEST_F(FlagsTest, ModuleStateChangeLatches) {
  EXPECT_FALSE(engine_->Module()->flags.state_changed);
  ASSERT_TRUE(engine_->SetLowPower(false).ok());
  EXPECT_TRUE(engine_->Module()->flags.state_changed);  // LowPwr -> PwrUp
  EXPECT_FALSE(engine_->Module()->flags.state_changed);
  ASSERT_TRUE(engine_->WaitForModuleState(hal::ModuleState::kReady).ok());
  EXPECT_EQ(Record("module.state_changed")->set_count, 2u);
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

TEST(TelemetryTest, ASweepOfTheReferenceScaleReadsEveryMonitorAtAKnownBusCost) {
  Stack stack = Build("sim-51t2");
  // Static pages first: the sweep must not read them again.
  for (const auto& engine : stack.device->optical_engines()) {
    ASSERT_TRUE(engine->Identity().ok());
    ASSERT_TRUE(engine->Thresholds().ok());
    ASSERT_TRUE(engine->Advertising().ok());  // what the lane reads are judged by
  }
  ASSERT_TRUE(stack.sim->SetEngineQuantity(6, Quantity::kRxPowerMw, 63, 3.5).ok());

  const hal::TelemetrySnapshot snapshot = stack.device->Telemetry();
  ASSERT_EQ(snapshot.engines.size(), 8u);
  for (const auto& engine : snapshot.engines) {
    EXPECT_TRUE(engine.error.ok()) << engine.name << ": " << engine.error.ToString();
    EXPECT_EQ(engine.lanes.size(), 64u);
  }
  EXPECT_NEAR(snapshot.engines[6].lanes[63].rx_power_mw, 3.5, 1e-9);
  EXPECT_TRUE(snapshot.engines[6].lanes[63].rx_power_flags.high_alarm);
  EXPECT_TRUE(snapshot.engines[6].module.interrupt);
  EXPECT_NEAR(snapshot.engines[3].module.temperature_c,
              SimulatedSwitch::DefaultValue(3, Quantity::kTemperatureC, -1), 1.0 / 256);
  EXPECT_GT(snapshot.finished, snapshot.started);

  // Per engine: lower page 3..41 (address, offset, address, 39 bytes) and, per bank, a
  // bank/page select (address + 3) and page 11h 139..201 (address, offset, address, 63 bytes).
  const uint64_t per_engine_bytes = (3 + 39) + 8 * ((1 + 3) + (3 + 63));
  EXPECT_EQ(snapshot.cost.wire_bytes, 8 * per_engine_bytes);
  EXPECT_EQ(snapshot.cost.transactions, 8u * (1 + 8 * 2));

  const hal::TelemetrySnapshot again = stack.device->Telemetry();
  EXPECT_EQ(again.cost.wire_bytes, snapshot.cost.wire_bytes);
  EXPECT_EQ(again.cost.transactions, snapshot.cost.transactions);
}

}  // namespace
}  // namespace cpo::sim
