// The whole stack in process: HAL Device -> CMIS driver -> I2C controller driver -> model.
#include <gtest/gtest.h>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"

namespace cpo::sim {
namespace {

struct Stack {
  std::unique_ptr<SimulatedSwitch> sim;
  std::shared_ptr<transport::RegisterIo> io;
  std::unique_ptr<hal::Device> device;
};

Stack Build(const std::string& board) {
  Stack stack;
  auto platform =
      platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/" + board + "/platform.yaml");
  EXPECT_TRUE(platform.ok());
  auto sim = SimulatedSwitch::Create(*platform);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  stack.sim = std::move(sim).value();
  stack.io = stack.sim->MakeRegisterIo();
  OpenOptions options;
  options.register_io = stack.io;
  auto device = OpenDevice(*platform, options);
  EXPECT_TRUE(device.ok()) << device.status().ToString();
  stack.device = std::move(device).value();
  return stack;
}

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
  EXPECT_EQ(module->state, hal::ModuleState::kReady);
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
  WriteAt(126, {3, 0x11});
  EXPECT_EQ(ReadAt(126, 2), std::vector<uint8_t>({3, 0x11}));
  // Lane 25 (bank 3, lane 1) Tx power at 154: default 1.0 + 0.01 * 24 mW = 12400 x 0.1 uW.
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
