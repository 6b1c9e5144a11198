#include "port_diag_commands.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cpo/platform/loader.h"
#include "exit_codes.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

// Opens the device (SerDes writes only: the lasers are observed) and selects the ports.
struct PortTarget {
  std::unique_ptr<hal::Device> device;
  std::vector<platform::SubPort> ports;
};

Result<PortTarget> OpenPorts(const GlobalOptions& options, const std::string& name) {
  // Host-side test modes and their counters are the owner's to change.
  CPO_ASSIGN_OR_RETURN(auto device, OpenFromOptions(options, Access::kChange));
  CPO_ASSIGN_OR_RETURN(auto ports, device->SelectPorts(name));
  return PortTarget{std::move(device), std::move(ports)};
}

std::vector<std::string> Names(const std::vector<platform::SubPort>& ports) {
  std::vector<std::string> names;
  names.reserve(ports.size());
  for (const auto& port : ports) names.push_back(port.name);
  return names;
}

}  // namespace

bool NamesPort(const GlobalOptions& options, const std::string& id) {
  if (id == "all") return true;
  auto platform = platform::LoadPlatformFile(ResolvePlatformPath(options));
  if (!platform.ok()) return false;
  const std::string front_panel = id.substr(0, id.find('/'));
  return platform->FindPort(front_panel) != nullptr;
}

int RunPortBreakout(const GlobalOptions& options, const std::string& name,
                    const std::string& mode) {
  auto device = OpenFromOptions(options, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  if (Status status = (*device)->SetPortBreakout(name, mode); !status.ok()) return Fail(status);
  auto ports = (*device)->SelectPorts(name);
  if (!ports.ok()) return Fail(ports.status());
  if (options.json) {
    json out = json::array();
    for (const auto& port : *ports) {
      out.push_back({{"name", port.name},
                     {"speed_gbps", port.speed_gbps},
                     {"host_lanes", port.host_lanes},
                     {"engine_lanes", port.engine_lanes}});
    }
    Print(json{{"port", name}, {"breakout", mode}, {"ports", out}}.dump(2) + "\n");
    return kExitOk;
  }
  Print(fmt::format("{} is now {}: {} (admin down; bring them up with 'cpoctl port up {}')\n", name,
                    mode, fmt::join(Names(*ports), " "), name));
  return kExitOk;
}

int RunPortPrbs(const GlobalOptions& options, const std::string& name, hal::PortPrbsMode mode,
                const std::string& pattern_name) {
  auto pattern = hal::ParsePrbsPattern(pattern_name);
  if (!pattern.ok()) return Fail(pattern.status().WithContext("--pattern"));
  auto target = OpenPorts(options, name);
  if (!target.ok()) return Fail(target.status());
  if (Status status = target->device->SetPortPrbs(target->ports, mode, *pattern); !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    Print(json{{"ports", Names(target->ports)},
               {"prbs", std::string(hal::PortPrbsModeName(mode))},
               {"pattern", std::string(hal::PrbsPatternName(*pattern))}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  Print(mode == hal::PortPrbsMode::kDisabled
            ? fmt::format("{}: PRBS off, lanes back to traffic\n",
                          fmt::join(Names(target->ports), " "))
            : fmt::format("{}: host-side PRBS {} {} on the SerDes lanes; read the checkers with "
                          "'cpoctl diag prbs show {}'\n",
                          fmt::join(Names(target->ports), " "), hal::PortPrbsModeName(mode),
                          hal::PrbsPatternName(*pattern), name));
  return kExitOk;
}

int RunPortPrbsShow(const GlobalOptions& options, const std::string& name) {
  auto target = OpenPorts(options, name);
  if (!target.ok()) return Fail(target.status());
  auto results = target->device->PortPrbsResults(target->ports);
  if (!results.ok()) return Fail(results.status());
  if (options.json) {
    json out = json::array();
    for (const auto& result : *results) {
      json lanes = json::array();
      for (const auto& lane : result.lanes) {
        lanes.push_back({{"host_lane", lane.host_lane},
                         {"checking", lane.checking},
                         {"pattern", std::string(hal::PrbsPatternName(lane.pattern))},
                         {"locked", lane.locked},
                         {"bits", lane.bits},
                         {"errors", lane.errors},
                         {"ber", lane.ber()}});
      }
      out.push_back({{"port", result.port}, {"lanes", lanes}});
    }
    Print(json{{"ports", out}}.dump(2) + "\n");
    return kExitOk;
  }
  Table table({"port", "lane", "checker", "pattern", "lock", "bits", "errors", "BER"});
  for (const auto& result : *results) {
    for (const auto& lane : result.lanes) {
      table.AddRow({result.port, std::to_string(lane.host_lane), lane.checking ? "on" : "off",
                    lane.checking ? std::string(hal::PrbsPatternName(lane.pattern)) : "-",
                    !lane.checking ? "-"
                    : lane.locked  ? "locked"
                                   : "NO LOCK",
                    std::to_string(lane.bits), std::to_string(lane.errors),
                    fmt::format("{:.2e}", lane.ber())});
    }
  }
  Print(table.Render());
  return kExitOk;
}

int RunPortPrbsClear(const GlobalOptions& options, const std::string& name) {
  auto target = OpenPorts(options, name);
  if (!target.ok()) return Fail(target.status());
  if (Status status = target->device->ClearPortCounters(target->ports); !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    Print(json{{"ports", Names(target->ports)}, {"cleared", true}}.dump(2) + "\n");
  } else {
    Print(fmt::format("{}: PRBS counts cleared\n", fmt::join(Names(target->ports), " ")));
  }
  return kExitOk;
}

int RunPortLoopback(const GlobalOptions& options, const std::string& name, const std::string& kind,
                    bool enable) {
  auto loopback = hal::ParsePortLoopback(kind);
  if (!loopback.ok() || *loopback == hal::PortLoopback::kNone) {
    return Fail(Status(StatusCode::kInvalidArgument,
                       fmt::format("--kind {}: a port's SerDes lanes loop back near-end (their "
                                   "transmitter into their receiver) or far-end (what they "
                                   "receive back out)",
                                   kind)));
  }
  auto target = OpenPorts(options, name);
  if (!target.ok()) return Fail(target.status());
  const hal::PortLoopback wanted = enable ? *loopback : hal::PortLoopback::kNone;
  if (Status status = target->device->SetPortLoopback(target->ports, wanted); !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    Print(json{{"ports", Names(target->ports)},
               {"loopback", std::string(hal::PortLoopbackName(wanted))}}
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("{}: SerDes loopback {}\n", fmt::join(Names(target->ports), " "),
                      hal::PortLoopbackName(wanted)));
  }
  return kExitOk;
}

}  // namespace cpo::cpoctl
