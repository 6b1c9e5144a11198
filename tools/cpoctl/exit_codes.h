// cpoctl's exit codes (docs/cpoctl.md) and how a Status maps onto them.
#pragma once

#include "cpo/status.h"

namespace cpo::cpoctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,       // the operation failed on a reachable device
  kExitUsage = 2,        // bad command line or platform file
  kExitUnreachable = 3,  // device, bus or simulator could not be reached
  kExitPermission = 4,   // the OS refused access
};

int ExitCodeFor(const Status& status);

}  // namespace cpo::cpoctl
