// TwoWire: byte transfers on one I2C (two-wire) bus, addressed by 7-bit target address.
// Every transfer is checked here (address, lengths) before an implementation sees it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "cpo/status.h"

namespace cpo::transport {

class TwoWire {
 public:
  // Largest single read or write an implementation must support.
  static constexpr size_t kMaxTransferBytes = 256;

  virtual ~TwoWire() = default;

  // START, address+W, data..., STOP.
  Status Write(uint8_t address7, std::span<const uint8_t> data) {
    return Transfer(address7, data, {});
  }
  // START, address+R, data..., STOP.
  Status Read(uint8_t address7, std::span<uint8_t> data) { return Transfer(address7, {}, data); }
  // START, address+W, write data, repeated START, address+R, read data, STOP.
  Status WriteRead(uint8_t address7, std::span<const uint8_t> write_data,
                   std::span<uint8_t> read_data) {
    return Transfer(address7, write_data, read_data);
  }

  // Keeps every other user of the bus (threads of this process, other processes) off it until
  // the returned object is destroyed: a page select and the accesses to that page must not be
  // interleaved with anyone else's. Nests. Buses without other users hold nothing.
  class Hold {
   public:
    virtual ~Hold() = default;
  };
  virtual std::unique_ptr<Hold> HoldBus() { return nullptr; }

 protected:
  // One transfer: the write part (if any), then after a repeated START the read part (if any).
  // Called only with a 7-bit address, at most kMaxTransferBytes each way, and not both empty.
  virtual Status DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                            std::span<uint8_t> read_data) = 0;

 private:
  Status Transfer(uint8_t address7, std::span<const uint8_t> write_data,
                  std::span<uint8_t> read_data);
};

}  // namespace cpo::transport
