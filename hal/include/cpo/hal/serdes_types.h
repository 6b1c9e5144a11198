// The switch ASIC's SerDes lanes (host side of the optical engines) in HAL terms: lane control,
// host-side PRBS and loopback (the modes SAI names for ports), and what a lane's receiver sees.
#pragma once

#include <cstdint>
#include <string_view>

#include "cpo/hal/diagnostics_types.h"
#include "cpo/status.h"

namespace cpo::hal {

// Electrical lane rate (PAM4): 50G = 26.5625 GBd, 100G = 53.125 GBd, 200G = 106.25 GBd.
enum class SerdesLaneRate : uint8_t { kOff = 0, k50G = 1, k100G = 2, k200G = 3 };
int SerdesLaneRateGbps(SerdesLaneRate rate);  // 0, 50, 100, 200
Result<SerdesLaneRate> SerdesLaneRateForGbps(int gbps);

// SAI_PORT_ATTR_LOOPBACK_MODE: none; PHY (near end: the lane's transmitter into its own
// receiver inside the SerDes); PHY remote (far end: what the lane receives goes back out).
enum class PortLoopback : uint8_t { kNone, kNearEnd, kFarEnd };
std::string_view PortLoopbackName(PortLoopback loopback);  // "none", "near-end", "far-end"
Result<PortLoopback> ParsePortLoopback(std::string_view name);

// SAI_PORT_ATTR_PRBS_CONFIG.
enum class PortPrbsMode : uint8_t { kDisabled, kTxRx, kRx, kTx };
std::string_view PortPrbsModeName(PortPrbsMode mode);  // "off", "tx-rx", "rx", "tx"
Result<PortPrbsMode> ParsePortPrbsMode(std::string_view name);

// One SerDes lane's controls.
struct SerdesLaneConfig {
  bool tx_enabled = false;
  bool tx_invert = false;  // polarity swaps, as the board's layout needs them
  bool rx_invert = false;
  SerdesLaneRate rate = SerdesLaneRate::kOff;
  PortLoopback loopback = PortLoopback::kNone;
  bool generator = false;
  PrbsPattern generator_pattern = PrbsPattern::kPrbs31Q;
  bool checker = false;
  PrbsPattern checker_pattern = PrbsPattern::kPrbs31Q;
  bool operator==(const SerdesLaneConfig&) const = default;
};

// What a lane's receiver sees now, and its checker's counts since it was started or cleared.
struct SerdesLaneStatus {
  bool signal_detect = false;
  bool cdr_lock = false;  // signal at the lane's own rate
  bool pcs_lock = false;  // traffic (not a test pattern) at the right polarity
  bool prbs_lock = false;
  uint64_t prbs_bits = 0;
  uint64_t prbs_errors = 0;
};

}  // namespace cpo::hal
