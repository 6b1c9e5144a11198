// The received side is physics (issue 15, items 17 and 18): on sim-51t2 an engine lane's Rx
// power, eSNR and pre-FEC BER follow the light the far end's engine really sends through the
// cable; a dark or deactivated lane reads no light and raises no low flags; a lost signal is Rx
// LOS and CDR LOL (11h:147/148) and recovers when the light returns.
#include <gtest/gtest.h>

#include <map>

#include "cpo/hal/vdm_types.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;

class ReceivedLightTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    ASSERT_TRUE(stack_.device);
    oe0_ = *stack_.device->FindOpticalEngine("oe0");
  }
  // oe0 lanes 9-16 are eth1's; eth33 (oe4 lanes 9-16) is its cable peer.
  std::vector<hal::LaneMonitors> Eth1Lanes() {
    stack_.device->clock().SleepFor(milliseconds(2));  // the plant propagates the light
    auto lanes = oe0_->Lanes();
    EXPECT_TRUE(lanes.ok()) << lanes.status().ToString();
    if (!lanes.ok()) return {};
    return {lanes->begin() + 8, lanes->begin() + 16};
  }
  // VDM observable `name` of oe0 lane `lane`: its sample, thresholds and flags.
  hal::VdmSample VdmSample(const std::string& name, int lane) {
    auto samples = oe0_->Vdm();
    EXPECT_TRUE(samples.ok()) << samples.status().ToString();
    if (!samples.ok()) return {};
    for (const auto& sample : *samples) {
      if (sample.lane == lane && hal::VdmTypeName(sample.type_id) == name) return sample;
    }
    ADD_FAILURE() << "no " << name << " on lane " << lane;
    return {};
  }
  double Vdm(const std::string& name, int lane) { return VdmSample(name, lane).value; }
  Stack stack_;
  hal::OpticalEngine* oe0_ = nullptr;
};

TEST_F(ReceivedLightTest, ADarkEngineReadsNoLightAndRaisesNoLowFlags) {
  (void)oe0_->Module();  // the power-up's state change
  auto lanes = oe0_->Lanes();
  ASSERT_TRUE(lanes.ok());
  for (const auto& lane : *lanes) {
    EXPECT_EQ(lane.rx_power_mw, 0.0) << "lane " << lane.lane;
    EXPECT_EQ(lane.tx_bias_ma, 0.0) << "lane " << lane.lane;
    EXPECT_EQ(lane.tx_power_mw, 0.0) << "lane " << lane.lane << ": Tx output off";
    EXPECT_FALSE(lane.tx_power_flags.any()) << "lane " << lane.lane;
    EXPECT_FALSE(lane.tx_bias_flags.any()) << "lane " << lane.lane;
    EXPECT_FALSE(lane.rx_power_flags.any()) << "lane " << lane.lane;
    EXPECT_FALSE(lane.rx_los || lane.rx_cdr_lol) << "lane " << lane.lane << ": not Activated";
  }
  EXPECT_FALSE(oe0_->Module()->interrupt);
  auto vdm = oe0_->Vdm();
  ASSERT_TRUE(vdm.ok());
  for (const auto& sample : *vdm) {
    EXPECT_FALSE(sample.flags.any())
        << "lane " << sample.lane << " " << hal::VdmTypeName(sample.type_id) << ": not Activated";
  }
  auto advertising = oe0_->Advertising();
  ASSERT_TRUE(advertising.ok());
  EXPECT_TRUE(advertising->rx_los_supported && advertising->rx_cdr_lol_supported);
}

