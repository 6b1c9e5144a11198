#include "watch_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <deque>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cpo/hal/owner/published_json.h"
#include "exit_codes.h"
#include "owner_commands.h"
#include "table.h"
#include "watch_frame.h"

namespace cpo::cpoctl {
namespace {

std::atomic<bool> g_interrupted{false};
void Interrupt(int /*signal*/) { g_interrupted.store(true); }

void AddLines(const std::string& text, std::vector<std::string>& lines) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
}

// What one frame shows, read once and then drawn as tables or one JSON line.
struct WatchSnapshot {
  std::vector<hal::PortStatus> ports;
  std::vector<std::pair<std::string, Result<hal::ModuleMonitors>>> engines;
  std::vector<std::pair<std::string, Result<std::vector<hal::LaserLaneReport>>>> lasers;
};

WatchSnapshot Read(hal::Device& device, const std::string& what) {
  const bool all = what == "all";
  WatchSnapshot snapshot;
  if (all || what == "ports") snapshot.ports = device.PortStates(device.Ports());
  if (all || what == "engines") {
    for (const auto& engine : device.optical_engines()) {
      snapshot.engines.emplace_back(engine->name(), engine->Module());
    }
  }
  if (all || what == "lasers") {
    for (const auto& source : device.laser_sources()) {
      snapshot.lasers.emplace_back(source->name(), source->Lanes());
    }
  }
  return snapshot;
}

std::string PortsTable(const WatchSnapshot& snapshot) {
  Table table({"PORT", "ADMIN", "OPER", "REASON"});
  for (const auto& port : snapshot.ports) {
    table.AddRow({port.port.name, port.admin_up ? "up" : "down", port.oper_up ? "up" : "down",
                  port.oper_up ? "-" : port.reason});
  }
  return table.Render();
}

std::string EnginesTable(const WatchSnapshot& snapshot) {
  Table table({"ENGINE", "STATE", "TEMP_C", "VCC_V", "INTL", "FAULT"});
  for (const auto& [name, module] : snapshot.engines) {
    if (!module.ok()) {
      table.AddRow({name, "unreachable", "-", "-", "-", module.status().message()});
      continue;
    }
    table.AddRow({name, std::string(hal::ModuleStateName(module->state)),
                  fmt::format("{:.1f}", module->temperature_c),
                  fmt::format("{:.2f}", module->vcc_v), module->interrupt ? "asserted" : "-",
                  std::string(hal::ModuleFaultCauseName(module->fault_cause))});
  }
  return table.Render();
}

// Lanes per safety phase, and why the failed ones failed.
struct LaserCounts {
  int operating = 0, checking = 0, failed = 0, retired = 0;
  std::vector<std::string> failures;
};

LaserCounts Count(const std::vector<hal::LaserLaneReport>& lanes) {
  LaserCounts counts;
  for (const auto& lane : lanes) {
    switch (lane.phase) {
      case hal::LaserLanePhase::kOperating:
        ++counts.operating;
        break;
      case hal::LaserLanePhase::kChecking:
      case hal::LaserLanePhase::kVerifying:
        ++counts.checking;
        break;
      case hal::LaserLanePhase::kFailed:
        ++counts.failed;
        counts.failures.push_back(fmt::format("{}:{}", lane.status.lane, lane.reason));
        break;
      case hal::LaserLanePhase::kRetired:
        ++counts.retired;
        break;
      default:
        break;
    }
  }
  return counts;
}

std::string LasersTable(const WatchSnapshot& snapshot) {
  Table table({"LASER", "OPERATING", "CHECKING", "FAILED", "RETIRED", "NOT_OPERATING"});
  for (const auto& [name, lanes] : snapshot.lasers) {
    if (!lanes.ok()) {
      table.AddRow({name, "-", "-", "-", "-", lanes.status().message()});
      continue;
    }
    const LaserCounts counts = Count(*lanes);
    table.AddRow(
        {name, std::to_string(counts.operating), std::to_string(counts.checking),
         std::to_string(counts.failed), std::to_string(counts.retired),
         counts.failures.empty() ? "-" : fmt::format("{}", fmt::join(counts.failures, "; "))});
  }
  return table.Render();
}

std::string EventLine(const hal::Event& event) {
  return fmt::format("{:10.3f} s  {:<18} {} {} {}", static_cast<double>(event.time.count()) / 1e9,
                     hal::EventKindName(event.kind), event.source, event.name, event.detail);
}

nlohmann::json FrameJson(int frame, std::chrono::nanoseconds now, const WatchSnapshot& snapshot,
                         const std::vector<hal::Event>& events) {
  nlohmann::json out = {{"frame", frame},
                        {"device_time_ns", now.count()},
                        {"ports", nlohmann::json::array()},
                        {"optical_engines", nlohmann::json::array()},
                        {"laser_sources", nlohmann::json::array()},
                        {"events", nlohmann::json::array()}};
  for (const auto& port : snapshot.ports) {
    out["ports"].push_back({{"name", port.port.name},
                            {"admin_up", port.admin_up},
                            {"oper_up", port.oper_up},
                            {"reason", port.reason}});
  }
  for (const auto& [name, module] : snapshot.engines) {
    nlohmann::json entry = {{"name", name}};
    if (module.ok()) {
      entry["state"] = hal::ModuleStateName(module->state);
      entry["temperature_c"] = module->temperature_c;
      entry["interrupt"] = module->interrupt;
    } else {
      entry["error"] = module.status().ToString();
    }
    out["optical_engines"].push_back(std::move(entry));
  }
  for (const auto& [name, lanes] : snapshot.lasers) {
    nlohmann::json entry = {{"name", name}};
    if (lanes.ok()) {
      const LaserCounts counts = Count(*lanes);
      entry["operating"] = counts.operating;
      entry["checking"] = counts.checking;
      entry["failed"] = counts.failed;
      entry["retired"] = counts.retired;
    } else {
      entry["error"] = lanes.status().ToString();
    }
    out["laser_sources"].push_back(std::move(entry));
  }
  for (const auto& event : events) {
    out["events"].push_back({{"kind", hal::EventKindName(event.kind)},
                             {"source", event.source},
                             {"name", event.name},
                             {"detail", event.detail},
                             {"time_ns", event.time.count()}});
  }
  return out;
}

}  // namespace

