#include "cpo/drivers/i2c/cpo_i2c_controller.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mocks/mock_register_io.h"

namespace cpo::drivers {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::InSequence;
using testing::MockRegisterIo;
using ::testing::Return;
using ::testing::StrictMock;

// Controller 2's window: 0x10000 + 2 * 0x1000.
constexpr uint64_t kBase = 0x12000;

class CpoI2cControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    io_ = std::make_shared<StrictMock<MockRegisterIo>>();
    InSequence seq;
    EXPECT_CALL(*io_, DoRead32(0x10)).WillOnce(Return(Result<uint32_t>(8000)));
    EXPECT_CALL(*io_, DoWrite32(kBase + 0x000, 20)).WillOnce(Return(Status::Ok()));  // 400 kHz
    EXPECT_CALL(*io_, DoWrite32(kBase + 0x018, 8000 * 25)).WillOnce(Return(Status::Ok()));
    auto controller = CpoI2cController::Create(io_, 2, 400);
    ASSERT_TRUE(controller.ok()) << controller.status().ToString();
    controller_ = std::move(controller).value();
  }

  std::shared_ptr<StrictMock<MockRegisterIo>> io_;
  std::unique_ptr<CpoI2cController> controller_;
};

TEST_F(CpoI2cControllerTest, WriteThenReadIsFourAccesses) {
  InSequence seq;
  // Write data packed little-endian into the write buffer.
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x400, ElementsAre(0x0000'7E80u)))
      .WillOnce(Return(Status::Ok()));
  // TARGET, WLEN, RLEN, CMD in one burst.
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x004, ElementsAre(0x50u, 2u, 5u, 1u)))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoPollUntil(kBase + 0x014, 0x1u, 0u, _))
      .WillOnce(Return(Result<uint32_t>(0x2)));  // done, no error
  EXPECT_CALL(*io_, DoReadBurst(kBase + 0x800, _))
      .WillOnce([](uint64_t, std::span<uint32_t> words) {
        EXPECT_EQ(words.size(), 2u);
        words[0] = 0x44332211;
        words[1] = 0x00000055;
        return Status::Ok();
      });
  const uint8_t write[] = {0x80, 0x7E};
  uint8_t read[5] = {};
  ASSERT_TRUE(controller_->WriteRead(0x50, write, read).ok());
  EXPECT_THAT(read, ElementsAre(0x11, 0x22, 0x33, 0x44, 0x55));
}

TEST_F(CpoI2cControllerTest, ReadOnlySkipsTheWriteBuffer) {
  InSequence seq;
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x004, ElementsAre(0x51u, 0u, 1u, 1u)))
      .WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoPollUntil(kBase + 0x014, 0x1u, 0u, _))
      .WillOnce(Return(Result<uint32_t>(0x2)));
  EXPECT_CALL(*io_, DoReadBurst(kBase + 0x800, _))
      .WillOnce([](uint64_t, std::span<uint32_t> words) {
        words[0] = 0xAB;
        return Status::Ok();
      });
  uint8_t read[1] = {};
  ASSERT_TRUE(controller_->Read(0x51, read).ok());
  EXPECT_EQ(read[0], 0xAB);
}

TEST_F(CpoI2cControllerTest, NackIsReportedAndNoDataRead) {
  InSequence seq;
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x400, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x004, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoPollUntil(kBase + 0x014, 0x1u, 0u, _))
      .WillOnce(Return(Result<uint32_t>(0x2 | 0x4)));
  const uint8_t write[] = {0};
  uint8_t read[4];
  Status status = controller_->WriteRead(0x50, write, read);
  EXPECT_EQ(status.code(), StatusCode::kNack) << status.ToString();
}

TEST_F(CpoI2cControllerTest, ClockStretchTimeoutIsDistinctFromNack) {
  InSequence seq;
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x400, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x004, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoPollUntil(kBase + 0x014, 0x1u, 0u, _))
      .WillOnce(Return(Result<uint32_t>(0x2 | 0x8)));
  const uint8_t write[] = {0};
  EXPECT_EQ(controller_->Write(0x50, write).code(), StatusCode::kTimeout);
}

TEST_F(CpoI2cControllerTest, ControllerStuckBusyIsATimeout) {
  InSequence seq;
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x400, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoWriteBurst(kBase + 0x004, _)).WillOnce(Return(Status::Ok()));
  EXPECT_CALL(*io_, DoPollUntil(kBase + 0x014, 0x1u, 0u, _))
      .WillOnce(Return(Result<uint32_t>(Status(StatusCode::kTimeout, "busy"))));
  const uint8_t write[] = {0};
  EXPECT_EQ(controller_->Write(0x50, write).code(), StatusCode::kTimeout);
}

TEST_F(CpoI2cControllerTest, RejectsOversizeAndEmptyTransfersWithoutBusAccess) {
  std::vector<uint8_t> big(257);
  EXPECT_EQ(controller_->Write(0x50, big).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(controller_->Write(0x50, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(controller_->Write(0x80, big).code(), StatusCode::kInvalidArgument);
}

TEST(CpoI2cControllerCreateTest, RejectsSpeedsTheCoreClockCannotMake) {
  auto io = std::make_shared<StrictMock<MockRegisterIo>>();
  EXPECT_CALL(*io, DoRead32(0x10)).WillOnce(Return(Result<uint32_t>(1000)));
  EXPECT_EQ(CpoI2cController::Create(io, 0, 1000).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(CpoI2cController::Create(io, 0, 50).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CpoI2cController::Create(io, 16, 400).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cpo::drivers
