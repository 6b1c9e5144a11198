// Host-side SerDes features of ports on sim-51t2 through the whole stack: PRBS over a loopback
// plug and over a far-end loopback, injected bit errors, near-end loopback without optics, and a
// breakout change that leaves every other port alone.
#include <gtest/gtest.h>

#include <chrono>

#include "cpo/drivers/serdes/serdes_block.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;

TEST(PortSerdesTest, PrbsOverALoopbackPlugLocksWithBerZero) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth28 = Select(*stack.device, "eth28");  // a loopback plug
  const auto up = stack.device->BringUpPorts(eth28);
  ASSERT_TRUE(up.ok()) << up.outcomes[0].status.ToString();
  EXPECT_EQ(stack.device->PortStates(eth28)[0].stages[2].detail,
            "8 lanes PCS locked at 100G from loopback plug");

  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth28, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs31Q).ok());
  // A test pattern is not traffic: the port is up admin-wise but its link is in test mode.
  EXPECT_EQ(stack.device->PortStates(eth28)[0].reason, "serdes: lane 224 running PRBS (test mode)");
  stack.device->clock().SleepFor(milliseconds(5));
  auto results = stack.device->PortPrbsResults(eth28);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ((*results)[0].lanes.size(), 8u);
  for (const auto& lane : (*results)[0].lanes) {
    EXPECT_TRUE(lane.checking);
    EXPECT_TRUE(lane.locked) << "lane " << lane.host_lane;
    EXPECT_GT(lane.bits, 10'000u) << "lane " << lane.host_lane;
    EXPECT_EQ(lane.errors, 0u) << "lane " << lane.host_lane;
    EXPECT_EQ(lane.ber(), 0.0);
  }
  // Back to traffic: the link is up again.
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth28, hal::PortPrbsMode::kDisabled, hal::PrbsPattern::kPrbs31Q)
          .ok());
  EXPECT_TRUE(stack.device->PortStates(eth28)[0].oper_up);
}

TEST(PortSerdesTest, ReportedBerIsWithinTenPercentOfTheInjectedRate) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth29 = Select(*stack.device, "eth29");  // host lanes 232-239, a loopback plug
  ASSERT_TRUE(stack.device->BringUpPorts(eth29).ok());
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth29, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs15).ok());
  constexpr double kInjected = 1e-4;
  ASSERT_TRUE(stack.sim->SetSerdesBitErrorRate(233, kInjected).ok());
  stack.device->clock().SleepFor(milliseconds(2));  // lock first; errors count from here
  ASSERT_TRUE(stack.device->ClearPortCounters(eth29).ok());
  stack.device->clock().SleepFor(milliseconds(800));
  auto results = stack.device->PortPrbsResults(eth29);
  ASSERT_TRUE(results.ok());
  for (const auto& lane : (*results)[0].lanes) {
    EXPECT_TRUE(lane.locked) << "lane " << lane.host_lane;
    if (lane.host_lane == 233) {
      EXPECT_GT(lane.errors, 100u);
      EXPECT_NEAR(lane.ber(), kInjected, 0.1 * kInjected) << lane.errors << "/" << lane.bits;
      RecordProperty("measured_ber", std::to_string(lane.ber()));
      RecordProperty("errors", std::to_string(lane.errors));
      RecordProperty("bits", std::to_string(lane.bits));
    } else {
      EXPECT_EQ(lane.errors, 0u) << "lane " << lane.host_lane;
    }
  }
  EXPECT_EQ(stack.sim->SetSerdesBitErrorRate(233, 0.5).code(), StatusCode::kOutOfRange);
}

