#include "diag_commands.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cpo/platform/lane_list.h"
#include "exit_codes.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

// The engine and the lanes a command names; all lanes when `lanes` is empty.
struct Target {
  std::unique_ptr<hal::Device> device;
  hal::OpticalEngine* engine = nullptr;
  std::vector<int> lanes;
};

// Diagnostics select what page 14h shows and start test patterns: the owner's to do (kChange);
// a read that needs no write passes kObserve.
Result<Target> OpenTarget(const GlobalOptions& options, const std::string& id,
                          const std::string& lanes, Access access = Access::kChange) {
  Target target;
  CPO_ASSIGN_OR_RETURN(target.device, OpenFromOptions(options, access));
  CPO_ASSIGN_OR_RETURN(target.engine, target.device->FindOpticalEngine(id));
  if (lanes.empty()) {
    for (int lane = 1; lane <= target.engine->lane_count(); ++lane) target.lanes.push_back(lane);
  } else {
    auto parsed = platform::ParseLaneList(lanes);
    if (!parsed.ok()) return parsed.status().WithContext("--lanes");
    target.lanes = std::move(parsed).value();
  }
  return target;
}

std::string Ber(double ber) { return ber == 0 ? "0" : fmt::format("{:.3e}", ber); }

}  // namespace

int RunDataPathUp(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                  int app_sel) {
  auto target = OpenTarget(options, id, lanes);
  if (!target.ok()) return Fail(target.status());
  auto advertising = target->engine->Advertising();
  if (!advertising.ok()) return Fail(advertising.status());
  const hal::Application* app = advertising->FindApplication(app_sel);
  if (app == nullptr) {
    return Fail(Status(StatusCode::kInvalidArgument,
                       fmt::format("--app {}: {} advertises AppSel 1..{}; see "
                                   "'cpoctl show oe {} --datapaths'",
                                   app_sel, target->engine->name(),
                                   advertising->applications.size(), target->engine->name())));
  }
  // One data path per application-sized group of the lanes, in order.
  std::vector<hal::DataPathRequest> requests;
  const auto& list = target->lanes;
  for (size_t i = 0; i < list.size(); i += static_cast<size_t>(app->host_lanes)) {
    requests.push_back({target->engine->name(), list[i], app_sel});
  }
  hal::BringUpOptions bring_up;
  if (!options.json) {
    bring_up.on_progress = [&](const hal::BringUpProgress& p) {
      std::fprintf(stderr, "cpoctl: %zu/%zu data paths activated, %zu failed, %.0f ms\n",
                   p.activated, p.total, p.failed,
                   std::chrono::duration<double, std::milli>(p.elapsed).count());
    };
  }
  const hal::BringUpReport report = target->device->BringUpDataPaths(requests, bring_up);
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(report.finished - report.started).count();
  json results = json::array();
  for (const auto& outcome : report.outcomes) {
    results.push_back(
        {{"first_lane", outcome.request.first_lane},
         {"app_sel", outcome.request.app_sel},
         {"ok", outcome.status.ok()},
         {"error", outcome.status.ok() ? json(nullptr) : json(outcome.status.ToString())},
         {"retries", outcome.retries}});
    if (!outcome.status.ok() && !options.json) Fail(outcome.status);
  }
  if (options.json) {
    Print(json{{"device", target->device->platform().name},
               {"engine", target->engine->name()},
               {"data_paths", results},
               {"elapsed_ms", elapsed_ms},
               {"bus_bytes", report.cost.wire_bytes}}
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("{}: {} data paths of AppSel {} ({}) activated in {:.0f} ms (device time)\n",
                      target->engine->name(), report.ok() ? requests.size() : 0, app_sel,
                      hal::HostInterfaceName(app->host_interface_id), elapsed_ms));
  }
  return report.ok() ? kExitOk : kExitFailed;
}

int RunDataPathDown(const GlobalOptions& options, const std::string& id, const std::string& lanes) {
  auto target = OpenTarget(options, id, lanes);
  if (!target.ok()) return Fail(target.status());
  hal::OpticalEngine& engine = *target->engine;
  Status status = engine.SetTxDisabled(target->lanes, true);
  if (status.ok()) status = engine.SetDataPathsDeinit(target->lanes, true);
  if (!status.ok()) return Fail(status);
  auto down = engine.WaitForDataPaths(target->lanes, hal::DataPathState::kDeactivated);
  if (!down.ok()) return Fail(down.status());
  if (options.json) {
    Print(json{{"engine", engine.name()}, {"lanes", target->lanes}, {"state", "Deactivated"}}.dump(
              2) +
          "\n");
  } else {
    Print(fmt::format("{}: {} lanes Deactivated\n", engine.name(), target->lanes.size()));
  }
  return kExitOk;
}

