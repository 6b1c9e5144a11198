#include "sim_commands.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cpo/platform/loader.h"
#include "cpo/sim/laser_physics.h"
#include "cpo/sim/sim_control_client.h"
#include "exit_codes.h"
#include "table.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The simulated switch a command drives: the platform (for names) and its socket.
struct SimTarget {
  platform::Platform platform;
  std::string platform_path;
  std::string socket;
  std::string pid_file() const { return socket + ".pid"; }
  std::string log_file() const { return socket + ".log"; }
};

Result<SimTarget> ResolveSim(const GlobalOptions& options) {
  SimTarget target;
  target.platform_path = ResolvePlatformPath(options);
  CPO_ASSIGN_OR_RETURN(target.platform, platform::LoadPlatformFile(target.platform_path));
  if (target.platform.transport.kind != platform::TransportKind::kSim &&
      options.sim_socket.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{} describes hardware (transport pci), not a simulated switch; "
                              "use a sim platform (platform/boards/sim-*) or give --sim SOCKET",
                              target.platform_path));
  }
  target.socket =
      options.sim_socket.empty() ? target.platform.transport.socket : options.sim_socket;
  return target;
}

// The pid cpoctl sim start recorded, if that process still runs.
std::optional<pid_t> RecordedPid(const SimTarget& target) {
  std::ifstream in(target.pid_file());
  int64_t pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return std::nullopt;
  return static_cast<pid_t>(pid);
}

std::string SelfDirectory() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.parent_path().string();
}

// --simd, $CPO_SIMD, beside cpoctl (installed), the build tree's sim/, then $PATH.
std::string FindSimd(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("CPO_SIMD"); env != nullptr && *env != '\0') return env;
  const std::string here = SelfDirectory();
  for (const std::string& candidate : {here + "/cpo-simd", here + "/../sim/cpo-simd"}) {
    if (!here.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "cpo-simd";
}

std::string Tail(const std::string& path, size_t max_lines) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i) {
    out += "\n  " + lines[i];
  }
  return out;
}

