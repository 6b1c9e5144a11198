#include "cpo/drivers/cmis/cmis_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

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
  std::vector<uint8_t> block(39, 0);  // bytes 3..41
  block[0] = 0x0A;                    // byte 3: ModuleFault (5 << 1), IntL asserted (bit 0 clear)
  block[11] = 0xFA;                   // temperature -5.5 degC = -1408/256
  block[12] = 0x80;
  block[13] = 0x7D;  // Vcc 3.2 V = 32000 x 100 uV
  block[14] = 0x00;
  block[23] = 0x10;  // byte 26: LowPwrRequestSW
  block[38] = 6;     // byte 41: fault cause temperature
  block[29] = 0x20;  // byte 32: Vcc low alarm masked
  block[5] = 0x01;   // byte 8: ModuleStateChanged
  block[6] = 0x25;  // byte 9: temp high alarm (bit 0) + high warning (bit 2), Vcc low alarm (bit 5)
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{3}), SizeIs(39)))
      .WillOnce(FillWriteReadResult(block));
  auto monitors = engine_.ReadModuleMonitors();
  ASSERT_TRUE(monitors.ok());
  EXPECT_EQ(monitors->state, hal::ModuleState::kFault);
  EXPECT_EQ(monitors->fault_cause, hal::ModuleFaultCause::kTemperature);
  EXPECT_TRUE(monitors->low_power_requested);
  EXPECT_TRUE(monitors->interrupt);  // byte 3 bit 0 clear: IntL asserted
  EXPECT_TRUE(monitors->flags.state_changed);
  EXPECT_TRUE(monitors->flags.temperature.high_alarm);
  EXPECT_TRUE(monitors->flags.temperature.high_warning);
  EXPECT_FALSE(monitors->flags.temperature.low_alarm);
  EXPECT_TRUE(monitors->flags.vcc.low_alarm);
  EXPECT_FALSE(monitors->flags.vcc.high_alarm);
  EXPECT_TRUE(monitors->masks.vcc.low_alarm);
  EXPECT_FALSE(monitors->masks.temperature.any());
  EXPECT_DOUBLE_EQ(monitors->temperature_c, -5.5);
  EXPECT_NEAR(monitors->vcc_v, 3.2, 1e-9);
}

TEST_F(CmisEngineTest, LowPowerIsReadModifyWriteOfByte26ThatReleasesThePin) {
  InSequence seq;
  // Controls read 0x40 (AllowRequestHW): leaving low power clears it and leaves SW clear.
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26}), SizeIs(1)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>{0x40}));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26, 0x00}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26}), SizeIs(1)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>{0x01}));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26, 0x11}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(engine_.SetLowPower(false).ok());
  EXPECT_TRUE(engine_.SetLowPower(true).ok());
}

TEST_F(CmisEngineTest, ModuleFlagMasksAreBytes31And32InOneWrite) {
  hal::ModuleFlags masks;
  masks.state_changed = true;
  masks.temperature.low_warning = true;  // byte 32 bit 3
  masks.vcc.high_alarm = true;           // byte 32 bit 4
  EXPECT_CALL(*bus_,
              DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{31, 0x01, 0x18}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(engine_.SetModuleFlagMasks(masks).ok());
}

TEST_F(CmisEngineTest, SoftwareResetSetsBit3OfByte26) {
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26}), SizeIs(1)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>{0x10}));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{26, 0x18}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(engine_.SoftwareReset().ok());
}