TEST_F(ReceivedLightTest, TheFarEndsLightArrivesLeavesAndReturns) {
  auto eth1 = Select(*stack_.device, "eth1");
  auto eth33 = Select(*stack_.device, "eth33");
  auto both = eth1;
  both.insert(both.end(), eth33.begin(), eth33.end());
  ASSERT_TRUE(stack_.device->BringUpPorts(both).ok());
  (void)Eth1Lanes();  // clear what the bring-up latched
  std::map<int, double> lit_mw;
  for (const auto& lane : Eth1Lanes()) {
    EXPECT_GT(lane.rx_power_mw, 0.3) << "lane " << lane.lane;
    EXPECT_LT(lane.rx_power_mw, 1.5) << "lane " << lane.lane;
    EXPECT_GT(lane.tx_bias_ma, 40.0) << "lane " << lane.lane << ": biased while Activated";
    EXPECT_GT(lane.tx_power_mw, 0.3) << "lane " << lane.lane;
    EXPECT_FALSE(lane.rx_los || lane.rx_cdr_lol || lane.rx_power_flags.any()) << lane.lane;
    lit_mw[lane.lane] = lane.rx_power_mw;
  }
  const double esnr_lit = Vdm("esnr_media", 9);
  const double ber_lit = Vdm("pre_fec_ber_current_media", 9);
  EXPECT_GT(esnr_lit, 15.0);
  EXPECT_LT(ber_lit, 1e-6);
  const hal::VdmSample ber_sample = VdmSample("pre_fec_ber_current_media", 9);
  EXPECT_DOUBLE_EQ(ber_sample.thresholds.high_alarm, 1e-4) << "page 28h, the BER's set";
  EXPECT_DOUBLE_EQ(ber_sample.thresholds.high_warning, 1e-5);
  EXPECT_TRUE(ber_sample.flags_read);
  EXPECT_FALSE(ber_sample.flags.any()) << "a clean link flags nothing";

  // The peer shuts: its light goes, eth1's receivers lose the signal.
  ASSERT_TRUE(stack_.device->BringDownPorts(eth33).ok());
  const auto dark = Eth1Lanes();
  for (const auto& lane : dark) {
    EXPECT_EQ(lane.rx_power_mw, 0.0) << "lane " << lane.lane;
    EXPECT_TRUE(lane.rx_los) << "lane " << lane.lane;
    EXPECT_TRUE(lane.rx_cdr_lol) << "lane " << lane.lane;
    EXPECT_TRUE(lane.rx_power_flags.low_alarm) << "lane " << lane.lane << ": Activated, dark";
  }
  const hal::VdmSample esnr_dark = VdmSample("esnr_media", 9);
  EXPECT_EQ(esnr_dark.value, 0.0);
  EXPECT_TRUE(esnr_dark.flags.low_alarm) << "page 2Ch: eSNR below its low alarm";
  const hal::VdmSample ber_dark = VdmSample("pre_fec_ber_current_media", 9);
  EXPECT_GT(ber_dark.value, 0.1);
  EXPECT_TRUE(ber_dark.flags.high_alarm && ber_dark.flags.high_warning);
  bool vdm_event = false;
  for (const auto& record : oe0_->FlagRecords()) {
    vdm_event |=
        record.name == "lane9.vdm.pre_fec_ber_current_media.high_alarm" && record.set_count > 0;
  }
  EXPECT_TRUE(vdm_event) << "VDM flags reach the flag history (and its events)";
  bool los_event = false;
  for (const auto& record : oe0_->FlagRecords()) {
    los_event |= record.name == "lane9.rx_los" && record.set_count > 0;
  }
  EXPECT_TRUE(los_event);
  const hal::PortStatus eth1_dark = stack_.device->PortStates(eth1)[0];
  EXPECT_FALSE(eth1_dark.oper_up);
  EXPECT_NE(eth1_dark.reason.find("no signal from eth33"), std::string::npos) << eth1_dark.reason;
  EXPECT_NE(eth1_dark.reason.find("oe0 lane 9 reports Rx LOS"), std::string::npos)
      << "the port's reason names the engine lane that lost the far end's light: "
      << eth1_dark.reason;

  // It comes back: the light and the figures return, the flags clear once read.
  ASSERT_TRUE(stack_.device->BringUpPorts(eth33).ok());
  (void)Eth1Lanes();
  for (const auto& lane : Eth1Lanes()) {
    EXPECT_NEAR(lane.rx_power_mw, lit_mw[lane.lane], 1e-3) << "lane " << lane.lane;
    EXPECT_FALSE(lane.rx_los || lane.rx_cdr_lol) << "lane " << lane.lane;
  }
  EXPECT_NEAR(Vdm("esnr_media", 9), esnr_lit, 0.2);
  EXPECT_TRUE(stack_.device->PortStates(eth1)[0].oper_up);
}

TEST_F(ReceivedLightTest, ADirtyConnectorAtTheFarEndDimsTheLightAndRaisesTheBer) {
  auto both = Select(*stack_.device, "eth1");
  auto eth33 = Select(*stack_.device, "eth33");
  both.insert(both.end(), eth33.begin(), eth33.end());
  ASSERT_TRUE(stack_.device->BringUpPorts(both).ok());
  const auto clean = Eth1Lanes();
  const double ber_clean = Vdm("pre_fec_ber_current_media", 9);
  const double ber_clean_13 = Vdm("pre_fec_ber_current_media", 13);
  // els8 fibre 3 lights oe4 lanes 9-12, which send to oe0 lanes 9-12.
  ASSERT_TRUE(stack_.sim->SetFiberExtraLossDb(8, 3, 2.0).ok());
  const auto dimmed = Eth1Lanes();
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(dimmed[i].rx_power_mw, clean[i].rx_power_mw * 0.631, 0.01) << "2 dB less";
  }
  for (int i = 4; i < 8; ++i) EXPECT_NEAR(dimmed[i].rx_power_mw, clean[i].rx_power_mw, 1e-3);
  EXPECT_GT(Vdm("pre_fec_ber_current_media", 9), 3 * ber_clean);
  EXPECT_DOUBLE_EQ(Vdm("pre_fec_ber_current_media", 13), ber_clean_13) << "another fibre's lane";
  ASSERT_TRUE(stack_.sim->SetFiberExtraLossDb(8, 3, 0.0).ok());
  EXPECT_NEAR(Eth1Lanes()[0].rx_power_mw, clean[0].rx_power_mw, 1e-3);
}

}  // namespace
}  // namespace cpo::sim
