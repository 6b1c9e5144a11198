#include "cpo/drivers/cmis/cmis_access.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <numeric>
#include <vector>

#include "cpo/drivers/cmis/cmis_map.h"

namespace cpo::drivers {
namespace {

// Four consecutive flag bits (HA, LA, HW, LW) starting at `bit` of one byte.
hal::ThresholdFlags ModuleFlagsFromNibble(uint8_t byte, int bit) {
  return {.high_alarm = ((byte >> bit) & 1) != 0,
          .low_alarm = ((byte >> (bit + 1)) & 1) != 0,
          .high_warning = ((byte >> (bit + 2)) & 1) != 0,
          .low_warning = ((byte >> (bit + 3)) & 1) != 0};
}

// A space-padded ASCII field, trailing spaces (and NULs) removed.
std::string Text(std::span<const uint8_t> bytes, size_t at, size_t width) {
  std::string text(bytes.begin() + static_cast<ptrdiff_t>(at),
                   bytes.begin() + static_cast<ptrdiff_t>(at + width));
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0')) text.pop_back();
  return text;
}

}  // namespace

bool IsLatchedLowerPageByte(uint8_t offset) { return offset >= 8 && offset <= 13; }

bool CmisAccess::IsLatched(uint8_t page, uint8_t offset) const {
  if (offset < 128) return IsLatchedLowerPageByte(offset);
  return latched_ != nullptr && latched_(page, offset);
}

Status CmisAccess::ReadBlockOf(uint8_t page, uint8_t offset, std::span<uint8_t> out) {
  if (!observer()) return ReadBlock(offset, out);
  // Runs of bytes that do not clear, one transfer each; latched bytes stay 0.
  size_t i = 0;
  while (i < out.size()) {
    const auto at = [&](size_t k) { return static_cast<uint8_t>(offset + k); };
    if (IsLatched(page, at(i))) {
      out[i++] = 0;
      continue;
    }
    size_t end = i;
    while (end < out.size() && !IsLatched(page, at(end))) ++end;
    CPO_RETURN_IF_ERROR(ReadBlock(at(i), out.subspan(i, end - i)));
    i = end;
  }
  return Status::Ok();
}

uint16_t CmisU16(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

hal::Thresholds CmisThresholdsAt(std::span<const uint8_t> bytes, size_t at, double unit,
                                 bool is_signed) {
  auto value = [&](size_t k) {
    const uint16_t raw = CmisU16(bytes, at + 2 * k);
    return (is_signed ? static_cast<int16_t>(raw) : raw) * unit;
  };
  return {value(0), value(1), value(2), value(3)};
}

double CmisF16(uint16_t raw) {
  return (raw & 0x07ff) * std::pow(10.0, static_cast<int>(raw >> 11) - 24);
}

Status CmisAccess::SelectRaw(uint8_t bank, uint8_t page) {
  const std::array<uint8_t, 3> select = {cmis::kBankSelect, bank, page};
  return bus_->Write(address7_, select);
}

Status CmisAccess::SelectPage(uint8_t bank, uint8_t page) {
  if (!relocation_.relocated()) return SelectRaw(bank, page);
  if (page >= kRelocatedPageSpan) {
    return {StatusCode::kNotSupported,
            fmt::format("page {:02X}h is not supported by this module as it is reached: the "
                        "engine's MCU relays pages 00h-{:02X}h of a laser source in joint mode",
                        page, kRelocatedPageSpan - 1)};
  }
  const auto hold = Hold();
  selected_bank_ = bank;
  selected_page_ = page;
  lower_page_selected_ = false;
  return SelectRaw(bank, static_cast<uint8_t>(relocation_.page_base + page));
}

Status CmisAccess::Transfer(uint8_t offset, std::span<const uint8_t> write,
                            std::span<uint8_t> read) {
  const size_t length = write.empty() ? read.size() : write.size();
  std::vector<uint8_t> message;
  message.reserve(write.size() + 1);
  if (!relocation_.relocated()) {
    message.push_back(offset);
    message.insert(message.end(), write.begin(), write.end());
    return read.empty() ? bus_->Write(address7_, message)
                        : bus_->WriteRead(address7_, message, read);
  }
  const auto hold = Hold();  // the page this needs and its access, as one
  if (offset < 128 && offset + length > 128) {
    // Lower and upper page bytes live on different pages here: one access each.
    const size_t lower = 128 - offset;
    CPO_RETURN_IF_ERROR(Transfer(offset, write.empty() ? write : write.first(lower),
                                 read.empty() ? read : read.first(lower)));
    return Transfer(128, write.empty() ? write : write.subspan(lower),
                    read.empty() ? read : read.subspan(lower));
  }
  uint8_t wire_offset = offset;
  if (offset < 128) {
    // Selected every time: between holds another driver of the relaying module may have
    // selected its own pages.
    CPO_RETURN_IF_ERROR(
        SelectRaw(0, static_cast<uint8_t>(relocation_.page_base + kRelocatedLowerPage)));
    lower_page_selected_ = true;
    wire_offset = static_cast<uint8_t>(offset + 128);
  } else if (lower_page_selected_) {
    CPO_RETURN_IF_ERROR(
        SelectRaw(selected_bank_, static_cast<uint8_t>(relocation_.page_base + selected_page_)));
    lower_page_selected_ = false;
  }
  message.push_back(wire_offset);
  message.insert(message.end(), write.begin(), write.end());
  return read.empty() ? bus_->Write(address7_, message) : bus_->WriteRead(address7_, message, read);
}

Status CmisAccess::ReadBlock(uint8_t offset, std::span<uint8_t> out) {
  return Transfer(offset, {}, out);
}

Status CmisAccess::WriteByte(uint8_t offset, uint8_t value) {
  CPO_RETURN_IF_ERROR(hal::CheckMayWrite(role_));
  const std::array<uint8_t, 1> bytes = {value};
  return Transfer(offset, bytes, {});
}

Status CmisAccess::WriteBlock(uint8_t offset, std::span<const uint8_t> bytes) {
  CPO_RETURN_IF_ERROR(hal::CheckMayWrite(role_));
  return Transfer(offset, bytes, {});
}

Result<hal::EngineIdentity> CmisAccess::ReadIdentity() {
  const auto hold = Hold();  // the page select and its accesses, as one
  // Lower page 0..40 (identifier, revision, ..., active firmware) and page 00h 128..222 (vendor
  // fields through the checksum): one block each.
  std::array<uint8_t, 41> lower{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kIdentifier, lower));
  CPO_RETURN_IF_ERROR(SelectPage(0, cmis::kPageAdvertising));
  std::array<uint8_t, 95> upper{};  // bytes 128..222
  CPO_RETURN_IF_ERROR(ReadBlock(128, upper));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - 128); };

  hal::EngineIdentity id;
  id.identifier = lower[cmis::kIdentifier];
  id.cmis_major = lower[1] >> 4;
  id.cmis_minor = lower[1] & 0x0f;
  id.firmware_major = lower[cmis::kActiveFirmwareMajor];
  id.firmware_minor = lower[cmis::kActiveFirmwareMajor + 1];
  id.vendor_name = Text(upper, at(cmis::kVendorName), 16);
  for (size_t i = 0; i < 3; ++i) id.vendor_oui[i] = upper[at(cmis::kVendorOui) + i];
  id.part_number = Text(upper, at(cmis::kPartNumber), 16);
  id.revision = Text(upper, at(cmis::kRevision), 2);
  id.serial_number = Text(upper, at(cmis::kSerialNumber), 16);
  id.date_code = Text(upper, at(cmis::kDateCode), 8);
  const uint32_t sum = std::accumulate(upper.begin(), upper.begin() + at(cmis::kChecksum), 0u);
  id.checksum_ok = (sum & 0xff) == upper[at(cmis::kChecksum)];
  return id;
}

