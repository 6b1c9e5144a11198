// OIF ELSFP memory-map facts the ELSFP driver uses (offsets within the 256-byte window; pages 1Ah
// and 1Bh are banked, 8 lanes a bank). Source: shared/reference/cmis-elsfp.md.
#pragma once

#include <cstdint>

namespace cpo::drivers::elsfp {

// Page 1Ah: capabilities, thresholds, flags, lane controls.
constexpr uint8_t kPageLaserControl = 0x1A;
constexpr uint8_t kMaxPower = 128;         // u16, 10 uW; then min power at 130
constexpr uint8_t kMaxBias = 132;          // u16, 100 uA; then min bias at 134
constexpr uint8_t kControlMode = 140;      // bit 0: 1 constant power; bits 7-1 lane count
constexpr uint8_t kBiasThresholds = 141;   // HA, LA, HW, LW, u16 100 uA each
constexpr uint8_t kPowerThresholds = 149;  // HA, LA, HW, LW, u16 10 uW each
constexpr uint8_t kFaultFlags = 166;       // bit/lane, lanes 1-32
// OIF command 0x10-0x12, 0x18/0x19, 0x20-0x22, 0x28/0x29 (bank 0); 185 confirms it: 1 success,
// 2 in progress, 3 invalid, 4 nothing saved, 8 failed.
constexpr uint8_t kSaveRestore = 184;
constexpr uint8_t kSaveRestoreResult = 185;
constexpr uint8_t kLaneFlags = 186;           // 8 bytes: bias HA, LA, HW, LW, power HA, LA, HW, LW
constexpr uint8_t kLaneMasks = 198;           // masks of the 8 lane flag bytes, bit/lane
constexpr uint8_t kLaneCodes = 212;           // per lane: fault code 3-0, warning code 7-4
constexpr uint8_t kLaneEnable = 220;          // bit/lane
constexpr uint8_t kLaneState = 221;           // 2 bytes, 2 bits a lane: 0 off, 1 ramping, 2 on
constexpr uint8_t kFiberChecked = 223;        // bit/lane
constexpr uint8_t kFiberMap = 224;            // 8 bytes: lane -> output fibre
constexpr uint8_t kFiberCheckSetpoint = 248;  // 1 mW units

// Page 1Bh: setpoints and monitors.
constexpr uint8_t kPageLaserMonitors = 0x1B;
constexpr uint8_t kBiasSetpoint = 128;   // u16 per lane, 100 uA
constexpr uint8_t kPowerSetpoint = 144;  // u16 per lane, 10 uW
constexpr uint8_t kBiasMonitor = 184;    // u16 per lane, 100 uA
constexpr uint8_t kPowerMonitor = 200;   // u16 per lane, 10 uW
constexpr uint8_t kLaneVoltage = 232;    // u8 per lane, 15 mV
constexpr uint8_t kIcc = 240;            // u16, the bank's supply current, 200 uA

constexpr double kMaPerBiasUnit = 0.1;
constexpr double kMwPerPowerUnit = 0.01;
constexpr double kVoltsPerVoltageUnit = 0.015;
constexpr double kMaPerIccUnit = 0.2;

}  // namespace cpo::drivers::elsfp
