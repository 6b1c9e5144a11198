#include "engine_report.h"

#include <fmt/format.h>

#include <cmath>

#include "flag_report.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

// "n/a" marks a monitor the module does not advertise (the HAL reports NaN for it).
std::string Dbm(double mw) {
  if (std::isnan(mw)) return "n/a";
  if (mw <= 0) return "-inf";
  return fmt::format("{:.2f}", 10.0 * std::log10(mw));
}

// Rounds to the monitor's resolution so JSON shows 1.2345, not 1.2345000000000002.
double Round(double value, double step) { return std::round(value / step) * step; }

// A monitor's value for a table: "n/a" where the module does not advertise it.
std::string Value(double value, const char* format) {
  return std::isnan(value) ? "n/a" : fmt::format(fmt::runtime(format), value);
}

// For JSON: null where the module does not advertise the monitor.
nlohmann::json Monitor(double value, double step) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(Round(value, step));
}

}  // namespace

EngineReport CollectEngine(hal::OpticalEngine& engine, int index, const EngineSections& sections) {
  EngineReport report;
  report.index = index;
  report.config = &engine.config();
  auto identity = engine.Identity();
  if (!identity.ok()) {
    report.error = identity.status();
    return report;
  }
  report.identity = *identity;
  auto advertising = engine.Advertising();
  if (!advertising.ok()) {
    report.error = advertising.status();
    return report;
  }
  report.advertising = *advertising;
  auto module = engine.Module();
  if (!module.ok()) {
    report.error = module.status();
    return report;
  }
  report.module = *module;
  // Flags latch per bank: reading every lane is the only way to see them all.
  if (sections.lanes || sections.flags) {
    auto lanes = engine.Lanes();
    if (!lanes.ok()) {
      report.error = lanes.status();
      return report;
    }
    if (sections.lanes) report.lanes = *lanes;
  }
  if (sections.thresholds) {
    auto thresholds = engine.Thresholds();
    if (!thresholds.ok()) {
      report.error = thresholds.status();
      return report;
    }
    report.thresholds = *thresholds;
  }
  report.flags = engine.FlagRecords();
  return report;
}

nlohmann::json EngineJson(const EngineReport& report) {
  using nlohmann::json;
  json out = {
      {"name", report.config->name},        {"index", report.index},
      {"bus", report.config->bus},          {"address", report.config->address},
      {"lane_count", report.config->lanes}, {"bank_count", report.config->banks},
  };
  out["error"] = report.error.ok() ? json(nullptr) : json(report.error.ToString());
  if (report.identity) {
    const auto& id = *report.identity;
    out["identity"] = {
        {"identifier", id.identifier},
        {"cmis_revision", fmt::format("{}.{}", id.cmis_major, id.cmis_minor)},
        {"vendor_name", id.vendor_name},
        {"vendor_oui",
         fmt::format("{:02x}:{:02x}:{:02x}", id.vendor_oui[0], id.vendor_oui[1], id.vendor_oui[2])},
        {"part_number", id.part_number},
        {"revision", id.revision},
        {"serial_number", id.serial_number},
        {"date_code", id.date_code},
        {"firmware_version", fmt::format("{}.{}", id.firmware_major, id.firmware_minor)},
        {"checksum_ok", id.checksum_ok},
    };
  }
  if (report.advertising) {
    const auto& a = *report.advertising;
    out["supports"] = {{"banks", a.banks},
                       {"vdm", a.vdm_supported},
                       {"diagnostics_pages", a.diagnostics_pages_supported},
                       {"tx_disable", a.tx_disable_supported},
                       {"rx_los", a.rx_los_supported},
                       {"rx_cdr_lol", a.rx_cdr_lol_supported}};
  }
  if (!report.flags.empty()) out["flags"] = FlagRecordsJson(report.flags);
  if (report.thresholds) {
    auto set = [](const hal::Thresholds& t) {
      return json{{"high_alarm", t.high_alarm},
                  {"low_alarm", t.low_alarm},
                  {"high_warning", t.high_warning},
                  {"low_warning", t.low_warning}};
    };
    const auto& t = *report.thresholds;
    out["thresholds"] = {{"temperature_c", set(t.temperature_c)},
                         {"vcc_v", set(t.vcc_v)},
                         {"tx_power_mw", set(t.tx_power_mw)},
                         {"tx_bias_ma", set(t.tx_bias_ma)},
                         {"rx_power_mw", set(t.rx_power_mw)}};
  }
  if (report.module) {
    out["module"] = {
        {"state", std::string(hal::ModuleStateName(report.module->state))},
        {"fault_cause", std::string(hal::ModuleFaultCauseName(report.module->fault_cause))},
        {"low_power_requested", report.module->low_power_requested},
        {"interrupt", report.module->interrupt},
        {"temperature_c", Round(report.module->temperature_c, 1.0 / 256)},
        {"vcc_v", Round(report.module->vcc_v, 1e-4)},
    };
  }
  if (!report.lanes.empty()) {
    json lanes = json::array();
    for (const auto& lane : report.lanes) {
      lanes.push_back({{"lane", lane.lane},
                       {"tx_power_mw", Monitor(lane.tx_power_mw, 1e-4)},
                       {"tx_bias_ma", Monitor(lane.tx_bias_ma, 2e-3)},
                       {"rx_power_mw", Monitor(lane.rx_power_mw, 1e-4)},
                       {"rx_los", lane.rx_los},
                       {"rx_cdr_lol", lane.rx_cdr_lol}});
    }
    out["lanes"] = lanes;
  }
  return out;
}

