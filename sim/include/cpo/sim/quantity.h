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
};

struct QuantityEncoding {
  std::string_view name;  // "temperature_c", "tx_power_mw", ... (unit in the name)
  double codes_per_unit;  // monitor code = value * codes_per_unit
  double min;
  double max;
  bool per_lane;
};

const QuantityEncoding& EncodingOf(Quantity quantity);
std::string_view QuantityName(Quantity quantity);
bool IsPerLane(Quantity quantity);
Result<Quantity> ParseQuantity(std::string_view name);

}  // namespace cpo::sim