Result<int> IndexByName(const std::vector<std::string>& names, const std::string& id,
                        const std::string& what) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == id || std::to_string(i) == id) return static_cast<int>(i);
  }
  return Status(StatusCode::kNotFound,
                fmt::format("no {} '{}'; the platform has {}", what, id,
                            names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

template <typename Config>
std::vector<std::string> NamesOf(const std::vector<Config>& configs) {
  std::vector<std::string> names;
  names.reserve(configs.size());
  for (const auto& config : configs) names.push_back(config.name);
  return names;
}

Status CheckRange(const std::string& what, int value, int last) {
  if (value >= 1 && value <= last) return Status::Ok();
  return Status(StatusCode::kOutOfRange, fmt::format("{} {} is outside 1..{}", what, value, last));
}

// Applies one fault; returns what was done, for the operator.
Result<std::string> Inject(sim::SimControlClient& control, const platform::Platform& platform,
                           const SimFault& fault) {
  if (fault.kind == "fiber-cut" || fault.kind == "fiber-loss" || fault.kind == "laser-fail" ||
      fault.kind == "laser-pull") {
    CPO_ASSIGN_OR_RETURN(
        int source, IndexByName(NamesOf(platform.laser_sources), fault.target, "laser source"));
    const auto& config = platform.laser_sources[static_cast<size_t>(source)];
    if (fault.kind == "laser-pull") {
      CPO_RETURN_IF_ERROR(control.SetLaserSourcePresent(source, fault.clear));
      return fault.clear ? fmt::format("{}: a fresh module plugged in", config.name)
                         : fmt::format("{}: module pulled out", config.name);
    }
    if (fault.kind == "laser-fail") {
      CPO_RETURN_IF_ERROR(CheckRange(config.name + " lane", fault.index, config.lanes));
      sim::LaserPhysics physics;
      if (!fault.clear) physics.slope_mw_per_ma = 0;
      CPO_RETURN_IF_ERROR(control.SetLaserPhysics(source, fault.index, physics.threshold_ma,
                                                  physics.slope_mw_per_ma));
      return fault.clear
                 ? fmt::format("{} lane {}: a healthy laser again", config.name, fault.index)
                 : fmt::format("{} lane {}: laser dead (no light at any bias)", config.name,
                               fault.index);
    }
    CPO_RETURN_IF_ERROR(CheckRange(config.name + " fiber", fault.index, config.fibers));
    if (fault.kind == "fiber-cut") {
      CPO_RETURN_IF_ERROR(control.SetFiberFault(source, fault.index, !fault.clear, 0));
      return fmt::format("{} fiber {}: {}", config.name, fault.index,
                         fault.clear ? "spliced (carries light again)" : "cut");
    }
    const double loss_db = fault.clear ? 0 : fault.value;
    CPO_RETURN_IF_ERROR(control.SetFiberFault(source, fault.index, false, loss_db));
    return fmt::format("{} fiber {}: {:.1f} dB extra loss", config.name, fault.index, loss_db);
  }
  if (fault.kind == "unplug" || fault.kind == "serdes-ber") {
    CPO_ASSIGN_OR_RETURN(int port, IndexByName(NamesOf(platform.ports), fault.target, "port"));
    const auto& config = platform.ports[static_cast<size_t>(port)];
    if (fault.kind == "unplug") {
      CPO_RETURN_IF_ERROR(control.SetPortUnplugged(port, !fault.clear));
      return fmt::format("{}: cable or plug {}", config.name,
                         fault.clear ? "plugged back in" : "pulled out");
    }
    const double ber = fault.clear ? 0 : fault.value;
    if (ber < 0 || ber > 0.5) {
      return Status(StatusCode::kOutOfRange,
                    fmt::format("BER {} is outside 0..0.5 (e.g. 1e-6)", fault.value));
    }
    std::vector<int> lanes = config.host_lanes;
    if (fault.index != 0) {
      CPO_RETURN_IF_ERROR(
          CheckRange(config.name + " lane", fault.index, static_cast<int>(lanes.size())));
      lanes = {config.host_lanes[static_cast<size_t>(fault.index - 1)]};
    }
    for (int lane : lanes) CPO_RETURN_IF_ERROR(control.SetSerdesBitErrorRate(lane, ber));
    return fmt::format("{}: bit error rate {:g} on what SerDes lane{} {} receive{}", config.name,
                       ber, lanes.size() > 1 ? "s" : "", fmt::join(lanes, ","),
                       lanes.size() > 1 ? "" : "s");
  }
  CPO_ASSIGN_OR_RETURN(int engine,
                       IndexByName(NamesOf(platform.optical_engines), fault.target, "engine"));
  const auto& config = platform.optical_engines[static_cast<size_t>(engine)];
  if (fault.kind == "module-fault") {
    const int cause = fault.clear ? 0 : static_cast<int>(fault.value);
    if (cause < 0 || cause > 6) {
      return Status(StatusCode::kOutOfRange,
                    fmt::format("fault cause {} is outside 1..6 (CMIS: 1 TEC runaway, 2 data "
                                "memory corrupted, 3 program memory corrupted, 4 Tx fault, 5 Rx "
                                "fault, 6 temperature)",
                                cause));
    }
    CPO_RETURN_IF_ERROR(control.SetModuleFault(engine, static_cast<uint8_t>(cause)));
    return cause == 0 ? fmt::format("{}: fault cause removed (reset the module to leave Fault)",
                                    config.name)
                      : fmt::format("{}: module fault, cause {}", config.name, cause);
  }
  CPO_ASSIGN_OR_RETURN(sim::Quantity quantity, sim::ParseQuantity(fault.quantity));
  if (sim::IsPerLane(quantity)) {
    CPO_RETURN_IF_ERROR(CheckRange(config.name + " lane", fault.index, config.lanes));
  } else if (fault.index != 0) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{} is a module quantity; leave out --lane", fault.quantity));
  }
  CPO_RETURN_IF_ERROR(control.SetPlant(engine, quantity, fault.index, fault.value));
  return fault.index == 0 ? fmt::format("{}: {} = {:g}", config.name, fault.quantity, fault.value)
                          : fmt::format("{} lane {}: {} = {:g}", config.name, fault.index,
                                        fault.quantity, fault.value);
}

Status NotRunning(const SimTarget& target) {
  return Status(StatusCode::kUnavailable,
                fmt::format("no simulated switch answers on {}; start one with 'cpoctl --platform "
                            "{} sim start'",
                            target.socket, target.platform_path));
}

}  // namespace

