#include "laser_source_eeprom.h"

#include <cmath>

#include "cmis_image.h"

namespace cpo::sim {
namespace {

constexpr uint16_t Page1A(int bank) { return static_cast<uint16_t>(4 + 2 * bank); }
constexpr uint16_t Page1B(int bank) { return static_cast<uint16_t>(5 + 2 * bank); }

// Units of pages 1Ah/1Bh: optical power in 10 uW, bias in 100 uA.
uint16_t PowerCode(double mw) { return static_cast<uint16_t>(std::lround(mw * 100)); }
uint16_t BiasCode(double ma) { return static_cast<uint16_t>(std::lround(ma * 10)); }

}  // namespace

std::vector<std::pair<uint16_t, uint8_t>> BuildLaserSourceEeprom(
    const EngineIdentity& identity, int lanes, const std::vector<int>& fiber_of_lane,
    const LaserSourceTiming& timing) {
  CmisImage image;
  // Identifier 0x22 (OIF-ELSFP with CMIS); the module function type says "resource module".
  image.Module(0x22, identity, timing.module_power_up_ms, timing.module_power_down_ms,
               ThresholdSet{75.0, -5.0, 70.0, 0.0}, ThresholdSet{3.6, 3.0, 3.5, 3.1});
  image.Byte(CmisImage::kSlotLower, 57, 0x01);
  // Page 1Ah capabilities and thresholds, in every bank: a host reading bank 1 for lanes 9-16
  // finds the same limits, lane count, control mode and fibre-check setpoint as in bank 0.
  const int banks = (lanes + 7) / 8;
  image.Banks(lanes, 0);
  for (int bank = 0; bank < banks; ++bank) {
    const uint16_t caps = Page1A(bank);
    image.U16(caps, 128, PowerCode(25.0));  // max optical power per lane
    image.U16(caps, 130, PowerCode(5.0));   // min
    image.U16(caps, 132, BiasCode(400.0));  // max bias
    image.U16(caps, 134, BiasCode(30.0));   // min
    // Byte 140: lane count in bits 7-1, control mode bit 0 (1 = constant power).
    image.Byte(caps, 140, static_cast<uint8_t>(lanes << 1 | 1));
    const double bias_thresholds[] = {350.0, 40.0, 320.0, 60.0};  // HA, LA, HW, LW (mA)
    const double power_thresholds[] = {24.0, 8.0, 22.0, 12.0};    // HA, LA, HW, LW (mW)
    for (int i = 0; i < 4; ++i) {
      image.U16(caps, 141 + 2 * i, BiasCode(bias_thresholds[i]));
      image.U16(caps, 149 + 2 * i, PowerCode(power_thresholds[i]));
    }
    image.Byte(caps, 248, 2);  // fibre-check setpoint, 1 mW units
  }
  for (int lane = 1; lane <= lanes; ++lane) {
    const int bank = (lane - 1) / 8;
    const int k = (lane - 1) % 8;
    const auto fiber = static_cast<size_t>(lane - 1) < fiber_of_lane.size()
                           ? fiber_of_lane[static_cast<size_t>(lane - 1)]
                           : 0;
    image.Byte(Page1A(bank), 224 + k, static_cast<uint8_t>(fiber));
    image.U16(Page1A(bank), 232 + 2 * k, 45740);            // ~228.7 THz (1310 nm), 5 GHz units
    image.U16(Page1B(bank), 128 + 2 * k, BiasCode(100.0));  // bias setpoint (constant current)
    image.U16(Page1B(bank), 144 + 2 * k, PowerCode(18.0));  // power setpoint (constant power)
  }
  // Lane voltages (1Bh:232-239) and Icc (240-241) are live monitors the RTL computes.
  return image.Finish();
}

}  // namespace cpo::sim
