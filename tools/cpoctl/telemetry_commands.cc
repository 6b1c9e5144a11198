#include "telemetry_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "exit_codes.h"
#include "prometheus_text.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

struct LaserTelemetry {
  std::string name;
  Status error;
  std::vector<hal::LaserLaneReport> lanes;
  std::optional<hal::ModuleMonitors> module;
  std::vector<hal::LaserLaneElectrical> electrical;  // empty when the read failed
  std::optional<hal::LaserSourceCapabilities> limits;
  std::vector<hal::FlagRecord> flags;  // the flag history (the owner's, beside one)
};

// Everything one `cpoctl telemetry` reports, read once.
struct TelemetryReport {
  std::string device;
  hal::TelemetrySnapshot engines;
  std::vector<LaserTelemetry> lasers;
  std::vector<hal::PortStatus> ports;
};

TelemetryReport Collect(hal::Device& device) {
  TelemetryReport report;
  report.device = device.platform().name;
  report.engines = device.Telemetry();
  for (const auto& source : device.laser_sources()) {
    LaserTelemetry laser{source->name(), Status::Ok(), {}, std::nullopt, {}, std::nullopt, {}};
    if (auto limits = source->Capabilities(); limits.ok()) laser.limits = *limits;
    if (auto module = source->Module(); module.ok()) laser.module = *module;
    if (auto electrical = source->Electrical(); electrical.ok()) laser.electrical = *electrical;
    auto lanes = source->Lanes();
    if (lanes.ok()) {
      laser.lanes = std::move(*lanes);
    } else {
      laser.error = lanes.status();
    }
    laser.flags = source->FlagRecords();
    report.lasers.push_back(std::move(laser));
  }
  report.ports = device.PortStates(device.Ports());
  return report;
}

std::string Range(const std::vector<double>& values, const char* format) {
  if (values.empty()) return "-";
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return fmt::format(fmt::runtime(format), *low) + ".." + fmt::format(fmt::runtime(format), *high);
}

std::string RenderTable(const TelemetryReport& report) {
  std::string out = fmt::format(
      "Device {}: sweep of {} engines took {:.1f} ms of device time, {} bytes on the buses\n\n",
      report.device, report.engines.engines.size(),
      static_cast<double>((report.engines.finished - report.engines.started).count()) / 1e6,
      report.engines.cost.wire_bytes);
  Table engines({"ENGINE", "STATE", "TEMP_C", "VCC_V", "TX_MW", "BIAS_MA", "RX_MW", "ERROR"});
  for (const auto& engine : report.engines.engines) {
    std::vector<double> tx, bias, rx;
    for (const auto& lane : engine.lanes) {
      // A monitor the module does not advertise (NaN) is left out of the ranges.
      if (lane.tx_power_supported) tx.push_back(lane.tx_power_mw);
      if (lane.tx_bias_supported) bias.push_back(lane.tx_bias_ma);
      if (lane.rx_power_supported) rx.push_back(lane.rx_power_mw);
    }
    engines.AddRow({engine.name, std::string(hal::ModuleStateName(engine.module.state)),
                    fmt::format("{:.1f}", engine.module.temperature_c),
                    fmt::format("{:.2f}", engine.module.vcc_v), Range(tx, "{:.2f}"),
                    Range(bias, "{:.1f}"), Range(rx, "{:.3f}"),
                    engine.error.ok() ? "-" : engine.error.message()});
  }
  out += engines.Render();
  if (!report.lasers.empty()) {
    Table lasers({"LASER", "LANES_ON", "POWER_MW", "FAULTS", "ERROR"});
    for (const auto& laser : report.lasers) {
      int on = 0, faults = 0;
      std::vector<double> power;
      for (const auto& lane : laser.lanes) {
        if (lane.status.state == hal::LaserLaneState::kOn) {
          ++on;
          power.push_back(lane.status.power_mw);
        }
        if (lane.status.fault) ++faults;
      }
      lasers.AddRow({laser.name, fmt::format("{}/{}", on, laser.lanes.size()),
                     Range(power, "{:.1f}"), std::to_string(faults),
                     laser.error.ok() ? "-" : laser.error.message()});
    }
    out += "\n" + lasers.Render();
  }
  if (!report.ports.empty()) {
    std::vector<std::string> up;
    for (const auto& port : report.ports) {
      if (port.oper_up) up.push_back(port.port.name);
    }
    out += fmt::format("\nPorts: {} of {} oper up{}{}\n", up.size(), report.ports.size(),
                       up.empty() ? "" : ": ", fmt::join(up, " "));
  }
  return out;
}

