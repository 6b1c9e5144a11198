#include "cpo/hal/serdes_types.h"

#include <fmt/format.h>

#include <array>
#include <string>

namespace cpo::hal {
namespace {

constexpr std::array<std::string_view, 3> kLoopbackNames = {"none", "near-end", "far-end"};
constexpr std::array<std::string_view, 4> kPrbsModeNames = {"off", "tx-rx", "rx", "tx"};

// The enum value whose name is `name`, for enums numbered 0.. in the order of `names`.
template <typename Enum, size_t N>
Result<Enum> ParseByName(std::string_view what, std::string_view name,
                         const std::array<std::string_view, N>& names) {
  std::string known;
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
    known += (known.empty() ? "" : ", ") + std::string(names[i]);
  }
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown {} '{}' (known: {})", what, name, known));
}

}  // namespace

int SerdesLaneRateGbps(SerdesLaneRate rate) {
  switch (rate) {
    case SerdesLaneRate::kOff:
      return 0;
    case SerdesLaneRate::k50G:
      return 50;
    case SerdesLaneRate::k100G:
      return 100;
    case SerdesLaneRate::k200G:
      return 200;
  }
  return 0;
}

Result<SerdesLaneRate> SerdesLaneRateForGbps(int gbps) {
  for (auto rate : {SerdesLaneRate::k50G, SerdesLaneRate::k100G, SerdesLaneRate::k200G}) {
    if (SerdesLaneRateGbps(rate) == gbps) return rate;
  }
  return Status(StatusCode::kNotSupported,
                fmt::format("no SerDes lane rate of {}G (lanes run at 50G, 100G or 200G)", gbps));
}

std::string_view PortLoopbackName(PortLoopback loopback) {
  return kLoopbackNames[static_cast<size_t>(loopback)];
}

Result<PortLoopback> ParsePortLoopback(std::string_view name) {
  return ParseByName<PortLoopback>("port loopback", name, kLoopbackNames);
}

std::string_view PortPrbsModeName(PortPrbsMode mode) {
  return kPrbsModeNames[static_cast<size_t>(mode)];
}

Result<PortPrbsMode> ParsePortPrbsMode(std::string_view name) {
  return ParseByName<PortPrbsMode>("PRBS mode", name, kPrbsModeNames);
}

}  // namespace cpo::hal
