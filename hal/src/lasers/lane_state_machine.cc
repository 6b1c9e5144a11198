#include "lasers/lane_state_machine.h"

#include <fmt/format.h>

#include <cmath>

namespace cpo::hal::lanes {

std::string_view NextName(Next next) {
  switch (next) {
    case Next::kWait:
      return "wait";
    case Next::kMeasure:
      return "measure";
    case Next::kShutDown:
      return "shut-down";
    case Next::kLaserFault:
      return "laser-fault";
    case Next::kPassCheck:
      return "pass-check";
    case Next::kOperate:
      return "operate";
    case Next::kHealthy:
      return "healthy";
    case Next::kReadModule:
      return "read-module";
  }
  return "unknown";
}

Decision WhileChecking(const LaneView& lane, std::chrono::nanoseconds ramp_timeout) {
  if (!lane.status_fresh) return {};
  if (lane.status.state == LaserLaneState::kOn) return {Next::kMeasure, ""};
  if (lane.now <= lane.deadline) return {};
  return {Next::kShutDown,
          fmt::format("the lane did not turn on within {} ms (state {})",
                      ramp_timeout.count() / 1'000'000, LaserLaneStateName(lane.status.state))};
}

Decision AfterCheck(const FiberCheckResult& result) {
  if (result.passed) return {Next::kPassCheck, ""};
  return {Next::kShutDown, "fibre check failed: " + result.detail +
                               "; clean or reseat the connector, then enable the lane again"};
}

Decision WhileVerifying(const LaneView& lane) {
  if (!lane.status_fresh) return {};
  const bool at_power = lane.status.state == LaserLaneState::kOn &&
                        lane.status.power_mw >= kVerifyFraction * lane.operating_mw;
  if (at_power) return {Next::kMeasure, ""};
  if (lane.now <= lane.deadline) return {};
  return {Next::kLaserFault,
          fmt::format("output {:.2f} mW did not reach the operating power {:.2f} mW",
                      lane.status.power_mw, lane.operating_mw)};
}

Decision AfterVerify(const FiberCheckResult& result) {
  if (result.passed) return {Next::kOperate, ""};
  return {Next::kShutDown, "engine input at operating power: " + result.detail};
}

Decision WhileOperating(const LaneView& lane, double collapse_fraction) {
  if (!lane.status_fresh) return {Next::kMeasure, ""};
  const LaserLaneStatus& status = lane.status;
  if (status.fault || status.fault_code != 0) {
    return {Next::kLaserFault, fmt::format("laser fault code {}{}", status.fault_code,
                                           status.fault_code == 1 ? " (APC loop)" : "")};
  }
  if (status.state != LaserLaneState::kOn) {
    return {Next::kLaserFault,
            fmt::format("lane went {} by itself", LaserLaneStateName(status.state))};
  }
  if (status.power_mw < collapse_fraction * lane.operating_mw) {
    return {Next::kLaserFault, fmt::format("output collapsed to {:.2f} mW (setpoint {:.2f} mW)",
                                           status.power_mw, lane.operating_mw)};
  }
  if (status.bias_flags.high_alarm) {
    return {Next::kLaserFault,
            fmt::format("bias runaway: {:.1f} mA above the high alarm", status.bias_ma)};
  }
  return {Next::kMeasure, ""};
}

Decision AfterOperatingMeasure(const FiberCheckResult& result, bool status_fresh) {
  if (result.passed) return {Next::kHealthy, ""};
  // Dark at the engine: first rule out the laser itself (a dead laser is spared, not a cut).
  if (!status_fresh) return {Next::kReadModule, ""};
  return {Next::kShutDown, "light no longer reaches the engine (fibre cut or pulled?): " +
                               result.detail + "; fix the fibre, then enable the lane again"};
}

FiberCheckResult JudgeFiber(double output_mw, const FiberReading& reading,
                            std::chrono::nanoseconds now) {
  FiberCheckResult result;
  result.time = now;
  result.laser_output_mw = output_mw;
  result.threshold_db = reading.threshold_db;
  if (reading.input_dbm.empty() || reading.input_dbm.size() != reading.engine_lanes.size()) {
    result.detail = fmt::format("fibre {}: no engine lane reading", reading.fiber);
    return result;
  }
  const double output_dbm = 10 * std::log10(output_mw);
  size_t worst = 0;
  for (size_t i = 0; i < reading.input_dbm.size(); ++i) {
    if (reading.input_dbm[i] < reading.input_dbm[worst]) worst = i;
  }
  const double input_dbm = reading.input_dbm[worst];
  result.worst_loss_db = output_dbm - input_dbm;
  if (result.worst_loss_db < -kMaxGainDb) {
    result.detail = fmt::format(
        "fibre {}: {} lane {} reports {:.2f} dBm from a laser putting out {:.2f} dBm, a gain of "
        "{:.2f} dB that no fibre has: its input power reading cannot be trusted",
        reading.fiber, reading.engine, reading.engine_lanes[worst], input_dbm, output_dbm,
        -result.worst_loss_db);
    return result;
  }
  result.passed = result.worst_loss_db <= result.threshold_db;
  result.detail = fmt::format(
      "fibre {}: {:.2f} dBm out, {} lane {} receives {:.2f} dBm: loss "
      "{:.2f} dB {} threshold {:.2f} dB",
      reading.fiber, output_dbm, reading.engine, reading.engine_lanes[worst], input_dbm,
      result.worst_loss_db, result.passed ? "<=" : ">", result.threshold_db);
  return result;
}

int ChooseSpare(const std::vector<SpareCandidate>& spare_lanes) {
  for (const auto& candidate : spare_lanes) {
    if (candidate.phase == LaserLanePhase::kOff && !candidate.requested && !candidate.check_only &&
        candidate.fiber == 0) {
      return candidate.lane;
    }
  }
  return 0;
}

}  // namespace cpo::hal::lanes
