// What a real NOS checks before it trusts a module (issue 15): the advertising bytes SONiC's
// CMIS decoders and xcvrd read, on every engine and laser source of sim-51t2, taken from the
// raw windows (not the driver's decode) and judged by the standard's rules as
// shared/reference/cmis-elsfp.md states them.
#include <gtest/gtest.h>

#include <array>
#include <numeric>
#include <set>

#include "cpo/hal/vdm_types.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using Window = std::array<uint8_t, 256>;

uint8_t SumOf(const Window& window, int first, int last) {
  uint32_t sum = 0;
  for (int offset = first; offset <= last; ++offset) sum += window[static_cast<size_t>(offset)];
  return static_cast<uint8_t>(sum & 0xff);
}

class NosTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    ASSERT_TRUE(stack_.device);
  }
  Window EngineWindow(int engine, uint8_t page) {
    auto window =
        stack_.device->optical_engines()[static_cast<size_t>(engine)]->ReadWindow(page, 0);
    EXPECT_TRUE(window.ok()) << window.status().ToString();
    return window.ok() ? *window : Window{};
  }
  Window LaserWindow(int source, uint8_t page) {
    auto window = stack_.device->laser_sources()[static_cast<size_t>(source)]->ReadWindow(page, 0);
    EXPECT_TRUE(window.ok()) << window.status().ToString();
    return window.ok() ? *window : Window{};
  }
  Stack stack_;
};

TEST_F(NosTrustTest, EveryModuleRepeatsItsIdentifierAndCarriesBothChecksums) {
  for (size_t e = 0; e < stack_.device->optical_engines().size(); ++e) {
    const Window page00 = EngineWindow(static_cast<int>(e), 0x00);
    const Window page01 = EngineWindow(static_cast<int>(e), 0x01);
    EXPECT_EQ(page00[0], 0x80) << "oe" << e;  // vendor allocation, used for CPO engines
    EXPECT_EQ(page00[128], page00[0]) << "oe" << e << " 00h:128 repeats the identifier";
    EXPECT_EQ(page00[222], SumOf(page00, 128, 221)) << "oe" << e << " 00h:222";
    EXPECT_EQ(page01[255], SumOf(page01, 130, 254)) << "oe" << e << " 01h:255";
  }
  for (size_t s = 0; s < stack_.device->laser_sources().size(); ++s) {
    const Window page00 = LaserWindow(static_cast<int>(s), 0x00);
    const Window page01 = LaserWindow(static_cast<int>(s), 0x01);
    EXPECT_EQ(page00[0], 0x22) << "els" << s << ": OIF-ELSFP with CMIS";
    EXPECT_EQ(page00[128], 0x22) << "els" << s;
    EXPECT_EQ(page00[57], 0x01) << "els" << s << ": a resource module";
    EXPECT_EQ(page00[222], SumOf(page00, 128, 221)) << "els" << s << " 00h:222";
    EXPECT_EQ(page01[255], SumOf(page01, 130, 254)) << "els" << s << " 01h:255";
  }
}

TEST_F(NosTrustTest, AnEngineAdvertisesWhatAHostUsesOfIt) {
  const Window page00 = EngineWindow(0, 0x00);
  const Window page01 = EngineWindow(0, 0x01);
  // Single-mode optics, not the 850 nm VCSEL code 0.
  EXPECT_NE(page00[212], 0x00);
  EXPECT_LT(page00[212], 0x0A) << "an optical, not a copper, media interface technology";
  EXPECT_NE(page01[155] & 0x02, 0) << "01h:155 bit 1: Tx output disable (10h:130) supported";
  EXPECT_EQ(page01[158] & 0x06, 0x06) << "01h:158: Rx LOS and Rx CDR LOL flags (11h:147/148)";
  EXPECT_EQ(page01[159] & 0x03, 0x03) << "01h:159: temperature and Vcc monitors";
  EXPECT_EQ(page01[160] & 0x07, 0x07) << "01h:160: Tx bias, Tx power, Rx power monitors";
  EXPECT_EQ((page01[160] >> 3) & 0x03, 0) << "01h:160 bits 4-3: Tx bias multiplier x1";
}

// The standard's bank count: 01h:142 bits 1-0 say 1, 2 or 4 banks; 3 defers to 01h:174 bits 4-0.
int AdvertisedBanks(const Window& page01) {
  const int code = page01[142] & 0x03;
  return code < 3 ? 1 << code : page01[174] & 0x1F;
}

