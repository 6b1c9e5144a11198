#include "cpo/hal/data_path_types.h"

#include <fmt/format.h>

namespace cpo::hal {

std::string HostInterfaceName(uint8_t id) {
  // SFF-8024 host electrical interface codes for the 100G-per-lane applications CPO engines use.
  switch (id) {
    case 0x4B:
      return "100GAUI-1-S C2M";
    case 0x4C:
      return "100GAUI-1-L C2M";
    case 0x4D:
      return "200GAUI-2-S C2M";
    case 0x4E:
      return "200GAUI-2-L C2M";
    case 0x4F:
      return "400GAUI-4-S C2M";
    case 0x50:
      return "400GAUI-4-L C2M";
    case 0x51:
      return "800GAUI-8 S C2M";
    case 0x52:
      return "800GAUI-8 L C2M";
    default:
      return fmt::format("host 0x{:02X}", id);
  }
}

std::string_view DataPathStateName(DataPathState state) {
  switch (state) {
    case DataPathState::kDeactivated:
      return "Deactivated";
    case DataPathState::kInit:
      return "Init";
    case DataPathState::kDeinit:
      return "Deinit";
    case DataPathState::kActivated:
      return "Activated";
    case DataPathState::kTxTurnOn:
      return "TxTurnOn";
    case DataPathState::kTxTurnOff:
      return "TxTurnOff";
    case DataPathState::kInitialized:
      return "Initialized";
    case DataPathState::kUnknown:
      break;
  }
  return "Unknown";
}

std::string_view ConfigStatusName(ConfigStatus status) {
  switch (status) {
    case ConfigStatus::kUndefined:
      return "undefined";
    case ConfigStatus::kSuccess:
      return "success";
    case ConfigStatus::kRejected:
      return "rejected";
    case ConfigStatus::kRejectedInvalidAppSel:
      return "rejected-invalid-appsel";
    case ConfigStatus::kRejectedInvalidDataPath:
      return "rejected-invalid-data-path";
    case ConfigStatus::kRejectedInvalidSi:
      return "rejected-invalid-si";
    case ConfigStatus::kRejectedLaneInUse:
      return "rejected-lane-in-use";
    case ConfigStatus::kRejectedPartialDataPath:
      return "rejected-partial-data-path";
    case ConfigStatus::kInProgress:
      return "in-progress";
    case ConfigStatus::kOther:
      break;
  }
  return "other";
}

}  // namespace cpo::hal
