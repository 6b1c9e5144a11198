#include "cpo/transport/counting_two_wire.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mocks/mock_two_wire.h"

namespace cpo::transport {
namespace {

using ::testing::_;
using ::testing::Return;
using ::testing::StrictMock;

TEST(CountingTwoWireTest, CountsAddressAndDataBytesOfEveryTransfer) {
  auto inner = std::make_shared<StrictMock<testing::MockTwoWire>>();
  EXPECT_CALL(*inner, DoTransfer(0x50, _, _)).Times(3).WillRepeatedly(Return(Status::Ok()));
  CountingTwoWire bus(inner);
  const uint8_t select[] = {126, 0, 0x11};
  ASSERT_TRUE(bus.Write(0x50, select).ok());  // address + 3
  const uint8_t offset[] = {139};
  uint8_t block[63];
  ASSERT_TRUE(bus.WriteRead(0x50, offset, block).ok());  // address + 1 + address + 63
  uint8_t two[2];
  ASSERT_TRUE(bus.Read(0x50, two).ok());  // address + 2
  EXPECT_EQ(bus.transactions(), 3u);
  EXPECT_EQ(bus.wire_bytes(), 4u + 66u + 3u);
}

TEST(CountingTwoWireTest, FailedTransfersStillCountAndPassTheErrorOn) {
  auto inner = std::make_shared<StrictMock<testing::MockTwoWire>>();
  EXPECT_CALL(*inner, DoTransfer(0x51, _, _)).WillOnce(Return(Status(StatusCode::kNack, "no")));
  CountingTwoWire bus(inner);
  const uint8_t byte[] = {0};
  EXPECT_EQ(bus.Write(0x51, byte).code(), StatusCode::kNack);
  EXPECT_EQ(bus.transactions(), 1u);
  // Rejected before the wire: not counted.
  EXPECT_EQ(bus.Write(0x80, byte).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bus.transactions(), 1u);
}

}  // namespace
}  // namespace cpo::transport
