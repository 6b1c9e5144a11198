// The ELSFP laser-source model through its I2C bus, as a host driver would see it: identity,
// module power-up, lane enable and ramp, constant power and constant current, aging, a dead
// laser's APC fault with flags and IntL. The HAL driver for it comes with its own tests.
#include <gtest/gtest.h>

#include "cpo/drivers/elsfp/elsfp_module.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

constexpr uint8_t kEls0 = 0x51;  // sim-51t2: els0 on bus 0

class LaserSourceModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2", hal::LaserStartPolicy::kObserve);
    ASSERT_TRUE(stack_.sim);
    auto bus = drivers::CpoI2cController::Create(stack_.io, 0, 1000);
    ASSERT_TRUE(bus.ok());
    bus_ = std::move(bus).value();
  }
  std::vector<uint8_t> Read(uint8_t offset, size_t n) {
    std::vector<uint8_t> out(n);
    const uint8_t where[] = {offset};
    EXPECT_TRUE(bus_->WriteRead(kEls0, where, out).ok());
    return out;
  }
  uint16_t Read16(uint8_t offset) {
    auto bytes = Read(offset, 2);
    return static_cast<uint16_t>(bytes[0] << 8 | bytes[1]);
  }
  void Write(uint8_t offset, std::vector<uint8_t> data) {
    data.insert(data.begin(), offset);
    ASSERT_TRUE(bus_->Write(kEls0, data).ok());
  }
  void Page(uint8_t page, uint8_t bank = 0) { Write(126, {bank, page}); }
  void StepMs(uint64_t ms) { stack_.sim->model().StepNs(ms * 1'000'000); }
  void PowerUp() {
    Write(26, {0x00});  // software decides; not low power
    StepMs(250);
    ASSERT_EQ((Read(3, 1)[0] >> 1) & 7, 3);  // Ready
    (void)Read(8, 2);                        // clear ModuleStateChanged of the power-up
  }
  int LaneState(int lane) {  // 0 off, 1 ramping, 2 on
    Page(0x1A);
    const auto bytes = Read(221, 2);
    return (bytes[static_cast<size_t>((lane - 1) / 4)] >> (2 * ((lane - 1) % 4))) & 3;
  }

  Stack stack_;
  std::unique_ptr<drivers::CpoI2cController> bus_;
};

TEST_F(LaserSourceModelTest, IdentifiesAsAResourceModuleWithItsLaneCount) {
  EXPECT_EQ(Read(57, 1)[0], 0x01);
  Page(0x00);
  const auto vendor = Read(129, 11);
  EXPECT_EQ(std::string(vendor.begin(), vendor.end()), "CPO-HAL SIM");
  const auto serial = Read(166, 9);
  EXPECT_EQ(std::string(serial.begin(), serial.end()), "SIMLS0000");
  Page(0x1A);
  EXPECT_EQ(Read(140, 1)[0], 10 << 1 | 1);  // 10 lanes, constant power
  EXPECT_EQ(Read(224, 8), std::vector<uint8_t>({1, 2, 3, 4, 5, 6, 7, 8}));  // lane -> fibre
  Page(0x1A, 1);
  EXPECT_EQ(Read(224, 2), std::vector<uint8_t>({0, 0}));  // the spares feed nothing
}

TEST_F(LaserSourceModelTest, AnEnabledLaneRampsThenHoldsItsPowerSetpoint) {
  PowerUp();
  Page(0x1A);
  Write(220, {0x01});
  EXPECT_EQ(LaneState(1), 1);
  EXPECT_EQ(LaneState(2), 0);
  StepMs(40);  // the ramp takes 30 ms
  EXPECT_EQ(LaneState(1), 2);
  Page(0x1B);
  EXPECT_EQ(Read16(200), 1800);  // 18 mW in 10 uW units: the power setpoint
  EXPECT_EQ(Read16(184), 920);   // 20 mA threshold + 18 mW / 0.25 mW/mA = 92 mA
  EXPECT_NEAR(*stack_.sim->LaserOutputMw(0, 0), 18.0, 1e-9);
  // Aging lowers the slope; the power loop raises the bias and keeps the light.
  ASSERT_TRUE(stack_.sim->SetLaserPhysics(0, 0, {.threshold_ma = 20, .slope_mw_per_ma = 0.2}).ok());
  Page(0x1B);
  EXPECT_EQ(Read16(184), 1100);
  EXPECT_EQ(Read16(200), 1800);
  EXPECT_FALSE((Read(3, 1)[0] & 1) == 0);  // no IntL
}

