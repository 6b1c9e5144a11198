#include "register_window.h"

#include <fmt/format.h>

namespace cpo::hal {

Status CheckWindowAddress(const std::string& module, uint8_t page, uint8_t bank, int banks) {
  if (page < 0x10 && bank != 0) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: page {:02X}h is not banked; leave out the bank", module, page));
  }
  if (bank >= banks) {
    return Status(StatusCode::kOutOfRange,
                  fmt::format("{}: bank {} is outside banks 0..{}", module, bank, banks - 1));
  }
  return Status::Ok();
}

Status CheckWindowRead(const std::string& module, uint8_t offset, int count) {
  if (count < 1 || offset + count > 256) {
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("{}: {} bytes from byte {} leave the 256-byte window", module, count, offset));
  }
  return Status::Ok();
}

Status CheckWindowWrite(const std::string& module, uint8_t offset, size_t size) {
  constexpr size_t kMaxWriteBytes = 8;  // CMIS: a host writes at most 8 bytes at once
  if (size == 0 || size > kMaxWriteBytes) {
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("{}: write 1 to {} bytes at once, not {}", module, kMaxWriteBytes, size));
  }
  const size_t last = offset + size - 1;
  if (last > 255 || (offset < 128 && last >= 128)) {
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("{}: bytes {}..{} cross {}; write the lower page (0-127) and the "
                    "upper page (128-255) separately",
                    module, offset, last, last > 255 ? "the end of the window" : "127/128"));
  }
  return Status::Ok();
}

}  // namespace cpo::hal
