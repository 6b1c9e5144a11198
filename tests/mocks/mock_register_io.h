// Strict in-order register mock: tests state the exact accesses a driver must make.
#pragma once

#include <gmock/gmock.h>

#include "cpo/transport/register_io.h"

namespace cpo::testing {

class MockRegisterIo : public transport::RegisterIo {
 public:
  explicit MockRegisterIo(uint64_t size_bytes = 1u << 20) : RegisterIo(size_bytes) {}
  MOCK_METHOD(Result<uint32_t>, DoRead32, (uint64_t offset), (override));
  MOCK_METHOD(Status, DoWrite32, (uint64_t offset, uint32_t value), (override));
  MOCK_METHOD(Status, DoReadBurst, (uint64_t offset, std::span<uint32_t> words), (override));
  MOCK_METHOD(Status, DoWriteBurst, (uint64_t offset, std::span<const uint32_t> words), (override));
  MOCK_METHOD(Result<uint32_t>, DoPollUntil,
              (uint64_t offset, uint32_t mask, uint32_t expected, std::chrono::nanoseconds timeout),
              (override));
};

}  // namespace cpo::testing
