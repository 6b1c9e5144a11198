#include "cpo/hal/optical_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "cpo/hal/owner/published_state.h"
#include "events/flag_history.h"
#include "register_window.h"

namespace cpo::hal {

OpticalEngine::OpticalEngine(platform::OpticalEngineConfig config,
                             std::unique_ptr<OpticalEngineBackend> backend, Clock& clock,
                             PublishedState* published)
    : config_(std::move(config)),
      backend_(std::move(backend)),
      clock_(clock),
      published_(published),
      flag_history_(std::make_unique<FlagHistory>()) {}

OpticalEngine::~OpticalEngine() = default;

Result<EngineThresholds> OpticalEngine::Thresholds() {
  return Cached(thresholds_, [this] { return backend_->ReadThresholds(); });
}

bool OpticalEngine::LaneFlagsLatched() {
  std::lock_guard lock(mutex_);
  return flag_history_->AnyLatched("lane");
}

bool OpticalEngine::VdmFlagsDue(bool interrupt, bool backstop) {
  auto advertising = Advertising();
  if (!advertising.ok() || !advertising->vdm_supported) return false;
  if (interrupt || backstop) return true;
  std::lock_guard lock(mutex_);
  return flag_history_->AnyLatchedContaining(".vdm.");
}

std::vector<FlagRecord> OpticalEngine::FlagRecords() {
  if (published_ != nullptr) {
    if (auto owner = published_->FlagRecords(config_.name)) return *owner;
  }
  std::lock_guard lock(mutex_);
  return flag_history_->Snapshot();
}

std::vector<Event> OpticalEngine::TakeEvents() {
  std::lock_guard lock(mutex_);
  std::vector<Event> events = std::move(state_events_);
  state_events_.clear();
  for (Event& change : flag_history_->TakeChanges(config_.name)) {
    events.push_back(std::move(change));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.time < b.time; });
  return events;
}

Result<EngineIdentity> OpticalEngine::Identity() {
  return Cached(identity_, [this] { return backend_->ReadIdentity(); });
}

Result<EngineAdvertising> OpticalEngine::Advertising() {
  return Cached(advertising_, [this] { return backend_->ReadAdvertising(); });
}

Status OpticalEngine::SetLowPower(bool low_power) {
  std::lock_guard lock(mutex_);
  return backend_->SetLowPower(low_power).WithContext(config_.name);
}

Status OpticalEngine::SetModuleFlagMasks(const ModuleFlags& masks) {
  std::lock_guard lock(mutex_);
  return backend_->SetModuleFlagMasks(masks).WithContext(config_.name);
}

Status OpticalEngine::Reset() {
  std::lock_guard lock(mutex_);
  return backend_->SoftwareReset().WithContext(config_.name);
}

Result<ModuleMonitors> OpticalEngine::WaitForModuleState(ModuleState state) {
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  const EngineDurations& d = advertising.durations;
  // The longest legitimate path to `state`: powering down first if it was on the way up.
  std::chrono::nanoseconds bound = d.module_power_up + d.module_power_down;
  bound += bound / 10 + std::chrono::milliseconds(1);
  const std::chrono::nanoseconds poll =
      std::max<std::chrono::nanoseconds>(std::chrono::microseconds(500), bound / 100);
  WaitBound until(clock_, bound);
  while (true) {
    CPO_ASSIGN_OR_RETURN(ModuleMonitors monitors, Module());
    if (monitors.state == state) return monitors;
    if (monitors.state == ModuleState::kFault) {
      return Status(
          StatusCode::kFailedPrecondition,
          fmt::format("{}: module entered Fault (cause {}) instead of {}", config_.name,
                      ModuleFaultCauseName(monitors.fault_cause), ModuleStateName(state)));
    }
    if (until.Expired()) {
      return Status(
          StatusCode::kTimeout,
          fmt::format("{}: module still {} after {} ms, the advertised bound for "
                      "reaching {}{}",
                      config_.name, ModuleStateName(monitors.state),
                      std::chrono::duration_cast<std::chrono::milliseconds>(bound).count(),
                      ModuleStateName(state),
                      until.WallExpired() ? " (device time stalled: wall-clock bound)" : ""));
    }
    clock_.SleepFor(poll);
  }
}

