// LockedTwoWire: a TwoWire shared safely with other processes (the NOS and cpoctl on one switch).
// Every transfer, and every sequence a driver holds (HoldBus: a page select and what follows),
// runs under an advisory lock per bus: flock(2) on a lock file every process opens by the same
// name, plus a mutex for the threads of this process.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "cpo/transport/two_wire.h"

namespace cpo::transport {

class LockedTwoWire : public TwoWire {
 public:
  // Opens (creating if needed, mode 0666 less the umask) `lock_path`. kPermissionDenied or
  // kUnavailable say which file and why.
  static Result<std::shared_ptr<LockedTwoWire>> Open(std::shared_ptr<TwoWire> bus,
                                                     const std::string& lock_path);
  ~LockedTwoWire() override;
  LockedTwoWire(const LockedTwoWire&) = delete;
  LockedTwoWire& operator=(const LockedTwoWire&) = delete;

  std::unique_ptr<Hold> HoldBus() override;

 protected:
  Status DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                    std::span<uint8_t> read_data) override;

 private:
  LockedTwoWire(std::shared_ptr<TwoWire> bus, int fd) : bus_(std::move(bus)), fd_(fd) {}
  class BusHold;
  void Acquire();
  void Release();

  std::shared_ptr<TwoWire> bus_;
  int fd_;
  std::recursive_mutex mutex_;
  int depth_ = 0;  // holds of the owning thread; the file lock is taken at the first
};

}  // namespace cpo::transport
