// CpoI2cController: TwoWire over one I2C controller of the CPO management block (in a PCIe BAR,
// or the model's). Register layout: docs/register-map.md.
#pragma once

#include <memory>
#include <mutex>

#include "cpo/transport/register_io.h"
#include "cpo/transport/two_wire.h"

namespace cpo::drivers {

namespace mgmt_regs {
constexpr uint64_t kId = 0x00000;
constexpr uint32_t kIdValue = 0x43504F31;  // "CPO1"
constexpr uint64_t kVersion = 0x00004;
constexpr uint64_t kCoreKhz = 0x00010;
constexpr uint64_t kI2cBase = 0x10000;
constexpr uint64_t kI2cStride = 0x1000;
// Within one controller's window.
constexpr uint64_t kI2cCtrl = 0x000;    // [15:0] core clocks per SCL bit
constexpr uint64_t kI2cTarget = 0x004;  // then WLEN, RLEN, CMD: one burst starts a transfer
constexpr uint64_t kI2cStatus = 0x014;
constexpr uint64_t kI2cTimeout = 0x018;  // core clocks a target may hold SCL low
constexpr uint64_t kI2cWriteData = 0x400;
constexpr uint64_t kI2cReadData = 0x800;
constexpr uint32_t kStatusBusy = 1u << 0;
constexpr uint32_t kStatusDone = 1u << 1;
constexpr uint32_t kStatusNack = 1u << 2;
constexpr uint32_t kStatusTimeout = 1u << 3;
constexpr uint32_t kCmdStart = 1;
}  // namespace mgmt_regs

class CpoI2cController : public transport::TwoWire {
 public:
  // How Create treats the controller's divider and clock-stretch timeout, which every process
  // sharing the controller uses.
  enum class Timing {
    kProgram,             // write both (a controller only this process uses)
    kProgramIfDifferent,  // the switch's owner: write only what differs, so a restart of the
                          // owner or another process's open never disturbs a transfer under way
    kKeep,                // an observer: write nothing, use the divider the owner programmed
  };
  // Programs (as `timing` says) the bus speed from the block's core clock and the clock-stretch
  // timeout.
  static Result<std::unique_ptr<CpoI2cController>> Create(
      const std::shared_ptr<transport::RegisterIo>& io, int index, int speed_khz,
      Timing timing = Timing::kProgram);

  static constexpr uint32_t kStretchTimeoutMs = 25;

 protected:
  Status DoTransfer(uint8_t address7, std::span<const uint8_t> write_data,
                    std::span<uint8_t> read_data) override;

 private:
  CpoI2cController(std::shared_ptr<transport::RegisterIo> io, int index, int speed_khz);
  uint64_t Reg(uint64_t offset) const { return base_ + offset; }

  std::shared_ptr<transport::RegisterIo> io_;
  int index_;
  int speed_khz_;
  uint64_t base_;
  std::mutex mutex_;  // one transfer at a time on this controller
};

}  // namespace cpo::drivers
