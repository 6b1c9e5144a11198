// BusStatistics: running totals of one management bus, for reporting what a sweep cost.
#pragma once

#include <cstdint>

namespace cpo::hal {

struct BusCounters {
  uint64_t transactions = 0;
  uint64_t wire_bytes = 0;  // addressing and page selects included
  // What happened between two readings (this one the later).
  BusCounters operator-(const BusCounters& earlier) const {
    return {transactions - earlier.transactions, wire_bytes - earlier.wire_bytes};
  }
};

class BusStatistics {
 public:
  virtual ~BusStatistics() = default;
  virtual BusCounters Counters() const = 0;
};

}  // namespace cpo::hal
