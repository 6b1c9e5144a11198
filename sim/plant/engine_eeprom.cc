#include "engine_eeprom.h"

#include <array>
#include <cmath>
#include <iterator>
#include <string>

namespace cpo::sim {
namespace {

constexpr uint16_t kSlotLower = 0, kSlotPage00 = 1, kSlotPage01 = 2, kSlotPage02 = 3;
// Bank b's pages 10h, 11h and 13h are slots kSlotFirstBank + 3b + 0, 1, 2.
constexpr uint16_t kSlotFirstBank = 4;

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
  // Application descriptors (SFF-8024 host / media interface codes): 800G, 400G, 200G and 100G
  // over 8, 4, 2 and 1 lanes of 100G, each allowed to start where its lane count divides.
  struct Application {
    uint8_t host_id, media_id, lane_counts, host_lane_options;
  };
  constexpr Application kApplications[] = {
      {0x51, 0x56, 0x88, 0x01},  // 800GAUI-8 S C2M -> 800GBASE-DR8
      {0x4F, 0x1C, 0x44, 0x11},  // 400GAUI-4-S C2M -> 400GBASE-DR4
      {0x4D, 0xC0, 0x22, 0x55},  // 200GAUI-2-S C2M -> vendor-specific 2x100G
      {0x4B, 0x14, 0x11, 0xFF},  // 100GAUI-1-S C2M -> 100GBASE-DR
  };
  for (size_t a = 0; a < std::size(kApplications); ++a) {
    const int at = 86 + 4 * static_cast<int>(a);
    image.Byte(kSlotLower, at, kApplications[a].host_id);
    image.Byte(kSlotLower, at + 1, kApplications[a].media_id);
    image.Byte(kSlotLower, at + 2, kApplications[a].lane_counts);
    image.Byte(kSlotLower, at + 3, kApplications[a].host_lane_options);
  }
  image.Byte(kSlotLower, 86 + 4 * static_cast<int>(std::size(kApplications)), 0xFF);  // end

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
  // Bit 6: VDM pages, bit 5: diagnostics pages 13h/14h.
  image.Byte(kSlotPage01, 142, static_cast<uint8_t>(0x40 | 0x20 | banks_code));
  // Byte 144: DPInit duration code in bits 3-0, DPDeinit in bits 7-4; 168: DPTxTurnOn, TurnOff.
  image.Byte(kSlotPage01, 144,
             static_cast<uint8_t>(CmisDurationCode(timing.data_path_deinit_ms) << 4 |
                                  CmisDurationCode(timing.data_path_init_ms)));
  image.Byte(kSlotPage01, 168,
             static_cast<uint8_t>(CmisDurationCode(timing.tx_turn_off_ms) << 4 |
                                  CmisDurationCode(timing.tx_turn_on_ms)));
  // Page 13h of every bank: loopbacks (media output, media input, host output, host input, per
  // lane on both sides, both sides at once) and patterns PRBS31Q..PRBS7 (codes 0-11) on every
  // generator and checker.
  for (int bank = 0; bank < banks; ++bank) {
    // Page 10h power-on controls: every lane held in DPDeinit with its Tx output disabled, as
    // cmis_datapath.sv starts.
    const auto controls = static_cast<uint16_t>(kSlotFirstBank + 3 * bank);
    image.Byte(controls, 128, 0xFF);
    image.Byte(controls, 130, 0xFF);
    const auto slot = static_cast<uint16_t>(kSlotFirstBank + 3 * bank + 2);
    image.Byte(slot, 128, 0x7F);
    for (int offset = 132; offset < 140; offset += 2) {
      image.Byte(slot, offset, 0xFF);
      image.Byte(slot, offset + 1, 0x0F);
    }
  }
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
