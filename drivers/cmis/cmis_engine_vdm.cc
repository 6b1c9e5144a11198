// CmisEngine's Versatile Diagnostics Monitoring (pages 20h-2Fh): descriptors, samples under a
// freeze, the module's threshold sets (28h) and latched flags (2Ch).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/cmis/cmis_map.h"

namespace cpo::drivers {
namespace {

// Instance k's nibble of a page 2Ch (or 2Dh) block: bit 0 high alarm, 1 low alarm, 2 high
// warning, 3 low warning.
hal::ThresholdFlags InstanceFlags(const std::array<uint8_t, 32>& block, size_t k) {
  const uint8_t nibble = (block[k / 2] >> (4 * (k % 2))) & 0x0f;
  return {.high_alarm = (nibble & 1) != 0,
          .low_alarm = (nibble & 2) != 0,
          .high_warning = (nibble & 4) != 0,
          .low_warning = (nibble & 8) != 0};
}

uint8_t InstanceNibble(const hal::ThresholdFlags& flags) {
  return static_cast<uint8_t>((flags.high_alarm ? 1 : 0) | (flags.low_alarm ? 2 : 0) |
                              (flags.high_warning ? 4 : 0) | (flags.low_warning ? 8 : 0));
}

uint16_t U16(std::span<const uint8_t> bytes, size_t at) { return CmisU16(bytes, at); }

}  // namespace

namespace {

// A VDM sample in the unit of its type (see hal::VdmTypeUnit).
double DecodeVdm(uint8_t type_id, uint16_t raw) {
  switch (type_id) {
    case 1:  // laser age, 1 %
      return raw;
    case 4:  // laser temperature, s16 1/256 degC
      return static_cast<int16_t>(raw) / 256.0;
    case 5:  // eSNR media, u16 1/256 dB
    case 6:  // eSNR host
      return raw / 256.0;
    case 9:  // pre-FEC BER minimum, media / host (F16)
    case 10:
    case 11:  // maximum
    case 12:
    case 13:  // average
    case 14:
    case 15:  // current value
    case 16:
      return CmisF16(raw);
    case 84:  // ELS input power, s16 0.01 dBm
      return static_cast<int16_t>(raw) * 0.01;
    default:
      return raw;
  }
}

}  // namespace

Result<std::vector<hal::VdmSample>> CmisEngine::ReadVdm(int banks) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  banks = std::min(banks, (lanes_ + cmis::kLanesPerBank - 1) / cmis::kLanesPerBank);
  if (access_.observer()) return ReadVdmSamples(banks);
  // Freeze, so every sample comes from the same moment; give the module a few reads to finish.
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageVdmControl));
  CPO_RETURN_IF_ERROR(WriteByte(cmis::kVdmFreezeRequest, 0x80));
  std::array<uint8_t, 1> done{};
  constexpr int kFreezePolls = 10;
  for (int poll = 0; poll < kFreezePolls && (done[0] & 0x80) == 0; ++poll) {
    CPO_RETURN_IF_ERROR(ReadBlock(cmis::kVdmFreezeDone, done));
  }
  if ((done[0] & 0x80) == 0) {
    (void)WriteByte(cmis::kVdmFreezeRequest, 0x00);
    return Status(
        StatusCode::kTimeout,
        fmt::format("VDM freeze not done after {} reads of page 2Fh byte 145", kFreezePolls));
  }
  auto samples = ReadVdmSamples(banks);
  // Release the freeze whatever happened, so the module updates its samples again.
  Status release = SelectPage(0, cmis::kPageVdmControl);
  if (release.ok()) release = WriteByte(cmis::kVdmFreezeRequest, 0x00);
  if (!samples.ok()) return samples.status();
  CPO_RETURN_IF_ERROR(release);
  return samples;
}

Result<std::vector<hal::VdmSample>> CmisEngine::ReadVdmSamples(int banks) {
  std::vector<hal::VdmSample> samples;
  for (int bank = 0; bank < banks; ++bank) {
    using Page = const std::array<uint8_t, 128>*;
    CPO_ASSIGN_OR_RETURN(Page descriptors, VdmDescriptors(bank));
    CPO_ASSIGN_OR_RETURN(Page thresholds, VdmThresholds(bank));
    std::array<uint8_t, 128> raw{};
    CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmSamples));
    CPO_RETURN_IF_ERROR(ReadBlock(128, raw));
    // The latched flags (64 instances, a nibble each), which the read clears: the owner's alone.
    std::array<uint8_t, 32> flags{};
    const bool flags_read = !access_.observer();
    if (flags_read) {
      CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmFlags));
      CPO_RETURN_IF_ERROR(ReadBlock(128, flags));
    }
    for (size_t k = 0; k < 64; ++k) {
      const uint8_t type_id = (*descriptors)[2 * k + 1];
      if (type_id == 0) continue;  // instance not used
      hal::VdmSample sample;
      sample.lane = bank * cmis::kLanesPerBank + ((*descriptors)[2 * k] & 0x0f) + 1;
      sample.type_id = type_id;
      sample.raw = U16(raw, 2 * k);
      sample.value = DecodeVdm(type_id, sample.raw);
      const size_t set = 8 * static_cast<size_t>((*descriptors)[2 * k] >> 4);
      sample.thresholds = {DecodeVdm(type_id, U16(*thresholds, set)),
                           DecodeVdm(type_id, U16(*thresholds, set + 2)),
                           DecodeVdm(type_id, U16(*thresholds, set + 4)),
                           DecodeVdm(type_id, U16(*thresholds, set + 6))};
      sample.flags_read = flags_read;
      sample.flags = InstanceFlags(flags, k);
      samples.push_back(sample);
    }
  }
  return samples;
}

