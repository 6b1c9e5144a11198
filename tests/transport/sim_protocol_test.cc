#include "cpo/transport/sim_protocol.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace cpo::transport::sim_protocol {
namespace {

TEST(PayloadTest, FieldsRoundTripLittleEndian) {
  PayloadWriter writer;
  writer.U8(0xAB).U32(0x01020304).I32(-7).U64(0x1122334455667788ull).F64(-2.5);
  EXPECT_EQ(writer.bytes().size(), 1u + 4 + 4 + 8 + 8);
  EXPECT_EQ(writer.bytes()[1], 0x04);  // little-endian
  PayloadReader reader(writer.bytes());
  EXPECT_EQ(reader.U8(), 0xAB);
  EXPECT_EQ(reader.U32(), 0x01020304u);
  EXPECT_EQ(reader.I32(), -7);
  EXPECT_EQ(reader.U64(), 0x1122334455667788ull);
  EXPECT_EQ(reader.F64(), -2.5);
  EXPECT_FALSE(reader.failed());
  EXPECT_EQ(reader.remaining(), 0u);
}

TEST(PayloadTest, ReadingPastTheEndFailsAndYieldsZero) {
  const uint8_t bytes[] = {1, 2};
  PayloadReader reader(bytes);
  EXPECT_EQ(reader.U32(), 0u);
  EXPECT_TRUE(reader.failed());
}

class FrameTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int fds_[2];
};

TEST_F(FrameTest, FramesCarryTagAndPayload) {
  const uint8_t payload[] = {9, 8, 7};
  ASSERT_TRUE(SendFrame(fds_[0], 42, payload).ok());
  auto frame = ReceiveFrame(fds_[1]);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->tag, 42);
  EXPECT_EQ(frame->payload, std::vector<uint8_t>({9, 8, 7}));
}

TEST_F(FrameTest, OversizeLengthIsDataLoss) {
  PayloadWriter header;
  header.U32(kMaxPayloadBytes + 1).U8(1);
  ASSERT_EQ(::write(fds_[0], header.bytes().data(), header.bytes().size()), 5);
  EXPECT_EQ(ReceiveFrame(fds_[1]).status().code(), StatusCode::kDataLoss);
}

TEST_F(FrameTest, PeerCloseIsUnavailable) {
  ::close(fds_[0]);
  fds_[0] = ::dup(fds_[1]);  // keep TearDown's close valid
  ::shutdown(fds_[1], SHUT_WR);
  EXPECT_EQ(ReceiveFrame(fds_[1]).status().code(), StatusCode::kUnavailable);
}

TEST_F(FrameTest, ErrorResponsesBecomeStatuses) {
  const std::string message = "register 0x10 out of range";
  ASSERT_TRUE(SendFrame(fds_[1], static_cast<uint8_t>(StatusCode::kOutOfRange),
                        std::vector<uint8_t>(message.begin(), message.end()))
                  .ok());
  auto reply = Call(fds_[0], Op::kRead32, {});
  EXPECT_EQ(reply.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(reply.status().message(), message);
}

TEST(ConnectTest, MissingSocketSaysHowToStartTheSimulator) {
  auto fd = ConnectUnixSocket("/tmp/cpo-no-such-socket.sock");
  EXPECT_EQ(fd.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(fd.status().message().find("cpo-simd"), std::string::npos);
}

}  // namespace
}  // namespace cpo::transport::sim_protocol
