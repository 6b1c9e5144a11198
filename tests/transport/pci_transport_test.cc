#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cpo/transport/pci_locator.h"
#include "cpo/transport/sysfs_bar_io.h"

namespace cpo::transport {
namespace {

const std::string kFixtures = CPO_TEST_FIXTURES "/pci/";

TEST(PciLocatorTest, FindsTheSwitchByVendorAndDevice) {
  auto address = FindPciDevice({0x1234, 0xc0e0, ""}, {kFixtures + "lspci-one-switch.txt"});
  ASSERT_TRUE(address.ok()) << address.status().ToString();
  EXPECT_EQ(*address, "0000:03:00.0");
}

TEST(PciLocatorTest, FindsByAddressIncludingDomain) {
  auto address = FindPciDevice({std::nullopt, std::nullopt, "0001:05:00.0"},
                               {kFixtures + "lspci-one-switch.txt"});
  ASSERT_TRUE(address.ok()) << address.status().ToString();
  EXPECT_EQ(*address, "0001:05:00.0");
}

TEST(PciLocatorTest, AddressWithWrongIdsIsNotFound) {
  auto address =
      FindPciDevice({0x1234, 0xc0e0, "0001:05:00.0"}, {kFixtures + "lspci-one-switch.txt"});
  EXPECT_EQ(address.status().code(), StatusCode::kNotFound);
}

TEST(PciLocatorTest, NoMatchSaysWhatWasSought) {
  auto address = FindPciDevice({0x14e4, 0xb990, ""}, {kFixtures + "lspci-one-switch.txt"});
  EXPECT_EQ(address.status().code(), StatusCode::kNotFound);
  EXPECT_NE(address.status().message().find("vendor 0x14e4"), std::string::npos);
}

TEST(PciLocatorTest, TwoMatchesNeedAnAddress) {
  auto address = FindPciDevice({0x1234, 0xc0e0, ""}, {kFixtures + "lspci-two-switches.txt"});
  EXPECT_EQ(address.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(address.status().message().find("transport.pci.address"), std::string::npos);
  auto chosen =
      FindPciDevice({0x1234, 0xc0e0, "0000:04:00.0"}, {kFixtures + "lspci-two-switches.txt"});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, "0000:04:00.0");
}

TEST(PciLocatorTest, MissingDumpIsAnErrorNotAnExit) {
  auto address = FindPciDevice({0x1234, std::nullopt, ""}, {kFixtures + "does-not-exist.txt"});
  EXPECT_EQ(address.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(FindPciDevice({}, {}).status().code(), StatusCode::kInvalidArgument);
}

class SysfsBarIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("cpo-sysfs-" + std::to_string(::getpid()));
    dir_ = root_ / "bus/pci/devices/0000:03:00.0";
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "resource0").write(std::string(4096, '\0').data(), 4096);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  std::filesystem::path root_, dir_;
};

TEST_F(SysfsBarIoTest, MapsTheResourceFileWithItsSizeAsTheBound) {
  auto io = SysfsBarIo::Open(root_.string(), "0000:03:00.0", 0);
  ASSERT_TRUE(io.ok()) << io.status().ToString();
  EXPECT_EQ((*io)->size_bytes(), 4096u);
  ASSERT_TRUE((*io)->Write32(0x100, 0xc0ffee01).ok());
  EXPECT_EQ(*(*io)->Read32(0x100), 0xc0ffee01u);
  EXPECT_EQ((*io)->Read32(4096).status().code(), StatusCode::kOutOfRange);
  io->reset();
  // The write reached the file through the shared mapping.
  std::ifstream file(dir_ / "resource0", std::ios::binary);
  file.seekg(0x100);
  uint32_t word = 0;
  file.read(reinterpret_cast<char*>(&word), 4);
  EXPECT_EQ(word, 0xc0ffee01u);
}

TEST_F(SysfsBarIoTest, MissingBarIsUnavailableAndNamesThePath) {
  auto io = SysfsBarIo::Open(root_.string(), "0000:03:00.0", 2);
  EXPECT_EQ(io.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(io.status().message().find("resource2"), std::string::npos);
  EXPECT_EQ(SysfsBarIo::Open(root_.string(), "0000:03:00.0", 6).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cpo::transport