TEST_F(CmisEngineTest, AdvertisingDecodesPage01hDurationCodes) {
  std::vector<uint8_t> block(63, 0);  // bytes 128..190
  block[0] = 2;                       // inactive firmware 2.7
  block[1] = 7;
  block[2] = 3;  // hardware 3.1
  block[3] = 1;
  block[142 - 128] = 0x63;  // VDM and diagnostics pages; banks code 3: the count is in 174
  block[174 - 128] = 0xE8;  // pages 60h-62h (bits 7-5) and 8 banks
  block[144 - 128] = 0x36;  // DPDeinit code 3 (<50 ms), DPInit code 6 (<1 s)
  block[167 - 128] = 0x45;  // ModulePwrDn code 4 (<100 ms), ModulePwrUp 5 (<500 ms)
  block[168 - 128] = 0x2F;  // TxTurnOff code 2 (<10 ms), TxTurnOn 15 (reserved)
  block[155 - 128] = 0x02;  // Tx output disable supported
  block[159 - 128] = 0x01;  // temperature monitor, no Vcc monitor
  block[160 - 128] = 0x0D;  // Tx bias and Rx power monitors (no Tx power), bias multiplier x2
  block[176 - 128] = 0x01;  // application 1 starts on media lane 1
  block[177 - 128] = 0xFF;  // application 2 on any
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x01}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(63)))
      .WillOnce(FillWriteReadResult(block));
  // Lower page 85..117: media type, then application descriptors up to the first 0xFF.
  std::vector<uint8_t> apps(33, 0);
  apps[0] = 0x02;
  const std::vector<uint8_t> app1 = {0x51, 0x56, 0x88, 0x01};
  const std::vector<uint8_t> app2 = {0x4B, 0x14, 0x11, 0xFF};
  std::copy(app1.begin(), app1.end(), apps.begin() + 1);
  std::copy(app2.begin(), app2.end(), apps.begin() + 5);
  apps[9] = 0xFF;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{85}), SizeIs(33)))
      .WillOnce(FillWriteReadResult(apps));
  // Diagnostics supported: page 13h 128..139 (loopbacks, pattern bitmaps low byte first).
  std::vector<uint8_t> caps(12, 0);
  caps[0] = 0x0F;
  caps[4] = 0x02;  // host generator: PRBS31 (code 1)
  caps[5] = 0x08;  // and PRBS7 (code 11)
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x13}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(12)))
      .WillOnce(FillWriteReadResult(caps));
  auto advertising = engine_.ReadAdvertising();
  ASSERT_TRUE(advertising.ok());
  using std::chrono::milliseconds;
  EXPECT_EQ(advertising->inactive_firmware_major, 2);
  EXPECT_EQ(advertising->inactive_firmware_minor, 7);
  EXPECT_EQ(advertising->hardware_major, 3);
  EXPECT_TRUE(advertising->vdm_supported);
  EXPECT_TRUE(advertising->diagnostics_pages_supported);
  EXPECT_EQ(advertising->banks, 8);
  EXPECT_EQ(advertising->durations.data_path_init, milliseconds(1000));
  EXPECT_EQ(advertising->durations.data_path_deinit, milliseconds(50));
  EXPECT_EQ(advertising->durations.module_power_up, milliseconds(500));
  EXPECT_EQ(advertising->durations.module_power_down, milliseconds(100));
  EXPECT_EQ(advertising->durations.tx_turn_off, milliseconds(10));
  EXPECT_EQ(advertising->durations.tx_turn_on, milliseconds(3000000));  // reserved: longest
  EXPECT_EQ(advertising->media_type, 0x02);
  ASSERT_EQ(advertising->applications.size(), 2u);
  EXPECT_EQ(advertising->applications[0].app_sel, 1);
  EXPECT_EQ(advertising->applications[0].host_lanes, 8);
  EXPECT_EQ(advertising->applications[0].media_lanes, 8);
  EXPECT_EQ(advertising->applications[1].host_interface_id, 0x4B);
  EXPECT_EQ(advertising->applications[1].host_lane_options, 0xFF);
  EXPECT_EQ(advertising->applications[0].media_lane_options, 0x01);
  EXPECT_EQ(advertising->applications[1].media_lane_options, 0xFF);
  EXPECT_TRUE(advertising->tx_disable_supported);
  EXPECT_TRUE(advertising->temperature_monitor);
  EXPECT_FALSE(advertising->vcc_monitor);
  EXPECT_TRUE(advertising->tx_bias_monitor);
  EXPECT_FALSE(advertising->tx_power_monitor);
  EXPECT_TRUE(advertising->rx_power_monitor);
  EXPECT_EQ(advertising->tx_bias_multiplier, 2);
  EXPECT_EQ(advertising->diagnostics.loopbacks, 0x0F);
  EXPECT_EQ(advertising->diagnostics.host_generator_patterns, (1u << 1) | (1u << 11));
}

