#include "cmis_image.h"

#include <cmath>

namespace cpo::sim {

void CmisImage::Byte(uint16_t slot, int offset, uint8_t value) {
  bytes_[static_cast<uint16_t>(slot * 128 + offset % 128)] = value;
}

uint8_t CmisImage::Checksum(uint16_t slot, int first, int last) const {
  uint32_t sum = 0;
  for (int offset = first; offset <= last; ++offset) {
    auto it = bytes_.find(static_cast<uint16_t>(slot * 128 + offset % 128));
    if (it != bytes_.end()) sum += it->second;
  }
  return static_cast<uint8_t>(sum & 0xff);
}

void CmisImage::U16(uint16_t slot, int offset, uint16_t value) {
  Byte(slot, offset, static_cast<uint8_t>(value >> 8));
  Byte(slot, offset + 1, static_cast<uint8_t>(value & 0xff));
}

void CmisImage::Text(uint16_t slot, int offset, int width, const std::string& text) {
  for (int i = 0; i < width; ++i) {
    Byte(slot, offset + i, static_cast<uint8_t>(i < static_cast<int>(text.size()) ? text[i] : ' '));
  }
}

void CmisImage::Banks(int lanes, uint8_t page_flags) {
  const int banks = (lanes + 7) / 8;
  const uint8_t code = banks <= 1 ? 0 : banks <= 2 ? 1 : banks <= 4 ? 2 : 3;
  Byte(kSlotPage01, 142, static_cast<uint8_t>((page_flags & 0xFC) | code));
  if (code == 3) Byte(kSlotPage01, 174, static_cast<uint8_t>(banks & 0x1F));
}

void CmisImage::Thresholds(int offset, Quantity quantity, const ThresholdSet& set) {
  const double values[] = {set.high_alarm, set.low_alarm, set.high_warning, set.low_warning};
  for (int i = 0; i < 4; ++i) U16(kSlotPage02, offset + 2 * i, EncodeQuantity(quantity, values[i]));
}

void CmisImage::Module(uint8_t identifier, const EngineIdentity& identity, uint32_t power_up_ms,
                       uint32_t power_down_ms, const ThresholdSet& temperature_c,
                       const ThresholdSet& vcc_v) {
  Byte(kSlotLower, 0, identifier);
  Byte(kSlotPage00, 128, identifier);  // page 00h repeats it: a host checks both
  Byte(kSlotLower, 1, 0x53);           // CMIS 5.3
  Byte(kSlotLower, 2, 0x00);           // paged memory
  Byte(kSlotLower, 39, identity.firmware_major);
  Byte(kSlotLower, 40, identity.firmware_minor);
  Text(kSlotPage00, 129, 16, identity.vendor_name);
  Byte(kSlotPage00, 145, 0x00);  // OUI: none assigned to the model
  Byte(kSlotPage00, 146, 0x00);
  Byte(kSlotPage00, 147, 0x00);
  Text(kSlotPage00, 148, 16, identity.part_number);
  Text(kSlotPage00, 164, 2, identity.revision);
  Text(kSlotPage00, 166, 16, identity.serial_number);
  Text(kSlotPage00, 182, 8, identity.date_code);
  Byte(kSlotPage01, 128, identity.firmware_major);  // inactive image, same version
  Byte(kSlotPage01, 129, identity.firmware_minor);
  Byte(kSlotPage01, 130, 1);  // hardware revision 1.0
  Byte(kSlotPage01, 131, 0);
  // Byte 167: ModulePwrUp duration code in bits 3-0, ModulePwrDn in bits 7-4.
  Byte(kSlotPage01, 167,
       static_cast<uint8_t>(CmisDurationCode(power_down_ms) << 4 | CmisDurationCode(power_up_ms)));
  Thresholds(128, Quantity::kTemperatureC, temperature_c);
  Thresholds(136, Quantity::kVccV, vcc_v);
}

std::vector<std::pair<uint16_t, uint8_t>> CmisImage::Finish() {
  // Each the low 8 bits of its range's sum: page 00h 128-221, page 01h 130-254.
  Byte(kSlotPage00, 222, Checksum(kSlotPage00, 128, 221));
  Byte(kSlotPage01, 255, Checksum(kSlotPage01, 130, 254));
  return {bytes_.begin(), bytes_.end()};
}

}  // namespace cpo::sim