json RenderJson(const TelemetryReport& report) {
  const auto& sweep = report.engines;
  json out = {{"device", report.device},
              {"sweep",
               {{"device_time_ns", (sweep.finished - sweep.started).count()},
                {"bus_transactions", sweep.cost.transactions},
                {"bus_bytes", sweep.cost.wire_bytes}}},
              {"optical_engines", json::array()},
              {"laser_sources", json::array()},
              {"ports", json::array()}};
  for (const auto& engine : sweep.engines) {
    json entry = {{"name", engine.name},
                  {"state", hal::ModuleStateName(engine.module.state)},
                  {"temperature_c", engine.module.temperature_c},
                  {"vcc_v", engine.module.vcc_v},
                  {"interrupt", engine.module.interrupt},
                  {"lanes", json::array()}};
    if (!engine.error.ok()) entry["error"] = engine.error.ToString();
    for (const auto& lane : engine.lanes) {
      entry["lanes"].push_back({{"lane", lane.lane},
                                {"tx_power_mw", lane.tx_power_mw},
                                {"tx_bias_ma", lane.tx_bias_ma},
                                {"rx_power_mw", lane.rx_power_mw}});
    }
    out["optical_engines"].push_back(std::move(entry));
  }
  for (const auto& laser : report.lasers) {
    json entry = {{"name", laser.name}, {"lanes", json::array()}};
    if (!laser.error.ok()) entry["error"] = laser.error.ToString();
    if (laser.module) {
      entry["module"] = {{"state", hal::ModuleStateName(laser.module->state)},
                         {"temperature_c", laser.module->temperature_c},
                         {"vcc_v", laser.module->vcc_v}};
    }
    for (const auto& lane : laser.lanes) {
      entry["lanes"].push_back({{"lane", lane.status.lane},
                                {"state", hal::LaserLaneStateName(lane.status.state)},
                                {"phase", hal::LaserLanePhaseName(lane.phase)},
                                {"power_mw", lane.status.power_mw},
                                {"bias_ma", lane.status.bias_ma},
                                {"fault", lane.status.fault}});
    }
    out["laser_sources"].push_back(std::move(entry));
  }
  for (const auto& port : report.ports) {
    out["ports"].push_back({{"name", port.port.name},
                            {"admin_up", port.admin_up},
                            {"oper_up", port.oper_up},
                            {"reason", port.reason}});
  }
  return out;
}

// A laser source's thresholds and what its flag history holds, per lane.
void LaserFlagSamples(PrometheusText& text, const std::string& device,
                      const LaserTelemetry& laser) {
  const PrometheusLabels labels = {{"device", device}, {"source", laser.name}};
  if (laser.limits) {
    auto levels = [&](const char* metric, const hal::Thresholds& t, double to_base) {
      for (const auto& [level, value] : {std::pair{"high_alarm", t.high_alarm},
                                         {"high_warning", t.high_warning},
                                         {"low_warning", t.low_warning},
                                         {"low_alarm", t.low_alarm}}) {
        PrometheusLabels with_level = labels;
        with_level.emplace_back("level", level);
        text.Sample(metric, with_level, value * to_base);
      }
    };
    levels("cpo_laser_lane_power_threshold_watts", laser.limits->power_mw, 1e-3);
    levels("cpo_laser_lane_bias_threshold_amperes", laser.limits->bias_ma, 1e-3);
    levels("cpo_laser_temperature_threshold_celsius", laser.limits->temperature_c, 1.0);
    levels("cpo_laser_supply_voltage_threshold_volts", laser.limits->vcc_v, 1.0);
  }
  if (laser.flags.empty()) return;  // nothing read them yet (no owner, an observer's sweep)
  uint64_t sets = 0;
  std::map<int, std::pair<bool, bool>> latched_by_lane;  // lane -> (alarm, warning)
  for (const auto& flag : laser.flags) {
    sets += flag.set_count;
    int lane = 0;
    char rest[32] = {};
    if (std::sscanf(flag.name.c_str(), "lane%d.%31s", &lane, rest) != 2) continue;
    auto& [alarm, warning] = latched_by_lane[lane];
    const std::string_view what = rest;
    alarm = alarm || (flag.latched && what.ends_with("_alarm"));
    warning = warning || (flag.latched && what.ends_with("_warning"));
  }
  text.Sample("cpo_laser_flag_sets_total", labels, static_cast<double>(sets));
  for (const auto& [lane, latched] : latched_by_lane) {
    PrometheusLabels lane_labels = labels;
    lane_labels.emplace_back("lane", std::to_string(lane));
    text.Sample("cpo_laser_lane_alarm_latched", lane_labels, latched.first ? 1 : 0);
    text.Sample("cpo_laser_lane_warning_latched", lane_labels, latched.second ? 1 : 0);
  }
}

