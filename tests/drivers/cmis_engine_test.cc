#include "cpo/drivers/cmis/cmis_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mocks/mock_two_wire.h"

namespace cpo::drivers {
namespace {

using ::testing::_;
using testing::BytesAre;
using testing::FillWriteReadResult;
using ::testing::InSequence;
using ::testing::IsEmpty;
using testing::MockTwoWire;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

constexpr uint8_t kAddress = 0x52;

class CmisEngineTest : public ::testing::Test {
 protected:
  std::shared_ptr<StrictMock<MockTwoWire>> bus_ = std::make_shared<StrictMock<MockTwoWire>>();
  CmisEngine engine_{bus_, kAddress, 64};
};

void PutText(std::vector<uint8_t>& bytes, size_t at, const std::string& text, size_t width) {
  for (size_t i = 0; i < width; ++i) bytes[at + i] = i < text.size() ? text[i] : ' ';
}

TEST_F(CmisEngineTest, IdentityIsTwoBlocksAndOneCombinedPageSelect) {
  std::vector<uint8_t> lower(41, 0);
  lower[0] = 0x80;
  lower[1] = 0x52;
  lower[39] = 3;
  lower[40] = 14;
  std::vector<uint8_t> upper(95, 0);  // bytes 128..222
  PutText(upper, 1, "ACME", 16);
  upper[17] = 0x00;
  upper[18] = 0x90;
  upper[19] = 0x65;
  PutText(upper, 20, "PN-1", 16);
  PutText(upper, 36, "B2", 2);
  PutText(upper, 38, "SN123", 16);
  PutText(upper, 54, "25010203", 8);
  uint32_t sum = 0;
  for (size_t i = 0; i < 94; ++i) sum += upper[i];
  upper[94] = static_cast<uint8_t>(sum);

  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{0}), SizeIs(41)))
      .WillOnce(FillWriteReadResult(lower));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x00}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(95)))
      .WillOnce(FillWriteReadResult(upper));

  auto id = engine_.ReadIdentity();
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->identifier, 0x80);
  EXPECT_EQ(id->cmis_major, 5);
  EXPECT_EQ(id->cmis_minor, 2);
  EXPECT_EQ(id->vendor_name, "ACME");
  EXPECT_EQ(id->vendor_oui[1], 0x90);
  EXPECT_EQ(id->part_number, "PN-1");
  EXPECT_EQ(id->revision, "B2");
  EXPECT_EQ(id->serial_number, "SN123");
  EXPECT_EQ(id->date_code, "25010203");
  EXPECT_EQ(id->firmware_major, 3);
  EXPECT_EQ(id->firmware_minor, 14);
  EXPECT_TRUE(id->checksum_ok);
}

TEST_F(CmisEngineTest, BadChecksumIsReported) {
  std::vector<uint8_t> lower(41, 0);
  std::vector<uint8_t> upper(95, 0x20);
  upper[94] = 0x00;  // sum of 94 spaces is 0xB8 (low byte)
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, _, _)).WillOnce(FillWriteReadResult(lower));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, _, IsEmpty())).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, _, _)).WillOnce(FillWriteReadResult(upper));
  auto id = engine_.ReadIdentity();
  ASSERT_TRUE(id.ok());
  EXPECT_FALSE(id->checksum_ok);
}

TEST_F(CmisEngineTest, ModuleMonitorsAreOneLowerPageBlock) {
  std::vector<uint8_t> block(15, 0);  // bytes 3..17
  block[0] = 0x07;                    // ModuleReady, IntL deasserted
  block[11] = 0xFA;                   // temperature -5.5 degC = -1408/256
  block[12] = 0x80;
  block[13] = 0x7D;  // Vcc 3.2 V = 32000 x 100 uV
  block[14] = 0x00;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{3}), SizeIs(15)))
      .WillOnce(FillWriteReadResult(block));
  auto monitors = engine_.ReadModuleMonitors();
  ASSERT_TRUE(monitors.ok());
  EXPECT_EQ(monitors->state, hal::ModuleState::kReady);
  EXPECT_DOUBLE_EQ(monitors->temperature_c, -5.5);
  EXPECT_NEAR(monitors->vcc_v, 3.2, 1e-9);
}

TEST_F(CmisEngineTest, LaneMonitorsSelectBankAndPage11hThenReadOneBlock) {
  std::vector<uint8_t> block(48, 0);
  // Lane 17 (first of bank 2): Tx 1.5 mW = 15000, bias 40 mA = 20000, Rx 0.25 mW = 2500.
  block[0] = 15000 >> 8;
  block[1] = 15000 & 0xff;
  block[16] = 20000 >> 8;
  block[17] = 20000 & 0xff;
  block[32] = 2500 >> 8;
  block[33] = 2500 & 0xff;
  // Lane 24: Tx full scale.
  block[14] = 0xff;
  block[15] = 0xff;
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 2, 0x11}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{154}), SizeIs(48)))
      .WillOnce(FillWriteReadResult(block));
  auto lanes = engine_.ReadLaneMonitors(2);
  ASSERT_TRUE(lanes.ok());
  ASSERT_EQ(lanes->size(), 8u);
  EXPECT_EQ((*lanes)[0].lane, 17);
  EXPECT_NEAR((*lanes)[0].tx_power_mw, 1.5, 1e-9);
  EXPECT_NEAR((*lanes)[0].tx_bias_ma, 40.0, 1e-9);
  EXPECT_NEAR((*lanes)[0].rx_power_mw, 0.25, 1e-9);
  EXPECT_EQ((*lanes)[7].lane, 24);
  EXPECT_NEAR((*lanes)[7].tx_power_mw, 6.5535, 1e-9);
}

TEST_F(CmisEngineTest, BankOutsideTheEngineIsRefusedWithoutBusAccess) {
  EXPECT_EQ(engine_.ReadLaneMonitors(8).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(engine_.ReadLaneMonitors(-1).status().code(), StatusCode::kOutOfRange);
}

TEST_F(CmisEngineTest, BusErrorsPropagateUnchanged) {
  EXPECT_CALL(*bus_, DoTransfer(kAddress, _, _))
      .WillOnce(Return(Status(StatusCode::kNack, "no ack")));
  EXPECT_EQ(engine_.ReadModuleMonitors().status().code(), StatusCode::kNack);
}

}  // namespace
}  // namespace cpo::drivers