int RunShowDataPaths(const GlobalOptions& options, const std::string& id) {
  auto target = OpenTarget(options, id, "");
  if (!target.ok()) return Fail(target.status());
  hal::OpticalEngine& engine = *target->engine;
  auto advertising = engine.Advertising();
  if (!advertising.ok()) return Fail(advertising.status());
  auto paths = engine.DataPaths();
  if (!paths.ok()) return Fail(paths.status());
  if (options.json) {
    json apps = json::array();
    for (const auto& app : advertising->applications) {
      apps.push_back({{"app_sel", app.app_sel},
                      {"host_interface_id", app.host_interface_id},
                      {"host_interface", hal::HostInterfaceName(app.host_interface_id)},
                      {"media_interface_id", app.media_interface_id},
                      {"host_lanes", app.host_lanes},
                      {"media_lanes", app.media_lanes},
                      {"host_lane_options", app.host_lane_options},
                      {"media_lane_options", app.media_lane_options}});
    }
    json lanes = json::array();
    for (const auto& lane : *paths) {
      lanes.push_back({{"lane", lane.lane},
                       {"state", hal::DataPathStateName(lane.state)},
                       {"config_status", hal::ConfigStatusName(lane.config_status)},
                       {"app_sel", lane.app_sel},
                       {"first_lane", lane.first_lane},
                       {"init_pending", lane.init_pending},
                       {"state_changed", lane.state_changed},
                       {"deinit", lane.deinit_requested},
                       {"tx_disabled", lane.tx_disabled}});
    }
    Print(json{{"device", target->device->platform().name},
               {"engine", engine.name()},
               {"applications", apps},
               {"data_paths", lanes}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  Table apps({"APPSEL", "HOST_INTERFACE", "MEDIA_ID", "LANES(H/M)", "STARTS(H/M)"});
  for (const auto& app : advertising->applications) {
    apps.AddRow({std::to_string(app.app_sel), hal::HostInterfaceName(app.host_interface_id),
                 fmt::format("0x{:02X}", app.media_interface_id),
                 fmt::format("{}/{}", app.host_lanes, app.media_lanes),
                 fmt::format("0x{:02X}/0x{:02X}", app.host_lane_options, app.media_lane_options)});
  }
  Table lanes({"LANE", "STATE", "APPSEL", "DP_FIRST", "CONFIG", "DEINIT", "TX", "CHANGED"});
  for (const auto& lane : *paths) {
    lanes.AddRow({std::to_string(lane.lane), std::string(hal::DataPathStateName(lane.state)),
                  std::to_string(lane.app_sel),
                  lane.app_sel ? std::to_string(lane.first_lane) : "-",
                  std::string(hal::ConfigStatusName(lane.config_status)),
                  lane.deinit_requested ? "held" : "released",
                  lane.tx_disabled ? "disabled" : "enabled", lane.state_changed ? "yes" : "-"});
  }
  Print(fmt::format("{} applications\n{}\n{} data paths\n{}", engine.name(), apps.Render(),
                    engine.name(), lanes.Render()));
  return kExitOk;
}

int RunShowVdm(const GlobalOptions& options, const std::string& id) {
  // Beside an owner the samples are read unfrozen and its flags left to it ("(owner's)").
  auto target =
      OpenTarget(options, id, "", OtherOwner(options) ? Access::kObserve : Access::kChange);
  if (!target.ok()) return Fail(target.status());
  auto samples = target->engine->Vdm();
  if (!samples.ok()) return Fail(samples.status());
  if (options.json) {
    json out = json::array();
    for (const auto& s : *samples) {
      json entry = {{"lane", s.lane},
                    {"type_id", s.type_id},
                    {"type", hal::VdmTypeName(s.type_id)},
                    {"value", s.value},
                    {"unit", hal::VdmTypeUnit(s.type_id)},
                    {"raw", s.raw},
                    {"thresholds",
                     {{"high_alarm", s.thresholds.high_alarm},
                      {"low_alarm", s.thresholds.low_alarm},
                      {"high_warning", s.thresholds.high_warning},
                      {"low_warning", s.thresholds.low_warning}}}};
      entry["flags"] = s.flags_read ? json{{"high_alarm", s.flags.high_alarm},
                                           {"low_alarm", s.flags.low_alarm},
                                           {"high_warning", s.flags.high_warning},
                                           {"low_warning", s.flags.low_warning}}
                                    : json(nullptr);
      out.push_back(entry);
    }
    Print(json{{"device", target->device->platform().name},
               {"engine", target->engine->name()},
               {"vdm", out}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  Table table({"LANE", "TYPE", "ID", "VALUE", "UNIT", "HIGH_ALARM", "LOW_ALARM", "FLAGS"});
  int flagged = 0;
  for (const auto& s : *samples) {
    const bool ratio = s.type_id >= 9 && s.type_id <= 16;  // pre-FEC BER, media and host
    auto number = [&](double value) {
      return ratio ? fmt::format("{:.3e}", value) : fmt::format("{:.2f}", value);
    };
    std::string flags;
    for (const auto& [set, name] : {std::pair{s.flags.high_alarm, "HA"},
                                    {s.flags.low_alarm, "LA"},
                                    {s.flags.high_warning, "HW"},
                                    {s.flags.low_warning, "LW"}}) {
      if (set) flags += (flags.empty() ? "" : ",") + std::string(name);
    }
    flagged += flags.empty() ? 0 : 1;
    if (!s.flags_read) flags = "(owner's)";
    table.AddRow({std::to_string(s.lane), std::string(hal::VdmTypeName(s.type_id)),
                  std::to_string(s.type_id), number(s.value),
                  std::string(hal::VdmTypeUnit(s.type_id)), number(s.thresholds.high_alarm),
                  number(s.thresholds.low_alarm), flags.empty() ? "-" : flags});
  }
  Print(fmt::format("{} VDM samples (read under one freeze), {} with a latched flag\n{}",
                    target->engine->name(), flagged, table.Render()));
  return kExitOk;
}

int RunVdmMask(const GlobalOptions& options, const std::string& id, const std::string& type,
               const std::string& lanes, bool unmask) {
  // The observable by name (laser_temperature) or type id (4).
  std::optional<uint8_t> type_id;
  for (int t = 1; t < 256 && !type_id; ++t) {
    const auto candidate = static_cast<uint8_t>(t);
    if (hal::VdmTypeName(candidate) == type || std::to_string(t) == type) type_id = candidate;
  }
  if (!type_id) {
    return Fail(Status(StatusCode::kInvalidArgument,
                       fmt::format("VDM observable '{}' is unknown: give a name 'show oe ID --vdm' "
                                   "lists (laser_temperature, esnr_media, ...) or a type id",
                                   type)));
  }
  auto target = OpenTarget(options, id, lanes);
  if (!target.ok()) return Fail(target.status());
  const hal::ThresholdFlags all = {
      .high_alarm = true, .low_alarm = true, .high_warning = true, .low_warning = true};
  const Status status = target->engine->SetVdmFlagMasks(target->lanes, *type_id,
                                                        unmask ? hal::ThresholdFlags{} : all);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    Print(nlohmann::json{{"engine", target->engine->name()},
                         {"type_id", *type_id},
                         {"type", std::string(hal::VdmTypeName(*type_id))},
                         {"lanes", target->lanes},
                         {"masked", !unmask}}
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("{}: VDM {} flags {} on {} lane(s){}\n", target->engine->name(),
                      hal::VdmTypeName(*type_id), unmask ? "unmasked" : "masked",
                      target->lanes.size(),
                      unmask ? "" : " (they still latch and show; they no longer assert IntL)"));
  }
  return kExitOk;
}

int RunPrbsStart(const GlobalOptions& options, const PrbsRequest& request) {
  auto target = OpenTarget(options, request.engine, request.lanes);
  if (!target.ok()) return Fail(target.status());
  auto pattern = hal::ParsePrbsPattern(request.pattern);
  if (!pattern.ok()) return Fail(pattern.status().WithContext("--pattern"));
  const auto side =
      request.side == "host" ? hal::DiagnosticSide::kHost : hal::DiagnosticSide::kMedia;
  Status status =
      target->engine->StartPrbs(side, target->lanes, *pattern, request.generator, request.checker);
  if (!status.ok()) return Fail(status);
  if (options.json) {
    Print(json{{"engine", target->engine->name()},
               {"side", request.side},
               {"lanes", target->lanes},
               {"pattern", hal::PrbsPatternName(*pattern)},
               {"generator", request.generator},
               {"checker", request.checker}}
              .dump(2) +
          "\n");
  } else {
    Print(
        fmt::format("{}: {} {} on {} {} side lanes; read results with 'cpoctl diag prbs show "
                    "{} --lanes {}'\n",
                    target->engine->name(), hal::PrbsPatternName(*pattern),
                    request.generator && request.checker ? "generator and checker"
                    : request.generator                  ? "generator"
                                                         : "checker",
                    target->lanes.size(), request.side, target->engine->name(),
                    request.lanes.empty() ? "1-" + std::to_string(target->engine->lane_count())
                                          : request.lanes));
  }
  return kExitOk;
}

int RunPrbsStop(const GlobalOptions& options, const PrbsRequest& request) {
  auto target = OpenTarget(options, request.engine, request.lanes);
  if (!target.ok()) return Fail(target.status());
  const auto side =
      request.side == "host" ? hal::DiagnosticSide::kHost : hal::DiagnosticSide::kMedia;
  if (Status status = target->engine->StopPrbs(side, target->lanes); !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    Print(json{{"engine", target->engine->name()}, {"side", request.side}, {"lanes", target->lanes}}
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("{}: {} side PRBS stopped on {} lanes (results stay readable)\n",
                      target->engine->name(), request.side, target->lanes.size()));
  }
  return kExitOk;
}

int RunPrbsClear(const GlobalOptions& options, const std::string& id) {
  auto target = OpenTarget(options, id, "");
  if (!target.ok()) return Fail(target.status());
  if (Status s = target->engine->ResetPrbsStatistics(); !s.ok()) return Fail(s);
  if (options.json) {
    Print(json{{"engine", target->engine->name()}, {"statistics", "reset"}}.dump(2) + "\n");
  } else {
    Print(fmt::format("{}: PRBS error counts restarted on every running checker\n",
                      target->engine->name()));
  }
  return kExitOk;
}

int RunPrbsShow(const GlobalOptions& options, const std::string& id, const std::string& lanes) {
  auto target = OpenTarget(options, id, lanes);
  if (!target.ok()) return Fail(target.status());
  auto results = target->engine->PrbsResults(target->lanes);
  if (!results.ok()) return Fail(results.status());
  if (options.json) {
    json out = json::array();
    for (const auto& r : *results) {
      out.push_back({{"lane", r.lane},
                     {"host",
                      {{"checker", r.host_checker_on},
                       {"locked", r.host_locked},
                       {"ber", r.host_ber},
                       {"snr_db", r.host_snr_db}}},
                     {"media",
                      {{"checker", r.media_checker_on},
                       {"locked", r.media_locked},
                       {"ber", r.media_ber},
                       {"snr_db", r.media_snr_db}}}});
    }
    Print(json{{"device", target->device->platform().name},
               {"engine", target->engine->name()},
               {"lanes", out}}
              .dump(2) +
          "\n");
    return kExitOk;
  }
  Table table({"LANE", "HOST_CHECKER", "HOST_BER", "HOST_SNR_DB", "MEDIA_CHECKER", "MEDIA_BER",
               "MEDIA_SNR_DB"});
  auto checker = [](bool on, bool locked) { return !on ? "off" : locked ? "locked" : "no-lock"; };
  for (const auto& r : *results) {
    table.AddRow({std::to_string(r.lane), checker(r.host_checker_on, r.host_locked),
                  r.host_checker_on ? Ber(r.host_ber) : "-", fmt::format("{:.2f}", r.host_snr_db),
                  checker(r.media_checker_on, r.media_locked),
                  r.media_checker_on ? Ber(r.media_ber) : "-",
                  fmt::format("{:.2f}", r.media_snr_db)});
  }
  Print(fmt::format("{} PRBS checkers (BER since each checker started)\n{}", target->engine->name(),
                    table.Render()));
  return kExitOk;
}

int RunLoopback(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                const std::string& kind, bool enable) {
  auto target = OpenTarget(options, id, lanes);
  if (!target.ok()) return Fail(target.status());
  auto parsed = hal::ParseLoopbackKind(kind);
  if (!parsed.ok()) return Fail(parsed.status().WithContext("--kind"));
  if (Status s = target->engine->SetLoopback(*parsed, target->lanes, enable); !s.ok()) {
    return Fail(s);
  }
  if (options.json) {
    Print(json{{"engine", target->engine->name()},
               {"kind", kind},
               {"lanes", target->lanes},
               {"enabled", enable}}
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("{}: {} loopback {} on {} lanes\n", target->engine->name(), kind,
                      enable ? "set" : "cleared", target->lanes.size()));
  }
  return kExitOk;
}

}  // namespace cpo::cpoctl
