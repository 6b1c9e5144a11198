#include "exit_codes.h"

namespace cpo::cpoctl {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kConfigError:
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kOutOfRange:
      return kExitUsage;
    case StatusCode::kUnavailable:
    case StatusCode::kTimeout:
    case StatusCode::kNack:
      return kExitUnreachable;
    case StatusCode::kPermissionDenied:
      return kExitPermission;
    default:
      return kExitFailed;
  }
}

}  // namespace cpo::cpoctl
