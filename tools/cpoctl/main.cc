// cpoctl: diagnostics for CPO switches, run by operators beside the NOS. Guide: docs/cpoctl.md.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_context.h"
#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "diag_commands.h"
#include "engine_report.h"
#include "exit_codes.h"
#include "laser_commands.h"
#include "oe_commands.h"
#include "owner_commands.h"
#include "port_commands.h"
#include "port_diag_commands.h"
#include "raw_commands.h"
#include "sim_commands.h"
#include "table.h"
#include "telemetry_commands.h"
#include "topology_commands.h"
#include "watch_command.h"

namespace {

using cpo::cpoctl::ExitCodeFor;
using nlohmann::json;

using cpo::cpoctl::Fail;
using cpo::cpoctl::GlobalOptions;
using cpo::cpoctl::Print;

cpo::Result<std::unique_ptr<cpo::hal::Device>> Open(const GlobalOptions& options) {
  return cpo::cpoctl::OpenFromOptions(options);
}

int RunList(const GlobalOptions& options) {
  auto device = Open(options);
  if (!device.ok()) return Fail(device.status());
  const auto& platform = (*device)->platform();
  std::vector<cpo::cpoctl::EngineReport> reports;
  int index = 0;
  for (const auto& engine : (*device)->optical_engines()) {
    reports.push_back(cpo::cpoctl::CollectEngine(*engine, index++, {.lanes = false}));
  }
  if (options.json) {
    json out = {
        {"device", platform.name}, {"optical_engines", json::array()}, {"ports", json::array()}};
    for (const auto& report : reports) {
      out["optical_engines"].push_back(cpo::cpoctl::EngineJson(report));
    }
    for (const auto& port : platform.ports) {
      out["ports"].push_back({{"name", port.name},
                              {"engine", port.engine},
                              {"host_lanes", port.host_lanes},
                              {"engine_lanes", port.engine_lanes}});
    }
    Print(out.dump(2) + "\n");
  } else {
    Print(fmt::format("Device {} ({}), {} optical engines, {} ports\n\n", platform.name,
                      platform.source_file, reports.size(), platform.ports.size()));
    Print(cpo::cpoctl::EngineSummaryTable(reports));
    cpo::cpoctl::Table ports({"PORT", "ENGINE", "HOST_LANES", "ENGINE_LANES"});
    auto lanes = [](const std::vector<int>& list) {
      if (list.empty()) return std::string("-");
      bool contiguous = list.back() - list.front() + 1 == static_cast<int>(list.size());
      return contiguous ? fmt::format("{}-{}", list.front(), list.back())
                        : fmt::format("{}", fmt::join(list, ","));
    };
    for (const auto& port : platform.ports) {
      ports.AddRow({port.name, port.engine, lanes(port.host_lanes), lanes(port.engine_lanes)});
    }
    Print("\n" + ports.Render());
  }
  for (const auto& report : reports) {
    if (!report.error.ok()) return ExitCodeFor(report.error);
  }
  return cpo::cpoctl::kExitOk;
}

int RunShowOe(const GlobalOptions& options, const std::string& engine_id,
              const cpo::cpoctl::EngineSections& sections) {
  // Latched flags clear when read: only the owner reads them. With no owner running, this
  // command owns the switch while it reads them; beside an owner it shows the owner's flag
  // history (published through its request channel).
  const auto owner = sections.flags ? cpo::cpoctl::OtherOwner(options) : std::nullopt;
  auto device = cpo::cpoctl::OpenFromOptions(options, sections.flags && !owner
                                                          ? cpo::cpoctl::Access::kChange
                                                          : cpo::cpoctl::Access::kObserve);
  if (device.ok() && owner && !options.json) {
    std::fprintf(stderr,
                 "cpoctl: note: latched flags clear when read, so only the switch's owner (%s) "
                 "reads them; the flags below are its flag history\n",
                 owner->Describe().c_str());
  }
  if (!device.ok()) return Fail(device.status());
  auto engines = cpo::cpoctl::SelectEngines(**device, engine_id);
  if (!engines.ok()) return Fail(engines.status());
  std::vector<cpo::cpoctl::EngineReport> reports;
  for (auto* engine : *engines) {
    reports.push_back(
        cpo::cpoctl::CollectEngine(*engine, cpo::cpoctl::EngineIndex(**device, engine), sections));
  }
  if (options.json) {
    json out = {{"device", (*device)->platform().name}, {"optical_engines", json::array()}};
    for (const auto& report : reports) {
      out["optical_engines"].push_back(cpo::cpoctl::EngineJson(report));
    }
    Print(out.dump(2) + "\n");
  } else {
    for (size_t i = 0; i < reports.size(); ++i) {
      Print((i ? "\n" : "") + cpo::cpoctl::EngineDetailText(reports[i], sections));
    }
  }
  for (const auto& report : reports) {
    if (!report.error.ok()) {
      if (!options.json) std::fprintf(stderr, "cpoctl: %s\n", report.error.ToString().c_str());
      return ExitCodeFor(report.error);
    }
  }
  return cpo::cpoctl::kExitOk;
}

// Every command path below `command` ("show port", "sim inject unplug") and its description.
void ListCommands(const CLI::App& command, const std::string& path, std::string& out) {
  for (const CLI::App* sub : command.get_subcommands({})) {
    const std::string name = path.empty() ? sub->get_name() : path + " " + sub->get_name();
    out += fmt::format("{:<28} {}\n", name, sub->get_description());
    ListCommands(*sub, name, out);
  }
}

// `cpoctl help [COMMAND...]`: the help of any command, as `cpoctl COMMAND... --help` prints it;
// `cpoctl help --all`: every command.
int RunHelp(const CLI::App& app, const std::vector<std::string>& words, bool all) {
  if (all) {
    std::string out;
    ListCommands(app, "", out);
    Print(out);
    return cpo::cpoctl::kExitOk;
  }
  const CLI::App* command = &app;
  std::string path = "cpoctl";
  for (const auto& word : words) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : command->get_subcommands({})) {
      if (sub->get_name() == word) next = sub;
    }
    if (next == nullptr) {
      std::vector<std::string> names;
      for (const CLI::App* sub : command->get_subcommands({})) {
        if (!sub->get_name().empty()) names.push_back(sub->get_name());
      }
      return Fail(cpo::Status(cpo::StatusCode::kInvalidArgument,
                              fmt::format("'{} {}' is not a command; '{}' has: {}", path, word,
                                          path, fmt::join(names, ", "))));
    }
    command = next;
    path += " " + word;
  }
  Print(command == &app ? app.help() : command->help(path.substr(0, path.rfind(' '))));
  return cpo::cpoctl::kExitOk;
}