Result<const std::array<uint8_t, 128>*> CmisEngine::VdmThresholds(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  auto found = vdm_thresholds_.find(bank);
  if (found == vdm_thresholds_.end()) {
    std::array<uint8_t, 128> read{};  // 16 threshold sets of 8 bytes; static, read once
    CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmThresholds));
    CPO_RETURN_IF_ERROR(ReadBlock(128, read));
    found = vdm_thresholds_.emplace(bank, read).first;
  }
  return &found->second;
}

Result<bool> CmisEngine::ReadVdmFrozen() {
  const auto hold = access_.Hold();  // the page select and its read, as one
  // FreezeRequest and FreezeDone (144-145, bit 7 each): frozen until both are clear again.
  std::array<uint8_t, 2> freeze{};
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageVdmControl));
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kVdmFreezeRequest, freeze));
  return ((freeze[0] | freeze[1]) & 0x80) != 0;
}

Status CmisEngine::ReleaseVdmFreeze() {
  const auto hold = access_.Hold();  // the page select and its write, as one
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageVdmControl));
  return WriteByte(cmis::kVdmFreezeRequest, 0x00);
}

Result<const std::array<uint8_t, 128>*> CmisEngine::VdmDescriptors(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  auto found = vdm_descriptors_.find(bank);
  if (found == vdm_descriptors_.end()) {
    std::array<uint8_t, 128> read{};
    CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmDescriptors));
    CPO_RETURN_IF_ERROR(ReadBlock(128, read));
    found = vdm_descriptors_.emplace(bank, read).first;
  }
  return &found->second;
}

Result<std::vector<hal::VdmSample>> CmisEngine::ReadVdmType(int bank, uint8_t type_id) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  using Descriptors = const std::array<uint8_t, 128>*;
  CPO_ASSIGN_OR_RETURN(Descriptors descriptors, VdmDescriptors(bank));
  // The instances of this type, then one read spanning them (they are contiguous in practice).
  size_t first = 64;
  size_t last = 0;
  for (size_t k = 0; k < 64; ++k) {
    if ((*descriptors)[2 * k + 1] != type_id) continue;
    first = std::min(first, k);
    last = std::max(last, k);
  }
  if (first == 64) {
    return Status(
        StatusCode::kNotSupported,
        fmt::format("the engine has no VDM instance of type {} in bank {}", type_id, bank));
  }
  std::vector<uint8_t> raw(2 * (last - first + 1));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmSamples));
  CPO_RETURN_IF_ERROR(ReadBlock(static_cast<uint8_t>(128 + 2 * first), raw));
  std::vector<hal::VdmSample> samples;
  for (size_t k = first; k <= last; ++k) {
    if ((*descriptors)[2 * k + 1] != type_id) continue;
    hal::VdmSample sample;
    sample.lane = bank * cmis::kLanesPerBank + ((*descriptors)[2 * k] & 0x0f) + 1;
    sample.type_id = type_id;
    sample.raw = U16(raw, 2 * (k - first));
    sample.value = DecodeVdm(type_id, sample.raw);
    samples.push_back(sample);
  }
  return samples;
}

Result<std::vector<hal::VdmSample>> CmisEngine::ReadVdmFlags(int bank) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  using Descriptors = const std::array<uint8_t, 128>*;
  CPO_ASSIGN_OR_RETURN(Descriptors descriptors, VdmDescriptors(bank));
  std::array<uint8_t, 32> flags{};
  const bool flags_read = !access_.observer();
  if (flags_read) {
    CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmFlags));
    CPO_RETURN_IF_ERROR(ReadBlock(128, flags));
  }
  std::vector<hal::VdmSample> samples;
  for (size_t k = 0; k < 64; ++k) {
    const uint8_t type_id = (*descriptors)[2 * k + 1];
    if (type_id == 0) continue;
    hal::VdmSample sample;
    sample.lane = bank * cmis::kLanesPerBank + ((*descriptors)[2 * k] & 0x0f) + 1;
    sample.type_id = type_id;
    sample.value = std::numeric_limits<double>::quiet_NaN();  // flags only: no sample read
    sample.flags_read = flags_read;
    sample.flags = InstanceFlags(flags, k);
    samples.push_back(sample);
  }
  return samples;
}

Status CmisEngine::WriteVdmFlagMasks(int bank, uint8_t lane_bits, uint8_t type_id,
                                     const hal::ThresholdFlags& masks) {
  const auto hold = access_.Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(CheckBank(bank));
  using Descriptors = const std::array<uint8_t, 128>*;
  CPO_ASSIGN_OR_RETURN(Descriptors descriptors, VdmDescriptors(bank));
  CPO_RETURN_IF_ERROR(SelectPage(static_cast<uint8_t>(bank), cmis::kPageVdmMasks));
  std::array<uint8_t, 32> block{};
  CPO_RETURN_IF_ERROR(ReadBlock(128, block));
  bool found = false;
  for (size_t k = 0; k < 64; ++k) {
    const uint8_t lane_in_bank = (*descriptors)[2 * k] & 0x0f;
    if ((*descriptors)[2 * k + 1] != type_id || (lane_bits & (1u << lane_in_bank)) == 0) continue;
    found = true;
    const int shift = 4 * static_cast<int>(k % 2);
    block[k / 2] =
        static_cast<uint8_t>((block[k / 2] & ~(0x0f << shift)) | (InstanceNibble(masks) << shift));
  }
  if (!found) {
    return Status(StatusCode::kNotSupported,
                  fmt::format("the engine has no VDM instance of type {} on those lanes of bank {}",
                              type_id, bank));
  }
  return WriteBlock(128, block);
}

}  // namespace cpo::drivers
