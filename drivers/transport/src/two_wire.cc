#include "cpo/transport/two_wire.h"

#include <fmt/format.h>

namespace cpo::transport {

Status CheckTwoWireTransfer(uint8_t address7, size_t write_bytes, size_t read_bytes) {
  if (address7 > 0x7f) {
    return {StatusCode::kInvalidArgument,
            fmt::format("I2C address 0x{:02x} is not a 7-bit address", address7)};
  }
  if (write_bytes > TwoWire::kMaxTransferBytes || read_bytes > TwoWire::kMaxTransferBytes) {
    return {StatusCode::kInvalidArgument,
            fmt::format("I2C transfer of {} write / {} read bytes exceeds the {}-byte limit",
                        write_bytes, read_bytes, TwoWire::kMaxTransferBytes)};
  }
  if (write_bytes == 0 && read_bytes == 0) {
    return {StatusCode::kInvalidArgument, "empty I2C transfer"};
  }
  return Status::Ok();
}

}  // namespace cpo::transport
