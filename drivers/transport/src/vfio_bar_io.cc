#include "cpo/transport/vfio_bar_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cpo::transport {
namespace {

class LinuxVfioSyscalls : public VfioSyscalls {
 public:
  int Open(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
  }
  int Close(int fd) override { return ::close(fd) < 0 ? -errno : 0; }
  int Ioctl(int fd, uint64_t request, void* argument) override {
    const int result = ::ioctl(fd, request, argument);
    return result < 0 ? -errno : result;
  }
  int IoctlValue(int fd, uint64_t request, uint64_t value) override {
    const int result = ::ioctl(fd, request, value);
    return result < 0 ? -errno : result;
  }
  void* Map(int fd, uint64_t offset, uint64_t size) override {
    void* mapping =
        ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, static_cast<off_t>(offset));
    return mapping == MAP_FAILED ? nullptr : mapping;
  }
  void Unmap(void* address, uint64_t size) override { ::munmap(address, size); }
  Result<std::string> ReadLink(const std::string& path) override {
    std::error_code error;
    auto target = std::filesystem::read_symlink(path, error);
    if (error) return Status(StatusCode::kNotFound, error.message());
    return target.string();
  }
};

Status OpenError(int err, const std::string& path, const std::string& address,
                 const std::string& group) {
  if (err == EACCES || err == EPERM) {
    return Status(StatusCode::kPermissionDenied,
                  fmt::format("cannot open {}: {} (install udev/60-cpo.rules, which gives group "
                              "cpo the VFIO group nodes, and join group cpo)",
                              path, std::strerror(err)));
  }
  if (err == EBUSY) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{} is busy: another process (the NOS?) holds IOMMU group {}, and "
                              "VFIO allows one; to share the switch, give every process "
                              "transport.bar_access: sysfs",
                              path, group));
  }
  if (err == ENOENT && group.empty()) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{} does not exist: load VFIO (modprobe vfio-pci)", path));
  }
  if (err == ENOENT) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{} does not exist: bind {} to vfio-pci (driverctl set-override {} "
                              "vfio-pci)",
                              path, address, address));
  }
  return Status(StatusCode::kUnavailable,
                fmt::format("cannot open {}: {}", path, std::strerror(err)));
}

}  // namespace

std::shared_ptr<VfioSyscalls> MakeVfioSyscalls() { return std::make_shared<LinuxVfioSyscalls>(); }

