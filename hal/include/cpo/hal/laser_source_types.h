// Values an external laser source (ELSFP) reports, in physical units. Shared by the HAL and its
// backends.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cpo/hal/optical_engine_types.h"
#include "cpo/status.h"

namespace cpo::hal {

// OIF ELSFP lane state (page 1Ah 221-222, two bits a lane).
enum class LaserLaneState : uint8_t { kOff = 0, kRamping = 1, kOn = 2, kUnknown = 3 };
std::string_view LaserLaneStateName(LaserLaneState state);  // "off", "ramping", "on"

// Save/restore of a laser source's sets (OIF-ELSFP, 1Ah:184/185). The control set is the mode,
// setpoints and fibre map; the mask set the lane flag masks (198-205) and the global masks
// (210-211). Each has a factory copy (restore only) and two host slots. Lane enables and
// fibre-checked flags are never part of a set.
enum class LaserSetKind : uint8_t { kControls, kMasks };
enum class LaserSetSlot : uint8_t { kFactory = 0, kSet1 = 1, kSet2 = 2 };
enum class LaserSetAction : uint8_t { kSave, kRestore };
struct LaserSetCommand {
  LaserSetAction action = LaserSetAction::kSave;
  LaserSetKind kind = LaserSetKind::kControls;
  LaserSetSlot slot = LaserSetSlot::kSet1;
};
// The 1Ah:184 code (0x10-0x12 / 0x18-0x19 controls, 0x20-0x22 / 0x28-0x29 masks); kInvalidArgument
// for a save to the factory slot.
Result<uint8_t> LaserSetCommandCode(const LaserSetCommand& command);
// "save the control set to slot 1", "restore the factory mask set".
std::string LaserSetCommandName(const LaserSetCommand& command);
// Parses "controls" / "masks" and "factory" / "1" / "2" (cpoctl, the C API).
Result<LaserSetKind> ParseLaserSetKind(std::string_view text);
Result<LaserSetSlot> ParseLaserSetSlot(std::string_view text);

enum class LaserControlMode : uint8_t { kConstantCurrent = 0, kConstantPower = 1 };

// What the source says it can do, and its thresholds (page 1Ah, read once).
struct LaserSourceCapabilities {
  int lanes = 0;
  LaserControlMode mode = LaserControlMode::kConstantPower;
  double max_power_mw = 0;
  double min_power_mw = 0;
  double max_bias_ma = 0;
  double min_bias_ma = 0;
  double fiber_check_setpoint_mw = 0;
  Thresholds bias_ma;   // lane bias (1Ah:141-148)
  Thresholds power_mw;  // lane output power (1Ah:149-156)
  // Module temperature and Vcc (page 02h:128-143), which the module flags compare against.
  Thresholds temperature_c;
  Thresholds vcc_v;
};

// One laser lane now (pages 1Ah and 1Bh).
struct LaserLaneStatus {
  int lane = 0;  // 1-based
  LaserLaneState state = LaserLaneState::kUnknown;
  bool enabled = false;
  bool fiber_checked = false;
  int fiber = 0;  // output fibre it feeds (0: none)
  double bias_ma = 0;
  double power_mw = 0;
  double bias_setpoint_ma = 0;
  double power_setpoint_mw = 0;
  bool fault = false;
  uint8_t fault_code = 0;  // 1 APC loop, 2 ACC loop, 9-15 vendor
  uint8_t warning_code = 0;
  // Latched, cleared on the source by this read; an observer leaves them unread (flags_read).
  bool flags_read = true;
  ThresholdFlags bias_flags;
  ThresholdFlags power_flags;
};

// A lane's electrical monitors (page 1Bh 232-241), read apart from the lanes' safety reads.
struct LaserLaneElectrical {
  int lane = 0;
  double voltage_v = 0;    // the lane's forward voltage (232-239; 0 while dark)
  double bank_icc_ma = 0;  // supply current of the lane's bank (240-241), the same on its lanes
};

// Where the HAL's laser-safety core has a lane (hal/src/laser_supervisor.h).
enum class LaserLanePhase : uint8_t {
  kOff,        // dark, nothing requested
  kChecking,   // lit at the fibre-check setpoint, waiting to compare laser and engine powers
  kVerifying,  // fibre checked, raised to operating power, engine input being confirmed
  kOperating,  // at operating power, supervised
  kFailed,     // turned off by the core (reason says why); enable again after fixing it
  kRetired,    // failed laser whose fibre moved to a spare: never lit again
  kAbsent,     // its module is pulled out; re-checked when a module is back
};
std::string_view LaserLanePhaseName(LaserLanePhase phase);  // "off", "checking", ...

// One fibre check: the laser lit at the fibre-check setpoint, its output compared with what
// every engine lane its fibre feeds receives (VDM type 84).
struct FiberCheckResult {
  bool passed = false;
  double laser_output_mw = 0;
  double worst_loss_db = 0;  // largest laser -> engine lane loss
  double threshold_db = 0;   // smallest fiber_loss_threshold_db of the ports on the fibre
  std::string detail;        // which engine lane was worst, or why the check could not run
  std::chrono::nanoseconds time{0};
};

// A lane as the module reports it and as the safety core drives it.
struct LaserLaneReport {
  LaserLaneStatus status;  // as last read (state unknown while the module is absent)
  LaserLanePhase phase = LaserLanePhase::kOff;
  bool requested = false;  // the user asked for it on (kept across module removal)
  double operating_power_mw = 0;
  std::string reason;  // why the core turned it off or retired it
  std::optional<FiberCheckResult> last_check;
  int spare_for = 0;  // the failed lane whose fibre this spare lane took over (0: none)
};

// What the safety core does with lanes found lit when the device is opened.
enum class LaserStartPolicy : uint8_t {
  kAllOff,        // every lane off: nothing is lit that this process did not check
  kAdoptChecked,  // the owner's default: keep each lane that is on with its fibre checked and
                  // whose engines receive its light within the fibre's loss budget (a restart
                  // without traffic loss); anything else lit goes dark and is checked again
  kObserve,       // never write to the lasers (read-only tools); lane requests are refused
};

struct LaserSafetyOptions {
  LaserStartPolicy start = LaserStartPolicy::kAdoptChecked;
  // How often the core checks lit lanes (Device::PollEvents and the event monitor run it; a
  // lane lit into a cut fibre goes dark within about this plus one round of reads).
  std::chrono::nanoseconds poll_period = std::chrono::milliseconds(5);
  // Bound on a lane ramp (and module power-up) before a check gives up.
  std::chrono::nanoseconds ramp_timeout = std::chrono::milliseconds(500);
  std::chrono::nanoseconds power_up_timeout = std::chrono::seconds(2);
  // A lit lane whose output falls below this fraction of its setpoint has collapsed.
  double collapse_fraction = 0.5;
  // Fibre-loss threshold for engine lanes no port uses.
  double default_loss_threshold_db = 10.0;
};

}  // namespace cpo::hal
