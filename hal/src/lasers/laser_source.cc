#include "cpo/hal/laser_source.h"

#include <fmt/format.h>

#include "lasers/laser_supervisor.h"

namespace cpo::hal {

LaserSource::LaserSource(int index, const platform::LaserSourceConfig& config,
                         LaserSupervisor& supervisor)
    : index_(index), config_(config), supervisor_(supervisor) {}

Result<EngineIdentity> LaserSource::Identity() { return supervisor_.Identity(index_); }

Result<LaserSourceCapabilities> LaserSource::Capabilities() {
  return supervisor_.Capabilities(index_);
}

Result<std::vector<LaserLaneReport>> LaserSource::Lanes() { return supervisor_.Lanes(index_); }

std::vector<LaserLaneReport> LaserSource::Reports() { return supervisor_.Reports(index_); }

Status LaserSource::Enable(const std::vector<int>& lanes) {
  CPO_RETURN_IF_ERROR(supervisor_.Request(index_, lanes, /*on=*/true, /*check_only=*/false));
  CPO_ASSIGN_OR_RETURN(auto reports, supervisor_.WaitSettled(index_, lanes));
  std::string failures;
  for (int lane : lanes) {
    const LaserLaneReport& report = reports[static_cast<size_t>(lane - 1)];
    if (report.phase == LaserLanePhase::kOperating) continue;
    failures += fmt::format("{}lane {} {}{}", failures.empty() ? "" : "; ", lane,
                            LaserLanePhaseName(report.phase),
                            report.reason.empty() ? "" : ": " + report.reason);
  }
  if (failures.empty()) return Status::Ok();
  return {StatusCode::kFailedPrecondition, fmt::format("{}: {}", config_.name, failures)};
}

Status LaserSource::Disable(const std::vector<int>& lanes) {
  return supervisor_.Request(index_, lanes, /*on=*/false, /*check_only=*/false);
}

Result<std::vector<FiberCheckResult>> LaserSource::FiberCheck(const std::vector<int>& lanes) {
  CPO_RETURN_IF_ERROR(supervisor_.Request(index_, lanes, /*on=*/true, /*check_only=*/true));
  CPO_ASSIGN_OR_RETURN(auto reports, supervisor_.WaitSettled(index_, lanes));
  std::vector<FiberCheckResult> results;
  for (int lane : lanes) {
    const LaserLaneReport& report = reports[static_cast<size_t>(lane - 1)];
    if (report.last_check) {
      results.push_back(*report.last_check);
    } else {
      results.push_back(
          {.passed = false,
           .detail = fmt::format("no check ran: lane is {}{}", LaserLanePhaseName(report.phase),
                                 report.reason.empty() ? "" : " (" + report.reason + ")")});
    }
  }
  return results;
}

Status LaserSource::SetOperatingPower(const std::vector<int>& lanes, double power_mw) {
  return supervisor_.SetOperatingPower(index_, lanes, power_mw);
}

Status LaserSource::SetLaneFlagMasks(const std::vector<int>& lanes,
                                     const ThresholdFlags& bias_masks,
                                     const ThresholdFlags& power_masks) {
  return supervisor_.SetLaneFlagMasks(index_, lanes, bias_masks, power_masks);
}

Result<ModuleMonitors> LaserSource::Module() { return supervisor_.Module(index_); }

Result<std::vector<LaserLaneElectrical>> LaserSource::Electrical() {
  return supervisor_.Electrical(index_);
}

Status LaserSource::SaveSet(LaserSetKind kind, LaserSetSlot slot) {
  return supervisor_.SaveRestore(index_, {LaserSetAction::kSave, kind, slot});
}

Status LaserSource::RestoreSet(LaserSetKind kind, LaserSetSlot slot) {
  return supervisor_.SaveRestore(index_, {LaserSetAction::kRestore, kind, slot});
}

std::vector<FlagRecord> LaserSource::FlagRecords() { return supervisor_.FlagRecords(index_); }

Result<std::array<uint8_t, 256>> LaserSource::ReadWindow(uint8_t page, uint8_t bank) {
  return supervisor_.ReadWindow(index_, page, bank);
}

Result<std::vector<uint8_t>> LaserSource::ReadWindowBytes(uint8_t page, uint8_t bank,
                                                          uint8_t offset, int count) {
  return supervisor_.ReadWindowBytes(index_, page, bank, offset, count);
}

Status LaserSource::WriteWindow(uint8_t page, uint8_t bank, uint8_t offset,
                                std::span<const uint8_t> bytes) {
  return supervisor_.WriteWindow(index_, page, bank, offset, bytes);
}

}  // namespace cpo::hal
