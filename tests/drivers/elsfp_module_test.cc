// ElsfpModule against a strict mock bus: the exact transactions and the decoding of pages
// 1Ah/1Bh, written from the OIF ELSFP layout independently of the driver's constants.
#include "cpo/drivers/elsfp/elsfp_module.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mocks/mock_two_wire.h"

namespace cpo::drivers {
namespace {

using testing::BytesAre;
using testing::FillWriteReadResult;
using ::testing::InSequence;
using ::testing::IsEmpty;
using testing::MockTwoWire;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

constexpr uint8_t kAddress = 0x51;

class ElsfpModuleTest : public ::testing::Test {
 protected:
  std::shared_ptr<StrictMock<MockTwoWire>> bus_ = std::make_shared<StrictMock<MockTwoWire>>();
  ElsfpModule module_{bus_, kAddress, 10};
};

TEST_F(ElsfpModuleTest, LanesAreOneControlBlockAndOneMonitorBlockPerBank) {
  std::vector<uint8_t> control(66, 0);   // 1Ah 166..231
  control[0] = 0x01;                     // 166: fault flag lane 1
  control[186 - 166] = 0x02;             // bias high alarm, lane 2
  control[191 - 166] = 0x01;             // power low alarm, lane 1
  control[212 - 166] = 0x21;             // lane 1: warning code 2, fault code 1
  control[220 - 166] = 0x03;             // lanes 1-2 enabled
  control[221 - 166] = 0x09;             // lane 1 ramping (1), lane 2 on (2)
  control[223 - 166] = 0x02;             // lane 2 fibre checked
  control[224 - 166] = 5;                // lane 1 -> fibre 5
  std::vector<uint8_t> monitors(88, 0);  // 1Bh 128..215
  monitors[0] = 0x03;                    // lane 1 bias setpoint 1000 x 100 uA = 100 mA
  monitors[1] = 0xE8;
  monitors[144 - 128 + 2] = 0x07;  // lane 2 power setpoint 1800 x 10 uW = 18 mW
  monitors[144 - 128 + 3] = 0x08;
  monitors[184 - 128 + 2] = 0x03;  // lane 2 bias monitor 920 -> 92 mA
  monitors[184 - 128 + 3] = 0x98;
  monitors[200 - 128 + 2] = 0x07;  // lane 2 power monitor 1800 -> 18 mW
  monitors[200 - 128 + 3] = 0x08;
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x1A}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{166}), SizeIs(66)))
      .WillOnce(FillWriteReadResult(control));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x1B}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(88)))
      .WillOnce(FillWriteReadResult(monitors));
  auto lanes = module_.ReadLanes(0);
  ASSERT_TRUE(lanes.ok()) << lanes.status().ToString();
  ASSERT_EQ(lanes->size(), 8u);
  const hal::LaserLaneStatus& l1 = (*lanes)[0];
  const hal::LaserLaneStatus& l2 = (*lanes)[1];
  EXPECT_TRUE(l1.fault);
  EXPECT_EQ(l1.fault_code, 1);
  EXPECT_EQ(l1.warning_code, 2);
  EXPECT_TRUE(l1.power_flags.low_alarm);
  EXPECT_FALSE(l1.bias_flags.high_alarm);
  EXPECT_TRUE(l2.bias_flags.high_alarm);
  EXPECT_EQ(l1.state, hal::LaserLaneState::kRamping);
  EXPECT_EQ(l2.state, hal::LaserLaneState::kOn);
  EXPECT_TRUE(l1.enabled && l2.enabled);
  EXPECT_FALSE(l1.fiber_checked);
  EXPECT_TRUE(l2.fiber_checked);
  EXPECT_EQ(l1.fiber, 5);
  EXPECT_DOUBLE_EQ(l1.bias_setpoint_ma, 100.0);
  EXPECT_DOUBLE_EQ(l2.power_setpoint_mw, 18.0);
  EXPECT_DOUBLE_EQ(l2.bias_ma, 92.0);
  EXPECT_DOUBLE_EQ(l2.power_mw, 18.0);
}

