// Breakout modes of a front-panel port and the sub-ports they make.
#include "cpo/platform/breakout.h"

#include <gtest/gtest.h>

#include "cpo/platform/loader.h"

namespace cpo::platform {
namespace {

TEST(BreakoutTest, ModesOfAnEightLanePortWidestFirst) {
  std::vector<std::string> names;
  for (const auto& mode : BreakoutModesFor(8)) names.push_back(mode.name());
  EXPECT_EQ(names, (std::vector<std::string>{"1x800G", "2x400G", "4x200G", "8x100G"}));
  EXPECT_EQ(BreakoutModesFor(4).front().name(), "1x400G");
  EXPECT_TRUE(BreakoutModesFor(0).empty());
}

TEST(BreakoutTest, ParsesModesAndExplainsRefusals) {
  auto mode = ParseBreakoutMode("4x200G", 8);
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(mode->ports, 4);
  EXPECT_EQ(mode->speed_gbps, 200);
  for (const char* bad : {"4x200", "x200G", "4x", "4y200G", "4x200G ", "2x800G", "3x200G"}) {
    auto refused = ParseBreakoutMode(bad, 8);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(refused.status().message().find("1x800G, 2x400G, 4x200G, 8x100G"), std::string::npos)
        << refused.status().message();
  }
}

TEST(BreakoutTest, SubPortsSplitTheLanesInOrder) {
  PortConfig port;
  port.name = "eth3";
  port.host_lanes = {24, 25, 26, 27, 28, 29, 30, 31};
  port.engine_lanes = {25, 26, 27, 28, 29, 30, 31, 32};
  auto one = SubPortsOf(port, {1, 800});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].name, "eth3");
  EXPECT_EQ((*one)[0].engine_lanes.size(), 8u);
  auto four = SubPortsOf(port, {4, 200});
  ASSERT_TRUE(four.ok());
  ASSERT_EQ(four->size(), 4u);
  EXPECT_EQ((*four)[2].name, "eth3/3");
  EXPECT_EQ((*four)[2].host_lanes, (std::vector<int>{28, 29}));
  EXPECT_EQ((*four)[2].engine_lanes, (std::vector<int>{29, 30}));
  EXPECT_EQ((*four)[2].speed_gbps, 200);
  EXPECT_EQ(SubPortsOf(port, {3, 200}).status().code(), StatusCode::kInvalidArgument);
}

TEST(BreakoutTest, TheReferenceBoardStartsEveryPortAsOne800GPort) {
  auto platform = LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  for (const auto& port : platform->ports) {
    EXPECT_TRUE(port.breakout.empty() || port.breakout == "1x800G") << port.name;
    EXPECT_EQ(BreakoutModesFor(static_cast<int>(port.engine_lanes.size())).size(), 4u);
  }
}

}  // namespace
}  // namespace cpo::platform
