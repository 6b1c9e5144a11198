#include "cpo/transport/linux_i2c_bus.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cpo::transport {
namespace {

class RealI2cDevSyscalls : public I2cDevSyscalls {
 public:
  int Open(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
  }
  int Close(int fd) override { return ::close(fd) < 0 ? -errno : 0; }
  int ReadWrite(int fd, i2c_rdwr_ioctl_data* request) override {
    int rc = ::ioctl(fd, I2C_RDWR, request);
    return rc < 0 ? -errno : rc;
  }
};

}  // namespace

std::unique_ptr<I2cDevSyscalls> MakeLinuxI2cDevSyscalls() {
  return std::make_unique<RealI2cDevSyscalls>();
}

Result<std::unique_ptr<LinuxI2cBus>> LinuxI2cBus::Open(const std::string& path,
                                                       std::shared_ptr<I2cDevSyscalls> syscalls) {
  int fd = syscalls->Open(path);
  if (fd < 0) {
    StatusCode code =
        (fd == -EACCES || fd == -EPERM) ? StatusCode::kPermissionDenied : StatusCode::kUnavailable;
    return Status(code, fmt::format("cannot open {}: {}", path, std::strerror(-fd)));
  }
  return std::unique_ptr<LinuxI2cBus>(new LinuxI2cBus(path, fd, std::move(syscalls)));
}

LinuxI2cBus::LinuxI2cBus(std::string path, int fd, std::shared_ptr<I2cDevSyscalls> syscalls)
    : path_(std::move(path)), fd_(fd), syscalls_(std::move(syscalls)) {}

LinuxI2cBus::~LinuxI2cBus() { (void)syscalls_->Close(fd_); }

Status LinuxI2cBus::DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                               std::span<uint8_t> read_data) {
  i2c_msg messages[2] = {};
  uint32_t count = 0;
  if (!write_data.empty()) {
    // The kernel never writes through a message without I2C_M_RD.
    messages[count++] = {address7, 0, static_cast<uint16_t>(write_data.size()),
                         const_cast<uint8_t*>(write_data.data())};
  }
  if (!read_data.empty()) {
    messages[count++] = {address7, I2C_M_RD, static_cast<uint16_t>(read_data.size()),
                         read_data.data()};
  }
  i2c_rdwr_ioctl_data request{messages, count};
  int rc = syscalls_->ReadWrite(fd_, &request);
  if (rc >= 0) return Status::Ok();
  std::string where = fmt::format("{} address 0x{:02x}", path_, address7);
  switch (-rc) {
    case ENXIO:
    case EREMOTEIO:
      return {StatusCode::kNack, where + ": target did not acknowledge"};
    case ETIMEDOUT:
    case EAGAIN:
      return {StatusCode::kTimeout, where + ": bus timed out (arbitration lost or clock held low)"};
    default:
      return {StatusCode::kUnavailable, fmt::format("{}: {}", where, std::strerror(-rc))};
  }
}

}  // namespace cpo::transport
