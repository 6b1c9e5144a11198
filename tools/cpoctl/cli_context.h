// What every cpoctl command shares: global options, opening the device, printing, failing.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cpo/hal/device.h"
#include "cpo/status.h"

namespace cpo::cpoctl {

struct GlobalOptions {
  std::string platform_path;
  std::string sim_socket;
  bool json = false;
  std::string log_level = "warn";
  // Say on stderr when a command that lights lasers found no owner and owned the switch itself
  // (nothing supervises those lasers once it exits). Set by port up and laser enable.
  bool announce_ownership = false;
};

// --platform, else $CPO_PLATFORM, else /etc/cpo/platform.yaml.
std::string ResolvePlatformPath(const GlobalOptions& options);
// What a command does to the switch.
enum class Access {
  kObserve,  // reads only: an observer, whoever owns the switch (no latched flag is read)
  kChange,   // changes it: becomes the owner for the command's duration (adopting what runs, so
             // lanes an earlier owner fibre-checked stay lit); refused, naming the owner, when
             // another process owns the switch
};
Result<std::unique_ptr<hal::Device>> OpenFromOptions(const GlobalOptions& options,
                                                     Access access = Access::kObserve);
// The process owning the switch now, when it is another one.
std::optional<hal::OwnerInfo> OtherOwner(const GlobalOptions& options);
// Sends `request` (a request-channel object; docs/architecture.md) to the owner and returns its
// answer; an answer with "ok": false comes back as its Status. Waits at most `timeout`.
Result<nlohmann::json> AskOwner(const hal::OwnerInfo& owner, nlohmann::json request,
                                std::chrono::milliseconds timeout = std::chrono::minutes(5));
// The code StatusCodeName gives `name`; kInternal for a name it never gives.
StatusCode StatusCodeFromName(std::string_view name);
// Prints "cpoctl: CODE: message" to stderr and returns the exit code for the status.
int Fail(const Status& status);
void Print(const std::string& text);
// "all" or one engine by name or index.
Result<std::vector<hal::OpticalEngine*>> SelectEngines(const hal::Device& device,
                                                       const std::string& id);
// Index of an engine in platform order.
int EngineIndex(const hal::Device& device, const hal::OpticalEngine* engine);

}  // namespace cpo::cpoctl