Status CmisAccess::SetLowPower(bool low_power) {
  std::array<uint8_t, 1> controls{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kControls, controls));
  // Software decides from now on: the LPMode pin no longer holds the module in low power.
  uint8_t value = controls[0] & ~(cmis::kControlLowPwrAllowRequestHw | cmis::kControlSoftwareReset);
  value = low_power ? (value | cmis::kControlLowPwrRequestSw)
                    : (value & ~cmis::kControlLowPwrRequestSw);
  return WriteByte(cmis::kControls, static_cast<uint8_t>(value));
}

Result<hal::ModuleStatus> CmisAccess::ReadModuleStatus() {
  std::array<uint8_t, 1> state{};
  CPO_RETURN_IF_ERROR(ReadBlock(cmis::kModuleState, state));
  const int code = (state[0] >> 1) & 0x7;
  return hal::ModuleStatus{.state = code >= 1 && code <= 5 ? static_cast<hal::ModuleState>(code)
                                                           : hal::ModuleState::kUnknown,
                           .interrupt = (state[0] & 0x01) == 0};
}

Result<hal::ModuleMonitors> CmisAccess::ReadModuleMonitors() {
  // Bytes 3..41 in one block: state, flags, monitors, controls, masks, firmware, fault cause.
  std::array<uint8_t, cmis::kModuleFaultCause + 1 - cmis::kModuleState> block{};
  CPO_RETURN_IF_ERROR(ReadBlockOf(0, cmis::kModuleState, block));
  auto at = [](uint8_t offset) { return static_cast<size_t>(offset - cmis::kModuleState); };
  hal::ModuleMonitors monitors;
  monitors.flags_read = !observer();
  const int state = (block[at(cmis::kModuleState)] >> 1) & 0x7;
  monitors.state =
      state >= 1 && state <= 5 ? static_cast<hal::ModuleState>(state) : hal::ModuleState::kUnknown;
  const uint8_t cause = block[at(cmis::kModuleFaultCause)];
  monitors.fault_cause =
      cause <= 6 ? static_cast<hal::ModuleFaultCause>(cause) : hal::ModuleFaultCause::kVendor;
  monitors.low_power_requested = (block[at(cmis::kControls)] & cmis::kControlLowPwrRequestSw) != 0;
  monitors.interrupt = (block[at(cmis::kModuleState)] & 0x01) == 0;
  monitors.flags.state_changed = (block[at(cmis::kModuleFlags)] & 0x01) != 0;
  monitors.flags.temperature = ModuleFlagsFromNibble(block[at(cmis::kTempVccFlags)], 0);
  monitors.flags.vcc = ModuleFlagsFromNibble(block[at(cmis::kTempVccFlags)], 4);
  monitors.masks.state_changed = (block[at(cmis::kModuleFlagsMask)] & 0x01) != 0;
  monitors.masks.temperature = ModuleFlagsFromNibble(block[at(cmis::kTempVccFlagsMask)], 0);
  monitors.masks.vcc = ModuleFlagsFromNibble(block[at(cmis::kTempVccFlagsMask)], 4);
  monitors.temperature_c = static_cast<int16_t>(CmisU16(block, at(cmis::kTemperature))) / 256.0;
  monitors.vcc_v = CmisU16(block, at(cmis::kSupplyVoltage)) * 100e-6;
  return monitors;
}