// Base units (watts, amperes, volts, seconds) as Prometheus names them.
std::string RenderPrometheus(const TelemetryReport& report) {
  PrometheusText text;
  text.Gauge("cpo_engine_up", "1 when the engine answered this sweep");
  text.Gauge("cpo_engine_module_state",
             "CMIS module state of the engine (1 for the current state)");
  text.Gauge("cpo_engine_temperature_celsius", "Engine module temperature");
  text.Gauge("cpo_engine_supply_voltage_volts", "Engine module supply voltage");
  text.Gauge("cpo_engine_lane_tx_power_watts", "Engine lane optical output power");
  text.Gauge("cpo_engine_lane_tx_bias_amperes", "Engine lane modulator/driver bias current");
  text.Gauge("cpo_engine_lane_rx_power_watts", "Engine lane optical input power");
  text.Gauge("cpo_laser_lane_output_power_watts", "External laser lane output power");
  text.Gauge("cpo_laser_lane_bias_amperes", "External laser lane bias current");
  text.Gauge("cpo_engine_lane_rx_los", "1 when the engine lane's Rx LOS flag was latched");
  text.Gauge("cpo_laser_lane_voltage_volts", "External laser lane forward voltage");
  text.Gauge("cpo_laser_bank_supply_current_amperes",
             "External laser source supply current (Icc), per bank of 8 lanes");
  text.Gauge("cpo_laser_temperature_celsius", "External laser source module temperature");
  text.Gauge("cpo_laser_supply_voltage_volts", "External laser source module supply voltage");
  text.Gauge("cpo_laser_lane_on", "1 when the laser lane is lit");
  text.Gauge("cpo_laser_lane_fault", "1 when the laser lane reports a fault");
  text.Gauge("cpo_laser_lane_alarm_latched",
             "1 when an alarm flag (bias or power, high or low) of the laser lane is latched");
  text.Gauge("cpo_laser_lane_warning_latched",
             "1 when a warning flag (bias or power, high or low) of the laser lane is latched");
  text.Gauge("cpo_laser_lane_power_threshold_watts",
             "Laser lane output power threshold the source compares against, by level");
  text.Gauge("cpo_laser_lane_bias_threshold_amperes",
             "Laser lane bias threshold the source compares against, by level");
  text.Gauge("cpo_laser_temperature_threshold_celsius",
             "Laser source module temperature threshold (page 02h), by level");
  text.Gauge("cpo_laser_supply_voltage_threshold_volts",
             "Laser source module supply voltage threshold (page 02h), by level");
  text.Counter("cpo_laser_flag_sets_total",
               "Times a read found a flag of the laser source newly set (its flag history)");
  text.Gauge("cpo_port_admin_up", "1 when the port is administratively up");
  text.Gauge("cpo_port_oper_up", "1 when every stage of the port's path is up");
  text.Gauge("cpo_telemetry_sweep_device_seconds", "Device time the engine sweep took");
  text.Gauge("cpo_telemetry_sweep_bus_bytes", "Bytes the engine sweep put on the management buses");
  const std::string& device = report.device;
  for (const auto& engine : report.engines.engines) {
    const PrometheusLabels labels = {{"device", device}, {"engine", engine.name}};
    text.Sample("cpo_engine_up", labels, engine.error.ok() ? 1 : 0);
    if (!engine.error.ok()) continue;
    PrometheusLabels state = labels;
    state.emplace_back("state", std::string(hal::ModuleStateName(engine.module.state)));
    text.Sample("cpo_engine_module_state", state, 1);
    text.Sample("cpo_engine_temperature_celsius", labels, engine.module.temperature_c);
    text.Sample("cpo_engine_supply_voltage_volts", labels, engine.module.vcc_v);
    for (const auto& lane : engine.lanes) {
      PrometheusLabels lane_labels = labels;
      lane_labels.emplace_back("lane", std::to_string(lane.lane));
      // No sample for a monitor the module does not advertise.
      if (lane.tx_power_supported) {
        text.Sample("cpo_engine_lane_tx_power_watts", lane_labels, lane.tx_power_mw / 1e3);
      }
      if (lane.tx_bias_supported) {
        text.Sample("cpo_engine_lane_tx_bias_amperes", lane_labels, lane.tx_bias_ma / 1e3);
      }
      if (lane.rx_power_supported) {
        text.Sample("cpo_engine_lane_rx_power_watts", lane_labels, lane.rx_power_mw / 1e3);
      }
      text.Sample("cpo_engine_lane_rx_los", lane_labels, lane.rx_los ? 1 : 0);
    }
  }
  for (const auto& laser : report.lasers) {
    if (laser.module) {
      const PrometheusLabels labels = {{"device", device}, {"source", laser.name}};
      text.Sample("cpo_laser_temperature_celsius", labels, laser.module->temperature_c);
      text.Sample("cpo_laser_supply_voltage_volts", labels, laser.module->vcc_v);
    }
    for (const auto& lane : laser.lanes) {
      const PrometheusLabels labels = {
          {"device", device}, {"source", laser.name}, {"lane", std::to_string(lane.status.lane)}};
      text.Sample("cpo_laser_lane_output_power_watts", labels, lane.status.power_mw / 1e3);
      text.Sample("cpo_laser_lane_bias_amperes", labels, lane.status.bias_ma / 1e3);
      text.Sample("cpo_laser_lane_on", labels,
                  lane.status.state == hal::LaserLaneState::kOn ? 1 : 0);
      text.Sample("cpo_laser_lane_fault", labels, lane.status.fault ? 1 : 0);
    }
    LaserFlagSamples(text, device, laser);
    for (const auto& lane : laser.electrical) {
      const PrometheusLabels labels = {
          {"device", device}, {"source", laser.name}, {"lane", std::to_string(lane.lane)}};
      text.Sample("cpo_laser_lane_voltage_volts", labels, lane.voltage_v);
      if ((lane.lane - 1) % 8 == 0) {
        const PrometheusLabels bank = {{"device", device},
                                       {"source", laser.name},
                                       {"bank", std::to_string((lane.lane - 1) / 8)}};
        text.Sample("cpo_laser_bank_supply_current_amperes", bank, lane.bank_icc_ma / 1e3);
      }
    }
  }
  for (const auto& port : report.ports) {
    const PrometheusLabels labels = {{"device", device}, {"port", port.port.name}};
    text.Sample("cpo_port_admin_up", labels, port.admin_up ? 1 : 0);
    text.Sample("cpo_port_oper_up", labels, port.oper_up ? 1 : 0);
  }
  const PrometheusLabels device_labels = {{"device", device}};
  text.Sample(
      "cpo_telemetry_sweep_device_seconds", device_labels,
      static_cast<double>((report.engines.finished - report.engines.started).count()) / 1e9);
  text.Sample("cpo_telemetry_sweep_bus_bytes", device_labels,
              static_cast<double>(report.engines.cost.wire_bytes));
  return text.Render();
}

}  // namespace