int Main(int argc, char** argv) {
  CLI::App app{
      "cpoctl: inspect and control a co-packaged-optics switch through cpo-hal.\n\n"
      "The platform file comes from --platform, else $CPO_PLATFORM, else /etc/cpo/platform.yaml.\n"
      "Exit codes: 0 ok, 1 operation failed, 2 usage or platform error, 3 device unreachable,\n"
      "4 permission denied.\n\n"
      "Examples:\n"
      "  cpoctl --platform platform/boards/sim-51t2/platform.yaml list\n"
      "  cpoctl --platform board.yaml --sim /tmp/cpo.sock show oe oe3\n"
      "  cpoctl show oe 0 --json | jq '.optical_engines[0].lanes[0]'\n",
      "cpoctl"};
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions options;
  // Commands added by their own files set `run` when parsed.
  std::function<int()> run;
  app.add_option("--platform", options.platform_path, "Platform file (YAML)");
  app.add_option("--sim", options.sim_socket,
                 "cpo-simd socket to use instead of the platform's transport.socket");
  app.add_flag("--json", options.json, "Machine-readable output (schema: docs/cpoctl-json.md)");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  std::vector<std::string> help_words;
  auto* help = app.add_subcommand("help", "Help of any command, e.g. 'cpoctl help port up'");
  help->add_option("COMMAND", help_words, "A command and its subcommands");
  bool help_all = false;
  help->add_flag("--all", help_all, "List every command with its description");
  help->footer(
      "Examples:\n  cpoctl help\n  cpoctl help show port\n  cpoctl help sim inject unplug");

  auto* list = app.add_subcommand("list", "List the platform's optical engines and ports");
  list->footer("Example:\n  cpoctl --platform sim-mini.yaml list --json");

  auto* show = app.add_subcommand("show", "Show the state of a part of the switch");
  show->require_subcommand(1);
  std::string engine_id;
  auto* show_oe = show->add_subcommand("oe", "Identity, module state and lane monitors of engines");
  show_oe->add_option("ID", engine_id, "Engine name (oe3) or index (3); all engines when omitted");
  bool show_lanes = false, show_flags = false, show_thresholds = false;
  show_oe->add_flag("--lanes", show_lanes, "Lane monitors (the default when no section is named)");
  show_oe->add_flag("--flags", show_flags, "Latched alarm and warning flags (reading clears them)");
  show_oe->add_flag("--thresholds", show_thresholds, "Alarm and warning thresholds (page 02h)");
  bool show_vdm = false, show_datapaths = false;
  show_oe->add_flag("--vdm", show_vdm,
                    "VDM samples of every lane (one engine), read under a freeze");
  show_oe->add_flag("--datapaths", show_datapaths,
                    "Applications and every lane's data-path state, ConfigStatus and controls");
  show_oe->footer(
      "Examples:\n  cpoctl show oe\n  cpoctl show oe oe0 --flags --thresholds\n"
      "  cpoctl show oe oe0 --vdm\n  cpoctl show oe oe0 --datapaths --json\n"
      "  cpoctl show oe oe0 --json");

  std::string map_port;
  auto* show_map = show->add_subcommand(
      "map", "A port's path: host lanes, engine lanes, fibres and the laser lanes that light it");
  show_map->add_option("PORT", map_port, "Port name")->required();
  show_map->footer("Examples:\n  cpoctl show map eth9\n  cpoctl show map eth9 --json");

  std::string laser_id;
  auto* show_laser = show->add_subcommand(
      "laser", "Every lane of external laser sources: state, safety phase, fibre, powers");
  show_laser->add_option("ID", laser_id, "Laser source name (els3) or index; all when omitted");
  cpo::cpoctl::LaserSections laser_sections;
  show_laser->add_flag("--flags", laser_sections.flags,
                       "Latched lane and module flags (reading clears them on the module)");
  show_laser->add_flag("--thresholds", laser_sections.thresholds,
                       "Control mode, power and bias limits, fibre-check power, lane thresholds");
  show_laser->footer(
      "Examples:\n  cpoctl show laser\n  cpoctl show laser els0 --json\n"
      "  cpoctl show laser els0 --flags --thresholds");

  std::string port_name;
  auto* show_port = show->add_subcommand(
      "port",
      "Every port's path stage by stage (lasers, engine data path, SerDes) and why it is down");
  show_port->add_option("NAME", port_name,
                        "Port (eth3/2), front-panel port (eth3: all its ports); all when omitted");
  bool show_port_lanes = false;
  show_port->add_flag("--lanes", show_port_lanes,
                      "Each lane's path: SerDes lane, engine lane, laser, far end, receiver");
  show_port->footer(
      "Examples:\n  cpoctl show port\n  cpoctl show port eth9 --lanes\n"
      "  cpoctl show port eth9 --json");
  cpo::cpoctl::AddShowOwnerCommand(*show, options, run);

  auto* port = app.add_subcommand("port", "Control ports");
  port->require_subcommand(1);
  auto* port_up = port->add_subcommand(
      "up", "Admin up: light and fibre-check the ports' lasers, then bring their data paths up");
  std::vector<std::string> admin_ports;
  port_up->add_option("NAME", admin_ports, "Ports, front-panel ports, or all")->required();
  auto* port_down = port->add_subcommand(
      "down", "Admin down: data paths to Deactivated, then the lasers no other port uses off");
  port_down->add_option("NAME", admin_ports, "Ports, front-panel ports, or all")->required();
  port_down->footer(
      "Ports sharing a laser or an engine keep running.\nExample:\n  cpoctl port down eth0");
  port_up->footer(
      "Every port given goes up at once: all laser sources, then the SerDes transmitters, then\n"
      "all engines in parallel, then the links are checked. A port whose cable peer is down\n"
      "stays down with 'no signal'.\n"
      "Examples:\n  cpoctl port up eth28\n  cpoctl port up eth1 eth33    # both ends of a cable\n"
      "  cpoctl port up all --json");
  std::string breakout_mode;
  auto* port_breakout = port->add_subcommand(
      "breakout", "Split a front-panel port into logical ports (1x800G, 2x400G, 4x200G, 8x100G)");
  port_breakout->add_option("NAME", port_name, "Front-panel port, e.g. eth3")->required();
  port_breakout->add_option("MODE", breakout_mode, "NxS, e.g. 4x200G")->required();
  port_breakout->footer(
      "The port's current logical ports go admin down first; no other port is touched. The mode\n"
      "is kept in the switch's port block, so every process sees it.\n"
      "Examples:\n  cpoctl port breakout eth3 4x200G\n  cpoctl port up eth3\n"
      "  cpoctl port breakout eth3 1x800G --json");

  auto* laser = app.add_subcommand(
      "laser", "Control external laser lanes (always through the HAL's fibre check)");
  laser->require_subcommand(1);
  std::string laser_lanes;
  auto* laser_enable = laser->add_subcommand(
      "enable", "Fibre-check lanes at low power, then raise them to operating power; waits");
  auto* laser_disable = laser->add_subcommand("disable", "Turn lanes off");
  auto* laser_check = laser->add_subcommand(
      "fiber-check", "Check lanes' fibres at the fibre-check setpoint; dark lanes stay dark");
  for (auto* command : {laser_enable, laser_disable, laser_check}) {
    command->add_option("ID", laser_id, "Laser source name or index")->required();
    command->add_option("LANES", laser_lanes, "Lanes, e.g. 1-8 or 1,3")->required();
  }
  laser_enable->footer(
      "Lanes another process has fibre-checked stay lit; a lane whose check fails stays dark\n"
      "and the error says which engine lane saw how much loss. Keep a process supervising\n"
      "(the NOS, or anything running the HAL's event monitor) to turn lanes off on a cut fibre.\n"
      "Examples:\n  cpoctl laser enable els0 1-8\n  cpoctl laser enable els0 3 --json");
  laser_disable->footer("Example:\n  cpoctl laser disable els0 1-8");
  laser_check->footer(
      "Examples:\n  cpoctl laser fiber-check els0 1-8\n"
      "  cpoctl laser fiber-check els2 4 --json");
  std::string laser_set = "controls", laser_slot = "1";
  auto* laser_save =
      laser->add_subcommand("save", "Save a laser source's control or mask set to slot 1 or 2");
  auto* laser_restore = laser->add_subcommand(
      "restore", "Restore a control or mask set from slot 1, 2 or the factory copy");
  for (auto* command : {laser_save, laser_restore}) {
    command->add_option("ID", laser_id, "Laser source name or index")->required();
    command
        ->add_option("--set", laser_set,
                     "controls (mode, setpoints, fibre map) or masks (lane and global flag "
                     "masks)")
        ->capture_default_str();
    command->add_option("--slot", laser_slot, "1 or 2 (restore also: factory)")
        ->capture_default_str();
  }
  laser_save->footer(
      "OIF-ELSFP 1Ah:184 codes 0x18/0x19 (controls) and 0x28/0x29 (masks). Lane enables and\n"
      "fibre checks are never part of a set.\n"
      "Examples:\n  cpoctl laser save els0\n  cpoctl laser save els0 --set masks --slot 2");
  laser_restore->footer(
      "OIF-ELSFP codes 0x10-0x12 (controls) and 0x20-0x22 (masks). A lit lane restored to a new\n"
      "fibre is turned off and checked again; no restore runs during a fibre check.\n"
      "Examples:\n  cpoctl laser restore els0\n  cpoctl laser restore els0 --slot factory\n"
      "  cpoctl laser restore els0 --set masks --slot 2 --json");

  auto* impact = app.add_subcommand("impact", "What depends on a part of the switch");
  impact->require_subcommand(1);
  std::string impact_source;
  int impact_lane = 0;
  auto* impact_laser = impact->add_subcommand(
      "laser", "The fibre, engine lanes and ports a laser lane lights (from the platform)");
  impact_laser->add_option("ID", impact_source, "Laser source name, e.g. els3")->required();
  impact_laser->add_option("LANE", impact_lane, "Laser lane (from 1)")->required();
  impact_laser->footer(
      "Examples:\n  cpoctl impact laser els2 3\n  cpoctl impact laser els2 3 --json");

  auto* oe = app.add_subcommand("oe", "Control optical engines");
  oe->require_subcommand(1);
  std::string oe_id;
  bool wait = false;
  auto* lowpower =
      oe->add_subcommand("lowpower", "Put engines into low power (on) or power them up (off)");
  std::string lowpower_mode;
  lowpower->add_option("MODE", lowpower_mode, "on or off")
      ->required()
      ->check(CLI::IsMember({"on", "off"}));
  lowpower->add_option("ID", oe_id, "Engine name or index, or all")->required();
  lowpower->add_flag("--wait", wait,
                     "Wait until the module reaches LowPwr (on) or Ready (off), at most the "
                     "advertised duration");
  lowpower->footer("Examples:\n  cpoctl oe lowpower off all --wait\n  cpoctl oe lowpower on oe3");
  auto* reset =
      oe->add_subcommand("reset", "CMIS software reset: controls to defaults, module to LowPwr");
  reset->add_option("ID", oe_id, "Engine name or index, or all")->required();
  reset->add_flag("--wait", wait, "Wait until the module is back in LowPwr");
  reset->footer("Example:\n  cpoctl oe reset oe3 --wait");
  auto* vdm_mask = oe->add_subcommand(
      "vdm-mask", "Mask a VDM observable's flags (page 2Dh): they latch but do not assert IntL");
  std::string vdm_type;
  std::string dp_lanes_vdm;
  bool vdm_unmask = false;
  vdm_mask->add_option("ID", oe_id, "Engine name or index")->required();
  vdm_mask->add_option("TYPE", vdm_type, "VDM observable: a name (laser_temperature) or type id")
      ->required();
  vdm_mask->add_option("--lanes", dp_lanes_vdm, "Lanes, e.g. 1-8 (default: all)");
  vdm_mask->add_flag("--unmask", vdm_unmask, "Unmask them again");
  vdm_mask->footer(
      "Examples:\n  cpoctl oe vdm-mask oe0 laser_temperature --lanes 1-8\n"
      "  cpoctl oe vdm-mask oe0 esnr_media --unmask");
  auto* datapath = oe->add_subcommand("datapath", "Bring engine data paths up or down");
  datapath->require_subcommand(1);
  std::string dp_lanes;
  int dp_app = 1;
  auto* dp_up = datapath->add_subcommand(
      "up", "Power up if needed, select the application, release DPDeinit, enable Tx; waits");
  dp_up->add_option("ID", oe_id, "Engine name or index")->required();
  dp_up->add_option("--lanes", dp_lanes, "Lanes, e.g. 1-8 (default: all)");
  dp_up->add_option("--app", dp_app, "AppSel (see 'cpoctl show oe ID --datapaths')")
      ->check(CLI::Range(1, 15));
  dp_up->footer(
      "Examples:\n  cpoctl oe datapath up oe0 --app 1            # 8 x 800G on 64 lanes\n"
      "  cpoctl oe datapath up oe0 --lanes 1-4 --app 4   # 4 x 100G");
  auto* dp_down =
      datapath->add_subcommand("down", "Hold lanes in DPDeinit with Tx disabled; waits");
  dp_down->add_option("ID", oe_id, "Engine name or index")->required();
  dp_down->add_option("--lanes", dp_lanes, "Lanes, e.g. 1-8 (default: all)");
  dp_down->footer("Example:\n  cpoctl oe datapath down oe0 --lanes 1-8");

  auto* diag = app.add_subcommand("diag", "Diagnostics: PRBS pattern tests and loopbacks");
  diag->require_subcommand(1);
  auto* prbs = diag->add_subcommand(
      "prbs", "PRBS generators and checkers of engine lanes, or of a port's SerDes lanes");
  prbs->require_subcommand(1);
  cpo::cpoctl::PrbsRequest prbs_request;
  auto* prbs_start = prbs->add_subcommand("start", "Start generator and/or checker");
  auto* prbs_stop = prbs->add_subcommand("stop", "Stop generator and checker (results stay)");
  auto* prbs_show = prbs->add_subcommand("show", "Checker lock, BER and SNR");
  auto* prbs_clear =
      prbs->add_subcommand("clear", "Restart the error counts of every running checker");
  prbs_clear->add_option("ID", prbs_request.engine, "Engine name or index, or a port")->required();
  prbs_clear->footer("Example:\n  cpoctl diag prbs clear oe0");
  bool generator_only = false, checker_only = false;
  for (auto* command : {prbs_start, prbs_stop, prbs_show}) {
    command->add_option("ID", prbs_request.engine, "Engine name or index, or a port")->required();
    command->add_option("--lanes", prbs_request.lanes, "Engine lanes, e.g. 1-8 (default: all)");
  }
  for (auto* command : {prbs_start, prbs_stop}) {
    command->add_option("--side", prbs_request.side, "host or media (default media)")
        ->check(CLI::IsMember({"host", "media"}));
  }
  prbs_start->add_option("--pattern", prbs_request.pattern,
                         "PRBS7, PRBS7Q, PRBS9(Q), PRBS13(Q), PRBS15(Q), PRBS23(Q), PRBS31(Q)");
  prbs_start->add_flag("--generator-only", generator_only, "Start only the generator");
  prbs_start->add_flag("--checker-only", checker_only, "Start only the checker");
  prbs_start->footer(
      "Examples:\n  cpoctl diag loopback set oe0 --lanes 1-8 --kind media-output\n"
      "  cpoctl diag prbs start oe0 --lanes 1-8 --side media --pattern PRBS31\n"
      "  cpoctl diag prbs show oe0 --lanes 1-8\n"
      "Given a port, the switch's SerDes lanes of that port (host side, SAI's PRBS modes):\n"
      "  cpoctl diag prbs start eth28 --pattern PRBS31Q     # tx-rx\n"
      "  cpoctl diag prbs start eth28 --checker-only        # rx: check what arrives\n"
      "  cpoctl diag prbs show eth28");
  prbs_stop->footer(
      "Examples:\n  cpoctl diag prbs stop oe0 --lanes 1-8\n  cpoctl diag prbs stop eth28");
  prbs_show->footer(
      "Examples:\n  cpoctl diag prbs show oe0 --lanes 1-8 --json\n  cpoctl diag prbs show eth28");
  auto* loopback = diag->add_subcommand(
      "loopback", "Set or clear loopbacks of engine lanes or of a port's SerDes lanes");
  loopback->require_subcommand(1);
  std::string loopback_kind;
  auto* loopback_set = loopback->add_subcommand("set", "Enable a loopback on lanes");
  auto* loopback_clear = loopback->add_subcommand("clear", "Disable a loopback on lanes");
  for (auto* command : {loopback_set, loopback_clear}) {
    command->add_option("ID", oe_id, "Engine name or index, or a port")->required();
    command->add_option("--lanes", dp_lanes, "Engine lanes, e.g. 1-8 (default: all)");
    command
        ->add_option("--kind", loopback_kind,
                     "Engines: media-output, media-input, host-output or host-input; ports' "
                     "SerDes lanes: near-end or far-end")
        ->required()
        ->check(CLI::IsMember(
            {"media-output", "media-input", "host-output", "host-input", "near-end", "far-end"}));
    command->footer(
        "Examples:\n  cpoctl diag loopback set oe0 --lanes 1-8 --kind media-output\n"
        "  cpoctl diag loopback set eth5 --kind near-end\n"
        "  cpoctl diag loopback clear eth5 --kind near-end");
  }

  auto* dump = app.add_subcommand("dump", "Raw register windows");
  dump->require_subcommand(1);
  auto* dump_oe = dump->add_subcommand(
      "oe", "The 256-byte CMIS window of an engine: lower page + one upper page");
  int dump_page = 0;
  int dump_bank = 0;
  dump_oe->add_option("ID", oe_id, "Engine name or index")->required();
  dump_oe->add_option("--page", dump_page, "Upper page, e.g. 0x11 or 17")
      ->required()
      ->check(CLI::Range(0, 255));
  dump_oe->add_option("--bank", dump_bank, "Bank for pages 10h and up (lanes 8*B+1..8*B+8)")
      ->check(CLI::Range(0, 255));
  dump_oe->footer(
      "Reading the lower page also reads (and so clears) its latched flag bytes.\n"
      "Examples:\n  cpoctl dump oe oe0 --page 0x11 --bank 2\n  cpoctl dump oe 0 --page 0 --json");

  auto* dump_els = dump->add_subcommand(
      "els", "The 256-byte CMIS window of a laser source: lower page + one upper page");
  dump_els->add_option("ID", laser_id, "Laser source name or index")->required();
  dump_els->add_option("--page", dump_page, "Upper page, e.g. 0x1A or 26")
      ->required()
      ->check(CLI::Range(0, 255));
  dump_els->add_option("--bank", dump_bank, "Bank for pages 1Ah/1Bh (lanes 8*B+1..8*B+8)")
      ->check(CLI::Range(0, 255));
  dump_els->footer(
      "Examples:\n  cpoctl dump els els0 --page 0x1A\n  cpoctl dump els els0 --page 0x1B --bank 1 "
      "--json");

  cpo::cpoctl::AddRawCommands(app, options, run);
  cpo::cpoctl::AddSimCommands(app, options, run);
  cpo::cpoctl::AddTelemetryCommand(app, options, run);
  cpo::cpoctl::AddWatchCommand(app, options, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cpo::cpoctl::kExitUsage;
  }
  // Logs go to stderr so stdout stays clean for tables and JSON.
  spdlog::set_default_logger(spdlog::stderr_color_mt("cpoctl"));
  spdlog::set_level(spdlog::level::from_str(options.log_level));

  if (help->parsed()) return RunHelp(app, help_words, help_all);
  if (run) return run();
  if (list->parsed()) return RunList(options);
  if (show_map->parsed()) return cpo::cpoctl::RunShowMap(options, map_port);
  if (impact_laser->parsed()) {
    return cpo::cpoctl::RunImpactLaser(options, impact_source, impact_lane);
  }
  if (show_oe->parsed() && show_vdm) return cpo::cpoctl::RunShowVdm(options, engine_id);
  if (show_oe->parsed() && show_datapaths) {
    return cpo::cpoctl::RunShowDataPaths(options, engine_id);
  }
  if (show_oe->parsed()) {
    const bool any = show_lanes || show_flags || show_thresholds;
    return RunShowOe(
        options, engine_id,
        {.lanes = show_lanes || !any, .flags = show_flags, .thresholds = show_thresholds});
  }
  if (lowpower->parsed()) {
    return cpo::cpoctl::RunOeLowPower(options, lowpower_mode == "on", oe_id, wait);
  }
  if (reset->parsed()) return cpo::cpoctl::RunOeReset(options, oe_id, wait);
  if (vdm_mask->parsed()) {
    return cpo::cpoctl::RunVdmMask(options, oe_id, vdm_type, dp_lanes_vdm, vdm_unmask);
  }
  if (dp_up->parsed()) return cpo::cpoctl::RunDataPathUp(options, oe_id, dp_lanes, dp_app);
  if (dp_down->parsed()) return cpo::cpoctl::RunDataPathDown(options, oe_id, dp_lanes);
  const std::string& diag_id =
      loopback_set->parsed() || loopback_clear->parsed() ? oe_id : prbs_request.engine;
  const bool port_diag =
      (prbs_start->parsed() || prbs_stop->parsed() || prbs_show->parsed() || prbs_clear->parsed() ||
       loopback_set->parsed() || loopback_clear->parsed()) &&
      cpo::cpoctl::NamesPort(options, diag_id);
  if (port_diag && (!prbs_request.lanes.empty() || !dp_lanes.empty())) {
    return cpo::cpoctl::Fail(cpo::Status(
        cpo::StatusCode::kInvalidArgument,
        fmt::format("--lanes: {} is a port; it tests all its own SerDes lanes (select one "
                    "logical port, e.g. {}/1 after a breakout, to test fewer)",
                    diag_id, diag_id)));
  }
  if (port_diag && (prbs_start->parsed() || prbs_stop->parsed())) {
    if (generator_only && checker_only) {
      return cpo::cpoctl::Fail(
          cpo::Status(cpo::StatusCode::kInvalidArgument,
                      "--generator-only and --checker-only exclude each other"));
    }
    const auto mode = prbs_stop->parsed() ? cpo::hal::PortPrbsMode::kDisabled
                      : generator_only    ? cpo::hal::PortPrbsMode::kTx
                      : checker_only      ? cpo::hal::PortPrbsMode::kRx
                                          : cpo::hal::PortPrbsMode::kTxRx;
    return cpo::cpoctl::RunPortPrbs(options, diag_id, mode, prbs_request.pattern);
  }
  if (port_diag && prbs_show->parsed()) return cpo::cpoctl::RunPortPrbsShow(options, diag_id);
  if (port_diag && prbs_clear->parsed()) return cpo::cpoctl::RunPortPrbsClear(options, diag_id);
  if (port_diag) {
    return cpo::cpoctl::RunPortLoopback(options, diag_id, loopback_kind, loopback_set->parsed());
  }
  if (port_breakout->parsed()) {
    return cpo::cpoctl::RunPortBreakout(options, port_name, breakout_mode);
  }
  if (prbs_start->parsed()) {
    if (generator_only && checker_only) {
      return cpo::cpoctl::Fail(
          cpo::Status(cpo::StatusCode::kInvalidArgument,
                      "--generator-only and --checker-only exclude each other"));
    }
    prbs_request.generator = !checker_only;
    prbs_request.checker = !generator_only;
    return cpo::cpoctl::RunPrbsStart(options, prbs_request);
  }
  if (prbs_stop->parsed()) return cpo::cpoctl::RunPrbsStop(options, prbs_request);
  if (prbs_clear->parsed()) return cpo::cpoctl::RunPrbsClear(options, prbs_request.engine);
  if (prbs_show->parsed()) {
    return cpo::cpoctl::RunPrbsShow(options, prbs_request.engine, prbs_request.lanes);
  }
  if (loopback_set->parsed() || loopback_clear->parsed()) {
    return cpo::cpoctl::RunLoopback(options, oe_id, dp_lanes, loopback_kind,
                                    loopback_set->parsed());
  }
  if (dump_oe->parsed()) return cpo::cpoctl::RunDumpOe(options, oe_id, dump_page, dump_bank);
  if (dump_els->parsed()) {
    return cpo::cpoctl::RunDumpEls(options, laser_id, dump_page, dump_bank);
  }
  if (show_laser->parsed()) return cpo::cpoctl::RunShowLaser(options, laser_id, laser_sections);
  if (show_port->parsed()) {
    return cpo::cpoctl::RunShowPort(options, port_name, show_port_lanes);
  }
  if (port_up->parsed() || port_down->parsed()) {
    return cpo::cpoctl::RunPortAdmin(options, admin_ports, port_up->parsed());
  }
  if (laser_enable->parsed() || laser_disable->parsed()) {
    return cpo::cpoctl::RunLaserEnable(options, laser_id, laser_lanes, laser_enable->parsed());
  }
  if (laser_check->parsed()) return cpo::cpoctl::RunLaserFiberCheck(options, laser_id, laser_lanes);
  if (laser_save->parsed() || laser_restore->parsed()) {
    return cpo::cpoctl::RunLaserSaveRestore(options, laser_id, laser_save->parsed(), laser_set,
                                            laser_slot);
  }
  return cpo::cpoctl::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpoctl: internal error: %s\n", e.what());
    return cpo::cpoctl::kExitFailed;
  }
}
