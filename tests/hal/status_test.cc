#include "cpo/status.h"

#include <gtest/gtest.h>

namespace cpo {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return Status(StatusCode::kInvalidArgument, "odd");
  return value / 2;
}

Result<int> Quarter(int value) {
  CPO_ASSIGN_OR_RETURN(int half, Half(value));
  return Half(half);
}

Status CheckEven(int value) {
  CPO_RETURN_IF_ERROR(Half(value).status());
  return Status::Ok();
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status error(StatusCode::kNack, "no ack");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.ToString(), "NACK: no ack");
  EXPECT_EQ(error.WithContext("oe3").message(), "oe3: no ack");
  EXPECT_EQ(error.WithContext("oe3").code(), StatusCode::kNack);
}

TEST(StatusTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

TEST(StatusTest, EveryCodeHasAName) {
  for (int code = 0; code <= static_cast<int>(StatusCode::kInternal); ++code) {
    EXPECT_NE(StatusCodeName(static_cast<StatusCode>(code)), "UNKNOWN") << code;
  }
}

}  // namespace
}  // namespace cpo