TEST_F(NosTrustTest, EveryModuleAdvertisesTheBanksItsLanesLiveIn) {
  for (size_t e = 0; e < stack_.device->optical_engines().size(); ++e) {
    const int lanes = stack_.device->optical_engines()[e]->config().lanes;
    const Window page01 = EngineWindow(static_cast<int>(e), 0x01);
    EXPECT_EQ(AdvertisedBanks(page01), (lanes + 7) / 8) << "oe" << e << " of " << lanes << " lanes";
    if (lanes > 32) {
      EXPECT_EQ(page01[142] & 0x03, 3) << "oe" << e << ": past 4 banks, code 3";
    }
    EXPECT_NE(page01[142] & 0x40, 0) << "oe" << e << ": VDM bit kept beside the bank code";
  }
  for (size_t s = 0; s < stack_.device->laser_sources().size(); ++s) {
    const int lanes = stack_.device->laser_sources()[s]->lane_count();
    const Window page01 = LaserWindow(static_cast<int>(s), 0x01);
    EXPECT_EQ(AdvertisedBanks(page01), (lanes + 7) / 8)
        << "els" << s << " of " << lanes << " lanes";
  }
  auto advertising = stack_.device->optical_engines()[0]->Advertising();
  ASSERT_TRUE(advertising.ok());
  EXPECT_EQ(advertising->banks, (stack_.device->optical_engines()[0]->config().lanes + 7) / 8)
      << "the driver's decode";
}

TEST_F(NosTrustTest, EveryApplicationHasMediaLanesToStartOn) {
  const Window lower = EngineWindow(0, 0x01);  // bytes 0-127: the lower page
  const Window page01 = EngineWindow(0, 0x01);
  int applications = 0;
  for (int a = 0; a < 8; ++a) {
    const int at = 86 + 4 * a;
    if (lower[static_cast<size_t>(at)] == 0x00 || lower[static_cast<size_t>(at)] == 0xFF) break;
    ++applications;
    const int media_lanes = lower[static_cast<size_t>(at + 2)] & 0x0F;
    const uint8_t starts = page01[static_cast<size_t>(176 + a)];
    EXPECT_NE(starts, 0) << "application " << a + 1 << ": no media lane to start on";
    for (int lane = 0; lane < 8; ++lane) {
      if (((starts >> lane) & 1) == 0) continue;
      EXPECT_EQ(lane % media_lanes, 0) << "application " << a + 1 << " of " << media_lanes
                                       << " lanes starts on lane " << lane + 1;
      EXPECT_LE(lane + media_lanes, 8) << "application " << a + 1 << " runs off the bank";
    }
  }
  EXPECT_EQ(applications, 4);  // 800G, 400G, 200G, 100G
}

TEST_F(NosTrustTest, AVdmFreezeReportsItsReleaseDone) {
  auto* oe0 = stack_.device->optical_engines()[0].get();
  auto status = [&] {
    auto byte = oe0->ReadWindowBytes(0x2F, 0, 145, 1);
    EXPECT_TRUE(byte.ok());
    return byte.ok() ? (*byte)[0] : uint8_t{0};
  };
  const std::array<uint8_t, 1> freeze = {0x80}, release = {0x00};
  ASSERT_TRUE(oe0->WriteWindow(0x2F, 0, 144, freeze).ok());
  EXPECT_EQ(status() & 0xC0, 0x80) << "FreezeDone, not UnfreezeDone";
  ASSERT_TRUE(oe0->WriteWindow(0x2F, 0, 144, release).ok());
  EXPECT_EQ(status() & 0xC0, 0x40) << "UnfreezeDone (2Fh:145 bit 6): no host waits out a timeout";
}

TEST_F(NosTrustTest, VdmTypeIdsFollowTheStandardsMediaHostPairs) {
  auto* oe0 = stack_.device->optical_engines()[0].get();
  auto vdm = oe0->Vdm();
  ASSERT_TRUE(vdm.ok()) << vdm.status().ToString();
  std::set<int> types;
  for (const auto& sample : *vdm) types.insert(sample.type_id);
  // Pre-FEC BER of the media side: minimum 9, maximum 11, average 13, current value 15.
  EXPECT_EQ(types, (std::set<int>{1, 4, 5, 9, 11, 13, 15, 84}));
  EXPECT_EQ(hal::VdmTypeName(15), "pre_fec_ber_current_media");
  EXPECT_EQ(hal::VdmTypeName(10), "pre_fec_ber_min_host");
}

