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

// The ports named, in order.
std::vector<platform::SubPort> SelectEach(hal::Device& device, std::vector<std::string> names) {
  std::vector<platform::SubPort> ports;
  for (const auto& name : names) {
    auto selected = device.SelectPorts(name);
    EXPECT_TRUE(selected.ok()) << name;
    if (selected.ok()) ports.insert(ports.end(), selected->begin(), selected->end());
  }
  return ports;
}

TEST(PortTest, AdminUpOfBothEndsOfACableBringsTheLinkUpStageByStage) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto ports = SelectEach(*stack.device, {"eth1", "eth33"});  // cabled to each other
  auto before = stack.device->PortStates(ports);
  EXPECT_FALSE(before[0].stages[0].up);
  EXPECT_EQ(before[0].reason.rfind("lasers: ", 0), 0u) << before[0].reason;
  EXPECT_FALSE(before[0].admin_up);
  // eth1 = oe0 lanes 9-16, lit by els0 lanes 3 and 4.
  ASSERT_EQ(before[0].lasers.size(), 2u);
  EXPECT_EQ(before[0].lasers[0], (platform::LaserLane{"els0", 3}));

  const auto report = stack.device->BringUpPorts(ports);
  ASSERT_TRUE(report.ok()) << report.outcomes[0].status.ToString() << " / "
                           << report.outcomes[1].status.ToString();
  auto after = stack.device->PortStates(ports);
  for (const auto& state : after) {
    EXPECT_TRUE(state.oper_up) << state.port.name << ": " << state.reason;
    EXPECT_TRUE(state.admin_up);
    EXPECT_EQ(state.stages[1].detail, "8 lanes Activated (AppSel 1)");
  }
  EXPECT_EQ(after[0].stages[2].detail, "8 lanes PCS locked at 100G from eth33 lane 264");
  // The lane path query: SerDes lane -> engine lane -> laser, and the far end.
  ASSERT_EQ(after[0].lanes.size(), 8u);
  EXPECT_EQ(after[0].lanes[0].host_lane, 8);
  EXPECT_EQ(after[0].lanes[0].engine_lane, 9);
  EXPECT_EQ(after[0].lanes[0].laser, (platform::LaserLane{"els0", 3}));
  EXPECT_EQ(after[0].lanes[0].far_end, "eth33 lane 264");
  EXPECT_EQ(after[0].lanes[0].serdes.rate, hal::SerdesLaneRate::k100G);
  EXPECT_TRUE(after[0].lanes[0].receiver.pcs_lock);
  // Their neighbour was not touched.
  auto eth0 = stack.device->PortStates(SelectEach(*stack.device, {"eth0"}));
  EXPECT_FALSE(eth0[0].stages[0].up);
}

TEST(PortTest, APortWhoseCablePeerIsDownHasNoSignal) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth1 = SelectEach(*stack.device, {"eth1"});
  const auto report = stack.device->BringUpPorts(eth1);
  ASSERT_EQ(report.outcomes.size(), 1u);
  EXPECT_EQ(report.outcomes[0].status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(report.outcomes[0].status.message().find("no signal from eth33 lane 264"),
            std::string::npos)
      << report.outcomes[0].status.message();
  auto state = stack.device->PortStates(eth1)[0];
  EXPECT_TRUE(state.stages[0].up);
  EXPECT_TRUE(state.stages[1].up);
  EXPECT_FALSE(state.oper_up);
  // The engine lane behind the silent receiver says what it gets: no light (the peer never lit).
  EXPECT_EQ(state.reason,
            "serdes: lane 8: no signal from eth33 lane 264; oe0 lane 9 receives no light");
  // The peer comes up: both links follow, nothing is re-driven on eth1.
  ASSERT_TRUE(stack.device->BringUpPorts(SelectEach(*stack.device, {"eth33"})).ok());
  EXPECT_TRUE(stack.device->PortStates(eth1)[0].oper_up);
  // A pulled cable takes both ends down.
  ASSERT_TRUE(stack.sim->SetPortUnplugged("eth33", true).ok());
  auto pulled = stack.device->PortStates(SelectEach(*stack.device, {"eth1", "eth33"}));
  EXPECT_EQ(pulled[0].reason,
            "serdes: lane 8: no signal from eth33 lane 264; oe0 lane 9 reports Rx LOS (no light "
            "arrives)");
  EXPECT_EQ(pulled[1].reason,
            "serdes: lane 264: no signal from eth1 lane 8; oe4 lane 9 reports Rx LOS (no light "
            "arrives)");
}

