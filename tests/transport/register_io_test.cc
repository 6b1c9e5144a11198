#include "cpo/transport/register_io.h"

#include <gtest/gtest.h>

#include <vector>

#include "cpo/transport/mapped_register_io.h"

namespace cpo::transport {
namespace {

class MappedRegisterIoTest : public ::testing::Test {
 protected:
  std::vector<uint32_t> memory_ = std::vector<uint32_t>(64, 0);  // 256 bytes
  MappedRegisterIo io_{memory_.data(), memory_.size() * 4};
};

TEST_F(MappedRegisterIoTest, ReadsAndWritesWords) {
  ASSERT_TRUE(io_.Write32(8, 0xdeadbeef).ok());
  EXPECT_EQ(memory_[2], 0xdeadbeefu);
  auto value = io_.Read32(8);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 0xdeadbeefu);
}

TEST_F(MappedRegisterIoTest, BurstsAreConsecutiveWords) {
  const uint32_t words[] = {1, 2, 3};
  ASSERT_TRUE(io_.WriteBurst(244, words).ok());
  uint32_t back[3] = {};
  ASSERT_TRUE(io_.ReadBurst(244, back).ok());
  EXPECT_EQ(back[2], 3u);
  EXPECT_EQ(memory_[63], 3u);
}

TEST_F(MappedRegisterIoTest, MisalignedAccessIsRefused) {
  EXPECT_EQ(io_.Read32(2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(io_.Write32(7, 0).code(), StatusCode::kInvalidArgument);
}

TEST_F(MappedRegisterIoTest, OutOfRangeAccessIsRefusedBeforeTouchingMemory) {
  EXPECT_EQ(io_.Read32(256).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(io_.Write32(1ull << 40, 0).code(), StatusCode::kOutOfRange);
  uint32_t words[2];
  EXPECT_EQ(io_.ReadBurst(252, words).code(), StatusCode::kOutOfRange);  // runs past the end
  const uint32_t huge[1] = {0};
  EXPECT_EQ(io_.WriteBurst(~0ull - 3, huge).code(), StatusCode::kOutOfRange);  // no wrap-around
  EXPECT_EQ(io_.ReadBurst(0, {}).code(), StatusCode::kInvalidArgument);
}

TEST_F(MappedRegisterIoTest, PollUntilReturnsTheMatchingValueOrTimesOut) {
  memory_[1] = 0x5;
  auto value = io_.PollUntil(4, 0x4, 0x4, std::chrono::milliseconds(1));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 0x5u);
  auto timeout = io_.PollUntil(4, 0x2, 0x2, std::chrono::milliseconds(1));
  EXPECT_EQ(timeout.status().code(), StatusCode::kTimeout);
}

}  // namespace
}  // namespace cpo::transport
