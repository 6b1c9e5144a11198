#include "cpo/transport/locked_two_wire.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cpo::transport {

class LockedTwoWire::BusHold : public TwoWire::Hold {
 public:
  explicit BusHold(LockedTwoWire& bus) : bus_(bus) { bus_.Acquire(); }
  ~BusHold() override { bus_.Release(); }
  BusHold(const BusHold&) = delete;
  BusHold& operator=(const BusHold&) = delete;

 private:
  LockedTwoWire& bus_;
};

Result<std::shared_ptr<LockedTwoWire>> LockedTwoWire::Open(std::shared_ptr<TwoWire> bus,
                                                           const std::string& lock_path) {
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    return Status(error == EACCES || error == EPERM ? StatusCode::kPermissionDenied
                                                    : StatusCode::kUnavailable,
                  fmt::format("cannot open the bus lock file {}: {} (every process sharing the "
                              "switch locks its buses there; check the directory exists and is "
                              "writable)",
                              lock_path, std::strerror(error)));
  }
  return std::shared_ptr<LockedTwoWire>(new LockedTwoWire(std::move(bus), fd));
}

LockedTwoWire::~LockedTwoWire() { ::close(fd_); }

void LockedTwoWire::Acquire() {
  mutex_.lock();
  if (depth_++ == 0) {
    // Blocks while another process holds the bus; EINTR just retries.
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
}

void LockedTwoWire::Release() {
  if (--depth_ == 0) ::flock(fd_, LOCK_UN);
  mutex_.unlock();
}

std::unique_ptr<TwoWire::Hold> LockedTwoWire::HoldBus() { return std::make_unique<BusHold>(*this); }

Status LockedTwoWire::DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                                 std::span<uint8_t> read_data) {
  const BusHold hold(*this);
  if (read_data.empty()) return bus_->Write(address7, write_data);
  if (write_data.empty()) return bus_->Read(address7, read_data);
  return bus_->WriteRead(address7, write_data, read_data);
}

}  // namespace cpo::transport
