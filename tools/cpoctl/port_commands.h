// cpoctl commands for ports: the state of every stage along each port's path, and admin up.
#pragma once

#include <string>
#include <vector>

#include "cli_context.h"

namespace cpo::cpoctl {

// `show port [NAME]`: every logical port (or one, or a front-panel port's), stage by stage.
// With `lanes`, one row per lane: the lane path query.
int RunShowPort(const GlobalOptions& options, const std::string& name, bool lanes = false);
// `port up|down NAME...|all`: every port named goes up (or down) together.
int RunPortAdmin(const GlobalOptions& options, const std::vector<std::string>& names, bool up);

}  // namespace cpo::cpoctl
