// The C API's contract without a device: versions, error names and messages, argument checks,
// logging set-up.
#include <gtest/gtest.h>

#include <string>

#include "cpo/c/cpo_hal.h"

namespace {

TEST(CApiTest, VersionsAgreeWithTheHeaderAndTheProject) {
  EXPECT_EQ(cpo_version_number(), static_cast<unsigned>(CPO_HAL_VERSION_NUMBER));
  EXPECT_STREQ(cpo_version(), CPO_PROJECT_VERSION);
}

TEST(CApiTest, EveryStatusHasAName) {
  EXPECT_STREQ(cpo_strerror(CPO_OK), "OK");
  EXPECT_STREQ(cpo_strerror(CPO_E_CONFIG), "CONFIG_ERROR");
  EXPECT_STREQ(cpo_strerror(CPO_E_BUFFER_TOO_SMALL), "BUFFER_TOO_SMALL");
  EXPECT_STREQ(cpo_strerror(static_cast<cpo_status>(99)), "UNKNOWN_STATUS");
}

TEST(CApiTest, BadArgumentsAreErrorsWithAMessageNotCrashes) {
  cpo_device* device = nullptr;
  EXPECT_EQ(cpo_open(nullptr, nullptr, &device), CPO_E_INVALID_ARGUMENT);
  EXPECT_NE(std::string(cpo_last_error()).find("platform path"), std::string::npos);
  EXPECT_EQ(cpo_open("/nonexistent/platform.yaml", nullptr, &device), CPO_E_CONFIG);
  EXPECT_NE(std::string(cpo_last_error()).find("/nonexistent/platform.yaml"), std::string::npos)
      << cpo_last_error();
  EXPECT_EQ(device, nullptr);
  cpo_engine_info info;
  EXPECT_EQ(cpo_engine_get(nullptr, 0, &info), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_engine_count(nullptr), 0u);
  EXPECT_EQ(cpo_poll_events(nullptr, nullptr), CPO_E_INVALID_ARGUMENT);
  cpo_close(nullptr);  // harmless
}

TEST(CApiTest, LoggingIsSilentUntilConfiguredAndNamesItsComponents) {
  EXPECT_EQ(cpo_log_set_level("hal", CPO_LOG_INFO), CPO_E_FAILED_PRECONDITION);
  EXPECT_NE(std::string(cpo_last_error()).find("cpo_log_configure"), std::string::npos);
  ASSERT_EQ(cpo_log_configure(CPO_LOG_NONE, nullptr), CPO_OK);
  EXPECT_EQ(cpo_log_set_level(nullptr, CPO_LOG_DEBUG), CPO_OK);
  EXPECT_EQ(cpo_log_set_level("laser", CPO_LOG_WARN), CPO_OK);
  EXPECT_EQ(cpo_log_set_level("radio", CPO_LOG_WARN), CPO_E_NOT_FOUND);
  EXPECT_NE(std::string(cpo_last_error()).find("hal, laser, drivers"), std::string::npos);
  EXPECT_EQ(cpo_log_set_level("hal", static_cast<cpo_log_level>(5)), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_log_configure(static_cast<cpo_log_sink>(7), nullptr), CPO_E_INVALID_ARGUMENT);
  EXPECT_EQ(cpo_log_configure(CPO_LOG_SYSLOG, "cpo-test"), CPO_OK);
}

}  // namespace
