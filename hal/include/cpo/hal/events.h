// Events a Device reports: module state changes (with the fault cause) and flags that latch or
// clear. Every read of an engine's flags feeds them, whoever made the read, so no event is lost
// to another reader of a clear-on-read byte.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cpo::hal {

enum class EventKind : uint8_t {
  kModuleStateChanged,  // detail: "LowPwr -> Ready", "Ready -> Fault (cause tec-runaway)"
  kFlagSet,             // a latched flag was found set (name as in FlagRecord)
  kFlagCleared,         // and later found clear again
  kLaserShutdown,       // the safety core turned a laser lane off (detail: why); ports dark
  kLaserSpared,         // a failed laser's fibre moved to a spare, ports back (outage set)
  kLaserFailed,         // a laser failed with no spare left: its ports are down
  kLaserSourceChanged,  // a laser source was pulled out or plugged back in
  kPortLinkUp,          // a logical port's link came up (source and ports: the port)
  kPortLinkDown,        // and went down (detail: why, as PortStatus::reason)
  kPortRecovery,        // the owner tried to bring an admin-up port back (detail: attempt, outcome)
};
// "module-state", "flag-set", "flag-cleared", "laser-shutdown", "laser-spared", "laser-failed",
// "laser-source", "port-link-up", "port-link-down", "port-recovery"
std::string_view EventKindName(EventKind kind);

struct Event {
  EventKind kind = EventKind::kFlagSet;
  std::string source;  // engine name
  std::string name;    // "module.state", "temperature.high_alarm", "lane3.rx_power.low_warning"
  std::string detail;
  std::chrono::nanoseconds time{0};  // device time of the read that found it
  // Laser events: the ports the lane lights (its impact query), and for kLaserSpared how long
  // they were dark (from the last poll that saw the failed laser healthy to the spare verified).
  std::vector<std::string> ports;
  std::chrono::nanoseconds outage{0};
};

using EventCallback = std::function<void(const Event&)>;
using SubscriptionId = uint64_t;

}  // namespace cpo::hal
