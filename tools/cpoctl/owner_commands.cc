#include "owner_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cpo/drivers/open_device.h"
#include "cpo/hal/owner/published_json.h"
#include "cpo/platform/loader.h"
#include "exit_codes.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

double Seconds(std::chrono::nanoseconds time) { return static_cast<double>(time.count()) / 1e9; }

// Reads are answered at once beside a running change.
constexpr std::chrono::milliseconds kStatusTimeout{3000};

}  // namespace

std::string ProgressLine(const hal::PortsProgress& progress, std::chrono::nanoseconds now) {
  if (progress.operation.empty()) return "no port bring-up yet";
  if (progress.running) {
    std::string stage = progress.stage;
    if (progress.stage == "datapath" && progress.data_paths > 0) {
      stage +=
          fmt::format(" ({} of {} data paths done)", progress.data_paths_done, progress.data_paths);
    }
    return fmt::format("{} of {} ports running: {}, {:.1f} s so far", progress.operation,
                       progress.ports, stage, Seconds(now - progress.started));
  }
  return fmt::format("last {} of {} ports: {} ok, {} failed, took {:.2f} s, {:.1f} s ago",
                     progress.operation, progress.ports, progress.ports_ok, progress.ports_failed,
                     Seconds(progress.finished - progress.started),
                     Seconds(now - progress.finished));
}

int RunShowOwner(const GlobalOptions& options) {
  auto platform = platform::LoadPlatformFile(ResolvePlatformPath(options));
  if (!platform.ok()) return Fail(platform.status());
  OpenOptions open;
  open.sim_socket = options.sim_socket;
  const std::string lock_path = OwnerLockPath(*platform, open);
  const auto owner = hal::OwnerLock::CurrentOwner(lock_path);
  if (!owner) {
    if (options.json) {
      Print(json{{"platform", platform->name}, {"owner_lock", lock_path}, {"owner", nullptr}}.dump(
                2) +
            "\n");
    } else {
      Print(fmt::format(
          "No process owns {} (lock {}).\nNothing supervises its lasers; a NOS agent, or "
          "any cpoctl command that changes the switch, becomes the owner while it runs.\n",
          platform->name, lock_path));
    }
    return kExitOk;
  }
  auto status = AskOwner(*owner, {{"op", "owner.status"}}, kStatusTimeout);
  if (!status.ok()) return Fail(status.status());
  std::optional<hal::PortsProgress> progress;
  if (status->contains("progress") && (*status)["progress"].is_object()) {
    progress = hal::ProgressFromJson((*status)["progress"]);
  }
  const std::chrono::nanoseconds now{status->value("device_time_ns", int64_t{0})};
  if (options.json) {
    json out = {{"platform", platform->name},
                {"owner_lock", lock_path},
                {"owner",
                 {{"pid", owner->pid},
                  {"program", owner->program},
                  {"channel", owner->channel},
                  {"device_time_ns", now.count()},
                  {"events_logged", status->value("last_event", uint64_t{0})},
                  {"progress", progress ? (*status)["progress"] : json(nullptr)}}}};
    Print(out.dump(2) + "\n");
    return kExitOk;
  }
  Print(fmt::format("Owner of {}: {}\n", platform->name, owner->Describe()));
  Print(fmt::format("  request channel  {}\n", owner->channel));
  Print(fmt::format("  device time      {:.3f} s\n", Seconds(now)));
  Print(fmt::format("  events logged    {} (cpoctl watch streams them)\n",
                    status->value("last_event", uint64_t{0})));
  Print(fmt::format("  bring-up         {}\n",
                    progress ? ProgressLine(*progress, now) : "not reported"));
  return kExitOk;
}

void AddShowOwnerCommand(CLI::App& show, const GlobalOptions& options, std::function<int()>& run) {
  auto* command = show.add_subcommand(
      "owner", "The process that owns the switch and what it is doing (bring-up progress)");
  command->footer(
      "The owner alone changes the switch and supervises its lasers; other processes observe\n"
      "and send it their changes (docs/cpoctl.md, \"Beside the switch's owner\").\n"
      "Examples:\n  cpoctl show owner\n  cpoctl show owner --json | jq .owner.progress");
  command->callback([&options, &run] { run = [&options] { return RunShowOwner(options); }; });
}

}  // namespace cpo::cpoctl
