// How `cpoctl watch` draws a frame on a terminal and on a pipe.
#include "cpoctl/watch_frame.h"

#include <gtest/gtest.h>

namespace cpo::cpoctl {
namespace {

TEST(WatchFrameTest, APipeGetsPlainFramesAfterAHeaderLine) {
  const WatchFrame frame{"cpoctl watch ports  frame 2", {"PORT  OPER", "eth0  up"}};
  const std::string out = RenderWatchFrame(frame, {"PORT  OPER", "eth0  down"}, false);
  EXPECT_EQ(out, "--- cpoctl watch ports  frame 2\nPORT  OPER\neth0  up\n");
  EXPECT_EQ(out.find('\033'), std::string::npos);
}

TEST(WatchFrameTest, ATerminalIsRedrawnWithOnlyTheChangedLinesHighlighted) {
  const WatchFrame frame{"hdr", {"PORT  OPER", "eth0  up", "eth1  down"}};
  const std::string out = RenderWatchFrame(frame, {"PORT  OPER", "eth0  down", "eth1  down"}, true);
  EXPECT_EQ(out.rfind("\033[H\033[2J", 0), 0u);  // cursor home, clear
  EXPECT_NE(out.find("\033[7meth0  up\033[0m\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\neth1  down\n"), std::string::npos) << out;
  EXPECT_NE(out.find("\nPORT  OPER\n"), std::string::npos) << out;
}

TEST(WatchFrameTest, TheFirstFrameHighlightsNothing) {
  const WatchFrame frame{"hdr", {"eth0  up"}};
  EXPECT_EQ(RenderWatchFrame(frame, {}, true).find("\033[7m"), std::string::npos);
}

}  // namespace
}  // namespace cpo::cpoctl