TEST(PortTest, ALaserThatFailsItsCheckStopsOnlyItsPortWithTheReason) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  ASSERT_TRUE(stack.sim->SetFiberExtraLossDb(0, 1, 8.0).ok());  // els0 fibre 1 -> eth0
  auto ports = SelectEach(*stack.device, {"eth0", "eth1", "eth33"});
  const auto report = stack.device->BringUpPorts(ports);
  ASSERT_EQ(report.outcomes.size(), 3u);
  EXPECT_EQ(report.outcomes[0].status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(report.outcomes[0].status.message().find("fibre check failed"), std::string::npos)
      << report.outcomes[0].status.message();
  EXPECT_TRUE(report.outcomes[1].status.ok()) << report.outcomes[1].status.ToString();
  auto states = stack.device->PortStates(ports);
  EXPECT_NE(states[0].reason.find("els0 lane 1 failed"), std::string::npos) << states[0].reason;
  EXPECT_TRUE(states[1].oper_up) << states[1].reason;
}

TEST(PortTest, AdminDownSparesTheLasersAndEngineOfPortsStillUp) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto both = SelectEach(*stack.device, {"eth28", "eth29"});  // loopback plugs, one engine
  const auto up = stack.device->BringUpPorts(both);
  ASSERT_TRUE(up.ok()) << up.outcomes[0].status.ToString();
  const auto down = stack.device->BringDownPorts({both[0]});
  ASSERT_TRUE(down.ok()) << down.outcomes[0].status.ToString();
  auto states = stack.device->PortStates(both);
  EXPECT_FALSE(states[0].stages[0].up);  // eth28's lasers are off
  EXPECT_FALSE(states[0].stages[1].up);
  EXPECT_FALSE(states[0].admin_up);
  EXPECT_TRUE(states[1].oper_up) << states[1].reason;  // eth29 untouched
}