TEST(PortSerdesTest, NearEndLoopbackNeedsNoOptics) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth5 = Select(*stack.device, "eth5");  // nothing brought up
  ASSERT_TRUE(stack.device->SetPortLoopback(eth5, hal::PortLoopback::kNearEnd).ok());
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth5, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs7).ok());
  stack.device->clock().SleepFor(milliseconds(2));
  auto results = stack.device->PortPrbsResults(eth5);
  ASSERT_TRUE(results.ok());
  for (const auto& lane : (*results)[0].lanes) {
    EXPECT_TRUE(lane.locked) << "lane " << lane.host_lane;
    EXPECT_EQ(lane.errors, 0u);
  }
  // A checker on another pattern than the generator's never locks.
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth5, hal::PortPrbsMode::kRx, hal::PrbsPattern::kPrbs9).ok());
  ASSERT_TRUE(stack.device->SetPortLoopback(eth5, hal::PortLoopback::kNone).ok());
  stack.device->clock().SleepFor(milliseconds(2));
  EXPECT_FALSE((*stack.device->PortPrbsResults(eth5))[0].lanes[0].locked);
  EXPECT_EQ(stack.device->PortStates(eth5)[0].lanes[0].serdes.loopback, hal::PortLoopback::kNone);
}

// The board's P/N swaps are on its traces; a near-end loopback never reaches them, so every lane
// locks, the swapped ones too (eth1: Rx swap on host lane 10; eth28: Tx 226, Rx 229), and the
// board's polarity comes back with the loopback off.
TEST(PortSerdesTest, NearEndLoopbackLocksOnLanesTheBoardSwaps) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  for (const char* name : {"eth1", "eth28"}) {
    auto port = Select(*stack.device, name);
    ASSERT_TRUE(stack.device->SetPortLoopback(port, hal::PortLoopback::kNearEnd).ok());
    ASSERT_TRUE(
        stack.device->SetPortPrbs(port, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs31).ok());
    stack.device->clock().SleepFor(milliseconds(2));
    auto results = stack.device->PortPrbsResults(port);
    ASSERT_TRUE(results.ok());
    int locked = 0;
    for (const auto& lane : (*results)[0].lanes) {
      EXPECT_TRUE(lane.locked) << name << " lane " << lane.host_lane;
      EXPECT_EQ(lane.errors, 0u) << name << " lane " << lane.host_lane;
      locked += lane.locked ? 1 : 0;
    }
    EXPECT_EQ(locked, 8) << name;
    ASSERT_TRUE(stack.device->SetPortLoopback(port, hal::PortLoopback::kNone).ok());
    const auto state = stack.device->PortStates(port)[0];
    for (const auto& lane : state.lanes) {
      const bool rx_swapped = (std::string(name) == "eth1" && lane.host_lane == 10) ||
                              (std::string(name) == "eth28" && lane.host_lane == 229);
      EXPECT_EQ(lane.serdes.rx_invert, rx_swapped) << name << " lane " << lane.host_lane;
      EXPECT_EQ(lane.serdes.tx_invert, std::string(name) == "eth28" && lane.host_lane == 226)
          << name << " lane " << lane.host_lane;
    }
  }
}

TEST(PortSerdesTest, FarEndLoopbackReturnsThePatternOverTheCable) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth2 = Select(*stack.device, "eth2");
  auto eth34 = Select(*stack.device, "eth34");  // eth2's cable peer
  std::vector<platform::SubPort> both = eth2;
  both.push_back(eth34[0]);
  ASSERT_TRUE(stack.device->BringUpPorts(both).ok());
  ASSERT_TRUE(stack.device->SetPortLoopback(eth34, hal::PortLoopback::kFarEnd).ok());
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth2, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs23Q).ok());
  stack.device->clock().SleepFor(milliseconds(2));
  auto results = stack.device->PortPrbsResults(eth2);
  ASSERT_TRUE(results.ok());
  for (const auto& lane : (*results)[0].lanes) {
    EXPECT_TRUE(lane.locked) << "lane " << lane.host_lane;
    EXPECT_EQ(lane.errors, 0u);
  }
  EXPECT_EQ(stack.device->PortStates(eth34)[0].reason, "serdes: lane 272 in far-end loopback");
}

