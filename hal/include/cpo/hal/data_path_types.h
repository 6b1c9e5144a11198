// Applications and per-lane data paths of an optical engine (CMIS application selection and the
// data-path state machine), in HAL terms. Shared by the HAL API and its backends.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpo::hal {

// One application the engine advertises (lower page 86-117); selected by app_sel = index + 1.
struct Application {
  int app_sel = 0;
  uint8_t host_interface_id = 0;   // SFF-8024 host electrical interface code
  uint8_t media_interface_id = 0;  // SFF-8024 media interface code (per media type)
  int host_lanes = 0;
  int media_lanes = 0;
  uint8_t host_lane_options = 0;  // bit n: a data path may start at lane n+1 of a bank
  // Page 01h 176+: bit n, the application may start on media lane n+1. A host that finds 0
  // cannot place the application at all.
  uint8_t media_lane_options = 0;
  // Whether a data path of this application may start at `first_lane` (1-based engine lane):
  // the host side allows it, and the media side allows its start (the same lane where host and
  // media lanes pair one to one, else any advertised start).
  bool MayStartAt(int first_lane) const {
    const int in_bank = (first_lane - 1) % 8;
    const bool host_ok =
        host_lanes > 0 && ((host_lane_options >> in_bank) & 1) != 0 && in_bank + host_lanes <= 8;
    const bool media_ok = media_lanes == host_lanes ? ((media_lane_options >> in_bank) & 1) != 0
                                                    : media_lane_options != 0;
    return host_ok && media_ok;
  }
};
// "800GAUI-8 S C2M" for the codes the HAL knows, "host 0xNN" otherwise.
std::string HostInterfaceName(uint8_t id);

// CMIS DPState (page 11h, a nibble per lane).
enum class DataPathState : uint8_t {
  kUnknown = 0,
  kDeactivated = 1,
  kInit = 2,
  kDeinit = 3,
  kActivated = 4,
  kTxTurnOn = 5,
  kTxTurnOff = 6,
  kInitialized = 7,
};
std::string_view DataPathStateName(DataPathState state);  // "Deactivated", "Activated", ...

// CMIS ConfigStatus of the latest ApplyDPInit (page 11h 202-205, a nibble per lane).
enum class ConfigStatus : uint8_t {
  kUndefined = 0,
  kSuccess = 1,
  kRejected = 2,
  kRejectedInvalidAppSel = 3,
  kRejectedInvalidDataPath = 4,
  kRejectedInvalidSi = 5,
  kRejectedLaneInUse = 6,
  kRejectedPartialDataPath = 7,
  kInProgress = 12,
  kOther = 15,  // any other code
};
std::string_view ConfigStatusName(ConfigStatus status);  // "success", "invalid-appsel", ...

// One lane's data path as the engine reports it.
struct LaneDataPath {
  int lane = 0;  // 1-based
  DataPathState state = DataPathState::kUnknown;
  ConfigStatus config_status = ConfigStatus::kUndefined;
  int app_sel = 0;     // active AppSel (0 = lane unused)
  int first_lane = 0;  // 1-based first lane of its data path (from DataPathID)
  bool init_pending = false;
  bool state_changed = false;     // latched DPStateChanged, cleared on the engine by this read
  bool deinit_requested = false;  // page 10h DPDeinit
  bool tx_disabled = false;       // page 10h Tx output disable
};

// A bank's lane controls (page 10h) as the host last wrote them.
struct BankControls {
  uint8_t deinit = 0;                      // bit/lane
  uint8_t tx_disable = 0;                  // bit/lane
  std::array<uint8_t, 8> staged_config{};  // DPConfig bytes: AppSel 7-4, DataPathID 3-1
};

}  // namespace cpo::hal