TEST_F(CmisEngineTest, WindowIsPageSelectThenTwoHalfReads) {
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 3, 0x11}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{0}), SizeIs(128)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>(128, 0xAA)));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(128)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>(128, 0x55)));
  auto window = engine_.ReadWindow(3, 0x11);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ((*window)[127], 0xAA);
  EXPECT_EQ((*window)[128], 0x55);
}

TEST_F(CmisEngineTest, LaneMonitorsAndFlagsAreOneBlockAfterOneBankPageSelect) {
  std::vector<uint8_t> block(63, 0);  // bytes 139..201
  auto at = [](int offset) { return static_cast<size_t>(offset - 139); };
  // Lane 17 (first of bank 2): Tx 1.5 mW = 15000, bias 40 mA = 20000, Rx 0.25 mW = 2500.
  block[at(154)] = 15000 >> 8;
  block[at(155)] = 15000 & 0xff;
  block[at(170)] = 20000 >> 8;
  block[at(171)] = 20000 & 0xff;
  block[at(186)] = 2500 >> 8;
  block[at(187)] = 2500 & 0xff;
  block[at(168)] = 0xff;  // lane 24 Tx power full scale
  block[at(169)] = 0xff;
  block[at(140)] = 0x01;  // Tx power low alarm, lane 17
  block[at(146)] = 0x80;  // Tx bias low warning, lane 24
  block[at(149)] = 0x81;  // Rx power high alarm, lanes 17 and 24
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 2, 0x11}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{139}), SizeIs(63)))
      .WillOnce(FillWriteReadResult(block));
  auto lanes = engine_.ReadLaneMonitors(2);
  ASSERT_TRUE(lanes.ok());
  ASSERT_EQ(lanes->size(), 8u);
  const auto& first = (*lanes)[0];
  const auto& last = (*lanes)[7];
  EXPECT_EQ(first.lane, 17);
  EXPECT_NEAR(first.tx_power_mw, 1.5, 1e-9);
  EXPECT_NEAR(first.tx_bias_ma, 40.0, 1e-9);
  EXPECT_NEAR(first.rx_power_mw, 0.25, 1e-9);
  EXPECT_EQ(last.lane, 24);
  EXPECT_NEAR(last.tx_power_mw, 6.5535, 1e-9);
  EXPECT_TRUE(first.tx_power_flags.low_alarm);
  EXPECT_FALSE(first.tx_power_flags.high_alarm);
  EXPECT_TRUE(first.rx_power_flags.high_alarm);
  EXPECT_FALSE(first.tx_bias_flags.any());
  EXPECT_TRUE(last.tx_bias_flags.low_warning);
  EXPECT_TRUE(last.rx_power_flags.high_alarm);
  EXPECT_FALSE((*lanes)[3].rx_power_flags.any());
}

TEST_F(CmisEngineTest, ThresholdsAreOnePage02hBlockWithSignedTemperature) {
  std::vector<uint8_t> block(72, 0);  // bytes 128..199
  auto put = [&](int offset, uint16_t value) {
    block[static_cast<size_t>(offset - 128)] = static_cast<uint8_t>(value >> 8);
    block[static_cast<size_t>(offset - 128) + 1] = static_cast<uint8_t>(value & 0xff);
  };
  put(128, 80 * 256);                         // temperature high alarm 80 C
  put(130, static_cast<uint16_t>(-5 * 256));  // low alarm -5 C
  put(136, 36000);                            // Vcc high alarm 3.6 V
  put(176, 30000);                            // Tx power high alarm 3 mW
  put(190, 10000);                            // Tx bias low warning 20 mA
  put(198, 1000);                             // Rx power low warning 0.1 mW
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x02}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(72)))
      .WillOnce(FillWriteReadResult(block));
  auto thresholds = engine_.ReadThresholds();
  ASSERT_TRUE(thresholds.ok());
  EXPECT_DOUBLE_EQ(thresholds->temperature_c.high_alarm, 80.0);
  EXPECT_DOUBLE_EQ(thresholds->temperature_c.low_alarm, -5.0);
  EXPECT_NEAR(thresholds->vcc_v.high_alarm, 3.6, 1e-9);
  EXPECT_NEAR(thresholds->tx_power_mw.high_alarm, 3.0, 1e-9);
  EXPECT_NEAR(thresholds->tx_bias_ma.low_warning, 20.0, 1e-9);
  EXPECT_NEAR(thresholds->rx_power_mw.low_warning, 0.1, 1e-9);
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

