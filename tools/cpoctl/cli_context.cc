#include "cli_context.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cpo/drivers/open_device.h"
#include "cpo/hal/owner/request_channel.h"
#include "cpo/platform/loader.h"
#include "exit_codes.h"

namespace cpo::cpoctl {

std::string ResolvePlatformPath(const GlobalOptions& options) {
  if (!options.platform_path.empty()) return options.platform_path;
  if (const char* env = std::getenv("CPO_PLATFORM"); env != nullptr && *env != '\0') return env;
  return "/etc/cpo/platform.yaml";
}

Result<std::unique_ptr<hal::Device>> OpenFromOptions(const GlobalOptions& options, Access access) {
  OpenOptions open;
  open.sim_socket = options.sim_socket;
  open.program = "cpoctl";
  if (access == Access::kObserve) {
    open.role = hal::RoleRequest::kObserver;
    open.laser_safety.start = hal::LaserStartPolicy::kObserve;
  } else {
    open.role = hal::RoleRequest::kOwner;
    open.laser_safety.start = hal::LaserStartPolicy::kAdoptChecked;
  }
  auto device = OpenDevice(ResolvePlatformPath(options), open);
  if (!device.ok() && device.status().code() == StatusCode::kFailedPrecondition &&
      access == Access::kChange) {
    return Status(StatusCode::kFailedPrecondition,
                  device.status().message() +
                      ". Only the owner changes the switch: 'cpoctl port up|down' and 'cpoctl "
                      "laser enable|disable' are sent to it; do this one in the owner itself");
  }
  if (device.ok() && access == Access::kChange && options.announce_ownership) {
    std::fprintf(stderr,
                 "cpoctl: note: no process owned the switch, so cpoctl owned it for this "
                 "command; nothing supervises the lasers after cpoctl exits\n");
  }
  return device;
}

StatusCode StatusCodeFromName(std::string_view name) {
  for (int k = 0; k <= static_cast<int>(StatusCode::kInternal); ++k) {
    if (StatusCodeName(static_cast<StatusCode>(k)) == name) return static_cast<StatusCode>(k);
  }
  return StatusCode::kInternal;
}

std::optional<hal::OwnerInfo> OtherOwner(const GlobalOptions& options) {
  auto platform = platform::LoadPlatformFile(ResolvePlatformPath(options));
  if (!platform.ok()) return std::nullopt;
  OpenOptions open;
  open.sim_socket = options.sim_socket;
  auto owner = hal::OwnerLock::CurrentOwner(OwnerLockPath(*platform, open));
  if (!owner || owner->pid == getpid()) return std::nullopt;
  return owner;
}

Result<nlohmann::json> AskOwner(const hal::OwnerInfo& owner, nlohmann::json request,
                                std::chrono::milliseconds timeout) {
  if (owner.channel.empty()) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("the switch is owned by {}, which serves no request channel; run "
                              "the change in that process, or stop it first",
                              owner.Describe()));
  }
  request["version"] = hal::kRequestChannelVersion;
  auto answer = hal::CallOwner(owner.channel, request.dump(), timeout);
  if (!answer.ok()) {
    return Status(answer.status().code(), fmt::format("the switch is owned by {}: {}",
                                                      owner.Describe(), answer.status().message()));
  }
  nlohmann::json reply = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object()) {
    return Status(StatusCode::kDataLoss,
                  fmt::format("{} answered something that is not JSON", owner.Describe()));
  }
  if (!reply.value("ok", false)) {
    const auto& error = reply.value("error", nlohmann::json::object());
    return Status(StatusCodeFromName(error.value("code", "INTERNAL")),
                  error.value("message", "the owner refused the request"));
  }
  return reply;
}

int Fail(const Status& status) {
  std::fprintf(stderr, "cpoctl: %s: %s\n", std::string(StatusCodeName(status.code())).c_str(),
               status.message().c_str());
  return ExitCodeFor(status);
}

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

Result<std::vector<hal::OpticalEngine*>> SelectEngines(const hal::Device& device,
                                                       const std::string& id) {
  std::vector<hal::OpticalEngine*> engines;
  if (id.empty() || id == "all") {
    for (const auto& engine : device.optical_engines()) engines.push_back(engine.get());
    return engines;
  }
  CPO_ASSIGN_OR_RETURN(hal::OpticalEngine * engine, device.FindOpticalEngine(id));
  engines.push_back(engine);
  return engines;
}

int EngineIndex(const hal::Device& device, const hal::OpticalEngine* engine) {
  const auto& engines = device.optical_engines();
  for (size_t i = 0; i < engines.size(); ++i) {
    if (engines[i].get() == engine) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace cpo::cpoctl