TEST(PortSerdesTest, ABreakoutChangeLeavesEveryOtherPortAlone) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto ports = Select(*stack.device, "eth28");
  auto eth29 = Select(*stack.device, "eth29");
  auto eth30 = Select(*stack.device, "eth30");
  ports.push_back(eth29[0]);
  ports.push_back(eth30[0]);
  ASSERT_TRUE(stack.device->BringUpPorts(ports).ok());
  // eth30 counts PRBS while eth28 changes.
  ASSERT_TRUE(
      stack.device->SetPortPrbs(eth30, hal::PortPrbsMode::kTxRx, hal::PrbsPattern::kPrbs31).ok());
  stack.device->clock().SleepFor(milliseconds(1));

  std::vector<platform::SubPort> others;
  for (const auto& port : stack.device->Ports()) {
    if (port.port != "eth28") others.push_back(port);
  }
  const auto before = stack.device->PortStates(others);
  const auto counts_before = (*stack.device->PortPrbsResults(eth30))[0].lanes;

  EXPECT_EQ(stack.device->SetPortBreakout("eth28", "3x200G").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(stack.device->SetPortBreakout("eth28/1", "2x400G").code(), StatusCode::kNotFound);
  ASSERT_TRUE(stack.device->SetPortBreakout("eth28", "2x400G").ok());

  const auto after = stack.device->PortStates(others);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].oper_up, before[i].oper_up) << before[i].port.name;
    EXPECT_EQ(after[i].reason, before[i].reason) << before[i].port.name;
    for (size_t s = 0; s < before[i].stages.size(); ++s) {
      EXPECT_EQ(after[i].stages[s].detail, before[i].stages[s].detail) << before[i].port.name;
    }
  }
  const auto counts_after = (*stack.device->PortPrbsResults(eth30))[0].lanes;
  for (size_t l = 0; l < counts_after.size(); ++l) {
    EXPECT_TRUE(counts_after[l].locked);
    EXPECT_GT(counts_after[l].bits, counts_before[l].bits);  // still counting, never reset
    EXPECT_EQ(counts_after[l].errors, 0u);
  }

  // The new logical ports, in this process and in another one reading the same hardware.
  auto halves = Select(*stack.device, "eth28");
  ASSERT_EQ(halves.size(), 2u);
  EXPECT_EQ(halves[1].name, "eth28/2");
  EXPECT_EQ(halves[1].speed_gbps, 400);
  OpenOptions observe;
  observe.register_io = stack.io;
  observe.laser_safety.start = hal::LaserStartPolicy::kObserve;
  auto other = OpenDevice(stack.device->platform(), observe);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ((*other)->SelectPorts("eth28")->size(), 2u);
  const auto up = stack.device->BringUpPorts(halves);
  ASSERT_TRUE(up.ok()) << up.outcomes[0].status.ToString();
  for (const auto& state : stack.device->PortStates(halves)) {
    EXPECT_TRUE(state.oper_up) << state.port.name << ": " << state.reason;
    EXPECT_EQ(state.stages[1].detail, "4 lanes Activated (AppSel 2)");
  }
}

TEST(PortSerdesTest, BoardPolaritySwapsAreUndoneAndAnUndeclaredOneIsNamed) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  // sim-51t2 wires eth28's lane 226 transmitter and lane 229 receiver with P and N swapped.
  auto eth28 = Select(*stack.device, "eth28");
  ASSERT_TRUE(stack.device->BringUpPorts(eth28).ok());
  auto state = stack.device->PortStates(eth28)[0];
  EXPECT_TRUE(state.oper_up) << state.reason;
  EXPECT_TRUE(state.lanes[2].serdes.tx_invert);
  EXPECT_TRUE(state.lanes[5].serdes.rx_invert);
  EXPECT_FALSE(state.lanes[0].serdes.tx_invert || state.lanes[0].serdes.rx_invert);
  // Behind the HAL's back (as if the platform file did not declare it): no PCS lock, and why.
  auto serdes = drivers::SerdesBlock::Create(stack.io);
  ASSERT_TRUE(serdes.ok());
  auto config = (*serdes)->ReadLaneConfig(229);
  ASSERT_TRUE(config.ok());
  config->rx_invert = false;
  ASSERT_TRUE((*serdes)->WriteLaneConfig(229, *config).ok());
  EXPECT_EQ(stack.device->PortStates(eth28)[0].reason,
            "serdes: lane 229: CDR locked but no PCS lock (polarity swapped, or the far end "
            "sends a test pattern)");
}

}  // namespace
}  // namespace cpo::sim