// Lane voltages and Icc: one short read of their own, off the safety core's lane reads.
TEST_F(ElsfpModuleTest, ElectricalMonitorsAreOneShortReadOfPage1Bh) {
  std::vector<uint8_t> block(10, 0);  // 1Bh 232..241
  block[1] = 87;                      // lane 2 voltage 87 x 15 mV = 1.305 V
  block[8] = 0x02;                    // bank Icc 0x0262 = 610 x 200 uA = 122 mA
  block[9] = 0x62;
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 1, 0x1B}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{232}), SizeIs(10)))
      .WillOnce(FillWriteReadResult(block));
  auto lanes = module_.ReadElectrical(1);  // lanes 9-10 of the 10
  ASSERT_TRUE(lanes.ok()) << lanes.status().ToString();
  ASSERT_EQ(lanes->size(), 2u);
  EXPECT_EQ((*lanes)[1].lane, 10);
  EXPECT_DOUBLE_EQ((*lanes)[1].voltage_v, 1.305);
  EXPECT_DOUBLE_EQ((*lanes)[0].voltage_v, 0.0);
  EXPECT_DOUBLE_EQ((*lanes)[0].bank_icc_ma, 122.0);
}

TEST_F(ElsfpModuleTest, SetpointsAreTwoBigEndianWritesOnPage1BhOfTheLanesBank) {
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 1, 0x1B}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  // Lane 10 is lane 2 of bank 1: bias at 130, power at 146.
  EXPECT_CALL(*bus_,
              DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{130, 0x04, 0xB0}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_,
              DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{146, 0x00, 0xC8}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(module_.WriteSetpoints(10, 120.0, 2.0).ok());
}

// The OIF-ELSFP save/restore codes (1Ah:184) and the confirmation (1Ah:185) it waits on.
TEST_F(ElsfpModuleTest, SaveRestoreWritesTheOifCodeAndReadsItsConfirmation) {
  using hal::LaserSetAction;
  using hal::LaserSetKind;
  using hal::LaserSetSlot;
  struct Case {
    hal::LaserSetCommand command;
    uint8_t code;
    std::vector<uint8_t> confirmations;  // 1Ah:185 as read, in order
    StatusCode expected;
  };
  const Case cases[] = {
      {{LaserSetAction::kRestore, LaserSetKind::kControls, LaserSetSlot::kFactory},
       0x10,
       {1},
       StatusCode::kOk},
      {{LaserSetAction::kRestore, LaserSetKind::kControls, LaserSetSlot::kSet2},
       0x12,
       {4},
       StatusCode::kFailedPrecondition},
      {{LaserSetAction::kSave, LaserSetKind::kControls, LaserSetSlot::kSet1},
       0x18,
       {2, 2, 1},
       StatusCode::kOk},
      {{LaserSetAction::kSave, LaserSetKind::kControls, LaserSetSlot::kSet2},
       0x19,
       {8},
       StatusCode::kFailedPrecondition},
      {{LaserSetAction::kRestore, LaserSetKind::kMasks, LaserSetSlot::kSet1},
       0x21,
       {3},
       StatusCode::kNotSupported},
      {{LaserSetAction::kSave, LaserSetKind::kMasks, LaserSetSlot::kSet2},
       0x29,
       {0x55},
       StatusCode::kDataLoss},
  };
  for (const Case& c : cases) {
    InSequence seq;
    EXPECT_CALL(*bus_,
                DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x1A}), IsEmpty()))
        .WillOnce(Return(Status::Ok()));
    EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{184, c.code}), IsEmpty()))
        .WillOnce(Return(Status::Ok()));
    for (uint8_t confirmation : c.confirmations) {
      EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{185}), SizeIs(1)))
          .WillOnce(FillWriteReadResult(std::vector<uint8_t>{confirmation}));
    }
    EXPECT_EQ(module_.SaveRestore(c.command).code(), c.expected)
        << hal::LaserSetCommandName(c.command);
  }
  // No code saves over the factory set: refused before the bus.
  EXPECT_EQ(
      module_.SaveRestore({LaserSetAction::kSave, LaserSetKind::kMasks, LaserSetSlot::kFactory})
          .code(),
      StatusCode::kInvalidArgument);
}

TEST_F(ElsfpModuleTest, OutOfRangeRequestsAreRefusedWithoutBusAccess) {
  EXPECT_EQ(module_.ReadLanes(2).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(module_.WriteSetpoints(11, 10, 1).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(module_.WriteSetpoints(1, 7000, 1).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(module_.WriteLaneEnable(-1, 0).code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace cpo::drivers