int RunSimStart(const GlobalOptions& options, const SimStartOptions& start) {
  auto target = ResolveSim(options);
  if (!target.ok()) return Fail(target.status());
  if (sim::SimControlClient::Connect(target->socket).ok()) {
    const auto pid = RecordedPid(*target);
    Print(fmt::format("cpo-simd already serves {} on {}{}\n", target->platform.name, target->socket,
                      pid ? fmt::format(" (pid {})", *pid) : ""));
    return kExitOk;
  }
  const std::string simd = FindSimd(start.simd_path);
  ::unlink(target->socket.c_str());  // a stale socket of a daemon that died
  const int log_fd =
      ::open(target->log_file().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return Fail(Status(StatusCode::kPermissionDenied,
                       fmt::format("cannot write {}: {}; give a socket in a writable directory "
                                   "with --sim",
                                   target->log_file(), std::strerror(errno))));
  }
  const std::string scale = fmt::format("{}", start.time_scale);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();  // outlives this cpoctl and its terminal
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::close_range(3, ~0U, 0);  // nothing of this cpoctl's (pipes to a caller) stays open
    ::execlp(simd.c_str(), simd.c_str(), "--platform", target->platform_path.c_str(), "--socket",
             target->socket.c_str(), "--time-scale", scale.c_str(), "--log-level", "info",
             static_cast<char*>(nullptr));
    std::fprintf(stderr, "cannot run %s: %s\n", simd.c_str(), std::strerror(errno));
    ::_exit(127);
  }
  ::close(log_fd);
  if (pid < 0) return Fail(Status(StatusCode::kInternal, "fork failed"));
  { std::ofstream(target->pid_file()) << pid << "\n"; }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  if (tty) std::fprintf(stderr, "starting cpo-simd for %s", target->platform.name.c_str());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(start.timeout_s);
  for (int tick = 0;; ++tick) {
    if (sim::SimControlClient::Connect(target->socket).ok()) break;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      if (tty) std::fprintf(stderr, "\n");
      ::unlink(target->pid_file().c_str());
      return Fail(
          Status(StatusCode::kFailedPrecondition,
                 fmt::format("cpo-simd ({}) exited with {} before serving {}; its log "
                             "{}:{}",
                             simd, WIFEXITED(status) ? WEXITSTATUS(status) : -1, target->socket,
                             target->log_file(), Tail(target->log_file(), 5))));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGTERM);
      ::unlink(target->pid_file().c_str());
      return Fail(Status(StatusCode::kTimeout,
                         fmt::format("cpo-simd did not serve {} within {} s; see {}",
                                     target->socket, start.timeout_s, target->log_file())));
    }
    if (tty && tick % 10 == 9) std::fprintf(stderr, ".");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (tty) std::fprintf(stderr, "\n");
  if (options.json) {
    Print(json({{"platform", target->platform.name},
                {"socket", target->socket},
                {"pid", pid},
                {"log", target->log_file()}})
              .dump(2) +
          "\n");
  } else {
    Print(fmt::format("cpo-simd serves {} on {} (pid {}, log {})\n", target->platform.name,
                      target->socket, pid, target->log_file()));
  }
  return kExitOk;
}

