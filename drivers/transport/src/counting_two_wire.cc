#include "cpo/transport/counting_two_wire.h"

namespace cpo::transport {

Status CountingTwoWire::DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                                   std::span<uint8_t> read_data) {
  const uint64_t address_bytes = (write_data.empty() ? 0 : 1) + (read_data.empty() ? 0 : 1);
  transactions_.fetch_add(1);
  wire_bytes_.fetch_add(address_bytes + write_data.size() + read_data.size());
  if (write_data.empty()) return bus_->Read(address7, read_data);
  if (read_data.empty()) return bus_->Write(address7, write_data);
  return bus_->WriteRead(address7, write_data, read_data);
}

}  // namespace cpo::transport
