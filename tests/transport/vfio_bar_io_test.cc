// VfioBarIo against a stand-in kernel (the VfioSyscalls seam): the VFIO sequence, the BAR mapped
// through the device's region, and every failure named with its fix and nothing leaked.
#include "cpo/transport/vfio_bar_io.h"

#include <gtest/gtest.h>
#include <linux/vfio.h>

#include <cerrno>
#include <map>
#include <string>
#include <vector>

namespace cpo::transport {
namespace {

class FakeVfio : public VfioSyscalls {
 public:
  std::map<std::string, int> open_errors;  // path -> errno
  bool viable = true;
  uint32_t region_flags =
      VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP;
  std::vector<std::string> calls;
  std::vector<int> open_fds;
  std::vector<uint32_t> bar = std::vector<uint32_t>(1024, 0);
  bool mapped = false;
  uint32_t region_index = 99;
  std::string device_name;

  int Open(const std::string& path) override {
    calls.push_back("open " + path);
    if (auto found = open_errors.find(path); found != open_errors.end()) return -found->second;
    const int fd = path.ends_with("/vfio/vfio") ? 10 : 11;
    open_fds.push_back(fd);
    return fd;
  }
  int Close(int fd) override {
    calls.push_back("close " + std::to_string(fd));
    std::erase(open_fds, fd);
    return 0;
  }
  int Ioctl(int fd, uint64_t request, void* argument) override {
    if (request == VFIO_GROUP_GET_STATUS) {
      calls.push_back("group status");
      static_cast<vfio_group_status*>(argument)->flags = viable ? VFIO_GROUP_FLAGS_VIABLE : 0;
      return 0;
    }
    if (request == VFIO_GROUP_SET_CONTAINER) {
      calls.push_back("set container " + std::to_string(*static_cast<int*>(argument)));
      return 0;
    }
    if (request == VFIO_GROUP_GET_DEVICE_FD) {
      device_name = static_cast<const char*>(argument);
      calls.push_back("device fd " + device_name);
      open_fds.push_back(12);
      return 12;
    }
    if (request == VFIO_DEVICE_GET_REGION_INFO) {
      auto* region = static_cast<vfio_region_info*>(argument);
      region_index = region->index;
      calls.push_back("region info " + std::to_string(fd));
      region->size = bar.size() * 4;
      region->offset = 0x20000000000ULL;
      region->flags = region_flags;
      return 0;
    }
    return -EINVAL;
  }
  int IoctlValue(int /*fd*/, uint64_t request, uint64_t value) override {
    if (request == VFIO_GET_API_VERSION) return VFIO_API_VERSION;
    if (request == VFIO_CHECK_EXTENSION) return value == VFIO_TYPE1v2_IOMMU ? 1 : 0;
    if (request == VFIO_SET_IOMMU) {
      calls.push_back("set iommu " + std::to_string(value));
      return 0;
    }
    return -EINVAL;
  }
  void* Map(int fd, uint64_t offset, uint64_t size) override {
    calls.push_back("map " + std::to_string(fd) + " " + std::to_string(offset) + " " +
                    std::to_string(size));
    mapped = true;
    return bar.data();
  }
  void Unmap(void* /*address*/, uint64_t /*size*/) override {
    calls.push_back("unmap");
    mapped = false;
  }
  Result<std::string> ReadLink(const std::string& path) override {
    if (path != "/sys/bus/pci/devices/0000:03:00.0/iommu_group") {
      return Status(StatusCode::kNotFound, "no link");
    }
    return std::string("../../../kernel/iommu_groups/17");
  }
};

TEST(VfioBarIoTest, MapsTheBarThroughTheDevicesRegionInTheVfioOrder) {
  auto fake = std::make_shared<FakeVfio>();
  {
    auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 2, fake);
    ASSERT_TRUE(io.ok()) << io.status().ToString();
    EXPECT_EQ((*io)->size_bytes(), 4096u);
    fake->bar[1] = 0xc0ffee;
    EXPECT_EQ(*(*io)->Read32(4), 0xc0ffeeu);
    ASSERT_TRUE((*io)->Write32(8, 0x12345678).ok());
    EXPECT_EQ(fake->bar[2], 0x12345678u);
    EXPECT_EQ(fake->region_index, static_cast<uint32_t>(VFIO_PCI_BAR0_REGION_INDEX + 2));
    EXPECT_EQ(fake->device_name, "0000:03:00.0");
    const std::vector<std::string> expected = {"open /dev/vfio/vfio",
                                               "open /dev/vfio/17",
                                               "group status",
                                               "set container 10",
                                               "set iommu " + std::to_string(VFIO_TYPE1v2_IOMMU),
                                               "device fd 0000:03:00.0",
                                               "region info 12",
                                               "map 12 2199023255552 4096"};
    EXPECT_EQ(fake->calls, expected);
  }
  EXPECT_FALSE(fake->mapped);
  EXPECT_TRUE(fake->open_fds.empty()) << "leaked fds";
}

TEST(VfioBarIoTest, AGroupNodeWithoutPermissionPointsAtTheUdevRules) {
  auto fake = std::make_shared<FakeVfio>();
  fake->open_errors["/dev/vfio/17"] = EACCES;
  auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake);
  ASSERT_FALSE(io.ok());
  EXPECT_EQ(io.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(io.status().message().find("udev/60-cpo.rules"), std::string::npos);
  EXPECT_TRUE(fake->open_fds.empty()) << "the container was not closed";
}

TEST(VfioBarIoTest, ABusyGroupSaysHowToShareTheSwitch) {
  auto fake = std::make_shared<FakeVfio>();
  fake->open_errors["/dev/vfio/17"] = EBUSY;
  auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake);
  EXPECT_EQ(io.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(io.status().message().find("bar_access: sysfs"), std::string::npos);
}

TEST(VfioBarIoTest, ADeviceNotBoundToVfioPciSaysHowToBindIt) {
  auto fake = std::make_shared<FakeVfio>();
  fake->open_errors["/dev/vfio/17"] = ENOENT;
  auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake);
  EXPECT_EQ(io.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(io.status().message().find("driverctl set-override 0000:03:00.0 vfio-pci"),
            std::string::npos)
      << io.status().message();
  fake->open_errors = {{"/dev/vfio/vfio", ENOENT}};
  EXPECT_NE(
      VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake).status().message().find("modprobe vfio-pci"),
      std::string::npos);
}

TEST(VfioBarIoTest, ANonViableGroupIsAPreconditionAndNothingLeaks) {
  auto fake = std::make_shared<FakeVfio>();
  fake->viable = false;
  auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake);
  EXPECT_EQ(io.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(io.status().message().find("iommu_groups/17"), std::string::npos);
  EXPECT_TRUE(fake->open_fds.empty());
}

TEST(VfioBarIoTest, NoIommuGroupOrAnUnmappableBarAreNamed) {
  auto fake = std::make_shared<FakeVfio>();
  auto no_group = VfioBarIo::Open("/sys", "0000:09:00.0", 0, fake);
  EXPECT_EQ(no_group.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(no_group.status().message().find("enable the IOMMU"), std::string::npos);
  fake->region_flags = VFIO_REGION_INFO_FLAG_READ;
  auto io = VfioBarIo::Open("/sys", "0000:03:00.0", 0, fake);
  EXPECT_EQ(io.status().code(), StatusCode::kNotSupported);
  EXPECT_TRUE(fake->open_fds.empty());
  EXPECT_EQ(VfioBarIo::Open("/sys", "0000:03:00.0", 6, fake).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cpo::transport
