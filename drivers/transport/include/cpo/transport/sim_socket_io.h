// SimSocketIo: RegisterIo served by cpo-simd over its UNIX socket. An ordinary transport: the
// drivers above it cannot tell it from a mapped BAR.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "cpo/transport/register_io.h"

namespace cpo::transport {

class SimSocketIo : public RegisterIo {
 public:
  static Result<std::unique_ptr<SimSocketIo>> Connect(const std::string& socket_path);
  ~SimSocketIo() override;

  struct BatchOp {
    bool is_write = false;
    uint64_t offset = 0;
    uint32_t value = 0;  // written value, or the value read
  };
  // Any mix of single reads and writes in one round trip; reads fill in value.
  Status Batch(std::span<BatchOp> ops);

  // The simulator's time and its pace (simulated ns per wall ns; 0 while frozen).
  struct SimTime {
    uint64_t now_ns = 0;
    double time_scale = 0;
  };
  Result<SimTime> ReadSimTime();

 protected:
  Result<uint32_t> DoRead32(uint64_t offset) override;
  Status DoWrite32(uint64_t offset, uint32_t value) override;
  Status DoReadBurst(uint64_t offset, std::span<uint32_t> words) override;
  Status DoWriteBurst(uint64_t offset, std::span<const uint32_t> words) override;
  Result<uint32_t> DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                               std::chrono::nanoseconds timeout) override;

 private:
  SimSocketIo(int fd, uint64_t size_bytes);
  int fd_;
  std::mutex mutex_;  // one request in flight per connection
};

}  // namespace cpo::transport
