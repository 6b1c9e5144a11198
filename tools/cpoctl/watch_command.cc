#include "watch_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <deque>
#include <sstream>
#include <thread>

#include "exit_codes.h"
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

std::string PortsTable(hal::Device& device) {
  Table table({"PORT", "ADMIN", "OPER", "REASON"});
  for (const auto& port : device.PortStates(device.Ports())) {
    table.AddRow({port.port.name, port.admin_up ? "up" : "down", port.oper_up ? "up" : "down",
                  port.oper_up ? "-" : port.reason});
  }
  return table.Render();
}

std::string EnginesTable(hal::Device& device) {
  Table table({"ENGINE", "STATE", "TEMP_C", "VCC_V", "INTL", "FAULT"});
  for (const auto& engine : device.optical_engines()) {
    auto module = engine->Module();
    if (!module.ok()) {
      table.AddRow({engine->name(), "unreachable", "-", "-", "-", module.status().message()});
      continue;
    }
    table.AddRow({engine->name(), std::string(hal::ModuleStateName(module->state)),
                  fmt::format("{:.1f}", module->temperature_c),
                  fmt::format("{:.2f}", module->vcc_v), module->interrupt ? "asserted" : "-",
                  std::string(hal::ModuleFaultCauseName(module->fault_cause))});
  }
  return table.Render();
}

std::string LasersTable(hal::Device& device) {
  Table table({"LASER", "OPERATING", "CHECKING", "FAILED", "RETIRED", "NOT_OPERATING"});
  for (const auto& source : device.laser_sources()) {
    auto lanes = source->Lanes();
    if (!lanes.ok()) {
      table.AddRow({source->name(), "-", "-", "-", "-", lanes.status().message()});
      continue;
    }
    int operating = 0, checking = 0, failed = 0, retired = 0;
    std::vector<std::string> others;
    for (const auto& lane : *lanes) {
      switch (lane.phase) {
        case hal::LaserLanePhase::kOperating:
          ++operating;
          break;
        case hal::LaserLanePhase::kChecking:
        case hal::LaserLanePhase::kVerifying:
          ++checking;
          break;
        case hal::LaserLanePhase::kFailed:
          ++failed;
          others.push_back(fmt::format("{}:{}", lane.status.lane, lane.reason));
          break;
        case hal::LaserLanePhase::kRetired:
          ++retired;
          break;
        default:
          break;
      }
    }
    table.AddRow({source->name(), std::to_string(operating), std::to_string(checking),
                  std::to_string(failed), std::to_string(retired),
                  others.empty() ? "-" : fmt::format("{}", fmt::join(others, "; "))});
  }
  return table.Render();
}

}  // namespace

int RunWatch(const GlobalOptions& options, const WatchOptions& watch) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  g_interrupted.store(false);
  std::signal(SIGINT, Interrupt);
  std::signal(SIGTERM, Interrupt);
  const bool all = watch.what == "all";
  std::deque<std::string> events;
  constexpr size_t kEventsShown = 10;
  std::vector<std::string> previous;
  for (int frame = 1; watch.count == 0 || frame <= watch.count; ++frame) {
    for (const auto& event : (*device)->PollEvents()) {
      events.push_back(
          fmt::format("{:10.3f} s  {:<18} {} {} {}", static_cast<double>(event.time.count()) / 1e9,
                      hal::EventKindName(event.kind), event.source, event.name, event.detail));
      if (events.size() > kEventsShown) events.pop_front();
    }
    WatchFrame view;
    view.header = fmt::format("cpoctl watch {}  {}  frame {}  device time {:.3f} s{}", watch.what,
                              (*device)->platform().name, frame,
                              static_cast<double>((*device)->clock().Now().count()) / 1e9,
                              tty ? "  (Ctrl-C to stop; changed lines highlighted)" : "");
    if (all || watch.what == "ports") AddLines(PortsTable(**device), view.lines);
    if (all || watch.what == "engines") {
      if (!view.lines.empty()) view.lines.emplace_back();
      AddLines(EnginesTable(**device), view.lines);
    }
    if ((all || watch.what == "lasers") && !(*device)->laser_sources().empty()) {
      if (!view.lines.empty()) view.lines.emplace_back();
      AddLines(LasersTable(**device), view.lines);
    }
    view.lines.emplace_back();
    view.lines.push_back(events.empty() ? "EVENTS: none yet" : "EVENTS (latest last):");
    for (const auto& event : events) view.lines.push_back("  " + event);
    Print(RenderWatchFrame(view, previous, tty));
    std::fflush(stdout);
    previous = view.lines;
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
      "frame is printed plainly after a '--- cpoctl watch ...' line. Reading engine module\n"
      "state also reads (and clears on the engine) its latched module flags.\n"
      "Examples:\n  cpoctl watch\n  cpoctl watch ports --interval 0.5\n"
      "  cpoctl watch engines --count 10 > engines.log");
  command->callback(
      [&options, &run, watch] { run = [&options, watch] { return RunWatch(options, *watch); }; });
}

}  // namespace cpo::cpoctl
