// Strict in-order I2C mock: tests state the exact transfers a driver must make.
#pragma once

#include <gmock/gmock.h>

#include <vector>

#include "cpo/transport/two_wire.h"

namespace cpo::testing {

class MockTwoWire : public transport::TwoWire {
 public:
  // Every Write, Read and WriteRead arrives here: (address, write part, read part).
  MOCK_METHOD(Status, DoTransfer,
              (uint8_t address7, std::span<const uint8_t> write_data, std::span<uint8_t> read_data),
              (override));
};

// Matches a span by its bytes.
MATCHER_P(BytesAre, expected, "") {
  return std::vector<typename std::decay_t<decltype(arg)>::value_type>(arg.begin(), arg.end()) ==
         expected;
}

// Action: fills the read part of a transfer (argument 2) with `bytes` and returns OK.
ACTION_P(FillWriteReadResult, bytes) {
  std::copy(bytes.begin(),
            bytes.begin() + static_cast<ptrdiff_t>(std::min(bytes.size(), arg2.size())),
            arg2.begin());
  return Status::Ok();
}

}  // namespace cpo::testing
