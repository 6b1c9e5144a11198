// PortRecovery's schedule on its own (no device): first attempt at once, doubling delays up to
// the cap, a bounded number of attempts with the reason kept, and an operator's intent obeyed.
#include "ports/port_recovery.h"

#include <gtest/gtest.h>

namespace cpo::hal {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(PortRecoveryScheduleTest, FirstAttemptAtOnceThenDoublingDelaysUpToTheCap) {
  PortRecovery recovery({.enabled = true,
                         .max_attempts = 6,
                         .first_delay = milliseconds(500),
                         .max_delay = seconds(2)});
  recovery.LinkDown("eth3", seconds(10));
  EXPECT_EQ(recovery.Due(seconds(10)), std::vector<std::string>{"eth3"});
  const Status down(StatusCode::kFailedPrecondition, "datapath: oe0 lane 1 Deactivated");
  std::vector<std::chrono::nanoseconds> waits;
  auto now = std::chrono::nanoseconds(seconds(10));
  for (int k = 0; k < 5; ++k) {
    const auto attempt = recovery.Failed("eth3", down, now);
    EXPECT_EQ(attempt.number, k + 1);
    ASSERT_FALSE(attempt.gave_up);
    waits.push_back(attempt.next - now);
    EXPECT_TRUE(recovery.Due(attempt.next - milliseconds(1)).empty());
    EXPECT_EQ(recovery.Due(attempt.next).size(), 1u);
    now = attempt.next;
  }
  EXPECT_EQ(waits, (std::vector<std::chrono::nanoseconds>{milliseconds(500), seconds(1), seconds(2),
                                                          seconds(2), seconds(2)}));
  const auto last = recovery.Failed("eth3", down, now);
  EXPECT_TRUE(last.gave_up);
  EXPECT_EQ(last.number, 6);
  EXPECT_TRUE(recovery.Due(now + seconds(60)).empty());
  EXPECT_EQ(recovery.GaveUp("eth3"), "datapath: oe0 lane 1 Deactivated");
}

TEST(PortRecoveryScheduleTest, ALinkBackOrAnOperatorsChangeEndsTheTries) {
  PortRecovery recovery({});
  recovery.LinkDown("eth1", seconds(1));
  recovery.LinkDown("eth2", seconds(1));
  recovery.LinkDown("eth1", seconds(5));  // already tracked: its schedule stands
  EXPECT_EQ(recovery.Due(seconds(1)), (std::vector<std::string>{"eth1", "eth2"}));
  recovery.LinkUp("eth1");
  recovery.Forget("eth2");
  EXPECT_TRUE(recovery.Due(seconds(100)).empty());
  EXPECT_FALSE(recovery.GaveUp("eth1").has_value());
}

TEST(PortRecoveryScheduleTest, AnAdminDownPortIsNotTriedUntilBroughtUpAgain) {
  PortRecovery recovery({});
  recovery.LinkDown("eth18", seconds(1));
  recovery.AdminDown("eth18");
  EXPECT_TRUE(recovery.Due(seconds(2)).empty());
  recovery.LinkDown("eth18", seconds(3));  // a poll saw the link drop during the bring-down
  EXPECT_TRUE(recovery.Due(seconds(4)).empty());
  recovery.AdminUp("eth18");
  recovery.LinkDown("eth18", seconds(5));
  EXPECT_EQ(recovery.Due(seconds(5)), std::vector<std::string>{"eth18"});
}

TEST(PortRecoveryScheduleTest, DisabledRecoveryNeverSchedules) {
  PortRecovery recovery({.enabled = false});
  recovery.LinkDown("eth1", seconds(1));
  EXPECT_TRUE(recovery.Due(seconds(100)).empty());
}

}  // namespace
}  // namespace cpo::hal
