#include "laser_commands.h"

#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cpo/platform/lane_list.h"
#include "exit_codes.h"
#include "flag_report.h"
#include "oe_commands.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

json CheckJson(const hal::FiberCheckResult& check) {
  return {{"passed", check.passed},
          {"laser_output_mw", check.laser_output_mw},
          {"worst_loss_db", check.worst_loss_db},
          {"threshold_db", check.threshold_db},
          {"detail", check.detail},
          {"time_ns", check.time.count()}};
}

// electrical: the lane's voltage and bank Icc, when read (null in the JSON otherwise).
json LaneJson(const hal::LaserLaneReport& report,
              const hal::LaserLaneElectrical* electrical = nullptr) {
  const hal::LaserLaneStatus& s = report.status;
  json out = {{"lane", s.lane},
              {"state", std::string(hal::LaserLaneStateName(s.state))},
              {"phase", std::string(hal::LaserLanePhaseName(report.phase))},
              {"requested", report.requested},
              {"enabled", s.enabled},
              {"fiber_checked", s.fiber_checked},
              {"fiber", s.fiber},
              {"power_mw", s.power_mw},
              {"bias_ma", s.bias_ma},
              {"voltage_v", electrical ? json(electrical->voltage_v) : json(nullptr)},
              {"bank_icc_ma", electrical ? json(electrical->bank_icc_ma) : json(nullptr)},
              {"power_setpoint_mw", s.power_setpoint_mw},
              {"operating_power_mw", report.operating_power_mw},
              {"fault", s.fault},
              {"fault_code", s.fault_code},
              {"warning_code", s.warning_code},
              {"reason", report.reason},
              {"spare_for", report.spare_for}};
  out["last_check"] = report.last_check ? CheckJson(*report.last_check) : json(nullptr);
  return out;
}

Result<std::vector<hal::LaserSource*>> SelectSources(const hal::Device& device,
                                                     const std::string& id) {
  std::vector<hal::LaserSource*> sources;
  if (id.empty() || id == "all") {
    for (const auto& source : device.laser_sources()) sources.push_back(source.get());
    return sources;
  }
  CPO_ASSIGN_OR_RETURN(hal::LaserSource * source, device.FindLaserSource(id));
  sources.push_back(source);
  return sources;
}

json ThresholdsJson(const hal::Thresholds& t) {
  return {{"high_alarm", t.high_alarm},
          {"high_warning", t.high_warning},
          {"low_warning", t.low_warning},
          {"low_alarm", t.low_alarm}};
}

json LimitsJson(const hal::LaserSourceCapabilities& c) {
  return {{"mode",
           c.mode == hal::LaserControlMode::kConstantPower ? "constant_power" : "constant_current"},
          {"min_power_mw", c.min_power_mw},
          {"max_power_mw", c.max_power_mw},
          {"min_bias_ma", c.min_bias_ma},
          {"max_bias_ma", c.max_bias_ma},
          {"fiber_check_setpoint_mw", c.fiber_check_setpoint_mw},
          {"bias_ma", ThresholdsJson(c.bias_ma)},
          {"power_mw", ThresholdsJson(c.power_mw)},
          {"temperature_c", ThresholdsJson(c.temperature_c)},
          {"vcc_v", ThresholdsJson(c.vcc_v)}};
}

std::string LimitsText(const hal::LaserSourceCapabilities& c) {
  std::string out = fmt::format(
      "\n  {} control, power {:.2f}-{:.2f} mW, bias {:.1f}-{:.1f} mA, fibre check at {:.2f} mW\n",
      c.mode == hal::LaserControlMode::kConstantPower ? "Constant-power (APC)"
                                                      : "Constant-current (ACC)",
      c.min_power_mw, c.max_power_mw, c.min_bias_ma, c.max_bias_ma, c.fiber_check_setpoint_mw);
  Table table({"QUANTITY", "HIGH_ALARM", "HIGH_WARN", "LOW_WARN", "LOW_ALARM"});
  auto row = [&](const char* name, const hal::Thresholds& t) {
    table.AddRow({name, fmt::format("{:.2f}", t.high_alarm), fmt::format("{:.2f}", t.high_warning),
                  fmt::format("{:.2f}", t.low_warning), fmt::format("{:.2f}", t.low_alarm)});
  };
  row("lane bias_ma", c.bias_ma);
  row("lane power_mw", c.power_mw);
  row("temperature_c", c.temperature_c);
  row("vcc_v", c.vcc_v);
  return out + table.Render();
}