TEST_F(CmisEngineTest, ApplyDataPathStagesAllEightConfigsThenApplyDpInit) {
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 2, 0x10}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(
      *bus_,
      DoTransfer(kAddress,
                 BytesAre(std::vector<uint8_t>{145, 0x20, 0x20, 0x20, 0x20, 0x48, 0x48, 0, 0}),
                 IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{143, 0x0f}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(
      engine_.ApplyDataPathConfig(2, 0x0f, {0x20, 0x20, 0x20, 0x20, 0x48, 0x48, 0, 0}).ok());
}

TEST_F(CmisEngineTest, DataPathsReadStateBlockAndStatusBlockButNotTheLaneFlags) {
  std::vector<uint8_t> states(7, 0);  // 128..134
  states[0] = 0x74;                   // lane 1 Activated (4), lane 2 Initialized (7)
  states[1] = 0x21;                   // lane 3 Deactivated, lane 4 Init
  states[2] = 0x11;
  states[3] = 0x11;
  states[6] = 0x02;                    // DPStateChanged lane 2
  std::vector<uint8_t> status(34, 0);  // 202..235
  status[0] = 0x31;                    // lane 1 success, lane 2 invalid AppSel
  status[4] = 0x14;                    // lane 1 active: AppSel 1, DataPathID 2
  status[33] = 0x04;                   // DPInitPending lane 3
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 1, 0x11}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(7)))
      .WillOnce(FillWriteReadResult(states));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{202}), SizeIs(34)))
      .WillOnce(FillWriteReadResult(status));
  auto paths = engine_.ReadDataPaths(1);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ((*paths)[0].lane, 9);
  EXPECT_EQ((*paths)[0].state, hal::DataPathState::kActivated);
  EXPECT_EQ((*paths)[1].state, hal::DataPathState::kInitialized);
  EXPECT_EQ((*paths)[3].state, hal::DataPathState::kInit);
  EXPECT_TRUE((*paths)[1].state_changed);
  EXPECT_FALSE((*paths)[0].state_changed);
  EXPECT_EQ((*paths)[0].config_status, hal::ConfigStatus::kSuccess);
  EXPECT_EQ((*paths)[1].config_status, hal::ConfigStatus::kRejectedInvalidAppSel);
  EXPECT_EQ((*paths)[0].app_sel, 1);
  EXPECT_EQ((*paths)[0].first_lane, 11);  // bank 1, DataPathID 2
  EXPECT_TRUE((*paths)[2].init_pending);
}

TEST_F(CmisEngineTest, LaneMasksAreTwentyBytesFrom213OfPage10h) {
  std::array<uint8_t, 20> masks{};
  masks[0] = 0x10;   // DPStateChanged lane 5
  masks[16] = 0x04;  // Rx power low alarm lane 3
  std::vector<uint8_t> expected = {213};
  expected.insert(expected.end(), masks.begin(), masks.end());
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 4, 0x10}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(expected), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(engine_.WriteLaneMasks(4, masks).ok());
}

