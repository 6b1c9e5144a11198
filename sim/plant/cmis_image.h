// The non-volatile contents every simulated CMIS module shares (engines and laser sources): the
// identity on the lower page and page 00h (with its checksum), the module durations on page 01h
// (with its checksum)
// and the temperature / Vcc thresholds on page 02h, as (storage address, byte) pairs for an RTL
// EEPROM port (address = slot * 128 + offset % 128; slots 0-3: lower page, pages 00h-02h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cpo/sim/plant.h"

namespace cpo::sim {

class CmisImage {
 public:
  static constexpr uint16_t kSlotLower = 0, kSlotPage00 = 1, kSlotPage01 = 2, kSlotPage02 = 3;

  void Byte(uint16_t slot, int offset, uint8_t value);
  // Big-endian 16-bit field.
  void U16(uint16_t slot, int offset, uint16_t value);
  // Space-padded ASCII field, as CMIS stores vendor name, part number and serial.
  void Text(uint16_t slot, int offset, int width, const std::string& text);
  // Identifier, revision, firmware, vendor fields; module power-up/down codes on page 01h;
  // temperature and Vcc thresholds on page 02h.
  void Module(uint8_t identifier, const EngineIdentity& identity, uint32_t power_up_ms,
              uint32_t power_down_ms, const ThresholdSet& temperature_c, const ThresholdSet& vcc_v);
  // Page 01h byte 142 (bits 7-2 from page_flags, bits 1-0 the banks) and, past 4 banks, the bank
  // count in byte 174 bits 4-0 (ExtraLaneBanksSupported; code 3 in 142 points there).
  void Banks(int lanes, uint8_t page_flags);
  // Page 02h thresholds of one quantity (high alarm, low alarm, high warning, low warning),
  // encoded like its monitor.
  void Thresholds(int offset, Quantity quantity, const ThresholdSet& set);
  // Adds the checksums (page 00h byte 222, page 01h byte 255) and hands the bytes over. A byte
  // written twice keeps its last value.
  std::vector<std::pair<uint16_t, uint8_t>> Finish();

 private:
  uint8_t Checksum(uint16_t slot, int first, int last) const;
  std::map<uint16_t, uint8_t> bytes_;
};

}  // namespace cpo::sim
