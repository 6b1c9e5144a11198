// TwoWire: byte transfers on one I2C (two-wire) bus, addressed by 7-bit target address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "cpo/status.h"

namespace cpo::transport {

class TwoWire {
 public:
  // Largest single read or write an implementation must support.
  static constexpr size_t kMaxTransferBytes = 256;

  virtual ~TwoWire() = default;

  // START, address+W, data..., STOP.
  virtual Status Write(uint8_t address7, std::span<const uint8_t> data) = 0;
  // START, address+R, data..., STOP.
  virtual Status Read(uint8_t address7, std::span<uint8_t> data) = 0;
  // START, address+W, write data, repeated START, address+R, read data, STOP.
  virtual Status WriteRead(uint8_t address7, std::span<const uint8_t> write_data,
                           std::span<uint8_t> read_data) = 0;
};

// Checks a transfer's address and lengths against the TwoWire contract; shared by implementations.
Status CheckTwoWireTransfer(uint8_t address7, size_t write_bytes, size_t read_bytes);

}  // namespace cpo::transport
