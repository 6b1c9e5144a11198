#include "port_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "exit_codes.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

json PortJson(const hal::PortStatus& status) {
  json stages = json::array();
  for (const auto& stage : status.stages) {
    stages.push_back({{"stage", std::string(hal::PortStageName(stage.stage))},
                      {"up", stage.up},
                      {"detail", stage.detail}});
  }
  json lasers = json::array();
  for (const auto& laser : status.lasers) {
    lasers.push_back({{"source", laser.source}, {"lane", laser.lane}});
  }
  json lanes = json::array();
  for (const auto& lane : status.lanes) {
    lanes.push_back(
        {{"host_lane", lane.host_lane},
         {"engine_lane", lane.engine_lane},
         {"laser", lane.laser ? json{{"source", lane.laser->source}, {"lane", lane.laser->lane}}
                              : json(nullptr)},
         {"far_end", lane.far_end},
         {"tx_enabled", lane.serdes.tx_enabled},
         {"rate_gbps", hal::SerdesLaneRateGbps(lane.serdes.rate)},
         {"tx_invert", lane.serdes.tx_invert},
         {"rx_invert", lane.serdes.rx_invert},
         {"loopback", std::string(hal::PortLoopbackName(lane.serdes.loopback))},
         {"prbs_generator", lane.serdes.generator},
         {"prbs_checker", lane.serdes.checker},
         {"signal_detect", lane.receiver.signal_detect},
         {"cdr_lock", lane.receiver.cdr_lock},
         {"pcs_lock", lane.receiver.pcs_lock}});
  }
  return {{"name", status.port.name},
          {"front_panel_port", status.port.port},
          {"speed_gbps", status.port.speed_gbps},
          {"engine", status.engine},
          {"engine_lanes", status.port.engine_lanes},
          {"host_lanes", status.port.host_lanes},
          {"lasers", lasers},
          {"admin_up", status.admin_up},
          {"oper_up", status.oper_up},
          {"reason", status.reason},
          {"stages", stages},
          {"lanes", lanes}};
}

std::string StageCell(const hal::PortStageState& stage) { return stage.up ? "up" : "down"; }

std::string YesNo(bool value) { return value ? "yes" : "no"; }

// `show port NAME --lanes`: one row per lane along the path.
std::string LaneTable(const std::vector<hal::PortStatus>& states) {
  Table table({"port", "host lane", "engine lane", "laser", "far end", "tx", "rate", "loopback",
               "signal", "cdr", "pcs"});
  for (const auto& state : states) {
    for (const auto& lane : state.lanes) {
      table.AddRow({state.port.name, std::to_string(lane.host_lane),
                    fmt::format("{}:{}", state.engine, lane.engine_lane),
                    lane.laser ? fmt::format("{}:{}", lane.laser->source, lane.laser->lane) : "-",
                    lane.far_end.empty() ? "-" : lane.far_end,
                    lane.serdes.tx_enabled ? "on" : "off",
                    fmt::format("{}G", hal::SerdesLaneRateGbps(lane.serdes.rate)),
                    std::string(hal::PortLoopbackName(lane.serdes.loopback)),
                    YesNo(lane.receiver.signal_detect), YesNo(lane.receiver.cdr_lock),
                    YesNo(lane.receiver.pcs_lock)});
    }
  }
  return table.Render();
}

}  // namespace

int RunShowPort(const GlobalOptions& options, const std::string& name, bool lanes) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  auto ports = (*device)->SelectPorts(name.empty() ? "all" : name);
  if (!ports.ok()) return Fail(ports.status());
  const auto states = (*device)->PortStates(*ports);
  if (options.json) {
    json out = json::array();
    for (const auto& state : states) out.push_back(PortJson(state));
    Print(json{{"ports", out}}.dump(2) + "\n");
    return kExitOk;
  }
  if (lanes) {
    Print(LaneTable(states));
    return kExitOk;
  }
  Table table({"port", "speed", "engine", "lanes", "admin", "lasers", "datapath", "serdes", "oper",
               "reason"});
  for (const auto& state : states) {
    table.AddRow(
        {state.port.name, fmt::format("{}G", state.port.speed_gbps), state.engine,
         fmt::format("{}-{}", state.port.engine_lanes.front(), state.port.engine_lanes.back()),
         state.admin_up ? "up" : "down", StageCell(state.stages[0]), StageCell(state.stages[1]),
         StageCell(state.stages[2]), state.oper_up ? "up" : "down", state.reason});
  }
  Print(table.Render());
  return kExitOk;
}

