#include "cpo/drivers/serdes/serdes_block.h"

#include <fmt/format.h>

#include <array>

namespace cpo::drivers {

using serdes_regs::kCaps;
using serdes_regs::kCdrLock;
using serdes_regs::kCheckerEnable;
using serdes_regs::kCheckerPatternShift;
using serdes_regs::kClearCounters;
using serdes_regs::kFarLoopback;
using serdes_regs::kGeneratorEnable;
using serdes_regs::kGeneratorPatternShift;
using serdes_regs::kLaneBitsLo;
using serdes_regs::kLaneCtrl;
using serdes_regs::kLaneStatus;
using serdes_regs::kLaneWords;
using serdes_regs::kNearLoopback;
using serdes_regs::kPcsLock;
using serdes_regs::kPortBase;
using serdes_regs::kPrbsLock;
using serdes_regs::kRateShift;
using serdes_regs::kRxInvert;
using serdes_regs::kSignalDetect;
using serdes_regs::kTxEnable;
using serdes_regs::kTxInvert;

Result<std::unique_ptr<SerdesBlock>> SerdesBlock::Create(std::shared_ptr<transport::RegisterIo> io,
                                                         hal::ProcessRole role) {
  CPO_ASSIGN_OR_RETURN(const uint32_t caps, io->Read32(kCaps));
  const int lanes = static_cast<int>(caps & 0xffff);
  const int per_port = static_cast<int>((caps >> 16) & 0xff);
  if (lanes == 0 || per_port == 0) {
    return Status(StatusCode::kNotSupported,
                  fmt::format("the management function has no SerDes block (capabilities "
                              "0x{:08x} at 0x{:x})",
                              caps, kCaps));
  }
  return std::unique_ptr<SerdesBlock>(new SerdesBlock(std::move(io), lanes, per_port, role));
}

Status SerdesBlock::CheckLane(int lane) const {
  if (lane < 0 || lane >= lanes_) {
    return {StatusCode::kOutOfRange,
            fmt::format("SerDes lane {} is outside the block's lanes 0..{}", lane, lanes_ - 1)};
  }
  return Status::Ok();
}

Status SerdesBlock::CheckBlock(int block) const {
  if (block < 0 || block >= lanes_ / lanes_per_port_) {
    return {StatusCode::kOutOfRange, fmt::format("SerDes port block {} is outside 0..{}", block,
                                                 lanes_ / lanes_per_port_ - 1)};
  }
  return Status::Ok();
}

uint32_t SerdesBlock::EncodeCtrl(const hal::SerdesLaneConfig& config) {
  uint32_t ctrl = 0;
  if (config.tx_enabled) ctrl |= kTxEnable;
  if (config.tx_invert) ctrl |= kTxInvert;
  if (config.rx_invert) ctrl |= kRxInvert;
  ctrl |= static_cast<uint32_t>(config.rate) << kRateShift;
  if (config.loopback == hal::PortLoopback::kNearEnd) ctrl |= kNearLoopback;
  if (config.loopback == hal::PortLoopback::kFarEnd) ctrl |= kFarLoopback;
  if (config.generator) ctrl |= kGeneratorEnable;
  ctrl |= (static_cast<uint32_t>(config.generator_pattern) & 0xf) << kGeneratorPatternShift;
  if (config.checker) ctrl |= kCheckerEnable;
  ctrl |= (static_cast<uint32_t>(config.checker_pattern) & 0xf) << kCheckerPatternShift;
  return ctrl;
}

hal::SerdesLaneConfig SerdesBlock::DecodeCtrl(uint32_t ctrl) {
  hal::SerdesLaneConfig config;
  config.tx_enabled = (ctrl & kTxEnable) != 0;
  config.tx_invert = (ctrl & kTxInvert) != 0;
  config.rx_invert = (ctrl & kRxInvert) != 0;
  config.rate = static_cast<hal::SerdesLaneRate>((ctrl >> kRateShift) & 3);
  config.loopback = (ctrl & kNearLoopback) != 0  ? hal::PortLoopback::kNearEnd
                    : (ctrl & kFarLoopback) != 0 ? hal::PortLoopback::kFarEnd
                                                 : hal::PortLoopback::kNone;
  config.generator = (ctrl & kGeneratorEnable) != 0;
  config.generator_pattern = static_cast<hal::PrbsPattern>((ctrl >> kGeneratorPatternShift) & 0xf);
  config.checker = (ctrl & kCheckerEnable) != 0;
  config.checker_pattern = static_cast<hal::PrbsPattern>((ctrl >> kCheckerPatternShift) & 0xf);
  return config;
}

Result<hal::SerdesLaneConfig> SerdesBlock::ReadLaneConfig(int lane) {
  CPO_RETURN_IF_ERROR(CheckLane(lane));
  CPO_ASSIGN_OR_RETURN(const uint32_t ctrl, io_->Read32(LaneOffset(lane, kLaneCtrl)));
  return DecodeCtrl(ctrl);
}

Status SerdesBlock::WriteLaneConfig(int lane, const hal::SerdesLaneConfig& config) {
  CPO_RETURN_IF_ERROR(CheckLane(lane));
  CPO_RETURN_IF_ERROR(hal::CheckMayWrite(role_));
  return io_->Write32(LaneOffset(lane, kLaneCtrl), EncodeCtrl(config));
}

Status SerdesBlock::ClearCounters(int lane) {
  CPO_RETURN_IF_ERROR(hal::CheckMayWrite(role_));
  CPO_ASSIGN_OR_RETURN(const hal::SerdesLaneConfig config, ReadLaneConfig(lane));
  return io_->Write32(LaneOffset(lane, kLaneCtrl), EncodeCtrl(config) | kClearCounters);
}

Result<hal::SerdesLaneStatus> SerdesBlock::ReadLaneStatus(int lane) {
  CPO_RETURN_IF_ERROR(CheckLane(lane));
  std::array<uint32_t, kLaneWords> words{};
  CPO_RETURN_IF_ERROR(io_->ReadBurst(LaneOffset(lane, 0), words));
  const uint32_t status = words[kLaneStatus / 4];
  hal::SerdesLaneStatus out;
  out.signal_detect = (status & kSignalDetect) != 0;
  out.cdr_lock = (status & kCdrLock) != 0;
  out.pcs_lock = (status & kPcsLock) != 0;
  out.prbs_lock = (status & kPrbsLock) != 0;
  const size_t bits = kLaneBitsLo / 4;
  out.prbs_bits = words[bits] | (static_cast<uint64_t>(words[bits + 1]) << 32);
  out.prbs_errors = words[bits + 2] | (static_cast<uint64_t>(words[bits + 3]) << 32);
  return out;
}

Result<std::vector<uint8_t>> SerdesBlock::ReadPcsLocks() {
  std::vector<uint32_t> words(static_cast<size_t>(lanes_ / lanes_per_port_));
  CPO_RETURN_IF_ERROR(io_->ReadBurst(serdes_regs::kLinkBase, words));
  std::vector<uint8_t> locks;
  locks.reserve(words.size());
  for (uint32_t word : words) locks.push_back(static_cast<uint8_t>(word & 0xff));
  return locks;
}

Result<int> SerdesBlock::ReadBreakout(int block) {
  CPO_RETURN_IF_ERROR(CheckBlock(block));
  CPO_ASSIGN_OR_RETURN(const uint32_t value,
                       io_->Read32(kPortBase + 4 * static_cast<uint64_t>(block)));
  return static_cast<int>(value & 0xff);
}

Status SerdesBlock::WriteBreakout(int block, int sub_ports) {
  CPO_RETURN_IF_ERROR(CheckBlock(block));
  CPO_RETURN_IF_ERROR(hal::CheckMayWrite(role_));
  if (sub_ports < 0 || sub_ports > lanes_per_port_) {
    return {StatusCode::kOutOfRange, fmt::format("{} sub-ports: a port block of {} lanes takes "
                                                 "1..{}",
                                                 sub_ports, lanes_per_port_, lanes_per_port_)};
  }
  return io_->Write32(kPortBase + 4 * static_cast<uint64_t>(block),
                      static_cast<uint32_t>(sub_ports));
}

}  // namespace cpo::drivers
