#include "cpo/transport/register_io.h"

#include <fmt/format.h>

#include <thread>

namespace cpo::transport {

Status RegisterIo::CheckAccess(uint64_t offset, uint64_t words) const {
  if (offset % 4 != 0) {
    return {StatusCode::kInvalidArgument,
            "register offset 0x" + fmt::format("{:x}", offset) + " is not 32-bit aligned"};
  }
  if (words == 0) return {StatusCode::kInvalidArgument, "empty register burst"};
  if (offset >= size_bytes_ || words > (size_bytes_ - offset) / 4) {
    return {StatusCode::kOutOfRange,
            fmt::format("register access 0x{:x}+{} words is outside the 0x{:x}-byte space", offset,
                        words, size_bytes_)};
  }
  return Status::Ok();
}

Result<uint32_t> RegisterIo::Read32(uint64_t offset) {
  CPO_RETURN_IF_ERROR(CheckAccess(offset, 1));
  return DoRead32(offset);
}

Status RegisterIo::Write32(uint64_t offset, uint32_t value) {
  CPO_RETURN_IF_ERROR(CheckAccess(offset, 1));
  return DoWrite32(offset, value);
}

Status RegisterIo::ReadBurst(uint64_t offset, std::span<uint32_t> words) {
  CPO_RETURN_IF_ERROR(CheckAccess(offset, words.size()));
  return DoReadBurst(offset, words);
}

Status RegisterIo::WriteBurst(uint64_t offset, std::span<const uint32_t> words) {
  CPO_RETURN_IF_ERROR(CheckAccess(offset, words.size()));
  return DoWriteBurst(offset, words);
}

Result<uint32_t> RegisterIo::PollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                                       std::chrono::nanoseconds timeout) {
  CPO_RETURN_IF_ERROR(CheckAccess(offset, 1));
  return DoPollUntil(offset, mask, expected, timeout);
}

Status RegisterIo::DoReadBurst(uint64_t offset, std::span<uint32_t> words) {
  for (size_t i = 0; i < words.size(); ++i) {
    CPO_ASSIGN_OR_RETURN(words[i], DoRead32(offset + 4 * i));
  }
  return Status::Ok();
}

Status RegisterIo::DoWriteBurst(uint64_t offset, std::span<const uint32_t> words) {
  for (size_t i = 0; i < words.size(); ++i) {
    CPO_RETURN_IF_ERROR(DoWrite32(offset + 4 * i, words[i]));
  }
  return Status::Ok();
}

Result<uint32_t> RegisterIo::DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                                         std::chrono::nanoseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    CPO_ASSIGN_OR_RETURN(uint32_t value, DoRead32(offset));
    if ((value & mask) == expected) return value;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status(StatusCode::kTimeout,
                    fmt::format("register 0x{:x} = 0x{:08x}, wanted 0x{:08x} under mask 0x{:08x}",
                                offset, value, expected, mask));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

}  // namespace cpo::transport
