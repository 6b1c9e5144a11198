#include "cpo/drivers/i2c/cpo_i2c_controller.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace cpo::drivers {

using namespace mgmt_regs;  // NOLINT(google-build-using-namespace): register names only

Result<std::unique_ptr<CpoI2cController>> CpoI2cController::Create(
    const std::shared_ptr<transport::RegisterIo>& io, int index, int speed_khz, Timing timing) {
  if (index < 0 || index > 15) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("I2C controller {} is not 0..15", index));
  }
  if (speed_khz < 100 || speed_khz > 1000) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("I2C speed {} kHz is not 100..1000", speed_khz));
  }
  CPO_ASSIGN_OR_RETURN(uint32_t core_khz, io->Read32(kCoreKhz));
  if (core_khz < 2u * static_cast<uint32_t>(speed_khz)) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("management block core clock {} kHz cannot drive I2C at {} kHz",
                              core_khz, speed_khz));
  }
  std::unique_ptr<CpoI2cController> controller(new CpoI2cController(io, index, speed_khz));
  const uint32_t divider = core_khz / static_cast<uint32_t>(speed_khz);
  const uint32_t timeout = core_khz * kStretchTimeoutMs;
  if (timing == Timing::kProgram) {
    CPO_RETURN_IF_ERROR(io->Write32(controller->Reg(kI2cCtrl), divider));
    CPO_RETURN_IF_ERROR(io->Write32(controller->Reg(kI2cTimeout), timeout));
    return controller;
  }
  CPO_ASSIGN_OR_RETURN(uint32_t current_divider, io->Read32(controller->Reg(kI2cCtrl)));
  current_divider &= 0xffff;
  if (timing == Timing::kKeep) {
    // Wire-time bounds follow the speed the controller really runs at.
    if (current_divider >= 2) {
      controller->speed_khz_ = static_cast<int>(std::max<uint32_t>(1, core_khz / current_divider));
    }
    return controller;
  }
  CPO_ASSIGN_OR_RETURN(uint32_t current_timeout, io->Read32(controller->Reg(kI2cTimeout)));
  if (current_divider != divider) {
    CPO_RETURN_IF_ERROR(io->Write32(controller->Reg(kI2cCtrl), divider));
  }
  if (current_timeout != timeout) {
    CPO_RETURN_IF_ERROR(io->Write32(controller->Reg(kI2cTimeout), timeout));
  }
  return controller;
}

CpoI2cController::CpoI2cController(std::shared_ptr<transport::RegisterIo> io, int index,
                                   int speed_khz)
    : io_(std::move(io)),
      index_(index),
      speed_khz_(speed_khz),
      base_(kI2cBase + kI2cStride * static_cast<uint64_t>(index)) {}

Status CpoI2cController::DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                                    std::span<uint8_t> read_data) {
  std::lock_guard lock(mutex_);
  if (!write_data.empty()) {
    std::vector<uint32_t> words((write_data.size() + 3) / 4, 0);
    for (size_t i = 0; i < write_data.size(); ++i) {
      words[i / 4] |= static_cast<uint32_t>(write_data[i]) << (8 * (i % 4));
    }
    CPO_RETURN_IF_ERROR(io_->WriteBurst(Reg(kI2cWriteData), words));
  }
  const uint32_t start[] = {address7, static_cast<uint32_t>(write_data.size()),
                            static_cast<uint32_t>(read_data.size()), kCmdStart};
  CPO_RETURN_IF_ERROR(io_->WriteBurst(Reg(kI2cTarget), start));

  // Wire time: START, address and data bytes of 9 bits, repeated START and second address when
  // reading after writing, STOP. Allow four times that plus the controller's stretch timeout.
  const uint64_t bits =
      2 + 9 * (1 + write_data.size()) +
      (read_data.empty() ? 0 : (write_data.empty() ? 0 : 10) + 9 * read_data.size());
  const auto wire = std::chrono::microseconds(bits * 1000 / static_cast<uint64_t>(speed_khz_) + 1);
  auto status = io_->PollUntil(Reg(kI2cStatus), kStatusBusy, 0,
                               4 * wire + std::chrono::milliseconds(2 * kStretchTimeoutMs));
  if (!status.ok()) {
    return status.status().WithContext(fmt::format("I2C controller {} stuck busy", index_));
  }
  if (*status & kStatusTimeout) {
    return {StatusCode::kTimeout,
            fmt::format("I2C controller {} address 0x{:02x}: a target held the clock low for over "
                        "{} ms",
                        index_, address7, kStretchTimeoutMs)};
  }
  if (*status & kStatusNack) {
    return {StatusCode::kNack,
            fmt::format("I2C controller {} address 0x{:02x}: no acknowledge (is the device present "
                        "at that address?)",
                        index_, address7)};
  }
  if (!read_data.empty()) {
    std::vector<uint32_t> words((read_data.size() + 3) / 4);
    CPO_RETURN_IF_ERROR(io_->ReadBurst(Reg(kI2cReadData), words));
    for (size_t i = 0; i < read_data.size(); ++i) {
      read_data[i] = static_cast<uint8_t>(words[i / 4] >> (8 * (i % 4)));
    }
  }
  return Status::Ok();
}

}  // namespace cpo::drivers
