// The RTL model's register block and I2C controllers, driven through the real I2C driver.
#include <gtest/gtest.h>

#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/model_register_io.h"
#include "cpo/sim/simulated_switch.h"

namespace cpo::sim {
namespace {

using drivers::CpoI2cController;

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto platform =
        platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml");
    ASSERT_TRUE(platform.ok());
    auto sim = SimulatedSwitch::Create(*platform);
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    sim_ = std::move(sim).value();
    io_ = sim_->MakeRegisterIo();
  }
  uint32_t Read(uint64_t offset) { return *io_->Read32(offset); }

  std::unique_ptr<SimulatedSwitch> sim_;
  std::shared_ptr<transport::RegisterIo> io_;
};

TEST_F(ModelTest, IdentityRegistersAndScratch) {
  EXPECT_EQ(Read(0x0), 0x43504F31u);
  EXPECT_EQ(Read(0x4), 0x00010000u);
  EXPECT_EQ(Read(0xC), 0x00080408u);  // 8 banks, 4 targets per bus, 8 buses
  EXPECT_EQ(Read(0x10), 8000u);
  ASSERT_TRUE(io_->Write32(0x8, 0xa5a55a5a).ok());
  EXPECT_EQ(Read(0x8), 0xa5a55a5au);
  EXPECT_EQ(Read(0x40), 0u);  // unmapped reads as zero
  EXPECT_EQ(io_->Read32(1u << 20).status().code(), StatusCode::kOutOfRange);
}

// Regression: idle time without a periodic hook once overflowed the hook distance and never
// advanced.
// A board bigger than the model is refused with what it asks for and what the model has (a
// board with more than 512 host lanes once wrote past the link model's table).
TEST(ModelLimitsTest, ABoardWithMoreHostLanesThanTheModelIsRefused) {
  auto platform =
      platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml");
  ASSERT_TRUE(platform.ok());
  platform->switch_host_lanes = 1024;
  platform->ports[0].host_lanes = {1016, 1017, 1018, 1019, 1020, 1021, 1022, 1023};
  auto too_wide = SimulatedSwitch::Create(*platform);
  ASSERT_FALSE(too_wide.ok());
  EXPECT_EQ(too_wide.status().code(), StatusCode::kConfigError);
  EXPECT_NE(too_wide.status().message().find("host_lanes is 1024; the model's SerDes block has "
                                             "512 lanes"),
            std::string::npos)
      << too_wide.status().ToString();
  platform->switch_host_lanes = 512;
  auto lane_beyond = SimulatedSwitch::Create(*platform);
  ASSERT_FALSE(lane_beyond.ok());
  EXPECT_NE(lane_beyond.status().message().find("port 'eth0' uses host lane 1016"),
            std::string::npos)
      << lane_beyond.status().ToString();
}

TEST(ModelTimeTest, IdleTimeAdvancesWithAndWithoutAPeriodicHook) {
  Model model;
  const uint64_t start = model.now_ns();
  model.StepNs(1'000'000'000);
  EXPECT_EQ(model.now_ns() - start, 1'000'000'000u);
  int calls = 0;
  model.SetPeriodicHook(1'000'000, [&] { ++calls; });
  model.StepNs(10'000'000);
  EXPECT_EQ(calls, 10);
  uint32_t value = 0;
  EXPECT_FALSE(model.PollUntil(0x8, 1, 1, 5'000'000, &value));  // scratch stays 0
  EXPECT_EQ(calls, 15);
  model.SetPeriodicHook(0, nullptr);
  model.StepNs(10'000'000);
  EXPECT_EQ(calls, 15);
}

// START + address + offset byte + repeated START + address + n data bytes + STOP.
uint64_t WireBitsOfRead(uint64_t bytes) { return 1 + 9 + 9 + 1 + 9 + 9 * bytes + 1; }

class BusTimeTest : public ModelTest, public ::testing::WithParamInterface<int> {};

TEST_P(BusTimeTest, A128ByteReadTakesItsWireTimeInSimulatedTime) {
  const int khz = GetParam();
  auto controller = CpoI2cController::Create(io_, 0, khz);
  ASSERT_TRUE(controller.ok());
  const uint8_t offset[] = {128};
  uint8_t page[128];
  const uint64_t before = sim_->model().now_ns();
  ASSERT_TRUE((*controller)->WriteRead(0x50, offset, page).ok());
  const double elapsed_ns = static_cast<double>(sim_->model().now_ns() - before);
  const double wire_ns = static_cast<double>(WireBitsOfRead(128)) * 1e6 / khz;
  // The few register accesses around the transfer cost one 125 ns clock each.
  EXPECT_NEAR(elapsed_ns, wire_ns, wire_ns * 0.01) << khz << " kHz";
}

INSTANTIATE_TEST_SUITE_P(Speeds, BusTimeTest, ::testing::Values(100, 400, 1000));

TEST_F(ModelTest, AbsentAddressIsNackAndHeldClockIsTimeout) {
  auto controller = CpoI2cController::Create(io_, 0, 1000);
  ASSERT_TRUE(controller.ok());
  const uint8_t offset[] = {0};
  uint8_t byte[1];
  EXPECT_EQ((*controller)->WriteRead(0x51, offset, byte).code(), StatusCode::kNack);
  // Controller 1 has no targets at all.
  auto empty_bus = CpoI2cController::Create(io_, 1, 1000);
  EXPECT_EQ((*empty_bus)->Read(0x50, byte).code(), StatusCode::kNack);

  {
    std::lock_guard lock(sim_->mutex());
    ASSERT_TRUE(sim_->plant().SetHoldClockLow(*sim_->EngineTarget(0), true).ok());
  }
  const uint64_t before = sim_->model().now_ns();
  EXPECT_EQ((*controller)->WriteRead(0x50, offset, byte).code(), StatusCode::kTimeout);
  EXPECT_GE(sim_->model().now_ns() - before, 25'000'000u);  // the controller's stretch limit
  {
    std::lock_guard lock(sim_->mutex());
    ASSERT_TRUE(sim_->plant().SetHoldClockLow(*sim_->EngineTarget(0), false).ok());
  }
  EXPECT_TRUE((*controller)->WriteRead(0x50, offset, byte).ok());
  EXPECT_EQ(byte[0], 0x80);
}

TEST_F(ModelTest, TransferCompletionLatchesAnInterruptUntilWrittenOne) {
  auto controller = CpoI2cController::Create(io_, 0, 1000);
  ASSERT_TRUE(io_->Write32(0x18, 0x1).ok());  // enable controller 0's interrupt
  ASSERT_TRUE(io_->Write32(0x14, 0xffff).ok());
  EXPECT_EQ(Read(0x14), 0u);
  const uint8_t offset[] = {0};
  uint8_t byte[1];
  Status status = (*controller)->WriteRead(0x50, offset, byte);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(Read(0x14), 0x1u);
  EXPECT_TRUE(sim_->model().irq());
  ASSERT_TRUE(io_->Write32(0x14, 0x1).ok());
  EXPECT_EQ(Read(0x14), 0u);
  EXPECT_FALSE(sim_->model().irq());
}

}  // namespace
}  // namespace cpo::sim