TEST_F(LaserSourceModelTest, ADeadLaserRaisesAnApcFaultFlagsAndIntL) {
  PowerUp();
  Page(0x1A);
  Write(220, {0x01});
  StepMs(40);
  (void)Read(186, 8);  // clear whatever latched during the ramp
  ASSERT_TRUE(stack_.sim->SetLaserPhysics(0, 0, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  EXPECT_EQ((Read(3, 1)[0] & 1), 0);  // IntL asserted
  Page(0x1A);
  EXPECT_EQ(Read(165, 1)[0], 0x04);      // fault summary
  EXPECT_EQ(Read(166, 1)[0] & 1, 1);     // lane 1 fault flag
  EXPECT_EQ(Read(212, 1)[0] & 0x0f, 1);  // fault code 1: APC loop
  const auto flags = Read(186, 8);       // bias HA, LA, HW, LW, power HA, LA, HW, LW
  EXPECT_EQ(flags[0] & 1, 1);            // bias high alarm: the loop is at its limit
  EXPECT_EQ(flags[5] & 1, 1);            // power low alarm: no light
  EXPECT_EQ(*stack_.sim->LaserOutputMw(0, 0), 0.0);
  // Disabled, the lane goes dark and quiet.
  Write(220, {0x00});
  EXPECT_EQ(LaneState(1), 0);
  Page(0x1B);
  EXPECT_EQ(Read16(184), 0);
}

TEST_F(LaserSourceModelTest, ConstantCurrentDrivesTheBiasSetpoint) {
  PowerUp();
  Page(0x1A);
  Write(140, {10 << 1 | 0});  // constant current
  Write(220, {0x02});         // lane 2
  StepMs(40);
  Page(0x1B);
  Write(130, {0x03, 0xE8});  // lane 2 bias setpoint 100 mA (1000 x 100 uA)
  EXPECT_EQ(Read16(186), 1000);
  EXPECT_EQ(Read16(202), 2000);  // (100 - 20) mA x 0.25 mW/mA = 20 mW
  EXPECT_NEAR(*stack_.sim->LaserOutputMw(0, 1), 20.0, 1e-9);
}

TEST_F(LaserSourceModelTest, LanesStayDarkWhileTheModuleIsInLowPower) {
  Page(0x1A);
  Write(220, {0xFF});
  StepMs(100);
  EXPECT_EQ(LaneState(1), 0);
  EXPECT_EQ(*stack_.sim->LaserOutputMw(0, 0), 0.0);
}

TEST_F(LaserSourceModelTest, TheElsfpDriverDecodesTheModelsPages) {
  drivers::ElsfpModule els(std::shared_ptr<transport::TwoWire>(std::move(bus_)), kEls0, 10);
  auto caps = els.ReadCapabilities();
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_EQ(caps->lanes, 10);
  EXPECT_EQ(caps->mode, hal::LaserControlMode::kConstantPower);
  EXPECT_DOUBLE_EQ(caps->max_power_mw, 25.0);
  EXPECT_DOUBLE_EQ(caps->max_bias_ma, 400.0);
  EXPECT_DOUBLE_EQ(caps->power_mw.low_alarm, 8.0);
  EXPECT_DOUBLE_EQ(caps->bias_ma.high_alarm, 350.0);
  EXPECT_DOUBLE_EQ(caps->fiber_check_setpoint_mw, 2.0);
  // Page 02h: the module thresholds the temperature and Vcc flags compare against.
  EXPECT_DOUBLE_EQ(caps->temperature_c.high_alarm, 75.0);
  EXPECT_DOUBLE_EQ(caps->temperature_c.low_alarm, -5.0);
  EXPECT_DOUBLE_EQ(caps->temperature_c.high_warning, 70.0);
  EXPECT_NEAR(caps->vcc_v.high_alarm, 3.6, 1e-9);
  EXPECT_NEAR(caps->vcc_v.low_warning, 3.1, 1e-9);
  EXPECT_EQ(els.ReadIdentity()->serial_number, "SIMLS0000");

  ASSERT_TRUE(els.SetLowPower(false).ok());
  StepMs(250);
  EXPECT_EQ(els.ReadModuleStatus()->state, hal::ModuleState::kReady);
  ASSERT_TRUE(els.WriteLaneEnable(0, 0x01).ok());
  StepMs(40);
  auto lanes = els.ReadLanes(0);
  ASSERT_TRUE(lanes.ok());
  EXPECT_EQ((*lanes)[0].state, hal::LaserLaneState::kOn);
  EXPECT_NEAR((*lanes)[0].power_mw, 18.0, 1e-9);
  EXPECT_NEAR((*lanes)[0].bias_ma, 92.0, 1e-9);
  EXPECT_EQ((*lanes)[0].fiber, 1);
  EXPECT_EQ((*lanes)[1].state, hal::LaserLaneState::kOff);
  auto spares = els.ReadLanes(1);
  ASSERT_TRUE(spares.ok());
  ASSERT_EQ(spares->size(), 2u);  // lanes 9 and 10
  EXPECT_EQ((*spares)[0].fiber, 0);

  // A new setpoint through the driver; the loop follows it.
  ASSERT_TRUE(els.WriteSetpoints(1, 100.0, 12.5).ok());
  EXPECT_NEAR(els.ReadLanes(0)->at(0).power_mw, 12.5, 1e-9);
  ASSERT_TRUE(stack_.sim->SetLaserPhysics(0, 0, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  auto dead = els.ReadLanes(0);
  ASSERT_TRUE(dead.ok());
  EXPECT_TRUE((*dead)[0].fault);
  EXPECT_EQ((*dead)[0].fault_code, 1);
  EXPECT_TRUE((*dead)[0].power_flags.low_alarm);
  EXPECT_TRUE((*dead)[0].bias_flags.high_alarm);
}

}  // namespace
}  // namespace cpo::sim
