#include "engine_eeprom.h"

#include <array>
#include <cmath>
#include <iterator>
#include <string>

#include "cmis_image.h"

namespace cpo::sim {
namespace {

constexpr uint16_t kSlotLower = CmisImage::kSlotLower, kSlotPage00 = CmisImage::kSlotPage00,
                   kSlotPage01 = CmisImage::kSlotPage01;
// Bank b's pages 10h, 11h and 13h are slots kSlotFirstBank + 3b + 0, 1, 2.
constexpr uint16_t kSlotFirstBank = 4;

}  // namespace

std::vector<std::pair<uint16_t, uint8_t>> BuildEngineEeprom(const EngineIdentity& identity,
                                                            int lanes, const EngineTiming& timing,
                                                            const EngineThresholds& thresholds,
                                                            const EngineFeatures& features) {
  CmisImage image;
  // Identifier 0x80: vendor allocation, used for CPO engines.
  image.Module(0x80, identity, timing.module_power_up_ms, timing.module_power_down_ms,
               thresholds.temperature_c, thresholds.vcc_v);
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
    // Page 01h 176+: where each application may start on the media side (here the media lanes
    // follow the host lanes one to one, so the same starts).
    image.Byte(kSlotPage01, 176 + static_cast<int>(a), kApplications[a].host_lane_options);
    const int at = 86 + 4 * static_cast<int>(a);
    image.Byte(kSlotLower, at, kApplications[a].host_id);
    image.Byte(kSlotLower, at + 1, kApplications[a].media_id);
    image.Byte(kSlotLower, at + 2, kApplications[a].lane_counts);
    image.Byte(kSlotLower, at + 3, kApplications[a].host_lane_options);
  }
  image.Byte(kSlotLower, 86 + 4 * static_cast<int>(std::size(kApplications)), 0xFF);  // end

  // Media interface technology (SFF-8024): the engines modulate the external 1310 nm lasers'
  // light onto single-mode fibre; 0x04 "1310 nm DFB" names that light.
  image.Byte(kSlotPage00, 212, 0x04);
  image.Byte(kSlotPage00, 200, 0xE0);                             // power class 8
  image.Byte(kSlotPage00, 201, static_cast<uint8_t>(lanes / 2));  // max power, 0.25 W units

  const int banks = (lanes + 7) / 8;
  // Bit 6: VDM pages, bit 5: diagnostics pages 13h/14h.
  image.Banks(lanes, static_cast<uint8_t>((features.vdm ? 0x40 : 0) |
                                          (features.diagnostics_pages ? 0x20 : 0)));
  // What a host may use: 155 bit 1 Tx output disable (10h:130); 158 Rx flags; 159 module monitors
  // (temperature, Vcc); 160 lane monitors Tx bias, Tx power, Rx power, bias multiplier x1.
  image.Byte(kSlotPage01, 155, 0x02);
  image.Byte(kSlotPage01, 158, 0x06);  // Rx LOS and Rx CDR LOL flags (11h:147/148)
  image.Byte(kSlotPage01, 159, 0x03);
  image.Byte(kSlotPage01, 160, 0x07);
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
    if (!features.diagnostics_pages) continue;
    const auto slot = static_cast<uint16_t>(kSlotFirstBank + 3 * bank + 2);
    image.Byte(slot, 128, 0x7F);
    for (int offset = 132; offset < 140; offset += 2) {
      image.Byte(slot, offset, 0xFF);
      image.Byte(slot, offset + 1, 0x0F);
    }
  }
  image.Thresholds(176, Quantity::kTxPowerMw, thresholds.tx_power_mw);
  image.Thresholds(184, Quantity::kTxBiasMa, thresholds.tx_bias_ma);
  image.Thresholds(192, Quantity::kRxPowerMw, thresholds.rx_power_mw);
  return image.Finish();
}

}  // namespace cpo::sim