// How the host reaches a source: at its own address (separate mode) or through an engine's
// MCU, its pages relocated into the engine's (joint mode).
json AccessJson(const platform::LaserSourceConfig& config) {
  if (config.joint()) {
    return {{"mode", "joint"},
            {"via", config.via},
            {"bus", config.bus},
            {"address", config.address},
            {"page_base", config.page_base}};
  }
  return {{"mode", "separate"}, {"bus", config.bus}, {"address", config.address}};
}

std::string AccessText(const platform::LaserSourceConfig& config) {
  if (config.joint()) {
    return fmt::format("(joint: through {}'s MCU, pages {:02X}h-{:02X}h)", config.via,
                       config.page_base, config.page_base + platform::kJointPageSpan - 1);
  }
  return fmt::format("(on {} at 0x{:02x})", config.bus, config.address);
}

}  // namespace

int RunShowLaser(const GlobalOptions& options, const std::string& id,
                 const LaserSections& sections) {
  // Latched flags clear when read, so only the owner reads them (as `show oe --flags`): with no
  // owner running this command owns the switch while it reads them; beside one it shows the
  // owner's flag history.
  const auto owner = sections.flags ? OtherOwner(options) : std::nullopt;
  auto device =
      OpenFromOptions(options, sections.flags && !owner ? Access::kChange : Access::kObserve);
  if (device.ok() && owner && !options.json) {
    std::fprintf(stderr,
                 "cpoctl: note: latched flags clear when read, so only the switch's owner (%s) "
                 "reads them; the flags below are its flag history\n",
                 owner->Describe().c_str());
  }
  if (!device.ok()) return Fail(device.status());
  auto sources = SelectSources(**device, id);
  if (!sources.ok()) return Fail(sources.status());
  json out = json::array();
  std::string text;
  Status first_error = Status::Ok();
  for (hal::LaserSource* source : *sources) {
    json entry = {{"name", source->name()}, {"lanes", json::array()}};
    auto identity = source->Identity();
    auto lanes = source->Lanes();
    if (!identity.ok() || !lanes.ok()) {
      const Status error = identity.ok() ? lanes.status() : identity.status();
      if (first_error.ok()) first_error = error;
      entry["error"] = error.ToString();
      out.push_back(entry);
      text += fmt::format("{}: {}\n\n", source->name(), error.ToString());
      continue;
    }
    auto module = source->Module();
    std::string module_text;
    if (module.ok()) {
      entry["module"] = {{"state", hal::ModuleStateName(module->state)},
                         {"temperature_c", module->temperature_c},
                         {"vcc_v", module->vcc_v}};
      module_text = fmt::format("  {} {:.1f} C {:.2f} V", hal::ModuleStateName(module->state),
                                module->temperature_c, module->vcc_v);
    }
    entry["vendor"] = identity->vendor_name;
    entry["part_number"] = identity->part_number;
    entry["serial_number"] = identity->serial_number;
    std::string access_text;
    if (const platform::LaserSourceConfig* config =
            (*device)->platform().FindLaserSource(source->name())) {
      entry["access"] = AccessJson(*config);
      access_text = "  " + AccessText(*config);
    }
    Table table({"lane", "state", "phase", "fiber", "checked", "power mW", "setpoint mW", "bias mA",
                 "V", "fault", "note"});
    std::string icc;
    // Voltages and Icc are a display's extra read; without them the lanes still show.
    auto electrical = source->Electrical();
    for (const auto& report : *lanes) {
      const auto& s = report.status;
      hal::LaserLaneElectrical e{s.lane, 0, 0};
      if (electrical.ok() && static_cast<size_t>(s.lane) <= electrical->size()) {
        e = (*electrical)[static_cast<size_t>(s.lane - 1)];
      }
      entry["lanes"].push_back(LaneJson(report, electrical.ok() ? &e : nullptr));
      std::string note = report.reason;
      if (report.spare_for != 0) note = fmt::format("spare for lane {}", report.spare_for);
      table.AddRow({std::to_string(s.lane), std::string(hal::LaserLaneStateName(s.state)),
                    std::string(hal::LaserLanePhaseName(report.phase)),
                    s.fiber == 0 ? "-" : std::to_string(s.fiber), s.fiber_checked ? "yes" : "no",
                    fmt::format("{:.2f}", s.power_mw), fmt::format("{:.2f}", s.power_setpoint_mw),
                    fmt::format("{:.1f}", s.bias_ma),
                    electrical.ok() ? fmt::format("{:.2f}", e.voltage_v) : "?",
                    s.fault_code == 0 ? "-" : std::to_string(s.fault_code), note});
      if ((s.lane - 1) % 8 == 0 && electrical.ok()) {
        icc += fmt::format("{}bank {} {:.1f} mA", icc.empty() ? "  Icc " : ", ", (s.lane - 1) / 8,
                           e.bank_icc_ma);
      }
    }
    std::string extra;
    if (sections.thresholds) {
      auto limits = source->Capabilities();
      if (limits.ok()) {
        entry["limits"] = LimitsJson(*limits);
        extra += LimitsText(*limits);
      } else {
        if (first_error.ok()) first_error = limits.status();
        entry["limits_error"] = limits.status().ToString();
        extra += fmt::format("\n  limits: {}\n", limits.status().ToString());
      }
    }
    if (sections.flags) {
      // Lanes() and Module() above read (and recorded) the latched flags; an observer beside an
      // owner gets the owner's history.
      const auto records = source->FlagRecords();
      entry["flags"] = FlagRecordsJson(records);
      extra += FlagRecordsText(records);
    }
    out.push_back(entry);
    text +=
        fmt::format("{}  {} {} {}{}{}{}\n", source->name(), identity->vendor_name,
                    identity->part_number, identity->serial_number, module_text, icc, access_text);
    text += table.Render() + extra + "\n";
  }
  Print(options.json ? json{{"laser_sources", out}}.dump(2) + "\n" : text);
  return first_error.ok() ? kExitOk : ExitCodeFor(first_error);
}