Result<std::array<uint8_t, 256>> CmisAccess::ReadWindow(uint8_t bank, uint8_t page) {
  const auto hold = Hold();  // the page select and its accesses, as one
  CPO_RETURN_IF_ERROR(SelectPage(bank, page));
  std::array<uint8_t, 256> window{};
  CPO_RETURN_IF_ERROR(ReadBlockOf(page, 0, std::span(window).first(128)));
  CPO_RETURN_IF_ERROR(ReadBlockOf(page, 128, std::span(window).last(128)));
  if (relocation_.relocated()) {
    // The relayed lower page's select bytes show the relaying module's slot; show what the
    // module's own window would.
    window[cmis::kBankSelect] = bank;
    window[cmis::kBankSelect + 1] = page;
  }
  return window;
}

Status CmisAccess::ReadWindowBytes(uint8_t bank, uint8_t page, uint8_t offset,
                                   std::span<uint8_t> out) {
  if (observer()) {
    for (size_t k = 0; k < out.size(); ++k) {
      const auto at = static_cast<uint8_t>(offset + k);
      if (!IsLatched(page, at)) continue;
      return {
          StatusCode::kFailedPrecondition,
          fmt::format(
              "byte {} of {} is a latched flag that clears when read; only the "
              "switch's owner reads it (its flag history: cpoctl show oe|laser ID "
              "--flags). Read the bytes around it",
              at, at < 128 ? std::string("the lower page") : fmt::format("page {:02X}h", page))};
    }
  }
  const auto hold = Hold();  // the page select and its read, as one
  CPO_RETURN_IF_ERROR(SelectPage(bank, page));
  return ReadBlock(offset, out);
}

Status CmisAccess::WriteWindow(uint8_t bank, uint8_t page, uint8_t offset,
                               std::span<const uint8_t> bytes) {
  const auto hold = Hold();  // the page select and its write, as one
  CPO_RETURN_IF_ERROR(SelectPage(bank, page));
  return WriteBlock(offset, bytes);
}

}  // namespace cpo::drivers
