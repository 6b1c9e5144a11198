// CountingTwoWire: a TwoWire that forwards to another and counts what crossed the wire, so the
// cost of a telemetry sweep can be reported in transactions and bytes (addressing included).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "cpo/transport/two_wire.h"

namespace cpo::transport {

class CountingTwoWire : public TwoWire {
 public:
  explicit CountingTwoWire(std::shared_ptr<TwoWire> bus) : bus_(std::move(bus)) {}

  // Transfers attempted, successful or not.
  uint64_t transactions() const { return transactions_.load(); }
  // Bytes clocked on the wire: the address byte of each START and repeated START, and every
  // data byte written or read.
  uint64_t wire_bytes() const { return wire_bytes_.load(); }
  std::unique_ptr<Hold> HoldBus() override { return bus_->HoldBus(); }

 protected:
  Status DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                    std::span<uint8_t> read_data) override;

 private:
  std::shared_ptr<TwoWire> bus_;
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> wire_bytes_{0};
};

}  // namespace cpo::transport
