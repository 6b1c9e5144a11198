// LinuxI2cBus: TwoWire over a Linux /dev/i2c-N node with the I2C_RDWR ioctl.
#pragma once

#include <linux/i2c-dev.h>
#include <linux/i2c.h>

#include <memory>
#include <string>

#include "cpo/transport/two_wire.h"

namespace cpo::transport {

// The system calls LinuxI2cBus makes, behind a seam so tests can check every message it sends.
class I2cDevSyscalls {
 public:
  virtual ~I2cDevSyscalls() = default;
  virtual int Open(const std::string& path) = 0;  // returns fd or -errno
  virtual int Close(int fd) = 0;
  // ioctl(fd, I2C_RDWR, request); returns >= 0 on success or -errno.
  virtual int ReadWrite(int fd, i2c_rdwr_ioctl_data* request) = 0;
};

// The real system calls.
std::unique_ptr<I2cDevSyscalls> MakeLinuxI2cDevSyscalls();

class LinuxI2cBus : public TwoWire {
 public:
  static Result<std::unique_ptr<LinuxI2cBus>> Open(const std::string& path,
                                                   std::shared_ptr<I2cDevSyscalls> syscalls);
  ~LinuxI2cBus() override;

 protected:
  Status DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                    std::span<uint8_t> read_data) override;

 private:
  LinuxI2cBus(std::string path, int fd, std::shared_ptr<I2cDevSyscalls> syscalls);

  std::string path_;
  int fd_;
  std::shared_ptr<I2cDevSyscalls> syscalls_;
};

}  // namespace cpo::transport