int RunSimStop(const GlobalOptions& options) {
  auto target = ResolveSim(options);
  if (!target.ok()) return Fail(target.status());
  const auto pid = RecordedPid(*target);
  if (!pid) {
    if (sim::SimControlClient::Connect(target->socket).ok()) {
      return Fail(Status(StatusCode::kFailedPrecondition,
                         fmt::format("a simulator serves {} but 'cpoctl sim start' did not start "
                                     "it (no {}); stop it where it was started, or kill it",
                                     target->socket, target->pid_file())));
    }
    ::unlink(target->pid_file().c_str());
    Print(fmt::format("cpo-simd is not running on {}\n", target->socket));
    return kExitOk;
  }
  if (::kill(*pid, SIGTERM) != 0) {
    return Fail(
        Status(StatusCode::kPermissionDenied,
               fmt::format("cannot signal cpo-simd (pid {}): {}", *pid, std::strerror(errno))));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::kill(*pid, 0) == 0) {
    ::waitpid(*pid, nullptr, WNOHANG);  // reap it when this process started it
    if (std::chrono::steady_clock::now() > deadline) {
      return Fail(Status(StatusCode::kTimeout,
                         fmt::format("cpo-simd (pid {}) did not stop within 10 s of SIGTERM; "
                                     "kill -9 {}",
                                     *pid, *pid)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::unlink(target->pid_file().c_str());
  Print(fmt::format("cpo-simd (pid {}) stopped; {} is free\n", *pid, target->socket));
  return kExitOk;
}

int RunSimStatus(const GlobalOptions& options) {
  auto target = ResolveSim(options);
  if (!target.ok()) return Fail(target.status());
  auto control = sim::SimControlClient::Connect(target->socket);
  if (!control.ok()) return Fail(NotRunning(*target));
  auto info = (*control)->Info();
  if (!info.ok()) return Fail(info.status());
  const auto pid = RecordedPid(*target);
  if (options.json) {
    json out = {{"platform", target->platform.name},
                {"socket", target->socket},
                {"pid", pid ? json(*pid) : json(nullptr)},
                {"sim_time_ns", info->sim_time_ns},
                {"time_scale", info->time_scale},
                {"register_space_bytes", info->register_space_bytes}};
    Print(out.dump(2) + "\n");
    return kExitOk;
  }
  Print(fmt::format(
      "cpo-simd serves {} on {}{}\n  simulated time {:.3f} s, time scale {:g} (simulated ns per "
      "wall ns{})\n  register space {} KiB\n",
      target->platform.name, target->socket, pid ? fmt::format(" (pid {})", *pid) : "",
      static_cast<double>(info->sim_time_ns) / 1e9, info->time_scale,
      info->time_scale == 0 ? "; frozen between requests" : "", info->register_space_bytes / 1024));
  return kExitOk;
}

int RunSimInject(const GlobalOptions& options, const SimFault& fault) {
  auto target = ResolveSim(options);
  if (!target.ok()) return Fail(target.status());
  auto control = sim::SimControlClient::Connect(target->socket);
  if (!control.ok()) return Fail(NotRunning(*target));
  auto done = Inject(**control, target->platform, fault);
  if (!done.ok()) return Fail(done.status());
  Print(*done + "\n");
  return kExitOk;
}

// The plant's laser lanes, read beside the bus (what a test or an operator checks the HAL
// against): per source, the lanes enabled, fibre-checked and giving light.
int RunSimLasers(const GlobalOptions& options, const std::string& id) {
  auto target = ResolveSim(options);
  if (!target.ok()) return Fail(target.status());
  auto control = sim::SimControlClient::Connect(target->socket);
  if (!control.ok()) return Fail(NotRunning(*target));
  const auto names = NamesOf(target->platform.laser_sources);
  std::vector<int> sources;
  if (id.empty() || id == "all") {
    for (size_t i = 0; i < names.size(); ++i) sources.push_back(static_cast<int>(i));
  } else {
    auto index = IndexByName(names, id, "laser source");
    if (!index.ok()) return Fail(index.status());
    sources.push_back(*index);
  }
  json out = {{"device", target->platform.name}, {"laser_sources", json::array()}};
  Table table({"LASER", "LANES", "ENABLED", "CHECKED", "LIT_MW>1", "ENABLED_LANES"});
  for (int source : sources) {
    auto lanes = (*control)->LaserLanes(source);
    if (!lanes.ok()) return Fail(lanes.status().WithContext(names[static_cast<size_t>(source)]));
    json entry = {{"name", names[static_cast<size_t>(source)]}, {"lanes", json::array()}};
    int enabled = 0, checked = 0, lit = 0;
    std::vector<int> enabled_lanes;
    for (size_t lane = 0; lane < lanes->size(); ++lane) {
      const auto& sample = (*lanes)[lane];
      entry["lanes"].push_back({{"lane", lane + 1},
                                {"enabled", sample.enabled},
                                {"fiber_checked", sample.fiber_checked},
                                {"fiber", sample.fiber},
                                {"output_mw", sample.output_mw}});
      enabled += sample.enabled ? 1 : 0;
      checked += sample.fiber_checked ? 1 : 0;
      lit += sample.output_mw > 1.0 ? 1 : 0;
      if (sample.enabled) enabled_lanes.push_back(static_cast<int>(lane) + 1);
    }
    table.AddRow({names[static_cast<size_t>(source)], std::to_string(lanes->size()),
                  std::to_string(enabled), std::to_string(checked), std::to_string(lit),
                  enabled_lanes.empty() ? "-" : fmt::format("{}", fmt::join(enabled_lanes, ","))});
    out["laser_sources"].push_back(std::move(entry));
  }
  Print(options.json ? out.dump(2) + "\n" : table.Render());
  return kExitOk;
}

void AddSimCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>& run) {
  auto* sim = app.add_subcommand(
      "sim", "Drive the simulated switch (cpo-simd) of a sim platform and inject faults into it");
  sim->require_subcommand(1);
  sim->footer(
      "The socket is --sim, else the platform's transport.socket. 'sim start' records the\n"
      "daemon's pid in SOCKET.pid and its log in SOCKET.log.\n"
      "Examples:\n  cpoctl --platform platform/boards/sim-51t2/platform.yaml sim start\n"
      "  cpoctl sim status --json\n  cpoctl sim inject unplug eth28\n  cpoctl sim stop");
  auto start = std::make_shared<SimStartOptions>();
  auto* sim_start =
      sim->add_subcommand("start", "Start cpo-simd in the background; waits until it serves");
  sim_start
      ->add_option("--time-scale", start->time_scale,
                   "Simulated ns per wall ns (0 freezes time between requests; default 1)")
      ->check(CLI::Range(0.0, 1000.0));
  sim_start->add_option(
      "--simd", start->simd_path,
      "cpo-simd binary (default: $CPO_SIMD, beside cpoctl, the build tree, $PATH)");
  sim_start
      ->add_option("--timeout", start->timeout_s, "Seconds to wait for it to serve (default 60)")
      ->check(CLI::Range(1, 3600));
  sim_start->footer(
      "Starting a simulator that already serves the socket does nothing (exit 0).\n"
      "Examples:\n  cpoctl sim start\n  cpoctl --sim /tmp/lab.sock sim start --time-scale 0");
  sim_start->callback([&options, &run, start] {
    run = [&options, start] { return RunSimStart(options, *start); };
  });
  auto* sim_stop =
      sim->add_subcommand("stop", "Stop the cpo-simd 'sim start' started (SIGTERM); waits");
  sim_stop->footer(
      "Stopping a simulator that is not running does nothing (exit 0).\nExample:\n  cpoctl sim "
      "stop");
  sim_stop->callback([&options, &run] { run = [&options] { return RunSimStop(options); }; });
  auto* sim_status =
      sim->add_subcommand("status", "Is it serving: socket, pid, simulated time, time scale");
  sim_status->footer(
      "Exit 3 when nothing serves the socket.\nExamples:\n  cpoctl sim status\n  cpoctl sim status "
      "--json");
  sim_status->callback([&options, &run] { run = [&options] { return RunSimStatus(options); }; });

  auto lasers_id = std::make_shared<std::string>();
  auto* sim_lasers = sim->add_subcommand(
      "lasers", "The simulated laser lanes as they are (read beside the bus): enabled, checked");
  sim_lasers->add_option("ID", *lasers_id, "Laser source (els3) or index; all when omitted");
  sim_lasers->footer(
      "The plant's truth, not the modules' registers: nothing is read over I2C and no flag is\n"
      "cleared, so it can be sampled while the owner runs (to judge it, e.g. during a restart).\n"
      "Examples:\n  cpoctl sim lasers\n  cpoctl --json sim lasers els0");
  sim_lasers->callback([&options, &run, lasers_id] {
    run = [&options, lasers_id] { return RunSimLasers(options, *lasers_id); };
  });

  auto* inject = sim->add_subcommand(
      "inject", "Inject a fault (or --clear it) through the simulator's side channel");
  inject->require_subcommand(1);
  inject->footer(
      "Faults act on the simulated plant only; the HAL finds them the way it would on hardware.\n"
      "Examples:\n  cpoctl sim inject laser-fail els0 3\n  cpoctl sim inject fiber-cut els2 4\n"
      "  cpoctl sim inject unplug eth28 --clear\n  cpoctl sim inject serdes-ber eth28 1e-5\n"
      "  cpoctl sim inject plant oe0 temperature_c 80");
  auto fault = std::make_shared<SimFault>();
  auto add = [&](const std::string& kind, const std::string& help, const std::string& target_help,
                 const std::string& example) {
    auto* command = inject->add_subcommand(kind, help);
    command->add_option("TARGET", fault->target, target_help)->required();
    command->add_flag("--clear", fault->clear, "Remove the fault instead");
    command->footer("Example:\n  cpoctl sim inject " + example);
    command->callback([&options, &run, fault, kind] {
      fault->kind = kind;
      run = [&options, fault] { return RunSimInject(options, *fault); };
    });
    return command;
  };
  add("fiber-cut", "Cut a laser source's output fibre (--clear splices it)",
      "Laser source, e.g. els2", "fiber-cut els2 4")
      ->add_option("FIBER", fault->index, "Fibre (from 1)")
      ->required();
  auto* loss = add("fiber-loss", "Extra loss on a fibre (a dirty connector)", "Laser source",
                   "fiber-loss els2 4 3.5");
  loss->add_option("FIBER", fault->index, "Fibre (from 1)")->required();
  loss->add_option("DB", fault->value, "Extra loss in dB (0 or --clear: clean)")
      ->check(CLI::Range(0.0, 60.0));
  add("laser-fail", "Kill one laser lane (no light at any bias); --clear heals it", "Laser source",
      "laser-fail els0 3")
      ->add_option("LANE", fault->index, "Laser lane (from 1)")
      ->required();
  add("laser-pull", "Pull a laser source module out; --clear plugs a fresh one in", "Laser source",
      "laser-pull els0");
  add("unplug", "Pull a front-panel port's cable or loopback plug; --clear plugs it back",
      "Port, e.g. eth28", "unplug eth28");
  auto* ber = add("serdes-ber", "Bit errors on what a port's SerDes lanes receive", "Port",
                  "serdes-ber eth28 1e-5 --lane 2");
  ber->add_option("BER", fault->value, "Bit error rate (0 or --clear: none)");
  ber->add_option("--lane", fault->index, "Only this lane of the port (from 1)");
  auto* module = add("module-fault", "Put an engine's module into Fault with a CMIS cause 1..6",
                     "Engine, e.g. oe1", "module-fault oe1 1");
  module->add_option(
      "CAUSE", fault->value,
      "1 TEC runaway, 2 data memory, 3 program memory, 4 Tx fault, 5 Rx fault, 6 temperature");
  auto* plant =
      add("plant", "Set an analog quantity the engine measures (temperature_c, rx_power_mw, ...)",
          "Engine", "plant oe0 rx_power_mw 0.05 --lane 3");
  plant
      ->add_option("QUANTITY", fault->quantity,
                   "temperature_c, vcc_v, tx_power_mw, tx_bias_ma, rx_power_mw, snr_db, ...")
      ->required();
  plant->add_option("VALUE", fault->value, "In the quantity's unit")->required();
  plant->add_option("--lane", fault->index, "Lane (from 1) for per-lane quantities");
}

}  // namespace cpo::cpoctl