Status OpticalEngine::RequireDiagnosticsPages(std::string_view what) {
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  if (advertising.diagnostics_pages_supported) return Status::Ok();
  return Status(StatusCode::kNotSupported,
                fmt::format("{}: {} not supported by this module: it does not advertise the "
                            "diagnostics pages 13h/14h (page 01h byte 142 bit 5)",
                            config_.name, what));
}

Status OpticalEngine::RequireVdm(std::string_view what) {
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  if (advertising.vdm_supported) return Status::Ok();
  return Status(StatusCode::kNotSupported,
                fmt::format("{}: {} not supported by this module: it does not advertise the VDM "
                            "pages 20h-2Fh (page 01h byte 142 bit 6)",
                            config_.name, what));
}

Status OpticalEngine::CheckBank(uint8_t page, uint8_t bank) {
  CPO_RETURN_IF_ERROR(CheckWindowAddress(config_.name, page, bank, config_.banks));
  if (page == 0x13 || page == 0x14) {
    CPO_RETURN_IF_ERROR(RequireDiagnosticsPages(fmt::format("page {:02X}h is", page)));
  }
  if (page >= 0x20 && page <= 0x2F) {
    CPO_RETURN_IF_ERROR(RequireVdm(fmt::format("page {:02X}h is", page)));
  }
  if (bank == 0) return Status::Ok();
  CPO_ASSIGN_OR_RETURN(EngineAdvertising advertising, Advertising());
  if (bank < advertising.banks) return Status::Ok();
  return Status(StatusCode::kNotSupported,
                fmt::format("{}: bank {} is not supported by this module: it advertises {} "
                            "bank(s) (page 01h byte 142, byte 174) for the platform's {} lanes; "
                            "check the engine model in the platform file",
                            config_.name, bank, advertising.banks, config_.lanes));
}

Result<std::array<uint8_t, 256>> OpticalEngine::ReadWindow(uint8_t page, uint8_t bank) {
  CPO_RETURN_IF_ERROR(CheckBank(page, bank));
  std::lock_guard lock(mutex_);
  auto window = backend_->ReadWindow(bank, page);
  if (!window.ok()) return window.status().WithContext(config_.name);
  return window;
}

Result<std::vector<uint8_t>> OpticalEngine::ReadWindowBytes(uint8_t page, uint8_t bank,
                                                            uint8_t offset, int count) {
  CPO_RETURN_IF_ERROR(CheckBank(page, bank));
  CPO_RETURN_IF_ERROR(CheckWindowRead(config_.name, offset, count));
  std::vector<uint8_t> bytes(static_cast<size_t>(count));
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(
      backend_->ReadWindowBytes(bank, page, offset, bytes).WithContext(config_.name));
  return bytes;
}

Status OpticalEngine::WriteWindow(uint8_t page, uint8_t bank, uint8_t offset,
                                  std::span<const uint8_t> bytes) {
  CPO_RETURN_IF_ERROR(CheckBank(page, bank));
  CPO_RETURN_IF_ERROR(CheckWindowWrite(config_.name, offset, bytes.size()));
  std::lock_guard lock(mutex_);
  return backend_->WriteWindow(bank, page, offset, bytes).WithContext(config_.name);
}

