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
constexpr uint8_t kCapabilityFlags = 142;          // bit 6 VDM, bit 5 pages 13h/14h, bits 1-0 banks
constexpr uint8_t kExtraLaneBanks = 174;           // bits 4-0: bank count when 142 bits 1-0 = 3
constexpr uint8_t kDataPathDurations = 144;        // DPInit bits 3-0, DPDeinit bits 7-4
constexpr uint8_t kModuleDurations = 167;          // ModulePwrUp bits 3-0, ModulePwrDn bits 7-4
constexpr uint8_t kTxDurations = 168;              // DPTxTurnOn bits 3-0, DPTxTurnOff bits 7-4
constexpr uint8_t kLaneControlsSupported = 155;    // bit 1 Tx output disable
constexpr uint8_t kRxFlagsSupported = 158;         // bit 1 Rx LOS, bit 2 Rx CDR LOL
constexpr uint8_t kModuleMonitorsSupported = 159;  // bit 0 temperature, bit 1 Vcc
constexpr uint8_t kLaneMonitorsSupported = 160;    // bits 0-2 Tx bias/power, Rx power; 4-3 bias x
constexpr uint8_t kMediaLaneOptions = 176;         // one byte per application 1-15
constexpr int kMediaLaneOptionCount = 15;

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
constexpr uint8_t kRxLos = 147;     // bit/lane, latched
constexpr uint8_t kRxCdrLol = 148;  // bit/lane, latched
constexpr uint8_t kRxPowerHighAlarm = 149;
constexpr uint8_t kTxPowerLane1 = 154;  // u16 per lane, 0.1 uW
constexpr uint8_t kTxBiasLane1 = 170;   // u16 per lane, 2 uA
constexpr uint8_t kRxPowerLane1 = 186;  // u16 per lane, 0.1 uW

// Lower page: applications.
constexpr uint8_t kMediaType = 85;
constexpr uint8_t kApplicationDescriptors = 86;  // 8 x {host id, media id, lane counts, options}
constexpr int kApplicationCount = 8;

// Page 10h (banked): lane controls.
constexpr uint8_t kPageLaneControls = 0x10;
constexpr uint8_t kDataPathDeinit = 128;       // bit/lane
constexpr uint8_t kTxOutputDisable = 130;      // bit/lane
constexpr uint8_t kApplyDataPathInit = 143;    // bit/lane, write-only trigger
constexpr uint8_t kDataPathConfigLane1 = 145;  // 8 bytes: AppSel 7-4, DataPathID 3-1, Explicit 0
constexpr uint8_t kLaneMasks = 213;  // 20 bytes, bit/lane, mirroring the flags 11h:134-153

// Page 11h (banked): data-path status.
constexpr uint8_t kDataPathStateLanes12 = 128;  // 4 bytes, nibble/lane, lane 1 low nibble
constexpr uint8_t kDataPathStateChanged = 134;  // bit/lane, latched, clear on read
constexpr uint8_t kConfigStatusLanes12 = 202;   // 4 bytes, nibble/lane
constexpr uint8_t kActiveConfigLane1 = 206;     // 8 bytes, as DPConfig
constexpr uint8_t kDataPathInitPending = 235;   // bit/lane

// Page 13h (banked): diagnostics capabilities and controls.
constexpr uint8_t kPageDiagnosticControls = 0x13;
constexpr uint8_t kLoopbackCapabilities = 128;
constexpr uint8_t kPatternCapabilities = 132;   // 4 x u16: host gen, media gen, host chk, media chk
constexpr uint8_t kHostGeneratorEnable = 144;   // the control block runs 144..183
constexpr uint8_t kHostGeneratorPattern = 148;  // 4 bytes, nibble/lane
constexpr uint8_t kMediaGeneratorEnable = 152;
constexpr uint8_t kMediaGeneratorPattern = 156;
constexpr uint8_t kHostCheckerEnable = 160;
constexpr uint8_t kHostCheckerPattern = 164;
constexpr uint8_t kMediaCheckerEnable = 168;
constexpr uint8_t kMediaCheckerPattern = 172;
constexpr uint8_t kDiagnosticOptions = 177;  // bit 5: reset error statistics
constexpr uint8_t kResetErrorStatistics = 1u << 5;
constexpr uint8_t kMediaOutputLoopback = 180;  // then media input, host output, host input
constexpr uint8_t kDiagnosticControlsEnd = 183;

// Page 14h (banked): diagnostics results.
constexpr uint8_t kPageDiagnosticResults = 0x14;
constexpr uint8_t kDiagnosticSelector = 128;  // 1 = BER, 6 = SNR
constexpr uint8_t kSelectBer = 1;
constexpr uint8_t kSelectSnr = 6;
constexpr uint8_t kHostCheckerLostLock = 136;  // bit/lane (this model: real-time)
constexpr uint8_t kMediaCheckerLostLock = 137;
constexpr uint8_t kHostBerLane1 = 192;   // F16 per lane (selector 1)
constexpr uint8_t kMediaBerLane1 = 208;  // F16 per lane (selector 1)
constexpr uint8_t kHostSnrLane1 = 208;   // u16 1/256 dB per lane (selector 6)
constexpr uint8_t kMediaSnrLane1 = 240;  // u16 1/256 dB per lane (selector 6)

// VDM (banked pages; group 1 only).
constexpr uint8_t kPageVdmDescriptors = 0x20;  // 2 bytes per instance
constexpr uint8_t kPageVdmSamples = 0x24;      // 2 bytes per instance
constexpr uint8_t kPageVdmThresholds = 0x28;   // 8 bytes per threshold set: HA, LA, HW, LW
constexpr uint8_t kPageVdmFlags = 0x2C;        // nibble per instance (HA, LA, HW, LW), latched
constexpr uint8_t kPageVdmMasks = 0x2D;        // the flags' masks, the same layout (1 = masked)
constexpr uint8_t kPageVdmControl = 0x2F;
constexpr uint8_t kVdmFreezeRequest = 144;  // bit 7
constexpr uint8_t kVdmFreezeDone = 145;     // bit 7

constexpr int kLanesPerBank = 8;

}  // namespace cpo::drivers::cmis
