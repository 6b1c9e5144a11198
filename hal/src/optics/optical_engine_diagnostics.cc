// OpticalEngine: PRBS generators and checkers, loopbacks, and VDM.
#include <fmt/format.h>

#include "cpo/hal/optical_engine.h"
#include "events/flag_history.h"

namespace cpo::hal {

template <typename Change>
Status OpticalEngine::ChangeDiagnostics(const std::vector<int>& lanes, Change change) {
  CPO_RETURN_IF_ERROR(RequireDiagnosticsPages("PRBS and loopback are"));
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  CPO_ASSIGN_OR_RETURN(auto masks, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  for (const auto& [bank, mask] : masks) {
    auto controls = backend_->ReadDiagnosticControls(bank);
    if (!controls.ok()) return controls.status().WithContext(config_.name);
    CPO_RETURN_IF_ERROR(change(*controls, mask, advertising.diagnostics));
    CPO_RETURN_IF_ERROR(
        backend_->WriteDiagnosticControls(bank, *controls).WithContext(config_.name));
  }
  return Status::Ok();
}

Status OpticalEngine::StartPrbs(DiagnosticSide side, const std::vector<int>& lanes,
                                PrbsPattern pattern, bool generator, bool checker) {
  if (!generator && !checker) {
    return Status(StatusCode::kInvalidArgument,
                  fmt::format("{}: start the generator, the checker or both", config_.name));
  }
  const bool host = side == DiagnosticSide::kHost;
  return ChangeDiagnostics(lanes, [&](DiagnosticControls& c, uint8_t mask,
                                      const DiagnosticCapabilities& caps) {
    const uint16_t gen_caps = host ? caps.host_generator_patterns : caps.media_generator_patterns;
    const uint16_t chk_caps = host ? caps.host_checker_patterns : caps.media_checker_patterns;
    const int code = static_cast<int>(pattern);
    if ((generator && ((gen_caps >> code) & 1) == 0) ||
        (checker && ((chk_caps >> code) & 1) == 0)) {
      return Status(StatusCode::kNotSupported,
                    fmt::format("{}: {} side does not support {} (advertised pattern bits "
                                "generator 0x{:04X}, checker 0x{:04X})",
                                config_.name, DiagnosticSideName(side), PrbsPatternName(pattern),
                                gen_caps, chk_caps));
    }
    uint8_t& gen = host ? c.host_generator : c.media_generator;
    uint8_t& chk = host ? c.host_checker : c.media_checker;
    auto& gen_pattern = host ? c.host_generator_pattern : c.media_generator_pattern;
    auto& chk_pattern = host ? c.host_checker_pattern : c.media_checker_pattern;
    for (size_t i = 0; i < 8; ++i) {
      if (((mask >> i) & 1) == 0) continue;
      if (generator) gen_pattern[i] = pattern;
      if (checker) chk_pattern[i] = pattern;
    }
    if (generator) gen |= mask;
    if (checker) chk |= mask;
    return Status::Ok();
  });
}

Status OpticalEngine::StopPrbs(DiagnosticSide side, const std::vector<int>& lanes) {
  const bool host = side == DiagnosticSide::kHost;
  return ChangeDiagnostics(lanes,
                           [&](DiagnosticControls& c, uint8_t mask, const DiagnosticCapabilities&) {
                             uint8_t& gen = host ? c.host_generator : c.media_generator;
                             uint8_t& chk = host ? c.host_checker : c.media_checker;
                             gen = static_cast<uint8_t>(gen & ~mask);
                             chk = static_cast<uint8_t>(chk & ~mask);
                             return Status::Ok();
                           });
}

Status OpticalEngine::SetLoopback(LoopbackKind kind, const std::vector<int>& lanes, bool enabled) {
  return ChangeDiagnostics(lanes, [&](DiagnosticControls& c, uint8_t mask,
                                      const DiagnosticCapabilities& caps) {
    if (!caps.Supports(kind)) {
      return Status(StatusCode::kNotSupported,
                    fmt::format("{}: {} loopback is not advertised (page 13h byte 128 = 0x{:02X})",
                                config_.name, LoopbackKindName(kind), caps.loopbacks));
    }
    uint8_t& bits = c.loopback[static_cast<size_t>(kind)];
    bits = static_cast<uint8_t>(enabled ? (bits | mask) : (bits & ~mask));
    return Status::Ok();
  });
}

Status OpticalEngine::ResetPrbsStatistics() {
  return ChangeDiagnostics({1}, [](DiagnosticControls& c, uint8_t, const DiagnosticCapabilities&) {
    c.reset_statistics = true;
    return Status::Ok();
  });
}

Result<std::vector<PrbsLaneResult>> OpticalEngine::PrbsResults(const std::vector<int>& lanes) {
  CPO_RETURN_IF_ERROR(RequireDiagnosticsPages("PRBS and loopback are"));
  CPO_ASSIGN_OR_RETURN(auto masks, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  std::vector<PrbsLaneResult> results;
  for (const auto& [bank, mask] : masks) {
    auto controls = backend_->ReadDiagnosticControls(bank);
    if (!controls.ok()) return controls.status().WithContext(config_.name);
    auto bank_results = backend_->ReadDiagnosticResults(bank);
    if (!bank_results.ok()) return bank_results.status().WithContext(config_.name);
    for (size_t i = 0; i < 8; ++i) {
      if (((mask >> i) & 1) == 0) continue;
      PrbsLaneResult result = (*bank_results)[i];
      result.host_checker_on = ((controls->host_checker >> i) & 1) != 0;
      result.media_checker_on = ((controls->media_checker >> i) & 1) != 0;
      // A checker that is off has no lock to report.
      result.host_locked = result.host_locked && result.host_checker_on;
      result.media_locked = result.media_locked && result.media_checker_on;
      results.push_back(result);
    }
  }
  return results;
}

Result<std::vector<DiagnosticControls>> OpticalEngine::DiagnosticControlsByBank() {
  CPO_RETURN_IF_ERROR(RequireDiagnosticsPages("PRBS and loopback are"));
  std::lock_guard lock(mutex_);
  std::vector<DiagnosticControls> banks;
  for (int bank = 0; bank < config_.banks; ++bank) {
    auto controls = backend_->ReadDiagnosticControls(bank);
    if (!controls.ok()) return controls.status().WithContext(config_.name);
    banks.push_back(*controls);
  }
  return banks;
}

Result<std::vector<VdmSample>> OpticalEngine::Vdm() {
  CPO_RETURN_IF_ERROR(RequireVdm("VDM is"));
  std::lock_guard lock(mutex_);
  auto samples = backend_->ReadVdm(config_.banks);
  if (!samples.ok()) return samples.status().WithContext(config_.name);
  std::erase_if(*samples, [&](const VdmSample& s) { return s.lane > config_.lanes; });
  const auto now = clock_.Now();
  for (const VdmSample& sample : *samples) {
    if (sample.flags_read) flag_history_->RecordVdm(sample, now);
  }
  return samples;
}

Result<std::vector<VdmSample>> OpticalEngine::VdmFlags() {
  CPO_RETURN_IF_ERROR(RequireVdm("VDM is"));
  std::lock_guard lock(mutex_);
  std::vector<VdmSample> flags;
  const auto now = clock_.Now();
  for (int bank = 0; bank < config_.banks; ++bank) {
    auto read = backend_->ReadVdmFlags(bank);
    if (!read.ok()) return read.status().WithContext(fmt::format("{} bank {}", config_.name, bank));
    for (const VdmSample& sample : *read) {
      if (sample.lane > config_.lanes) continue;
      if (sample.flags_read) flag_history_->RecordVdm(sample, now);
      flags.push_back(sample);
    }
  }
  return flags;
}

Status OpticalEngine::SetVdmFlagMasks(const std::vector<int>& lanes, uint8_t type_id,
                                      const ThresholdFlags& masks) {
  CPO_RETURN_IF_ERROR(RequireVdm("VDM is"));
  CPO_ASSIGN_OR_RETURN(auto by_bank, BankMasks(lanes));
  std::lock_guard lock(mutex_);
  for (const auto& [bank, lane_bits] : by_bank) {
    CPO_RETURN_IF_ERROR(
        backend_->WriteVdmFlagMasks(bank, lane_bits, type_id, masks).WithContext(config_.name));
  }
  return Status::Ok();
}

}  // namespace cpo::hal

namespace cpo::hal {
namespace {

// Why a laser lane feeding such an engine stays dark: its light cannot be measured.
constexpr std::string_view kElsInputPowerNeed =
    "measuring the laser light it receives (VDM type 84, the fibre check of the lanes that feed "
    "it) is";

}  // namespace

Status OpticalEngine::CheckCanMeasureLaserInput() { return RequireVdm(kElsInputPowerNeed); }

Status OpticalEngine::CheckVdmLive() {
  // A freeze someone left behind is released and its end awaited (a few reads), so supervision
  // goes on with live samples; a freeze that does not end fails the read.
  constexpr int kUnfreezeReads = 4;
  CPO_RETURN_IF_ERROR(RequireVdm(kElsInputPowerNeed));
  std::lock_guard lock(mutex_);
  CPO_ASSIGN_OR_RETURN(bool frozen, backend_->ReadVdmFrozen());
  for (int read = 0; frozen && read < kUnfreezeReads; ++read) {
    if (read == 0) CPO_RETURN_IF_ERROR(backend_->ReleaseVdmFreeze());
    CPO_ASSIGN_OR_RETURN(frozen, backend_->ReadVdmFrozen());
  }
  if (!frozen) return Status::Ok();
  return {StatusCode::kUnavailable,
          fmt::format("{}: the VDM samples stay frozen (page 2Fh bytes 144-145 bit 7) after a "
                      "release, so they are not live input power",
                      config_.name)};
}

Result<std::vector<double>> OpticalEngine::ElsInputPowerDbm(const std::vector<int>& lanes) {
  constexpr uint8_t kElsInputPowerType = 84;
  CPO_RETURN_IF_ERROR(RequireVdm(kElsInputPowerNeed));
  CPO_ASSIGN_OR_RETURN(auto banks, BankMasks(lanes));
  std::map<int, double> dbm_of_lane;
  std::lock_guard lock(mutex_);
  for (const auto& [bank, mask] : banks) {
    auto samples = backend_->ReadVdmType(bank, kElsInputPowerType);
    if (!samples.ok()) return samples.status().WithContext(config_.name);
    for (const VdmSample& sample : *samples) dbm_of_lane[sample.lane] = sample.value;
  }
  std::vector<double> dbm;
  for (int lane : lanes) {
    auto found = dbm_of_lane.find(lane);
    if (found == dbm_of_lane.end()) {
      return Status(StatusCode::kNotSupported,
                    fmt::format("{}: lane {} has no ELS input power monitor (VDM type 84)",
                                config_.name, lane));
    }
    dbm.push_back(found->second);
  }
  return dbm;
}

}  // namespace cpo::hal
