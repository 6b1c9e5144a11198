#include "cpo/transport/linux_i2c_bus.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>

namespace cpo::transport {
namespace {

using ::testing::_;
using ::testing::Return;
using ::testing::StrictMock;

class MockSyscalls : public I2cDevSyscalls {
 public:
  MOCK_METHOD(int, Open, (const std::string& path), (override));
  MOCK_METHOD(int, Close, (int fd), (override));
  MOCK_METHOD(int, ReadWrite, (int fd, i2c_rdwr_ioctl_data* request), (override));
};

class LinuxI2cBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_CALL(*syscalls_, Open("/dev/i2c-7")).WillOnce(Return(11));
    EXPECT_CALL(*syscalls_, Close(11)).WillOnce(Return(0));
    auto bus = LinuxI2cBus::Open("/dev/i2c-7", syscalls_);
    ASSERT_TRUE(bus.ok());
    bus_ = std::move(bus).value();
  }
  std::shared_ptr<StrictMock<MockSyscalls>> syscalls_ =
      std::make_shared<StrictMock<MockSyscalls>>();
  std::unique_ptr<LinuxI2cBus> bus_;
};

TEST_F(LinuxI2cBusTest, WriteReadIsOneIoctlWithTwoMessagesAndRepeatedStart) {
  EXPECT_CALL(*syscalls_, ReadWrite(11, _)).WillOnce([](int, i2c_rdwr_ioctl_data* request) {
    EXPECT_EQ(request->nmsgs, 2u);
    EXPECT_EQ(request->msgs[0].addr, 0x50);
    EXPECT_EQ(request->msgs[0].flags, 0);
    EXPECT_EQ(request->msgs[0].len, 1);
    EXPECT_EQ(request->msgs[0].buf[0], 0x80);
    EXPECT_EQ(request->msgs[1].addr, 0x50);
    EXPECT_EQ(request->msgs[1].flags, I2C_M_RD);
    EXPECT_EQ(request->msgs[1].len, 3);
    request->msgs[1].buf[0] = 0xA;
    request->msgs[1].buf[2] = 0xC;
    return 2;
  });
  const uint8_t offset[] = {0x80};
  uint8_t data[3] = {};
  ASSERT_TRUE(bus_->WriteRead(0x50, offset, data).ok());
  EXPECT_EQ(data[0], 0xA);
  EXPECT_EQ(data[2], 0xC);
}

TEST_F(LinuxI2cBusTest, WriteAndReadAreOneMessageEach) {
  EXPECT_CALL(*syscalls_, ReadWrite(11, _))
      .WillOnce([](int, i2c_rdwr_ioctl_data* request) {
        EXPECT_EQ(request->nmsgs, 1u);
        EXPECT_EQ(request->msgs[0].flags, 0);
        EXPECT_EQ(request->msgs[0].len, 3);
        return 1;
      })
      .WillOnce([](int, i2c_rdwr_ioctl_data* request) {
        EXPECT_EQ(request->nmsgs, 1u);
        EXPECT_EQ(request->msgs[0].flags, I2C_M_RD);
        EXPECT_EQ(request->msgs[0].len, 256);
        return 1;
      });
  const uint8_t select[] = {126, 0, 0x11};
  ASSERT_TRUE(bus_->Write(0x50, select).ok());
  std::vector<uint8_t> block(256);
  ASSERT_TRUE(bus_->Read(0x50, block).ok());
}

TEST_F(LinuxI2cBusTest, ErrnoMapsToNackTimeoutOrUnavailable) {
  EXPECT_CALL(*syscalls_, ReadWrite(11, _))
      .WillOnce(Return(-ENXIO))
      .WillOnce(Return(-EREMOTEIO))
      .WillOnce(Return(-ETIMEDOUT))
      .WillOnce(Return(-EIO));
  const uint8_t byte[] = {0};
  EXPECT_EQ(bus_->Write(0x50, byte).code(), StatusCode::kNack);
  EXPECT_EQ(bus_->Write(0x50, byte).code(), StatusCode::kNack);
  EXPECT_EQ(bus_->Write(0x50, byte).code(), StatusCode::kTimeout);
  Status io = bus_->Write(0x50, byte);
  EXPECT_EQ(io.code(), StatusCode::kUnavailable);
  EXPECT_NE(io.message().find("/dev/i2c-7"), std::string::npos);
}

TEST_F(LinuxI2cBusTest, OversizeTransferNeverReachesTheKernel) {
  std::vector<uint8_t> block(257);
  EXPECT_EQ(bus_->Read(0x50, block).code(), StatusCode::kInvalidArgument);
}

TEST(LinuxI2cBusOpenTest, PermissionDeniedNamesTheNode) {
  auto syscalls = std::make_shared<StrictMock<MockSyscalls>>();
  EXPECT_CALL(*syscalls, Open("/dev/i2c-3")).WillOnce(Return(-EACCES));
  auto bus = LinuxI2cBus::Open("/dev/i2c-3", syscalls);
  EXPECT_EQ(bus.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(bus.status().message().find("/dev/i2c-3"), std::string::npos);
}

}  // namespace
}  // namespace cpo::transport
