// SerdesBlock: the SerDes/port block of the CPO switch's management function (BAR 0 at
// 0x40000; layout in docs/register-map.md) as the HAL's SerdesBackend.
#pragma once

#include <memory>

#include "cpo/hal/backend/serdes_backend.h"
#include "cpo/hal/owner/role.h"
#include "cpo/transport/register_io.h"

namespace cpo::drivers {

namespace serdes_regs {
constexpr uint64_t kBase = 0x40000;
constexpr uint64_t kCaps = kBase + 0x0000;  // [15:0] lanes, [23:16] lanes per port block
constexpr uint64_t kConfigGeneration = kBase + 0x0004;
constexpr uint64_t kPortBase = kBase + 0x1000;  // + block * 4: [7:0] sub-ports (0 unset)
constexpr uint64_t kLinkBase = kBase + 0x2000;  // + block * 4: [7:0] PCS lock, [15:8] signal
constexpr uint64_t kLaneBase = kBase + 0x8000;  // + lane * kLaneStride
constexpr uint64_t kLaneStride = 0x20;
// Within a lane: CTRL, STATUS, 2 reserved, BITS lo/hi, ERRORS lo/hi.
constexpr uint64_t kLaneCtrl = 0x00;
constexpr uint64_t kLaneStatus = 0x04;
constexpr uint64_t kLaneBitsLo = 0x10;
constexpr int kLaneWords = 8;
// CTRL bits.
constexpr uint32_t kTxEnable = 1u << 0;
constexpr uint32_t kTxInvert = 1u << 1;
constexpr uint32_t kRxInvert = 1u << 2;
constexpr int kRateShift = 4;  // [5:4]
constexpr uint32_t kNearLoopback = 1u << 8;
constexpr uint32_t kFarLoopback = 1u << 9;
constexpr uint32_t kGeneratorEnable = 1u << 12;
constexpr int kGeneratorPatternShift = 16;  // [19:16]
constexpr uint32_t kCheckerEnable = 1u << 20;
constexpr int kCheckerPatternShift = 24;  // [27:24]
constexpr uint32_t kClearCounters = 1u << 31;
// STATUS bits.
constexpr uint32_t kSignalDetect = 1u << 0;
constexpr uint32_t kCdrLock = 1u << 1;
constexpr uint32_t kPcsLock = 1u << 2;
constexpr uint32_t kPrbsLock = 1u << 3;
}  // namespace serdes_regs

class SerdesBlock : public hal::SerdesBackend {
 public:
  // Reads the block's size from its capability register. An observer's writes are refused.
  static Result<std::unique_ptr<SerdesBlock>> Create(
      std::shared_ptr<transport::RegisterIo> io, hal::ProcessRole role = hal::ProcessRole::kOwner);

  int lanes() const override { return lanes_; }
  int lanes_per_port() const override { return lanes_per_port_; }
  Result<hal::SerdesLaneConfig> ReadLaneConfig(int lane) override;
  Status WriteLaneConfig(int lane, const hal::SerdesLaneConfig& config) override;
  Status ClearCounters(int lane) override;
  Result<hal::SerdesLaneStatus> ReadLaneStatus(int lane) override;
  Result<int> ReadBreakout(int block) override;
  Status WriteBreakout(int block, int sub_ports) override;
  Result<std::vector<uint8_t>> ReadPcsLocks() override;

  // The CTRL word of a configuration, and back.
  static uint32_t EncodeCtrl(const hal::SerdesLaneConfig& config);
  static hal::SerdesLaneConfig DecodeCtrl(uint32_t ctrl);

 private:
  SerdesBlock(std::shared_ptr<transport::RegisterIo> io, int lanes, int lanes_per_port,
              hal::ProcessRole role)
      : io_(std::move(io)), lanes_(lanes), lanes_per_port_(lanes_per_port), role_(role) {}
  Status CheckLane(int lane) const;
  Status CheckBlock(int block) const;
  static uint64_t LaneOffset(int lane, uint64_t reg) {
    return serdes_regs::kLaneBase + static_cast<uint64_t>(lane) * serdes_regs::kLaneStride + reg;
  }

  std::shared_ptr<transport::RegisterIo> io_;
  int lanes_;
  int lanes_per_port_;
  hal::ProcessRole role_;
};

}  // namespace cpo::drivers
