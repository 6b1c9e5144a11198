// The owner brings back admin-up ports that lost their link through their own path (issue 14),
// on sim-51t2 in process: eth28 (oe3 lanes 33-40, a loopback plug, so it links alone) after an
// engine reset, a laser module pulled and re-inserted, and a fibre cut and repaired. The owner
// polls as the event monitor does; each bound is the advertised durations of what the recovery
// has to redo, plus the polls that see the loss and the link.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "cpo/platform/topology.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr nanoseconds kPoll = milliseconds(50);

class PortRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    ASSERT_TRUE(stack_.device);
    device_ = stack_.device.get();
    device_->Subscribe([this](const hal::Event& event) { events_.push_back(event); });
    (void)device_->PollEvents();  // where every link stands
    eth28_ = *device_->SelectPorts("eth28");
    ASSERT_TRUE(device_->BringUpPorts(eth28_).ok());
    (void)device_->PollEvents();
    ASSERT_TRUE(Up());
    oe3_ = *device_->FindOpticalEngine("oe3");
    durations_ = oe3_->Advertising()->durations;
    lasers_ = device_->PortStates(eth28_)[0].lasers;
    ASSERT_FALSE(lasers_.empty());
  }
  bool Up() { return device_->PortStates(eth28_)[0].oper_up; }
  // Polls (sleeping kPoll of device time before each) until eth28 is up or `limit` passes; the
  // device time from `since` to the poll that found it up.
  nanoseconds PollUntilUp(nanoseconds since, nanoseconds limit) {
    while (device_->clock().Now() - since < limit) {
      device_->clock().SleepFor(kPoll);
      (void)device_->PollEvents();
      if (Up()) return device_->clock().Now() - since;
    }
    return limit;
  }
  std::string Describe() {
    std::string out;
    for (const auto& e : events_) {
      out += fmt::format("\n  {:.3f} s {} {} {}", e.time.count() / 1e9, hal::EventKindName(e.kind),
                         e.source, e.detail);
    }
    return out;
  }
  int Events(hal::EventKind kind) {
    return static_cast<int>(std::count_if(events_.begin(), events_.end(), [&](const auto& e) {
      return e.kind == kind && e.source == "eth28";
    }));
  }

  Stack stack_;
  hal::Device* device_ = nullptr;
  std::vector<platform::SubPort> eth28_;
  hal::OpticalEngine* oe3_ = nullptr;
  hal::EngineDurations durations_;
  std::vector<platform::LaserLane> lasers_;
  std::vector<hal::Event> events_;
};

TEST_F(PortRecoveryTest, AnEngineResetIsFollowedByTheLinkWithoutAHuman) {
  ASSERT_TRUE(oe3_->Reset().ok());
  const auto reset_at = device_->clock().Now();
  const nanoseconds bound =
      durations_.module_power_up + durations_.data_path_init + durations_.tx_turn_on + 3 * kPoll;
  const nanoseconds took = PollUntilUp(reset_at, 4 * bound);
  EXPECT_TRUE(Up()) << device_->PortStates(eth28_)[0].reason;
  EXPECT_LE(took, bound) << took.count() / 1e6 << " ms" << Describe();
  EXPECT_GE(Events(hal::EventKind::kPortRecovery), 1);
  RecordProperty("reset_to_link_ms", static_cast<int>(took.count() / 1'000'000));
}

TEST_F(PortRecoveryTest, ALaserModulePulledAndReinsertedIsFollowedByTheLink) {
  const int source = std::stoi(lasers_[0].source.substr(3));  // "els7" -> 7
  ASSERT_TRUE(stack_.sim->RemoveLaserSource(source).ok());
  device_->clock().SleepFor(kPoll);
  (void)device_->PollEvents();
  device_->clock().SleepFor(kPoll);
  (void)device_->PollEvents();
  EXPECT_FALSE(Up());
  ASSERT_TRUE(stack_.sim->InsertLaserSource(source).ok());
  const auto back_at = device_->clock().Now();
  // A fresh module powers up, its lanes are fibre-checked and raised again.
  const auto options = hal::LaserSafetyOptions{};
  const nanoseconds bound = options.power_up_timeout + 2 * options.ramp_timeout + 3 * kPoll;
  const nanoseconds took = PollUntilUp(back_at, 4 * bound);
  EXPECT_TRUE(Up()) << device_->PortStates(eth28_)[0].reason;
  EXPECT_LE(took, bound) << took.count() / 1e6 << " ms";
  RecordProperty("reinsert_to_link_ms", static_cast<int>(took.count() / 1'000'000));
}

TEST_F(PortRecoveryTest, AFibreCutAndRepairedIsFollowedByTheLink) {
  const platform::Topology topology(device_->platform());
  const int source = std::stoi(lasers_[0].source.substr(3));
  const int fiber = topology.FiberOfLane(lasers_[0].source, lasers_[0].lane);
  ASSERT_NE(fiber, 0);
  ASSERT_TRUE(stack_.sim->SetFiberCut(source, fiber, true).ok());
  for (int poll = 0; poll < 10; ++poll) {
    device_->clock().SleepFor(kPoll);
    (void)device_->PollEvents();
  }
  EXPECT_FALSE(Up());
  EXPECT_GE(Events(hal::EventKind::kPortRecovery), 1);  // tried, and failed the fibre check
  ASSERT_TRUE(stack_.sim->SetFiberCut(source, fiber, false).ok());
  const auto repaired_at = device_->clock().Now();
  // The next attempt (the back-off is at most max_delay) relights through a fibre check.
  const hal::RecoveryOptions recovery;
  const auto lasers = hal::LaserSafetyOptions{};
  const nanoseconds bound = recovery.max_delay + 2 * lasers.ramp_timeout + 3 * kPoll;
  const nanoseconds took = PollUntilUp(repaired_at, 4 * bound);
  EXPECT_TRUE(Up()) << device_->PortStates(eth28_)[0].reason;
  EXPECT_LE(took, bound) << took.count() / 1e6 << " ms";
  RecordProperty("repair_to_link_ms", static_cast<int>(took.count() / 1'000'000));
}

TEST_F(PortRecoveryTest, AnAdminDownPortIsNeverBroughtBack) {
  ASSERT_TRUE(device_->BringDownPorts(eth28_).ok());
  for (int poll = 0; poll < 40; ++poll) {
    device_->clock().SleepFor(kPoll);
    (void)device_->PollEvents();
  }
  EXPECT_FALSE(Up());
  EXPECT_EQ(Events(hal::EventKind::kPortRecovery), 0);
  for (const auto& laser : lasers_) {
    auto source = device_->FindLaserSource(laser.source);
    auto lanes = (*source)->Lanes();
    ASSERT_TRUE(lanes.ok());
    const auto& report = (*lanes)[static_cast<size_t>(laser.lane - 1)];
    EXPECT_NE(report.phase, hal::LaserLanePhase::kOperating) << laser.source << " " << laser.lane;
    EXPECT_EQ(report.spare_for, 0);
  }
}

}  // namespace
}  // namespace cpo::sim