namespace {

// Failures of many ports (a vanished bus or simulator) are one line per failed stage: how many
// ports, which, and the first port's reason. A few failures are a line each.
void PrintOutcomes(const hal::PortBringUpReport& report, bool up) {
  constexpr size_t kGroupFrom = 8;
  constexpr size_t kNamesShown = 6;
  size_t failed = 0;
  for (const auto& outcome : report.outcomes) failed += outcome.status.ok() ? 0 : 1;
  std::vector<std::pair<std::string, std::vector<const hal::PortOutcome*>>> stages;
  for (const auto& outcome : report.outcomes) {
    if (outcome.status.ok() || failed < kGroupFrom) {
      Print(fmt::format("{}: {}\n", outcome.port,
                        !outcome.status.ok() ? outcome.status.message()
                        : up                 ? "up (lasers operating, data path Activated, link up)"
                             : "down (data path Deactivated, SerDes Tx off, unshared lasers off)"));
      continue;
    }
    const std::string& message = outcome.status.message();
    const std::string stage = message.substr(0, message.find(':'));
    auto it = std::find_if(stages.begin(), stages.end(),
                           [&](const auto& entry) { return entry.first == stage; });
    if (it == stages.end()) it = stages.insert(stages.end(), {stage, {}});
    it->second.push_back(&outcome);
  }
  for (const auto& [stage, outcomes] : stages) {
    std::string names;
    for (size_t i = 0; i < outcomes.size() && i < kNamesShown; ++i) {
      names += (i == 0 ? "" : ", ") + outcomes[i]->port;
    }
    if (outcomes.size() > kNamesShown) names += ", ...";
    std::string first = outcomes.front()->status.message();
    constexpr size_t kMessageChars = 240;
    if (first.size() > kMessageChars) first = first.substr(0, kMessageChars) + "...";
    Print(fmt::format("{} port(s) failed at {} ({}); {}: {}\n", outcomes.size(), stage, names,
                      outcomes.front()->port, first));
  }
}

int PrintPortAdminReport(const GlobalOptions& options, const hal::PortBringUpReport& report,
                         bool up) {
  const double total_ms = static_cast<double>((report.finished - report.started).count()) / 1e6;
  const double laser_ms = static_cast<double>((report.lasers_done - report.started).count()) / 1e6;
  if (options.json) {
    json outcomes = json::array();
    for (const auto& outcome : report.outcomes) {
      outcomes.push_back({{"port", outcome.port},
                          {"ok", outcome.status.ok()},
                          {"error", outcome.status.ok() ? "" : outcome.status.message()}});
    }
    Print(json{{"ok", report.ok()},
               {"ports", outcomes},
               {"device_ms", total_ms},
               {"laser_stage_ms", laser_ms},
               {"wire_bytes", report.cost.wire_bytes}}
              .dump(2) +
          "\n");
  } else {
    PrintOutcomes(report, up);
    Print(fmt::format("{} port(s) in {:.0f} ms of device time (lasers {:.0f} ms), {} bus bytes\n",
                      report.outcomes.size(), total_ms, laser_ms, report.cost.wire_bytes));
  }
  for (const auto& outcome : report.outcomes) {
    if (!outcome.status.ok()) return ExitCodeFor(outcome.status);
  }
  return kExitOk;
}

// The owner's answer to port.up / port.down, as the report it made.
hal::PortBringUpReport ReportFromAnswer(const json& answer) {
  hal::PortBringUpReport report;
  report.started = std::chrono::nanoseconds(answer.value("started_ns", int64_t{0}));
  report.lasers_done = std::chrono::nanoseconds(answer.value("lasers_done_ns", int64_t{0}));
  report.finished = std::chrono::nanoseconds(answer.value("finished_ns", int64_t{0}));
  report.cost.wire_bytes = answer.value("wire_bytes", uint64_t{0});
  report.cost.transactions = answer.value("transactions", uint64_t{0});
  for (const auto& outcome : answer.value("outcomes", json::array())) {
    Status status = Status::Ok();
    if (!outcome.value("ok", false)) {
      status = Status(StatusCodeFromName(outcome.value("code", "")), outcome.value("message", ""));
    }
    report.outcomes.push_back({outcome.value("port", ""), status});
  }
  return report;
}

}  // namespace

int RunPortAdmin(const GlobalOptions& options, const std::vector<std::string>& names, bool up) {
  if (auto owner = OtherOwner(options)) {
    // The owner carries it out: it supervises the lasers, so an admin-down port is its intent,
    // not a failure to repair.
    if (!options.json) {
      std::fprintf(stderr, "asking the switch's owner, %s, to take %zu name(s) %s...\n",
                   owner->Describe().c_str(), names.size(), up ? "up" : "down");
    }
    auto answer = AskOwner(*owner, {{"op", up ? "port.up" : "port.down"}, {"ports", names}});
    if (!answer.ok()) return Fail(answer.status());
    return PrintPortAdminReport(options, ReportFromAnswer(*answer), up);
  }
  GlobalOptions changing = options;
  changing.announce_ownership = up;
  auto device = OpenFromOptions(changing, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  // Every name is resolved before anything is touched.
  Result<std::vector<platform::SubPort>> ports = std::vector<platform::SubPort>{};
  for (const auto& name : names) {
    auto selected = (*device)->SelectPorts(name);
    if (!selected.ok()) return Fail(selected.status());
    for (auto& port : *selected) {
      const bool seen = std::any_of(ports->begin(), ports->end(), [&](const platform::SubPort& p) {
        return p.name == port.name;
      });
      if (!seen) ports->push_back(std::move(port));
    }
  }
  if (!options.json) {
    std::fprintf(stderr,
                 up ? "bringing %zu port(s) up: lasers (fibre check, then operating power), "
                      "SerDes transmitters, engine data paths, then the links...\n"
                    : "taking %zu port(s) down: engine data paths, then lasers no other port "
                      "uses...\n",
                 ports->size());
  }
  hal::BringUpOptions bring_up;
  if (!options.json) {
    bring_up.on_progress = [](const hal::BringUpProgress& progress) {
      std::fprintf(stderr, "  data paths: %zu/%zu activated, %zu failed (%.0f ms)\n",
                   progress.activated, progress.total, progress.failed,
                   static_cast<double>(progress.elapsed.count()) / 1e6);
    };
  }
  const hal::PortBringUpReport report =
      up ? (*device)->BringUpPorts(*ports, bring_up) : (*device)->BringDownPorts(*ports);
  return PrintPortAdminReport(options, report, up);
}

}  // namespace cpo::cpoctl
