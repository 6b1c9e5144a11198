#include "cpo/transport/sysfs_bar_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cpo::transport {

Result<std::unique_ptr<SysfsBarIo>> SysfsBarIo::Open(const std::string& sysfs_root,
                                                     const std::string& address, int bar) {
  if (bar < 0 || bar > 5) {
    return Status(StatusCode::kInvalidArgument, fmt::format("BAR {} is not 0..5", bar));
  }
  std::string path = fmt::format("{}/bus/pci/devices/{}/resource{}", sysfs_root, address, bar);
  int fd = ::open(path.c_str(), O_RDWR | O_SYNC | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    StatusCode code =
        (err == EACCES || err == EPERM) ? StatusCode::kPermissionDenied : StatusCode::kUnavailable;
    return Status(code, fmt::format("cannot open {}: {}{}", path, std::strerror(err),
                                    code == StatusCode::kPermissionDenied
                                        ? " (install udev/60-cpo.rules and join group cpo)"
                                        : ""));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size <= 0) {
    ::close(fd);
    return Status(StatusCode::kUnavailable,
                  fmt::format("{} has no size; is BAR {} memory?", path, bar));
  }
  auto size = static_cast<uint64_t>(info.st_size);
  void* mapping = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  ::close(fd);
  if (mapping == MAP_FAILED) {
    return Status(StatusCode::kUnavailable,
                  fmt::format("cannot mmap {}: {}", path, std::strerror(err)));
  }
  return std::unique_ptr<SysfsBarIo>(new SysfsBarIo(mapping, size, std::move(path)));
}

SysfsBarIo::SysfsBarIo(void* mapping, uint64_t size_bytes, std::string path)
    : MappedRegisterIo(mapping, size_bytes), mapping_(mapping), path_(std::move(path)) {}

SysfsBarIo::~SysfsBarIo() { ::munmap(mapping_, size_bytes()); }

}  // namespace cpo::transport
