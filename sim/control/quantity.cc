#include "cpo/sim/quantity.h"

#include <fmt/format.h>

#include <iterator>
#include <string>

namespace cpo::sim {
namespace {

// CMIS monitor encodings (shared/reference/cmis-elsfp.md).
constexpr QuantityEncoding kEncodings[] = {
    {"temperature_c", 256.0, -128.0, 32767.0 / 256.0, false},  // s16, 1/256 degC
    {"vcc_v", 10000.0, 0.0, 65535.0 / 10000.0, false},         // u16, 100 uV
    {"tx_power_mw", 10000.0, 0.0, 65535.0 / 10000.0, true},    // u16, 0.1 uW
    {"tx_bias_ma", 500.0, 0.0, 65535.0 / 500.0, true},         // u16, 2 uA
    {"rx_power_mw", 10000.0, 0.0, 65535.0 / 10000.0, true},    // u16, 0.1 uW
};

}  // namespace

const QuantityEncoding& EncodingOf(Quantity quantity) {
  return kEncodings[static_cast<size_t>(quantity)];
}

std::string_view QuantityName(Quantity quantity) { return EncodingOf(quantity).name; }

bool IsPerLane(Quantity quantity) { return EncodingOf(quantity).per_lane; }

Result<Quantity> ParseQuantity(std::string_view name) {
  std::string known;
  for (size_t i = 0; i < std::size(kEncodings); ++i) {
    if (kEncodings[i].name == name) return static_cast<Quantity>(i);
    known += (known.empty() ? "" : ", ") + std::string(kEncodings[i].name);
  }
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown plant quantity '{}' (known: {})", name, known));
}

}  // namespace cpo::sim
