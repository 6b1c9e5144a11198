#include "cpo/transport/two_wire.h"

#include <fmt/format.h>

namespace cpo::transport {

Status TwoWire::Transfer(uint8_t address7, std::span<const uint8_t> write_data,
                         std::span<uint8_t> read_data) {
  if (address7 > 0x7f) {
    return {StatusCode::kInvalidArgument,
            fmt::format("I2C address 0x{:02x} is not a 7-bit address", address7)};
  }
  if (write_data.size() > kMaxTransferBytes || read_data.size() > kMaxTransferBytes) {
    return {StatusCode::kInvalidArgument,
            fmt::format("I2C transfer of {} write / {} read bytes exceeds the {}-byte limit",
                        write_data.size(), read_data.size(), kMaxTransferBytes)};
  }
  if (write_data.empty() && read_data.empty()) {
    return {StatusCode::kInvalidArgument, "empty I2C transfer"};
  }
  return DoTransfer(address7, write_data, read_data);
}

}  // namespace cpo::transport
