// cpoctl commands for the switch side of ports: breakout, and host-side PRBS and loopback on
// the ports' SerDes lanes (the same `diag prbs` / `diag loopback` verbs as for engine lanes,
// given a port name instead of an engine).
#pragma once

#include <string>

#include "cli_context.h"
#include "cpo/hal/serdes_types.h"

namespace cpo::cpoctl {

// True when `id` names a port ("eth3", "eth3/2", "all") of the platform rather than an engine.
bool NamesPort(const GlobalOptions& options, const std::string& id);

// `port breakout NAME MODE`
int RunPortBreakout(const GlobalOptions& options, const std::string& name, const std::string& mode);
// `diag prbs start|stop PORT`: mode off stops generator and checker.
int RunPortPrbs(const GlobalOptions& options, const std::string& name, hal::PortPrbsMode mode,
                const std::string& pattern);
// `diag prbs show|clear PORT`
int RunPortPrbsShow(const GlobalOptions& options, const std::string& name);
int RunPortPrbsClear(const GlobalOptions& options, const std::string& name);
// `diag loopback set|clear PORT --kind near-end|far-end`
int RunPortLoopback(const GlobalOptions& options, const std::string& name, const std::string& kind,
                    bool enable);

}  // namespace cpo::cpoctl
