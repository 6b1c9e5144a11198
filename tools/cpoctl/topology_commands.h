// cpoctl commands that answer from the platform's optical path: which ports a laser lane
// lights, and what lights a port. They read the platform file only (no device access), so they
// work before anything is powered.
#pragma once

#include <string>

#include "cli_context.h"

namespace cpo::cpoctl {

// `impact laser SOURCE LANE`
int RunImpactLaser(const GlobalOptions& options, const std::string& source, int lane);
// `show map PORT`
int RunShowMap(const GlobalOptions& options, const std::string& port);

}  // namespace cpo::cpoctl