int RunLaserEnable(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                   bool enable) {
  auto lane_list = platform::ParseLaneList(lanes);
  if (!lane_list.ok()) return Fail(lane_list.status());
  const auto owner = OtherOwner(options);
  // Beside an owner, this process only looks; the owner lights or darkens the lanes.
  GlobalOptions changing = options;
  changing.announce_ownership = enable;
  auto device = OpenFromOptions(changing, owner ? Access::kObserve : Access::kChange);
  if (!device.ok()) return Fail(device.status());
  auto source = (*device)->FindLaserSource(id);
  if (!source.ok()) return Fail(source.status());
  if (enable && !options.json) {
    std::fprintf(stderr,
                 "checking the fibres of %s lanes %s, then raising them to operating "
                 "power...\n",
                 (*source)->name().c_str(), lanes.c_str());
  }
  Status status = Status::Ok();
  if (owner) {
    json request = {{"op", enable ? "laser.enable" : "laser.disable"}, {"lanes", json::array()}};
    for (int lane : *lane_list) {
      request["lanes"].push_back({{"source", (*source)->name()}, {"lane", lane}});
    }
    auto answer = AskOwner(*owner, request);
    status = answer.ok() ? Status::Ok() : answer.status();
  } else {
    status = enable ? (*source)->Enable(*lane_list) : (*source)->Disable(*lane_list);
  }
  auto reports = (*source)->Lanes();
  if (options.json) {
    json out = {{"laser_source", (*source)->name()},
                {"ok", status.ok()},
                {"error", status.ok() ? "" : status.message()},
                {"lanes", json::array()}};
    if (reports.ok()) {
      for (int lane : *lane_list) out["lanes"].push_back(LaneJson((*reports)[lane - 1]));
    }
    Print(out.dump(2) + "\n");
    return status.ok() ? kExitOk : ExitCodeFor(status);
  }
  if (!status.ok()) return Fail(status);
  if (reports.ok()) {
    for (int lane : *lane_list) {
      const auto& report = (*reports)[static_cast<size_t>(lane - 1)];
      Print(fmt::format("{} lane {}: {}, {:.2f} mW{}\n", (*source)->name(), lane,
                        hal::LaserLanePhaseName(report.phase), report.status.power_mw,
                        report.last_check && enable ? ", " + report.last_check->detail : ""));
    }
  }
  return kExitOk;
}

