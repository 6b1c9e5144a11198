// Ports on sim-51t2 through the whole stack: logical ports from breakouts, stage-by-stage state
// from the hardware, and admin-up bring-up (lasers, then engine data paths) for many at once.
#include <gtest/gtest.h>

#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

TEST(PortTest, LogicalPortsFollowTheBreakoutAndSelectByNameFrontPanelOrAll) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  EXPECT_EQ(stack.device->Ports().size(), 64u);
  auto eth3 = stack.device->SelectPorts("eth3");
  ASSERT_TRUE(eth3.ok());
  ASSERT_EQ(eth3->size(), 1u);
  EXPECT_EQ((*eth3)[0].speed_gbps, 800);
  EXPECT_EQ((*eth3)[0].engine_lanes.front(), 25);
  EXPECT_EQ(stack.device->SelectPorts("all")->size(), 64u);
  auto missing = stack.device->SelectPorts("eth99");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("'all' selects every port"), std::string::npos);
}

TEST(PortTest, AdminUpLightsTheLasersThenBringsTheDataPathUp) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth1 = stack.device->SelectPorts("eth1");
  ASSERT_TRUE(eth1.ok());
  auto before = stack.device->PortStates(*eth1);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_FALSE(before[0].stages[0].up);
  EXPECT_EQ(before[0].reason.rfind("lasers: ", 0), 0u) << before[0].reason;
  // eth1 = oe0 lanes 9-16, lit by els0 lanes 3 and 4.
  ASSERT_EQ(before[0].lasers.size(), 2u);
  EXPECT_EQ(before[0].lasers[0], (platform::LaserLane{"els0", 3}));

  const auto report = stack.device->BringUpPorts(*eth1);
  ASSERT_TRUE(report.ok()) << report.outcomes[0].status.ToString();
  auto after = stack.device->PortStates(*eth1);
  EXPECT_TRUE(after[0].stages[0].up) << after[0].stages[0].detail;
  EXPECT_TRUE(after[0].stages[1].up) << after[0].stages[1].detail;
  EXPECT_EQ(after[0].stages[1].detail, "8 lanes Activated (AppSel 1)");
  // The SerDes stage is not modelled: the port is optics-ready, not oper up.
  EXPECT_FALSE(after[0].oper_up);
  EXPECT_EQ(after[0].reason.rfind("serdes: ", 0), 0u) << after[0].reason;
  // Its neighbour was not touched.
  auto eth0 = stack.device->PortStates(*stack.device->SelectPorts("eth0"));
  EXPECT_FALSE(eth0[0].stages[0].up);
}

TEST(PortTest, ALaserThatFailsItsCheckStopsOnlyItsPortWithTheReason) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  ASSERT_TRUE(stack.sim->SetFiberExtraLossDb(0, 1, 8.0).ok());  // els0 fibre 1 -> eth0
  std::vector<platform::SubPort> ports = *stack.device->SelectPorts("eth0");
  ports.push_back((*stack.device->SelectPorts("eth1"))[0]);
  const auto report = stack.device->BringUpPorts(ports);
  ASSERT_EQ(report.outcomes.size(), 2u);
  EXPECT_EQ(report.outcomes[0].status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(report.outcomes[0].status.message().find("fibre check failed"), std::string::npos)
      << report.outcomes[0].status.message();
  EXPECT_TRUE(report.outcomes[1].status.ok()) << report.outcomes[1].status.ToString();
  auto states = stack.device->PortStates(ports);
  EXPECT_NE(states[0].reason.find("els0 lane 1 failed"), std::string::npos) << states[0].reason;
  EXPECT_TRUE(states[1].stages[1].up);
}

TEST(PortTest, AdminDownSparesTheLasersAndEngineOfPortsStillUp) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  std::vector<platform::SubPort> both = *stack.device->SelectPorts("eth0");
  both.push_back((*stack.device->SelectPorts("eth1"))[0]);
  ASSERT_TRUE(stack.device->BringUpPorts(both).ok());
  const auto down = stack.device->BringDownPorts({both[0]});
  ASSERT_TRUE(down.ok()) << down.outcomes[0].status.ToString();
  auto states = stack.device->PortStates(both);
  EXPECT_FALSE(states[0].stages[0].up);  // eth0's lasers (els0 lanes 1-2) are off
  EXPECT_FALSE(states[0].stages[1].up);
  EXPECT_TRUE(states[1].stages[0].up) << states[1].stages[0].detail;  // eth1 untouched
  EXPECT_TRUE(states[1].stages[1].up) << states[1].stages[1].detail;
  auto lane1 = stack.sim->LaserLane(0, 0);
  ASSERT_TRUE(lane1.ok());
  EXPECT_FALSE(lane1->enabled);
  auto lane3 = stack.sim->LaserLane(0, 2);
  ASSERT_TRUE(lane3.ok());
  EXPECT_TRUE(lane3->enabled);
}

}  // namespace
}  // namespace cpo::sim