TEST_F(NosTrustTest, ActivatedLanesReportTheirOutputsOn) {
  auto ports = stack_.device->SelectPorts("eth0");
  auto peer = stack_.device->SelectPorts("eth32");
  ASSERT_TRUE(ports.ok() && peer.ok());
  ports->insert(ports->end(), peer->begin(), peer->end());
  const auto report = stack_.device->BringUpPorts(*ports);
  ASSERT_TRUE(report.ok()) << report.outcomes[0].status.ToString();
  auto* oe0 = stack_.device->optical_engines()[0].get();
  auto bank0 = oe0->ReadWindowBytes(0x11, 0, 132, 2);  // eth0: oe0 lanes 1-8
  auto bank1 = oe0->ReadWindowBytes(0x11, 1, 132, 2);  // lanes 9-16, not brought up
  ASSERT_TRUE(bank0.ok() && bank1.ok());
  EXPECT_EQ((*bank0)[0], 0xFF) << "11h:132 Tx output status";
  EXPECT_EQ((*bank0)[1], 0xFF) << "11h:133 Rx output status";
  EXPECT_EQ((*bank1)[0], 0x00);
  EXPECT_EQ((*bank1)[1], 0x00);
}

TEST_F(NosTrustTest, TheLowerPageSummarizesEachBanksLatchedLaneFlags) {
  auto* oe0 = stack_.device->optical_engines()[0].get();
  auto summary = [&] {
    auto bytes = oe0->ReadWindowBytes(0x00, 0, 4, 4);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::vector<uint8_t>(4);
  };
  // An engine in low power holds alarms on every lane (no light, no bias): mask every lane flag,
  // and unmask only the one under test, so the summary names exactly the banks it should.
  std::vector<int> lanes(static_cast<size_t>(oe0->lane_count()));
  for (size_t i = 0; i < lanes.size(); ++i) lanes[i] = static_cast<int>(i) + 1;
  const hal::ThresholdFlags all{true, true, true, true};
  ASSERT_TRUE(
      oe0->SetLaneFlagMasks(
             lanes,
             {.data_path_state_changed = true, .tx_power = all, .tx_bias = all, .rx_power = all})
          .ok());
  hal::ThresholdFlags rx_high_alarm_only = all;
  rx_high_alarm_only.high_alarm = false;
  ASSERT_TRUE(oe0->SetLaneFlagMasks({11}, {.data_path_state_changed = true,
                                           .tx_power = all,
                                           .tx_bias = all,
                                           .rx_power = rx_high_alarm_only})
                  .ok());
  (void)oe0->Lanes();  // read (clear) what the power-up latched
  EXPECT_EQ(summary(), (std::vector<uint8_t>{0, 0, 0, 0}));
  // Rx power above its high alarm on lane 11 (bank 1; a dark lane raises no low flags).
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 10, 3.5).ok());
  stack_.device->clock().SleepFor(std::chrono::milliseconds(2));
  EXPECT_EQ(summary(), (std::vector<uint8_t>{0, 1, 0, 0})) << "00h:5 bit 0: bank 1 flagged";
  auto module = oe0->Module();
  ASSERT_TRUE(module.ok());
  EXPECT_TRUE(module->interrupt);  // the flag that holds IntL is the one the summary names
}

TEST_F(NosTrustTest, ALaserSourcesSecondBankCarriesItsOwnCapabilities) {
  auto* els0 = stack_.device->laser_sources()[0].get();  // 10 lanes: bank 1 holds lanes 9-10
  ASSERT_GT(els0->lane_count(), 8);
  auto bank0 = els0->ReadWindow(0x1A, 0);
  auto bank1 = els0->ReadWindow(0x1A, 1);
  ASSERT_TRUE(bank0.ok() && bank1.ok());
  for (int offset : {128, 129, 130, 131, 132, 133, 134, 135, 140, 248}) {
    EXPECT_EQ((*bank1)[static_cast<size_t>(offset)], (*bank0)[static_cast<size_t>(offset)])
        << "1Ah:" << offset << " of bank 1";
  }
  EXPECT_NE((*bank1)[140] >> 1, 0) << "a lane count";
  EXPECT_EQ((*bank1)[140] & 1, 1) << "constant power, as bank 0";
  for (int offset = 141; offset <= 156; ++offset) {
    EXPECT_EQ((*bank1)[static_cast<size_t>(offset)], (*bank0)[static_cast<size_t>(offset)])
        << "threshold byte 1Ah:" << offset << " of bank 1";
  }
}

}  // namespace
}  // namespace cpo::sim
