// The C API against cpo-simd (sim-51t2), for what the examples do not exercise: a laser source's
// saved sets, limits and thresholds, and the flag records of engines and laser sources, with
// their argument checks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cpo/c/cpo_hal.h"
#include "support/run_command.h"
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

TEST_F(CApiSimTest, LaserLimitsAndThresholdsAsTheModuleAdvertisesThem) {
  cpo_laser_limits limits;
  ASSERT_EQ(cpo_laser_limits_get(device_, 0, &limits), CPO_OK) << cpo_last_error();
  EXPECT_EQ(limits.constant_power, 1);
  EXPECT_GT(limits.max_power_mw, limits.min_power_mw);
  EXPECT_GT(limits.max_bias_ma, limits.min_bias_ma);
  EXPECT_GT(limits.fiber_check_setpoint_mw, 0.0);
  EXPECT_LT(limits.fiber_check_setpoint_mw, limits.max_power_mw) << "a check lights below power";
  EXPECT_DOUBLE_EQ(limits.temperature_c.high_alarm, 75.0);
  EXPECT_NEAR(limits.vcc_v.low_alarm, 3.0, 1e-9);
  for (const cpo_thresholds& t :
       {limits.bias_ma, limits.power_mw, limits.temperature_c, limits.vcc_v}) {
    EXPECT_GT(t.high_alarm, t.high_warning);
    EXPECT_GT(t.high_warning, t.low_warning);
    EXPECT_GT(t.low_warning, t.low_alarm);
  }
  EXPECT_EQ(cpo_laser_limits_get(device_, 0, nullptr), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_laser_limits_get(device_, 99, &limits), CPO_E_OUT_OF_RANGE);
}

// The records with `name`, or nullptr.
const cpo_flag_record* FindRecord(const std::vector<cpo_flag_record>& records,
                                  const std::string& name) {
  for (const auto& record : records) {
    if (name == record.name) return &record;
  }
  return nullptr;
}

std::vector<cpo_flag_record> EngineFlags(cpo_device* device) {
  size_t count = 0;
  EXPECT_EQ(cpo_engine_flags(device, 0, nullptr, 0, &count), CPO_E_BUFFER_TOO_SMALL)
      << "a call with capacity 0 sizes the array";
  std::vector<cpo_flag_record> records(count + 8);
  EXPECT_EQ(cpo_engine_flags(device, 0, records.data(), records.size(), &count), CPO_OK)
      << cpo_last_error();
  records.resize(count);
  return records;
}

TEST_F(CApiSimTest, FlagRecordsOfEnginesAndLaserSources) {
  std::vector<cpo_flag_record> records = EngineFlags(device_);
  const cpo_flag_record* high = FindRecord(records, "temperature.high_alarm");
  ASSERT_NE(high, nullptr) << records.size() << " records";
  EXPECT_EQ(high->latched, 0);
  EXPECT_EQ(high->set_count, 0u);
  EXPECT_EQ(high->last_set_s, -1.0);
  ASSERT_NE(FindRecord(records, "lane1.rx_los"), nullptr);

  // A temperature excursion on oe0: the next call reads it latched, with its device time.
  const std::vector<std::string> inject = {
      CPOCTL_PATH, "--platform", kPlatform, "--sim", daemon_.socket(),
      "sim",       "inject",     "plant",   "oe0",   "temperature_c"};
  auto hot = inject;
  hot.push_back("90");
  ASSERT_EQ(cpo::testing::RunCommand(hot).exit_code, 0);
  records = EngineFlags(device_);
  high = FindRecord(records, "temperature.high_alarm");
  ASSERT_NE(high, nullptr);
  EXPECT_EQ(high->latched, 1);
  EXPECT_EQ(high->set_count, 1u);
  EXPECT_GE(high->last_set_s, 0.0);
  auto cool = inject;
  cool.push_back("42");
  ASSERT_EQ(cpo::testing::RunCommand(cool).exit_code, 0);
  (void)EngineFlags(device_);  // the latch clears on the read after the excursion ends
  records = EngineFlags(device_);
  high = FindRecord(records, "temperature.high_alarm");
  ASSERT_NE(high, nullptr);
  EXPECT_EQ(high->latched, 0);
  EXPECT_EQ(high->set_count, 1u);
  EXPECT_GE(high->last_clear_s, high->last_set_s);

  size_t count = 0;
  EXPECT_EQ(cpo_laser_flags(device_, 0, nullptr, 0, &count), CPO_E_BUFFER_TOO_SMALL);
  std::vector<cpo_flag_record> laser(count);
  ASSERT_EQ(cpo_laser_flags(device_, 0, laser.data(), laser.size(), &count), CPO_OK)
      << cpo_last_error();
  EXPECT_NE(FindRecord(laser, "lane1.bias.high_alarm"), nullptr) << count << " records";
  EXPECT_EQ(cpo_laser_flags(device_, 0, nullptr, 4, &count), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_engine_flags(device_, 0, laser.data(), laser.size(), nullptr),
            CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_engine_flags(device_, 42, nullptr, 0, &count), CPO_E_OUT_OF_RANGE);
}

}  // namespace
