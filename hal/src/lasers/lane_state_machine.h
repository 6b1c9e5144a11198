// The laser-safety core's lane state machine, with no I/O: what a lane in each lit phase does
// next, given what this round read from its module and measured at its engines. LaserSupervisor
// does the reads and carries out the decisions (writes, events, sparing); these functions decide,
// so every rule can be unit-tested without a module.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "cpo/hal/laser_source_types.h"

namespace cpo::hal::lanes {

// Measurement spread allowed before a fibre "gains" light (laser and engine monitors are each
// good to about +-0.5 dB).
inline constexpr double kMaxGainDb = 1.0;
// A verifying lane counts as at operating power from this fraction of its setpoint.
inline constexpr double kVerifyFraction = 0.9;

// What this round knows of one lane.
struct LaneView {
  bool status_fresh = false;  // its module was read this round (else status is older)
  LaserLaneStatus status;
  std::chrono::nanoseconds now{0};
  std::chrono::nanoseconds deadline{0};  // of the ramp it waits for
  double operating_mw = 0;
};

enum class Next : uint8_t {
  kWait,        // nothing to do this round
  kMeasure,     // compare its light with what its engines receive (then After*)
  kShutDown,    // off, failed (reason): the check or the fibre failed
  kLaserFault,  // the laser itself failed (reason): spare it
  kPassCheck,   // fibre checked: set the flag, then operating power
  kOperate,     // confirmed at operating power
  kHealthy,     // still fine
  kReadModule,  // dark at the engine with a stale status: read the module, decide again
};
std::string_view NextName(Next next);

struct Decision {
  Next next = Next::kWait;
  std::string reason;  // for kShutDown and kLaserFault
};

// Checking (lit at the fibre-check setpoint): measure once the lane is on; fail it if it does
// not come on within its ramp.
Decision WhileChecking(const LaneView& lane, std::chrono::nanoseconds ramp_timeout);
Decision AfterCheck(const FiberCheckResult& result);
// Verifying (raised to operating power after a passed check): measure once it is at operating
// power; a laser that cannot get there is a laser fault.
Decision WhileVerifying(const LaneView& lane);
Decision AfterVerify(const FiberCheckResult& result);
// Operating: a fault, a lane that went off by itself, collapsed output or a bias runaway is a
// laser fault; otherwise measure.
Decision WhileOperating(const LaneView& lane, double collapse_fraction);
Decision AfterOperatingMeasure(const FiberCheckResult& result, bool status_fresh);

// The fibre check's judgement: the laser's output against the weakest of the engine lanes its
// fibre feeds (dBm, in engine_lanes order). A "gain" beyond kMaxGainDb is refused: no fibre
// amplifies, so such a reading is stale (a frozen VDM) or wrong.
struct FiberReading {
  int fiber = 0;
  std::string engine;
  std::vector<int> engine_lanes;
  std::vector<double> input_dbm;
  double threshold_db = 0;
};
FiberCheckResult JudgeFiber(double output_mw, const FiberReading& reading,
                            std::chrono::nanoseconds now);

// The spare lane to take over a failed lane's fibre: the first of `spare_lanes` that is off,
// not requested, not being checked and lights no fibre; 0 when none is.
struct SpareCandidate {
  int lane = 0;
  LaserLanePhase phase = LaserLanePhase::kOff;
  bool requested = false;
  bool check_only = false;
  int fiber = 0;  // the fibre it lights now (0: none)
};
int ChooseSpare(const std::vector<SpareCandidate>& spare_lanes);

}  // namespace cpo::hal::lanes
