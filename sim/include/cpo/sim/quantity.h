// The analog quantities the plant drives into the model, their names and their monitor encoding.
#pragma once

#include <cstdint>
#include <string_view>

#include "cpo/status.h"

namespace cpo::sim {

enum class Quantity : uint32_t {
  kTemperatureC = 0,
  kVccV = 1,
  kTxPowerMw = 2,
  kTxBiasMa = 3,
  kRxPowerMw = 4,
  kSnrDb = 5,  // host and media SNR as page 14h reports it
  // Versatile Diagnostics Monitoring observables (pages 20h-2Fh), per lane.
  kLaserAgePct = 6,
  kLaserTemperatureC = 7,
  kEsnrDb = 8,
  kPreFecBerMin = 9,
  kPreFecBerMax = 10,
  kPreFecBerAverage = 11,
  kPreFecBerCurrent = 12,
  kElsInputPowerDbm = 13,
  kLast = kElsInputPowerDbm,
};

// How a quantity reaches the RTL: as an ADC sample (plant kind 0) or a VDM sample (kind 6).
enum class QuantityChannel : uint8_t { kAdc, kVdm };

struct QuantityEncoding {
  std::string_view name;  // "temperature_c", "tx_power_mw", ... (unit in the name)
  double codes_per_unit;  // monitor code = value * codes_per_unit (0: CMIS F16 floating point)
  double min;
  double max;
  bool per_lane;
  QuantityChannel channel = QuantityChannel::kAdc;
  int vdm_slot = 0;  // kVdm: the instance slot (cmis_vdm.sv TYPE_IDS order)
};

const QuantityEncoding& EncodingOf(Quantity quantity);
std::string_view QuantityName(Quantity quantity);
bool IsPerLane(Quantity quantity);
Result<Quantity> ParseQuantity(std::string_view name);
// The 16-bit register code of a value within the quantity's range (F16 where CMIS uses it).
uint16_t EncodeQuantity(Quantity quantity, double value);

}  // namespace cpo::sim
