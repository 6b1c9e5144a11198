// RegisterIo: a bounded 32-bit register space (a PCIe BAR, or the model's register block).
// Every public access is checked for range and alignment here, once, before any backend sees it,
// so no implementation can be asked for a wild access.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>

#include "cpo/status.h"

namespace cpo::transport {

class RegisterIo {
 public:
  virtual ~RegisterIo() = default;
  RegisterIo(const RegisterIo&) = delete;
  RegisterIo& operator=(const RegisterIo&) = delete;

  // Size of the register space in bytes; valid offsets are [0, size_bytes()).
  uint64_t size_bytes() const { return size_bytes_; }

  Result<uint32_t> Read32(uint64_t offset);
  Status Write32(uint64_t offset, uint32_t value);
  // Consecutive words starting at offset (offset, offset+4, ...).
  Status ReadBurst(uint64_t offset, std::span<uint32_t> words);
  Status WriteBurst(uint64_t offset, std::span<const uint32_t> words);
  // Waits until (Read32(offset) & mask) == expected and returns that value, or kTimeout after
  // timeout of the device's time (simulated time on the model, wall time on hardware).
  Result<uint32_t> PollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                             std::chrono::nanoseconds timeout);

 protected:
  explicit RegisterIo(uint64_t size_bytes) : size_bytes_(size_bytes) {}

  // Backends see only checked, aligned, in-range accesses.
  virtual Result<uint32_t> DoRead32(uint64_t offset) = 0;
  virtual Status DoWrite32(uint64_t offset, uint32_t value) = 0;
  // Defaults loop over the single-word accesses; transports with a cheaper path override them.
  virtual Status DoReadBurst(uint64_t offset, std::span<uint32_t> words);
  virtual Status DoWriteBurst(uint64_t offset, std::span<const uint32_t> words);
  // Default: read, sleep a little of wall time, read again.
  virtual Result<uint32_t> DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                                       std::chrono::nanoseconds timeout);

 private:
  Status CheckAccess(uint64_t offset, uint64_t words) const;
  uint64_t size_bytes_;
};

}  // namespace cpo::transport
