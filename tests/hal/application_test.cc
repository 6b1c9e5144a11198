// Where an application may start: the host lane options (lower page) and the media lane options
// (page 01h 176+) must both allow it; a module that advertises no media start lane cannot have
// the application placed at all (issue 15).
#include <gtest/gtest.h>

#include "cpo/hal/data_path_types.h"

namespace cpo::hal {
namespace {

Application App(int lanes, uint8_t host_options, uint8_t media_options) {
  Application app;
  app.app_sel = 1;
  app.host_lanes = lanes;
  app.media_lanes = lanes;
  app.host_lane_options = host_options;
  app.media_lane_options = media_options;
  return app;
}

TEST(ApplicationTest, BothSidesMustAllowTheStartLane) {
  const Application dr4 = App(4, 0x11, 0x11);  // lanes 1 and 5 of every bank
  EXPECT_TRUE(dr4.MayStartAt(1));
  EXPECT_TRUE(dr4.MayStartAt(5));
  EXPECT_TRUE(dr4.MayStartAt(13));  // lane 5 of bank 1
  EXPECT_FALSE(dr4.MayStartAt(2));
  const Application host_only = App(4, 0x11, 0x01);  // the media side starts only at lane 1
  EXPECT_TRUE(host_only.MayStartAt(1));
  EXPECT_FALSE(host_only.MayStartAt(5));
}

TEST(ApplicationTest, NoMediaStartLaneMeansTheApplicationCannotBePlaced) {
  const Application unplaceable = App(1, 0xFF, 0x00);
  for (int lane = 1; lane <= 16; ++lane) EXPECT_FALSE(unplaceable.MayStartAt(lane)) << lane;
  Application gearbox = App(4, 0x11, 0x03);  // 4 host lanes onto 2 media lanes
  gearbox.media_lanes = 2;
  EXPECT_TRUE(gearbox.MayStartAt(1));
  gearbox.media_lane_options = 0;
  EXPECT_FALSE(gearbox.MayStartAt(1));
}

TEST(ApplicationTest, ADataPathNeverRunsOffItsBank) {
  const Application dr8 = App(8, 0xFF, 0xFF);  // options that say too much
  EXPECT_TRUE(dr8.MayStartAt(1));
  EXPECT_FALSE(dr8.MayStartAt(2));
}

}  // namespace
}  // namespace cpo::hal