TEST_F(CmisEngineTest, DiagnosticControlsAreOneBlockWrite) {
  hal::DiagnosticControls controls;
  controls.media_generator = 0x81;
  controls.media_checker = 0x01;
  controls.media_generator_pattern[0] = hal::PrbsPattern::kPrbs31;
  controls.media_generator_pattern[7] = hal::PrbsPattern::kPrbs7;
  controls.media_checker_pattern[0] = hal::PrbsPattern::kPrbs31;
  controls.loopback[static_cast<size_t>(hal::LoopbackKind::kMediaOutput)] = 0x01;
  std::vector<uint8_t> expected(41, 0);  // offset byte then 144..183
  expected[0] = 144;
  expected[1 + 152 - 144] = 0x81;
  expected[1 + 156 - 144] = 0x01;  // lane 1 PRBS31 in the low nibble
  expected[1 + 159 - 144] = 0xB0;  // lane 8 PRBS7 (11) in the high nibble
  expected[1 + 168 - 144] = 0x01;
  expected[1 + 172 - 144] = 0x01;
  expected[1 + 180 - 144] = 0x01;
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x13}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(expected), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_TRUE(engine_.WriteDiagnosticControls(0, controls).ok());
}

TEST_F(CmisEngineTest, VdmIsReadUnderAFreezeAndReleasesIt) {
  std::vector<uint8_t> descriptors(128, 0);
  descriptors[0] = 0x00;  // instance 0: threshold set 0, lane 1
  descriptors[1] = 84;    // ELS input power
  descriptors[2] = 0x13;  // instance 1: threshold set 1, lane 4
  descriptors[3] = 12;    // pre-FEC BER current
  std::vector<uint8_t> samples(128, 0);
  samples[0] = 0xFE;  // -3.00 dBm = -300 x 0.01
  samples[1] = 0xD4;
  samples[2] = 0x60;  // F16: exponent 12, mantissa 0x24 = 36 -> 36e-12
  samples[3] = 0x24;
  std::vector<uint8_t> thresholds(128, 0);  // page 28h: set s at 8s
  thresholds[0] = 0x07;                     // set 0 high alarm 2000 x 0.01 = 20 dBm
  thresholds[1] = 0xD0;
  thresholds[8 + 4] = 0x83;  // set 1 high warning F16 0x83E8: 1000 x 10^(16-24) = 1e-5
  thresholds[8 + 5] = 0xE8;
  std::vector<uint8_t> flags(32, 0);  // page 2Ch: instance k in byte k/2, nibble k%2
  flags[0] = 0x12;                    // instance 0 low alarm (bit 1), instance 1 high alarm
  InSequence seq;
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x2F}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{144, 0x80}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{145}), SizeIs(1)))
      .WillOnce(FillWriteReadResult(std::vector<uint8_t>{0x80}));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x20}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(128)))
      .WillOnce(FillWriteReadResult(descriptors));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x28}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(128)))
      .WillOnce(FillWriteReadResult(thresholds));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x24}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(128)))
      .WillOnce(FillWriteReadResult(samples));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x2C}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{128}), SizeIs(32)))
      .WillOnce(FillWriteReadResult(flags));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{126, 0, 0x2F}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*bus_, DoTransfer(kAddress, BytesAre(std::vector<uint8_t>{144, 0x00}), IsEmpty()))
      .WillOnce(Return(Status::Ok()));
  auto vdm = engine_.ReadVdm(1);
  ASSERT_TRUE(vdm.ok()) << vdm.status().ToString();
  ASSERT_EQ(vdm->size(), 2u);
  EXPECT_EQ((*vdm)[0].lane, 1);
  EXPECT_EQ((*vdm)[0].type_id, 84);
  EXPECT_DOUBLE_EQ((*vdm)[0].value, -3.0);
  EXPECT_EQ((*vdm)[1].lane, 4);
  EXPECT_NEAR((*vdm)[1].value, 36e-12, 1e-20);
  EXPECT_DOUBLE_EQ((*vdm)[0].thresholds.high_alarm, 20.0);
  EXPECT_NEAR((*vdm)[1].thresholds.high_warning, 1e-5, 1e-18) << "its own set, 1";
  EXPECT_TRUE((*vdm)[0].flags_read);
  EXPECT_TRUE((*vdm)[0].flags.low_alarm);
  EXPECT_FALSE((*vdm)[0].flags.high_alarm);
  EXPECT_TRUE((*vdm)[1].flags.high_alarm);
}

}  // namespace
}  // namespace cpo::drivers