Result<ModuleMonitors> OpticalEngine::Module() {
  std::lock_guard lock(mutex_);
  auto monitors = backend_->ReadModuleMonitors();
  if (!monitors.ok()) return monitors.status().WithContext(config_.name);
  const auto now = clock_.Now();
  if (monitors->flags_read) flag_history_->RecordModule(monitors->flags, now);
  if (monitors->state != last_state_) {
    std::string detail =
        fmt::format("{} -> {}", ModuleStateName(last_state_), ModuleStateName(monitors->state));
    if (monitors->state == ModuleState::kFault) {
      detail += fmt::format(" (cause {})", ModuleFaultCauseName(monitors->fault_cause));
    }
    // The first read establishes the state; only changes after it are events.
    if (last_state_ != ModuleState::kUnknown) {
      state_events_.push_back({.kind = EventKind::kModuleStateChanged,
                               .source = config_.name,
                               .name = "module.state",
                               .detail = std::move(detail),
                               .time = now,
                               .ports = {},
                               .outage = {}});
    }
    last_state_ = monitors->state;
  }
  return monitors;
}

void OpticalEngine::MarkUnadvertised(std::vector<LaneMonitors>& lanes) {
  auto advertising = Advertising();
  if (!advertising.ok()) return;  // the reads themselves say what is wrong
  constexpr double kNotSupported = std::numeric_limits<double>::quiet_NaN();
  for (LaneMonitors& lane : lanes) {
    lane.tx_power_supported = advertising->tx_power_monitor;
    lane.tx_bias_supported = advertising->tx_bias_monitor;
    lane.rx_power_supported = advertising->rx_power_monitor;
    if (!lane.tx_power_supported) {
      lane.tx_power_mw = kNotSupported;
      lane.tx_power_flags = {};
    }
    if (!lane.tx_bias_supported) {
      lane.tx_bias_ma = kNotSupported;
      lane.tx_bias_flags = {};
    }
    if (!lane.rx_power_supported) {
      lane.rx_power_mw = kNotSupported;
      lane.rx_power_flags = {};
    }
    if (!advertising->rx_los_supported) lane.rx_los = false;
    if (!advertising->rx_cdr_lol_supported) lane.rx_cdr_lol = false;
  }
}

Result<std::vector<LaneMonitors>> OpticalEngine::Lanes() {
  auto lanes = ReadLanes();
  if (lanes.ok()) MarkUnadvertised(*lanes);
  return lanes;
}

Result<std::vector<LaneMonitors>> OpticalEngine::ReadLanes() {
  std::lock_guard lock(mutex_);
  std::vector<LaneMonitors> lanes;
  lanes.reserve(static_cast<size_t>(config_.lanes));
  for (int bank = 0; bank < config_.banks; ++bank) {
    auto bank_lanes = backend_->ReadLaneMonitors(bank);
    if (!bank_lanes.ok()) {
      return bank_lanes.status().WithContext(fmt::format("{} bank {}", config_.name, bank));
    }
    lanes.insert(lanes.end(), bank_lanes->begin(), bank_lanes->end());
  }
  const auto now = clock_.Now();
  for (const auto& lane : lanes) {
    if (lane.flags_read) flag_history_->RecordLane(lane, now);
  }
  lanes.resize(static_cast<size_t>(config_.lanes));
  return lanes;
}

Result<LaneMonitors> OpticalEngine::Lane(int lane) {
  if (lane < 1 || lane > config_.lanes) {
    return Status(StatusCode::kOutOfRange, fmt::format("{}: lane {} is outside lanes 1..{}",
                                                       config_.name, lane, config_.lanes));
  }
  std::unique_lock lock(mutex_);
  auto bank_lanes = backend_->ReadLaneMonitors((lane - 1) / 8);
  if (!bank_lanes.ok()) return bank_lanes.status().WithContext(config_.name);
  // The read returned (and cleared) the whole bank's flags: keep them all.
  const auto now = clock_.Now();
  for (const auto& other : *bank_lanes) {
    if (other.flags_read) flag_history_->RecordLane(other, now);
  }
  std::vector<LaneMonitors> one = {(*bank_lanes)[static_cast<size_t>((lane - 1) % 8)]};
  lock.unlock();
  MarkUnadvertised(one);
  return one.front();
}

}  // namespace cpo::hal
