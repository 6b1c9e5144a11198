// Tests against real hardware. They run only when CPO_HW_PLATFORM names a platform file of a
// machine with a CPO switch; everywhere else they skip and say why.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cpo/drivers/open_device.h"

namespace cpo {
namespace {

const char* HardwarePlatform() {
  const char* path = std::getenv("CPO_HW_PLATFORM");
  return (path != nullptr && *path != '\0') ? path : nullptr;
}

TEST(HardwareTest, OpensTheDeviceAndReadsEveryEngineIdentity) {
  const char* platform = HardwarePlatform();
  if (platform == nullptr) {
    GTEST_SKIP() << "no hardware: set CPO_HW_PLATFORM to a platform file to run";
  }
  auto device = OpenDevice(platform);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  for (const auto& engine : (*device)->optical_engines()) {
    auto id = engine->Identity();
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(id->checksum_ok) << engine->name();
  }
}

}  // namespace
}  // namespace cpo