Result<std::unique_ptr<VfioBarIo>> VfioBarIo::Open(const std::string& sysfs_root,
                                                   const std::string& address, int bar,
                                                   std::shared_ptr<VfioSyscalls> syscalls,
                                                   const std::string& dev_root) {
  if (bar < 0 || bar > 5) {
    return Status(StatusCode::kInvalidArgument, fmt::format("BAR {} is not 0..5", bar));
  }
  VfioSyscalls& sys = *syscalls;
  const std::string group_link =
      fmt::format("{}/bus/pci/devices/{}/iommu_group", sysfs_root, address);
  auto group_target = sys.ReadLink(group_link);
  if (!group_target.ok()) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{} has no IOMMU group ({} missing): enable the IOMMU "
                              "(intel_iommu=on or amd_iommu=on), or use "
                              "transport.bar_access: sysfs",
                              address, group_link));
  }
  const std::string group = std::filesystem::path(*group_target).filename().string();

  Handles handles;
  // Whatever fails below gives back what was taken.
  struct Guard {
    VfioSyscalls& sys;
    Handles& handles;
    bool armed = true;
    ~Guard() {
      if (armed) Release(sys, handles);
    }
  } guard{sys, handles};

  const std::string container_path = dev_root + "/vfio/vfio";
  handles.container = sys.Open(container_path);
  if (handles.container < 0) return OpenError(-handles.container, container_path, address, "");
  const int api = sys.IoctlValue(handles.container, VFIO_GET_API_VERSION, 0);
  if (api != VFIO_API_VERSION) {
    return Status(StatusCode::kNotSupported, fmt::format("{} speaks VFIO API {}, not {}",
                                                         container_path, api, VFIO_API_VERSION));
  }
  uint64_t iommu = VFIO_TYPE1v2_IOMMU;
  if (sys.IoctlValue(handles.container, VFIO_CHECK_EXTENSION, iommu) <= 0) {
    iommu = VFIO_TYPE1_IOMMU;
    if (sys.IoctlValue(handles.container, VFIO_CHECK_EXTENSION, iommu) <= 0) {
      return Status(StatusCode::kNotSupported,
                    fmt::format("{} offers no type-1 IOMMU", container_path));
    }
  }
  const std::string group_path = fmt::format("{}/vfio/{}", dev_root, group);
  handles.group = sys.Open(group_path);
  if (handles.group < 0) return OpenError(-handles.group, group_path, address, group);
  vfio_group_status status{};
  status.argsz = sizeof(status);
  if (int r = sys.Ioctl(handles.group, VFIO_GROUP_GET_STATUS, &status); r < 0) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{}: VFIO_GROUP_GET_STATUS: {}", group_path, std::strerror(-r)));
  }
  if ((status.flags & VFIO_GROUP_FLAGS_VIABLE) == 0) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("IOMMU group {} is not viable: bind every device in it ({}/"
                              "kernel/iommu_groups/{}/devices) to vfio-pci",
                              group, sysfs_root, group));
  }
  if (int r = sys.Ioctl(handles.group, VFIO_GROUP_SET_CONTAINER, &handles.container); r < 0) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{}: VFIO_GROUP_SET_CONTAINER: {}", group_path, std::strerror(-r)));
  }
  if (int r = sys.IoctlValue(handles.container, VFIO_SET_IOMMU, iommu); r < 0) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{}: VFIO_SET_IOMMU: {}", container_path, std::strerror(-r)));
  }
  std::string name = address;
  handles.device = sys.Ioctl(handles.group, VFIO_GROUP_GET_DEVICE_FD, name.data());
  if (handles.device < 0) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("{}: no device {} in the group: {}", group_path, address,
                              std::strerror(-handles.device)));
  }
  vfio_region_info region{};
  region.argsz = sizeof(region);
  region.index = static_cast<uint32_t>(VFIO_PCI_BAR0_REGION_INDEX + bar);
  if (int r = sys.Ioctl(handles.device, VFIO_DEVICE_GET_REGION_INFO, &region); r < 0) {
    return Status(StatusCode::kUnavailable, fmt::format("{} BAR {}: VFIO_DEVICE_GET_REGION_INFO: "
                                                        "{}",
                                                        address, bar, std::strerror(-r)));
  }
  if (region.size == 0 || (region.flags & VFIO_REGION_INFO_FLAG_MMAP) == 0) {
    return Status(StatusCode::kNotSupported,
                  fmt::format("{} BAR {} cannot be mapped (size {}, flags 0x{:x}); is it a "
                              "memory BAR?",
                              address, bar, region.size, region.flags));
  }
  handles.mapping = sys.Map(handles.device, region.offset, region.size);
  if (handles.mapping == nullptr) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("cannot mmap {} BAR {} through VFIO", address, bar));
  }
  handles.size = region.size;
  guard.armed = false;
  return std::unique_ptr<VfioBarIo>(new VfioBarIo(std::move(syscalls), handles));
}

VfioBarIo::VfioBarIo(std::shared_ptr<VfioSyscalls> syscalls, Handles handles)
    : MappedRegisterIo(handles.mapping, handles.size),
      syscalls_(std::move(syscalls)),
      handles_(handles) {}

VfioBarIo::~VfioBarIo() { Release(*syscalls_, handles_); }

void VfioBarIo::Release(VfioSyscalls& syscalls, Handles& handles) {
  if (handles.mapping != nullptr) syscalls.Unmap(handles.mapping, handles.size);
  for (int* fd : {&handles.device, &handles.group, &handles.container}) {
    if (*fd >= 0) syscalls.Close(*fd);
    *fd = -1;
  }
  handles.mapping = nullptr;
}

}  // namespace cpo::transport
