// The C API against cpo-simd (sim-51t2), for what the examples do not exercise: a laser source's
// saved sets, with their argument checks.
#include <gtest/gtest.h>

#include <string>

#include "cpo/c/cpo_hal.h"
#include "support/simd_daemon.h"

namespace {

constexpr const char* kPlatform = CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml";

class CApiSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon_.Ready());
    ASSERT_EQ(cpo_open(kPlatform, daemon_.socket().c_str(), &device_), CPO_OK) << cpo_last_error();
  }
  void TearDown() override { cpo_close(device_); }
  cpo::testing::Daemon daemon_{kPlatform, "capi", 0.0};
  cpo_device* device_ = nullptr;
};

TEST_F(CApiSimTest, LaserSetsSaveAndRestoreThroughTheModule) {
  EXPECT_EQ(cpo_laser_restore_set(device_, 0, CPO_LASER_SET_CONTROLS, 2),
            CPO_E_FAILED_PRECONDITION);
  EXPECT_NE(std::string(cpo_last_error()).find("nothing was saved"), std::string::npos)
      << cpo_last_error();
  EXPECT_EQ(cpo_laser_save_set(device_, 0, CPO_LASER_SET_CONTROLS, 2), CPO_OK) << cpo_last_error();
  EXPECT_EQ(cpo_laser_restore_set(device_, 0, CPO_LASER_SET_CONTROLS, 2), CPO_OK)
      << cpo_last_error();
  EXPECT_EQ(cpo_laser_save_set(device_, 0, CPO_LASER_SET_MASKS, 1), CPO_OK) << cpo_last_error();
  EXPECT_EQ(cpo_laser_restore_set(device_, 0, CPO_LASER_SET_MASKS, 0), CPO_OK) << cpo_last_error();
  // Refused before the module: the factory copy is never saved over; bad set, slot, index.
  EXPECT_EQ(cpo_laser_save_set(device_, 0, CPO_LASER_SET_MASKS, 0), CPO_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(cpo_last_error()).find("factory"), std::string::npos) << cpo_last_error();
  EXPECT_EQ(cpo_laser_save_set(device_, 0, static_cast<cpo_laser_set>(7), 1),
            CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_laser_restore_set(device_, 0, CPO_LASER_SET_CONTROLS, 3), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_laser_save_set(device_, 99, CPO_LASER_SET_CONTROLS, 1), CPO_E_OUT_OF_RANGE);
  EXPECT_EQ(cpo_laser_save_set(nullptr, 0, CPO_LASER_SET_CONTROLS, 1), CPO_E_INVALID_ARGUMENT);
}

TEST_F(CApiSimTest, LaserModuleAndElectricalMonitors) {
  cpo_laser_info info;
  ASSERT_EQ(cpo_laser_get(device_, 0, &info), CPO_OK) << cpo_last_error();
  EXPECT_STREQ(info.name, "els0");
  EXPECT_EQ(info.lanes, 10);
  EXPECT_GT(info.temperature_c, 0.0);
  EXPECT_GT(info.vcc_v, 3.0);
  cpo_laser_lane_electrical lanes[16];
  size_t count = 0;
  EXPECT_EQ(cpo_laser_lanes_electrical(device_, 0, lanes, 4, &count), CPO_E_BUFFER_TOO_SMALL);
  EXPECT_EQ(count, 10u);
  ASSERT_EQ(cpo_laser_lanes_electrical(device_, 0, lanes, 16, &count), CPO_OK) << cpo_last_error();
  EXPECT_EQ(lanes[0].lane, 1);
  EXPECT_EQ(lanes[0].voltage_v, 0.0) << "dark: nothing lit it";
  EXPECT_GT(lanes[0].bank_icc_ma, 90.0);
  EXPECT_EQ(cpo_laser_get(device_, 0, nullptr), CPO_E_INVALID_ARGUMENT);
}

}  // namespace
