// CMIS memory-map facts the CMIS driver uses (offsets within the 256-byte window).
#pragma once

#include <cstdint>

namespace cpo::drivers::cmis {

constexpr uint8_t kBankSelect = 126;  // followed by PageSelect at 127: one write sets both

// Lower page.
constexpr uint8_t kIdentifier = 0;
constexpr uint8_t kModuleState = 3;     // bits 3-1 state, bit 0 IntL deasserted
constexpr uint8_t kModuleFlags = 8;     // bit 0 ModuleStateChanged (latched, clear on read)
constexpr uint8_t kTempVccFlags = 9;    // temp HA/LA/HW/LW bits 0-3, Vcc bits 4-7 (latched)
constexpr uint8_t kTemperature = 14;    // s16, 1/256 degC
constexpr uint8_t kSupplyVoltage = 16;  // u16, 100 uV
constexpr uint8_t kControls = 26;       // global controls
constexpr uint8_t kControlLowPwrAllowRequestHw = 1u << 6;
constexpr uint8_t kControlLowPwrRequestSw = 1u << 4;
constexpr uint8_t kControlSoftwareReset = 1u << 3;
constexpr uint8_t kModuleFlagsMask = 31;  // masks for byte 8 (then 9..13 at 32..36)
constexpr uint8_t kTempVccFlagsMask = 32;
constexpr uint8_t kActiveFirmwareMajor = 39;
constexpr uint8_t kModuleFaultCause = 41;

// Page 00h upper.
constexpr uint8_t kPageAdvertising = 0x00;
constexpr uint8_t kVendorName = 129;    // 16 bytes
constexpr uint8_t kVendorOui = 145;     // 3 bytes
constexpr uint8_t kPartNumber = 148;    // 16 bytes
constexpr uint8_t kRevision = 164;      // 2 bytes
constexpr uint8_t kSerialNumber = 166;  // 16 bytes
constexpr uint8_t kDateCode = 182;      // 8 bytes
constexpr uint8_t kChecksum = 222;      // low 8 bits of the sum of bytes 128-221

// Page 01h: advertising.
constexpr uint8_t kPageCapabilities = 0x01;
constexpr uint8_t kInactiveFirmwareMajor = 128;
constexpr uint8_t kHardwareMajor = 130;
constexpr uint8_t kCapabilityFlags = 142;    // bit 6 VDM, bit 5 pages 13h/14h, bits 1-0 banks
constexpr uint8_t kDataPathDurations = 144;  // DPInit bits 3-0, DPDeinit bits 7-4
constexpr uint8_t kModuleDurations = 167;    // ModulePwrUp bits 3-0, ModulePwrDn bits 7-4
constexpr uint8_t kTxDurations = 168;        // DPTxTurnOn bits 3-0, DPTxTurnOff bits 7-4

// Upper bound of a CMIS duration code, in milliseconds (codes above 12 are reserved: treated as
// the longest).
constexpr uint32_t kDurationBoundMs[] = {1,    5,     10,    50,     100,    500,    1000,
                                         5000, 10000, 60000, 300000, 600000, 3000000};

// Page 02h: thresholds, u16 each: high alarm, low alarm, high warning, low warning.
constexpr uint8_t kPageThresholds = 0x02;
constexpr uint8_t kTemperatureThresholds = 128;  // s16, 1/256 degC
constexpr uint8_t kVccThresholds = 136;          // 100 uV
constexpr uint8_t kTxPowerThresholds = 176;      // 0.1 uW
constexpr uint8_t kTxBiasThresholds = 184;       // 2 uA
constexpr uint8_t kRxPowerThresholds = 192;      // 0.1 uW

// Page 11h (banked): lane status and monitors.
constexpr uint8_t kPageLaneStatus = 0x11;
constexpr uint8_t kTxPowerHighAlarm = 139;  // then LA, HW, LW: bit/lane, latched
constexpr uint8_t kTxBiasHighAlarm = 143;
constexpr uint8_t kRxPowerHighAlarm = 149;
constexpr uint8_t kTxPowerLane1 = 154;  // u16 per lane, 0.1 uW
constexpr uint8_t kTxBiasLane1 = 170;   // u16 per lane, 2 uA
constexpr uint8_t kRxPowerLane1 = 186;  // u16 per lane, 0.1 uW

constexpr int kLanesPerBank = 8;

}  // namespace cpo::drivers::cmis
