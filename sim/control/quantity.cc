#include "cpo/sim/quantity.h"

#include <fmt/format.h>

#include <cmath>
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
    {"snr_db", 256.0, 0.0, 65535.0 / 256.0, true},             // u16, 1/256 dB
    // VDM observables: type 1 laser age (u16, 1 %), 4 laser temperature (s16, 1/256 degC), 5
    // eSNR media (u16, 1/256 dB), 9-12 pre-FEC BER (F16), 84 ELS input power (s16, 0.01 dBm).
    {"laser_age_pct", 1.0, 0.0, 65535.0, true, QuantityChannel::kVdm, 0},
    {"laser_temperature_c", 256.0, -128.0, 32767.0 / 256.0, true, QuantityChannel::kVdm, 1},
    {"esnr_db", 256.0, 0.0, 65535.0 / 256.0, true, QuantityChannel::kVdm, 2},
    {"pre_fec_ber_min", 0.0, 0.0, 1.0, true, QuantityChannel::kVdm, 3},
    {"pre_fec_ber_max", 0.0, 0.0, 1.0, true, QuantityChannel::kVdm, 4},
    {"pre_fec_ber_average", 0.0, 0.0, 1.0, true, QuantityChannel::kVdm, 5},
    {"pre_fec_ber_current", 0.0, 0.0, 1.0, true, QuantityChannel::kVdm, 6},
    {"els_input_power_dbm", 100.0, -327.68, 327.67, true, QuantityChannel::kVdm, 7},
};
static_assert(std::size(kEncodings) == static_cast<size_t>(Quantity::kLast) + 1);

// CMIS F16: value = mantissa (bits 10-0) * 10^(exponent (bits 15-11) - 24), largest mantissa
// that fits for the best precision.
uint16_t EncodeF16(double value) {
  if (value <= 0) return 0;
  for (int exponent = 0; exponent < 32; ++exponent) {
    const double mantissa = value / std::pow(10.0, exponent - 24);
    if (mantissa < 2047.5) {
      return static_cast<uint16_t>(exponent << 11 | static_cast<int>(std::lround(mantissa)));
    }
  }
  return 0xffff;
}

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

uint16_t EncodeQuantity(Quantity quantity, double value) {
  const QuantityEncoding& encoding = EncodingOf(quantity);
  if (encoding.codes_per_unit == 0) return EncodeF16(value);
  return static_cast<uint16_t>(static_cast<int32_t>(std::lround(value * encoding.codes_per_unit)) &
                               0xffff);
}

}  // namespace cpo::sim