// Kills laser lane `lane` (1-based) of els0 and runs supervision rounds until the core has
// spared or given up on it; returns the event kind.
hal::EventKind KillLaser(Stack& stack, int lane) {
  EXPECT_TRUE(
      stack.sim->SetLaserPhysics(0, lane - 1, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  for (int round = 0; round < 60; ++round) {
    stack.device->clock().SleepFor(std::chrono::milliseconds(5));
    for (const auto& event : stack.device->SuperviseLasers()) {
      if (event.kind == hal::EventKind::kLaserSpared ||
          event.kind == hal::EventKind::kLaserFailed) {
        return event.kind;
      }
    }
  }
  ADD_FAILURE() << "els0 lane " << lane << " was neither spared nor failed";
  return hal::EventKind::kLaserShutdown;
}

TEST(PortTest, ALaserFaultTakesDownExactlyItsImpactPortsOrNoneWhenSpared) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  // eth2/eth3 (els0 lanes 5-6 / 7-8) and their cable peers eth34/eth35.
  auto ports = SelectEach(*stack.device, {"eth2", "eth3", "eth34", "eth35"});
  const auto up = stack.device->BringUpPorts(ports);
  ASSERT_TRUE(up.ok()) << up.outcomes[0].status.ToString();
  auto down_ports = [&] {
    std::vector<std::string> down;
    for (const auto& state : stack.device->PortStates(ports)) {
      if (!state.oper_up) down.push_back(state.port.name);
    }
    return down;
  };
  // Lanes 5 and 6 fail: the two spares take over and every port comes back.
  EXPECT_EQ(KillLaser(stack, 5), hal::EventKind::kLaserSpared);
  EXPECT_EQ(KillLaser(stack, 6), hal::EventKind::kLaserSpared);
  stack.device->clock().SleepFor(std::chrono::milliseconds(2));  // the plant's next light update
  for (const auto& state : stack.device->PortStates(ports)) {
    EXPECT_TRUE(state.oper_up) << state.port.name << ": " << state.reason;
  }
  // Lane 7 fails with no spare left: exactly its impact goes down.
  EXPECT_EQ(KillLaser(stack, 7), hal::EventKind::kLaserFailed);
  stack.device->clock().SleepFor(std::chrono::milliseconds(2));
  const auto impact = platform::Topology(stack.device->platform()).ImpactOfLaser("els0", 7);
  ASSERT_TRUE(impact.ok());
  EXPECT_EQ(impact->ports, std::vector<std::string>{"eth3"});
  EXPECT_EQ(impact->peer_ports, std::vector<std::string>{"eth35"});
  EXPECT_EQ(down_ports(), (std::vector<std::string>{"eth3", "eth35"}));
  auto states = stack.device->PortStates(ports);
  EXPECT_EQ(states[1].reason.rfind("lasers: els0 lane 7 failed", 0), 0u) << states[1].reason;
  EXPECT_EQ(states[3].reason,
            "serdes: lane 280: no signal from eth3 lane 24; oe4 lane 25 reports Rx LOS (no light "
            "arrives)");
  // Admin down of eth2 turns off the spares serving its fibres (lanes 9 and 10), not the retired
  // lanes 5 and 6 the platform names.
  ASSERT_TRUE(stack.device->BringDownPorts({ports[0]}).ok());
  for (int spare : {9, 10}) {
    auto truth = stack.sim->LaserLane(0, spare - 1);
    ASSERT_TRUE(truth.ok());
    EXPECT_FALSE(truth->enabled) << "els0 lane " << spare;
  }
}

// Bug: a process that only observes the lasers (cpoctl beside the NOS) showed the laser stage
// "up" for a lane the module reported faulty, and blamed the SerDes ("no signal").
TEST(PortTest, AnObserverSeesALaserFaultBeforeAnySupervisorActs) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  auto eth28 = SelectEach(*stack.device, {"eth28"});  // els7 lanes 1-2, a loopback plug
  ASSERT_TRUE(stack.device->BringUpPorts(eth28).ok());
  OpenOptions observe;
  observe.register_io = stack.io;
  observe.laser_safety.start = hal::LaserStartPolicy::kObserve;
  auto observer = OpenDevice(stack.device->platform(), observe);
  ASSERT_TRUE(observer.ok()) << observer.status().ToString();
  EXPECT_TRUE((*observer)->PortStates(eth28)[0].oper_up);

  ASSERT_TRUE(stack.sim->SetLaserPhysics(7, 0, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  stack.device->clock().SleepFor(std::chrono::milliseconds(20));  // the APC loop gives up
  const auto state = (*observer)->PortStates(eth28)[0];
  EXPECT_FALSE(state.oper_up);
  EXPECT_EQ(state.reason.rfind("lasers: els7 lane 1 reports a fault (code ", 0), 0u)
      << state.reason;
}

// The link events a poll delivers, as "kind port".
std::vector<std::string> LinkEvents(hal::Device& device) {
  std::vector<std::string> found;
  for (const auto& event : device.PollEvents()) {
    if (event.kind == hal::EventKind::kPortLinkUp || event.kind == hal::EventKind::kPortLinkDown) {
      found.push_back(std::string(hal::EventKindName(event.kind)) + " " + event.source + ": " +
                      event.detail);
    }
  }
  return found;
}

TEST(PortTest, LinkChangesArriveAsEvents) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.device);
  EXPECT_TRUE(LinkEvents(*stack.device).empty());  // the first poll records where ports stand
  ASSERT_TRUE(stack.device->BringUpPorts(SelectEach(*stack.device, {"eth28"})).ok());
  EXPECT_EQ(LinkEvents(*stack.device), std::vector<std::string>{"port-link-up eth28: link up"});
  EXPECT_TRUE(LinkEvents(*stack.device).empty());
  ASSERT_TRUE(stack.sim->SetPortUnplugged("eth28", true).ok());
  EXPECT_EQ(LinkEvents(*stack.device),
            std::vector<std::string>{
                "port-link-down eth28: serdes: lane 224: no signal from loopback plug; oe3 lane "
                "33 reports Rx LOS (no light arrives)"});
  ASSERT_TRUE(stack.sim->SetPortUnplugged("eth28", false).ok());
  EXPECT_EQ(LinkEvents(*stack.device), std::vector<std::string>{"port-link-up eth28: link up"});
}

}  // namespace
}  // namespace cpo::sim