std::string EngineSummaryTable(const std::vector<EngineReport>& reports) {
  Table table({"ENGINE", "BUS", "ADDR", "LANES", "VENDOR", "PART", "SERIAL", "FW", "STATE",
               "TEMP_C", "VCC_V"});
  for (const auto& r : reports) {
    std::vector<std::string> row = {r.config->name, r.config->bus,
                                    fmt::format("0x{:02x}", r.config->address),
                                    std::to_string(r.config->lanes)};
    if (r.identity) {
      row.insert(row.end(),
                 {r.identity->vendor_name, r.identity->part_number, r.identity->serial_number,
                  fmt::format("{}.{}", r.identity->firmware_major, r.identity->firmware_minor)});
    } else {
      row.insert(row.end(), {"-", "-", "-", "-"});
    }
    if (r.module) {
      row.insert(row.end(), {std::string(hal::ModuleStateName(r.module->state)),
                             fmt::format("{:.2f}", r.module->temperature_c),
                             fmt::format("{:.3f}", r.module->vcc_v)});
    } else {
      row.insert(row.end(), {"UNREACHABLE", "-", "-"});
    }
    table.AddRow(row);
  }
  return table.Render();
}

std::string EngineDetailText(const EngineReport& r, const EngineSections& sections) {
  std::string out = fmt::format(
      "Optical engine {} (index {}) on {} at 0x{:02x}, {} lanes in {} banks\n", r.config->name,
      r.index, r.config->bus, r.config->address, r.config->lanes, r.config->banks);
  if (r.identity) {
    const auto& id = *r.identity;
    out += fmt::format("  Vendor      {} (OUI {:02x}:{:02x}:{:02x})\n", id.vendor_name,
                       id.vendor_oui[0], id.vendor_oui[1], id.vendor_oui[2]);
    out += fmt::format("  Part        {} rev {}\n", id.part_number, id.revision);
    out += fmt::format("  Serial      {}   date code {}\n", id.serial_number, id.date_code);
    out += fmt::format("  CMIS        {}.{}   identifier 0x{:02x}   firmware {}.{}   checksum {}\n",
                       id.cmis_major, id.cmis_minor, id.identifier, id.firmware_major,
                       id.firmware_minor, id.checksum_ok ? "ok" : "BAD");
  }
  if (r.advertising) {
    const auto& a = *r.advertising;
    out +=
        fmt::format("  Supports    {} bank(s), {}, {}\n", a.banks,
                    a.vdm_supported ? "VDM (20h-2Fh)" : "no VDM pages (no ELS input power)",
                    a.diagnostics_pages_supported ? "PRBS and loopback (13h/14h)"
                                                  : "no diagnostics pages (no PRBS or loopback)");
  }
  if (r.module) {
    out += fmt::format(
        "  State       {}{}{}   temperature {:.2f} C   Vcc {:.4f} V\n",
        hal::ModuleStateName(r.module->state),
        r.module->state == hal::ModuleState::kFault
            ? fmt::format(" (cause {})", hal::ModuleFaultCauseName(r.module->fault_cause))
            : "",
        r.module->low_power_requested ? " (low power requested)" : "", r.module->temperature_c,
        r.module->vcc_v);
  }
  if (!r.error.ok()) out += fmt::format("  ERROR       {}\n", r.error.ToString());
  if (sections.flags) out += FlagRecordsText(r.flags);
  if (r.thresholds) {
    Table table({"QUANTITY", "HIGH_ALARM", "HIGH_WARN", "LOW_WARN", "LOW_ALARM"});
    auto row = [&](const char* name, const hal::Thresholds& t, const char* format) {
      table.AddRow({name, fmt::format(fmt::runtime(format), t.high_alarm),
                    fmt::format(fmt::runtime(format), t.high_warning),
                    fmt::format(fmt::runtime(format), t.low_warning),
                    fmt::format(fmt::runtime(format), t.low_alarm)});
    };
    row("temperature_c", r.thresholds->temperature_c, "{:.2f}");
    row("vcc_v", r.thresholds->vcc_v, "{:.4f}");
    row("tx_power_mw", r.thresholds->tx_power_mw, "{:.4f}");
    row("tx_bias_ma", r.thresholds->tx_bias_ma, "{:.3f}");
    row("rx_power_mw", r.thresholds->rx_power_mw, "{:.4f}");
    out += "\n" + table.Render();
  }
  if (!r.lanes.empty()) {
    Table table({"LANE", "TX_MW", "TX_DBM", "BIAS_MA", "RX_MW", "RX_DBM"});
    for (const auto& lane : r.lanes) {
      table.AddRow({std::to_string(lane.lane), Value(lane.tx_power_mw, "{:.4f}"),
                    Dbm(lane.tx_power_mw), Value(lane.tx_bias_ma, "{:.3f}"),
                    Value(lane.rx_power_mw, "{:.4f}"), Dbm(lane.rx_power_mw)});
    }
    out += "\n" + table.Render();
  }
  return out;
}

}  // namespace cpo::cpoctl
