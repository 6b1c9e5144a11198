#include "engine_eeprom.h"

#include <array>
#include <cmath>
#include <string>

namespace cpo::sim {
namespace {

constexpr uint16_t kSlotLower = 0, kSlotPage00 = 1, kSlotPage01 = 2, kSlotPage02 = 3;

class Image {
 public:
  void Byte(uint16_t slot, int offset, uint8_t value) {
    bytes_.emplace_back(static_cast<uint16_t>(slot * 128 + offset % 128), value);
    if (slot == kSlotPage00 && offset >= 128 && offset <= 221) checksum_ += value;
  }
  // Space-padded ASCII field, as CMIS stores vendor name, part number and serial.
  void Text(uint16_t slot, int offset, int width, const std::string& text) {
    for (int i = 0; i < width; ++i) {
      Byte(slot, offset + i,
           static_cast<uint8_t>(i < static_cast<int>(text.size()) ? text[i] : ' '));
    }
  }
  std::vector<std::pair<uint16_t, uint8_t>> Finish() {
    Byte(kSlotPage00, 222, static_cast<uint8_t>(checksum_ & 0xff));
    return std::move(bytes_);
  }

 private:
  std::vector<std::pair<uint16_t, uint8_t>> bytes_;
  uint32_t checksum_ = 0;
};

}  // namespace

std::vector<std::pair<uint16_t, uint8_t>> BuildEngineEeprom(const EngineIdentity& identity,
                                                            int lanes, const EngineTiming& timing,
                                                            const EngineThresholds& thresholds) {
  Image image;
  image.Byte(kSlotLower, 0, 0x80);  // identifier: vendor allocation, used for CPO engines
  image.Byte(kSlotLower, 1, 0x53);  // CMIS 5.3
  image.Byte(kSlotLower, 2, 0x00);  // paged memory
  image.Byte(kSlotLower, 39, identity.firmware_major);
  image.Byte(kSlotLower, 40, identity.firmware_minor);
  image.Byte(kSlotLower, 85, 0x02);  // media type: optical single-mode

  image.Text(kSlotPage00, 129, 16, identity.vendor_name);
  image.Byte(kSlotPage00, 145, 0x00);  // OUI: none assigned to the model
  image.Byte(kSlotPage00, 146, 0x00);
  image.Byte(kSlotPage00, 147, 0x00);
  image.Text(kSlotPage00, 148, 16, identity.part_number);
  image.Text(kSlotPage00, 164, 2, identity.revision);
  image.Text(kSlotPage00, 166, 16, identity.serial_number);
  image.Text(kSlotPage00, 182, 8, identity.date_code);
  image.Byte(kSlotPage00, 200, 0xE0);                             // power class 8
  image.Byte(kSlotPage00, 201, static_cast<uint8_t>(lanes / 2));  // max power, 0.25 W units

  const int banks = (lanes + 7) / 8;
  // Page 01h byte 142 bits 1-0 can say at most "banks 0-3"; the platform carries the true count.
  const uint8_t banks_code = banks <= 1 ? 0 : banks <= 2 ? 1 : 2;
  image.Byte(kSlotPage01, 128, identity.firmware_major);  // inactive image, same version
  image.Byte(kSlotPage01, 129, identity.firmware_minor);
  image.Byte(kSlotPage01, 130, 1);  // hardware revision 1.0
  image.Byte(kSlotPage01, 131, 0);
  image.Byte(kSlotPage01, 142, banks_code);
  // Byte 167: ModulePwrUp duration code in bits 3-0, ModulePwrDn in bits 7-4.
  image.Byte(kSlotPage01, 167,
             static_cast<uint8_t>(CmisDurationCode(timing.module_power_down_ms) << 4 |
                                  CmisDurationCode(timing.module_power_up_ms)));
  // Page 02h: high alarm, low alarm, high warning, low warning per quantity, encoded like the
  // monitor they guard.
  auto thresholds_at = [&](int offset, Quantity quantity, const ThresholdSet& set) {
    const double scale = EncodingOf(quantity).codes_per_unit;
    const double values[] = {set.high_alarm, set.low_alarm, set.high_warning, set.low_warning};
    for (int i = 0; i < 4; ++i) {
      const auto code = static_cast<uint16_t>(static_cast<int32_t>(std::lround(values[i] * scale)));
      image.Byte(kSlotPage02, offset + 2 * i, static_cast<uint8_t>(code >> 8));
      image.Byte(kSlotPage02, offset + 2 * i + 1, static_cast<uint8_t>(code & 0xff));
    }
  };
  thresholds_at(128, Quantity::kTemperatureC, thresholds.temperature_c);
  thresholds_at(136, Quantity::kVccV, thresholds.vcc_v);
  thresholds_at(176, Quantity::kTxPowerMw, thresholds.tx_power_mw);
  thresholds_at(184, Quantity::kTxBiasMa, thresholds.tx_bias_ma);
  thresholds_at(192, Quantity::kRxPowerMw, thresholds.rx_power_mw);
  return image.Finish();
}

}  // namespace cpo::sim