int RunTelemetry(const GlobalOptions& options, const std::string& format) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  const TelemetryReport report = Collect(**device);
  const std::string chosen = options.json ? "json" : format;
  if (chosen == "json") {
    Print(RenderJson(report).dump(2) + "\n");
  } else if (chosen == "prometheus") {
    Print(RenderPrometheus(report));
  } else {
    Print(RenderTable(report));
  }
  for (const auto& engine : report.engines.engines) {
    if (!engine.error.ok()) return ExitCodeFor(engine.error);
  }
  for (const auto& laser : report.lasers) {
    if (!laser.error.ok()) return ExitCodeFor(laser.error);
  }
  return kExitOk;
}

void AddTelemetryCommand(CLI::App& app, const GlobalOptions& options, std::function<int()>& run) {
  auto format = std::make_shared<std::string>("table");
  auto* telemetry = app.add_subcommand(
      "telemetry", "One sweep of every engine's monitors, laser lane and port state");
  telemetry->add_option("--format", *format, "table (default), json or prometheus")
      ->check(CLI::IsMember({"table", "json", "prometheus"}));
  telemetry->footer(
      "Prometheus metrics carry base units in their names (cpo_engine_lane_rx_power_watts) and\n"
      "labels device, engine/source/port and lane. For node_exporter's textfile collector:\n"
      "  cpoctl telemetry --format prometheus > /var/lib/prometheus/node-exporter/cpo.prom.$$ &&\n"
      "    mv /var/lib/prometheus/node-exporter/cpo.prom.$$ "
      "/var/lib/prometheus/node-exporter/cpo.prom\n"
      "Reading lane monitors also reads (and clears on the engine) their latched flags.\n"
      "Examples:\n  cpoctl telemetry\n  cpoctl telemetry --format json | jq '.ports[] | "
      "select(.oper_up | not)'\n  cpoctl telemetry --format prometheus");
  telemetry->callback([&options, &run, format] {
    run = [&options, format] { return RunTelemetry(options, *format); };
  });
}

}  // namespace cpo::cpoctl
