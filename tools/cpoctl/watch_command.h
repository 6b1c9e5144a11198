// cpoctl watch: a live view of ports, engines, lasers and the events (alarms, state changes,
// link changes) the HAL finds, refreshed every interval.
#pragma once

#include <functional>
#include <string>

#include "cli_context.h"

namespace CLI {
class App;
}

namespace cpo::cpoctl {

struct WatchOptions {
  std::string what = "all";  // ports, engines, lasers or all
  double interval_s = 1.0;
  int count = 0;  // frames to show; 0 until interrupted
};

int RunWatch(const GlobalOptions& options, const WatchOptions& watch);

void AddWatchCommand(CLI::App& app, const GlobalOptions& options, std::function<int()>& run);

}  // namespace cpo::cpoctl
