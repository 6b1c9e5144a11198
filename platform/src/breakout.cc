#include "cpo/platform/breakout.h"

#include <fmt/format.h>

#include <charconv>

namespace cpo::platform {
namespace {

constexpr int kLaneGbps = 100;

std::string ModeNames(int lanes) {
  std::string names;
  for (const auto& mode : BreakoutModesFor(lanes)) {
    names += (names.empty() ? "" : ", ") + mode.name();
  }
  return names.empty() ? "none" : names;
}

}  // namespace

std::string BreakoutMode::name() const { return fmt::format("{}x{}G", ports, speed_gbps); }

std::vector<BreakoutMode> BreakoutModesFor(int lanes) {
  std::vector<BreakoutMode> modes;
  for (int ports = 1; ports <= lanes && ports <= 8; ports *= 2) {
    if (lanes % ports != 0) continue;
    const int speed = lanes / ports * kLaneGbps;
    if (speed >= 100 && speed <= 800) modes.push_back({ports, speed});
  }
  return modes;
}

Result<BreakoutMode> ParseBreakoutMode(std::string_view text, int lanes) {
  const size_t x = text.find('x');
  BreakoutMode mode;
  bool parsed = x != std::string_view::npos && text.size() > x + 2 && text.back() == 'G';
  if (parsed) {
    const char* begin = text.data();
    auto [end_n, error_n] = std::from_chars(begin, begin + x, mode.ports);
    auto [end_s, error_s] =
        std::from_chars(begin + x + 1, begin + text.size() - 1, mode.speed_gbps);
    parsed = error_n == std::errc() && end_n == begin + x && error_s == std::errc() &&
             end_s == begin + text.size() - 1;
  }
  if (!parsed) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("'{}' is not a breakout mode like 4x200G (this port of {} lanes "
                              "allows {})",
                              text, lanes, ModeNames(lanes)));
  }
  for (const auto& allowed : BreakoutModesFor(lanes)) {
    if (allowed == mode) return mode;
  }
  return Status(StatusCode::kInvalidArgument,
                fmt::format("breakout {} does not fit a port of {} lanes at {} Gb/s a lane "
                            "(allowed: {})",
                            text, lanes, kLaneGbps, ModeNames(lanes)));
}

Result<std::vector<SubPort>> SubPortsOf(const PortConfig& port, const BreakoutMode& mode) {
  const int lanes = static_cast<int>(port.engine_lanes.size());
  CPO_RETURN_IF_ERROR(ParseBreakoutMode(mode.name(), lanes).status().WithContext(port.name));
  const int per = lanes / mode.ports;
  std::vector<SubPort> subs;
  for (int k = 0; k < mode.ports; ++k) {
    SubPort sub;
    sub.port = port.name;
    sub.index = k + 1;
    sub.name = mode.ports == 1 ? port.name : fmt::format("{}/{}", port.name, k + 1);
    sub.speed_gbps = mode.speed_gbps;
    for (int i = k * per; i < (k + 1) * per; ++i) {
      sub.host_lanes.push_back(port.host_lanes[static_cast<size_t>(i)]);
      sub.engine_lanes.push_back(port.engine_lanes[static_cast<size_t>(i)]);
    }
    subs.push_back(std::move(sub));
  }
  return subs;
}

}  // namespace cpo::platform
