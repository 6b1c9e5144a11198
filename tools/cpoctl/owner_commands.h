// cpoctl show owner: which process owns the switch, and what it is doing (its request channel's
// owner.status: device time, events logged, the running or last port bring-up).
#pragma once

#include <functional>

#include "cli_context.h"

namespace CLI {
class App;
}

namespace cpo::cpoctl {

// One line: "port.up of 64 ports: datapath (40 of 64 data paths done), 1.2 s", or the last one
// finished.
std::string ProgressLine(const hal::PortsProgress& progress, std::chrono::nanoseconds now);

int RunShowOwner(const GlobalOptions& options);

void AddShowOwnerCommand(CLI::App& show, const GlobalOptions& options, std::function<int()>& run);

}  // namespace cpo::cpoctl