int RunLaserFiberCheck(const GlobalOptions& options, const std::string& id,
                       const std::string& lanes) {
  auto lane_list = platform::ParseLaneList(lanes);
  if (!lane_list.ok()) return Fail(lane_list.status());
  auto device = OpenFromOptions(options, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  auto source = (*device)->FindLaserSource(id);
  if (!source.ok()) return Fail(source.status());
  auto results = (*source)->FiberCheck(*lane_list);
  if (!results.ok()) return Fail(results.status());
  bool all_passed = true;
  json out = {{"laser_source", (*source)->name()}, {"checks", json::array()}};
  Table table({"lane", "result", "output mW", "worst loss dB", "threshold dB", "detail"});
  for (size_t i = 0; i < results->size(); ++i) {
    const auto& check = (*results)[i];
    all_passed = all_passed && check.passed;
    json entry = CheckJson(check);
    entry["lane"] = (*lane_list)[i];
    out["checks"].push_back(entry);
    table.AddRow({std::to_string((*lane_list)[i]), check.passed ? "pass" : "FAIL",
                  fmt::format("{:.2f}", check.laser_output_mw),
                  fmt::format("{:.2f}", check.worst_loss_db),
                  fmt::format("{:.2f}", check.threshold_db), check.detail});
  }
  Print(options.json ? out.dump(2) + "\n" : table.Render());
  return all_passed ? kExitOk : kExitFailed;
}

int RunLaserSaveRestore(const GlobalOptions& options, const std::string& id, bool save,
                        const std::string& set, const std::string& slot) {
  auto kind = hal::ParseLaserSetKind(set);
  if (!kind.ok()) return Fail(kind.status());
  auto which = hal::ParseLaserSetSlot(slot);
  if (!which.ok()) return Fail(which.status());
  const hal::LaserSetCommand command{
      save ? hal::LaserSetAction::kSave : hal::LaserSetAction::kRestore, *kind, *which};
  // Checked before the switch is opened: nothing is half done on a refused command.
  if (auto code = hal::LaserSetCommandCode(command); !code.ok()) return Fail(code.status());
  auto device = OpenFromOptions(options, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  auto source = (*device)->FindLaserSource(id);
  if (!source.ok()) return Fail(source.status());
  const Status status =
      save ? (*source)->SaveSet(*kind, *which) : (*source)->RestoreSet(*kind, *which);
  const std::string what = hal::LaserSetCommandName(command);
  if (options.json) {
    Print(json{{"laser_source", (*source)->name()},
               {"command", what},
               {"code", *hal::LaserSetCommandCode(command)},
               {"ok", status.ok()},
               {"error", status.ok() ? "" : status.message()}}
              .dump(2) +
          "\n");
    return status.ok() ? kExitOk : ExitCodeFor(status);
  }
  if (!status.ok()) return Fail(status);
  Print(fmt::format("{}: {}: done\n", (*source)->name(), what));
  return kExitOk;
}

int RunDumpEls(const GlobalOptions& options, const std::string& id, int page, int bank) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  auto source = (*device)->FindLaserSource(id);
  if (!source.ok()) return Fail(source.status());
  auto window = (*source)->ReadWindow(static_cast<uint8_t>(page), static_cast<uint8_t>(bank));
  if (!window.ok()) return Fail(window.status());
  PrintWindow(options, (*source)->name(), page, bank, *window);
  return kExitOk;
}

}  // namespace cpo::cpoctl
