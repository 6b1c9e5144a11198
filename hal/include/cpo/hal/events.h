// Events a Device reports: module state changes (with the fault cause) and flags that latch or
// clear. Every read of an engine's flags feeds them, whoever made the read, so no event is lost
// to another reader of a clear-on-read byte.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace cpo::hal {

enum class EventKind : uint8_t {
  kModuleStateChanged,  // detail: "LowPwr -> Ready", "Ready -> Fault (cause tec-runaway)"
  kFlagSet,             // a latched flag was found set (name as in FlagRecord)
  kFlagCleared,         // and later found clear again
};
std::string_view EventKindName(EventKind kind);  // "module-state", "flag-set", "flag-cleared"

struct Event {
  EventKind kind = EventKind::kFlagSet;
  std::string source;  // engine name
  std::string name;    // "module.state", "temperature.high_alarm", "lane3.rx_power.low_warning"
  std::string detail;
  std::chrono::nanoseconds time{0};  // device time of the read that found it
};

using EventCallback = std::function<void(const Event&)>;
using SubscriptionId = uint64_t;

}  // namespace cpo::hal
