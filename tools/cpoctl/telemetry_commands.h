// cpoctl telemetry: one sweep of every engine's monitors, every laser lane and every port's state,
// as a summary table, JSON, or Prometheus text for node_exporter's textfile collector.
#pragma once

#include <functional>
#include <string>

#include "cli_context.h"

namespace CLI {
class App;
}

namespace cpo::cpoctl {

// format: "table", "json" or "prometheus" (--json selects json).
int RunTelemetry(const GlobalOptions& options, const std::string& format);

void AddTelemetryCommand(CLI::App& app, const GlobalOptions& options, std::function<int()>& run);

}  // namespace cpo::cpoctl