int RunWatch(const GlobalOptions& options, const WatchOptions& watch) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  g_interrupted.store(false);
  std::signal(SIGINT, Interrupt);
  std::signal(SIGTERM, Interrupt);
  std::deque<std::string> events;
  constexpr size_t kEventsShown = 10;
  // Beside an owner the events are the owner's (its event log, through its request channel):
  // the latest few it logged before this watch started come first.
  const auto owner = OtherOwner(options);
  if (owner && !options.json) {
    if (auto latest = (*device)->EventsAfter(0, 0)) {
      const uint64_t last = latest->last_sequence;
      if (auto recent =
              (*device)->EventsAfter(last > kEventsShown ? last - kEventsShown : 0, kEventsShown)) {
        for (const auto& event : recent->events) events.push_back(EventLine(event));
      }
    }
  }
  std::vector<std::string> previous;
  for (int frame = 1; watch.count == 0 || frame <= watch.count; ++frame) {
    const std::vector<hal::Event> found = (*device)->PollEvents();
    const WatchSnapshot snapshot = Read(**device, watch.what);
    const auto now = (*device)->clock().Now();
    const auto progress = owner ? (*device)->Progress() : std::nullopt;
    if (options.json) {  // one JSON document per line and frame (NDJSON)
      auto out = FrameJson(frame, now, snapshot, found);
      out["owner"] = owner ? nlohmann::json{{"pid", owner->pid}, {"program", owner->program}}
                           : nlohmann::json(nullptr);
      out["progress"] = progress ? hal::ProgressJson(*progress) : nlohmann::json(nullptr);
      Print(out.dump() + "\n");
      std::fflush(stdout);
    } else {
      for (const auto& event : found) {
        events.push_back(EventLine(event));
        if (events.size() > kEventsShown) events.pop_front();
      }
      WatchFrame view;
      view.header =
          fmt::format("cpoctl watch {}  {}  frame {}  device time {:.3f} s{}", watch.what,
                      (*device)->platform().name, frame, static_cast<double>(now.count()) / 1e9,
                      tty ? "  (Ctrl-C to stop; changed lines highlighted)" : "");
      if (owner) {
        view.lines.push_back(
            fmt::format("OWNER: {}; {}", owner->Describe(),
                        progress ? ProgressLine(*progress, now) : "its progress is not reported"));
        view.lines.emplace_back();
      }
      if (!snapshot.ports.empty()) AddLines(PortsTable(snapshot), view.lines);
      if (!snapshot.engines.empty()) {
        if (!view.lines.empty()) view.lines.emplace_back();
        AddLines(EnginesTable(snapshot), view.lines);
      }
      if (!snapshot.lasers.empty()) {
        if (!view.lines.empty()) view.lines.emplace_back();
        AddLines(LasersTable(snapshot), view.lines);
      }
      view.lines.emplace_back();
      view.lines.push_back(events.empty() ? "EVENTS: none yet" : "EVENTS (latest last):");
      for (const auto& event : events) view.lines.push_back("  " + event);
      Print(RenderWatchFrame(view, previous, tty && !options.json));
      std::fflush(stdout);
      previous = view.lines;
    }
    if (watch.count != 0 && frame == watch.count) break;
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(watch.interval_s);
    while (!g_interrupted.load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (g_interrupted.load()) break;
  }
  return kExitOk;
}

void AddWatchCommand(CLI::App& app, const GlobalOptions& options, std::function<int()>& run) {
  auto watch = std::make_shared<WatchOptions>();
  auto* command = app.add_subcommand(
      "watch", "Live view of ports, engines, lasers and the events the HAL finds; refreshes");
  command->add_option("WHAT", watch->what, "ports, engines, lasers or all (default)")
      ->check(CLI::IsMember({"ports", "engines", "lasers", "all"}));
  command->add_option("--interval", watch->interval_s, "Seconds between frames (default 1)")
      ->check(CLI::Range(0.05, 3600.0));
  command->add_option("--count", watch->count, "Frames to show, then exit (default: until Ctrl-C)")
      ->check(CLI::Range(0, 1000000));
  command->footer(
      "On a terminal the screen is redrawn and changed lines are highlighted; on a pipe every\n"
      "frame is printed plainly after a '--- cpoctl watch ...' line; with --json one JSON\n"
      "document per frame and line (NDJSON, events since the last frame).\n"
      "Beside the switch's owner (a NOS agent) the events are the owner's, streamed from its\n"
      "event log, and the OWNER line shows its bring-up progress; with no owner running, watch\n"
      "reports what its own reads find. watch never reads a clear-on-read flag.\n"
      "Examples:\n  cpoctl watch\n  cpoctl watch ports --interval 0.5\n"
      "  cpoctl watch engines --count 10 > engines.log\n"
      "  cpoctl --json watch ports | jq -c '.ports[] | select(.oper_up | not) | .name'");
  command->callback(
      [&options, &run, watch] { run = [&options, watch] { return RunWatch(options, *watch); }; });
}

}  // namespace cpo::cpoctl
