#include "cpo/hal/device.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>

#include "events/event_hub.h"
#include "lasers/laser_supervisor.h"
#include "ports/port_service.h"

namespace cpo::hal {
namespace {

// Events the owner keeps for observers (a few minutes of a busy switch's events).
constexpr size_t kEventLogCapacity = 4096;

}  // namespace

Device::Device(DeviceParts parts)
    : platform_(std::move(parts.platform)),
      role_(parts.role),
      owner_lock_(std::move(parts.owner_lock)),
      owner_lock_path_(std::move(parts.owner_lock_path)),
      published_(role_ == ProcessRole::kObserver ? std::move(parts.published) : nullptr),
      keep_alive_(std::move(parts.keep_alive)),
      clock_(parts.clock ? std::move(parts.clock) : std::make_shared<SteadyClock>()),
      buses_(std::move(parts.buses)),
      serdes_(std::move(parts.serdes)),
      events_(std::make_unique<EventHub>(role_ == ProcessRole::kOwner ? kEventLogCapacity : 0)) {
  for (size_t i = 0; i < parts.engine_backends.size() && i < platform_.optical_engines.size();
       ++i) {
    engines_.push_back(std::make_unique<OpticalEngine>(platform_.optical_engines[i],
                                                       std::move(parts.engine_backends[i]), *clock_,
                                                       published_.get()));
  }
  std::vector<OpticalEngine*> engines;
  for (const auto& engine : engines_) engines.push_back(engine.get());
  // An observer only looks; an owner adopts (or darkens, as the policy says) every lane here,
  // before anything else can reach the lasers (laser safety).
  if (role_ == ProcessRole::kObserver) parts.laser_safety.start = LaserStartPolicy::kObserve;
  laser_supervisor_ = std::make_unique<LaserSupervisor>(platform_, std::move(parts.laser_backends),
                                                        std::move(engines), *clock_,
                                                        parts.laser_safety, published_.get());
  for (size_t i = 0; i < platform_.laser_sources.size(); ++i) {
    lasers_.push_back(std::make_unique<LaserSource>(static_cast<int>(i), platform_.laser_sources[i],
                                                    *laser_supervisor_));
  }
  ports_ = std::make_unique<PortService>(
      platform_, *clock_, serdes_.get(), role_, parts.recovery, changes_mutex_,
      PortServiceDeps{
          .find_engine = [this](std::string_view name) { return FindOpticalEngine(name); },
          .find_laser = [this](std::string_view name) { return FindLaserSource(name); },
          .enable_lasers =
              [this](const std::vector<platform::LaserLane>& lanes) { return EnableLasers(lanes); },
          .bring_up_data_paths =
              [this](const std::vector<DataPathRequest>& requests, const BringUpOptions& options) {
                return BringUpDataPaths(requests, options);
              },
          .bus_counters = [this] { return TotalBusCounters(); }});
  // An observer streams the owner's events from now on.
  if (published_) {
    if (auto page = published_->EventsAfter(0, 0)) observed_sequence_ = page->last_sequence;
  }
}

std::optional<PortsProgress> Device::Progress() const {
  if (role_ == ProcessRole::kOwner) return ports_->Progress();
  return published_ ? published_->Progress() : std::nullopt;
}

std::optional<EventPage> Device::EventsAfter(uint64_t after_sequence, size_t limit) const {
  if (role_ == ProcessRole::kOwner) return events_->After(after_sequence, limit);
  return published_ ? published_->EventsAfter(after_sequence, limit) : std::nullopt;
}

Status Device::ServeRequests(const std::string& path) {
  if (role_ != ProcessRole::kOwner) {
    return {StatusCode::kFailedPrecondition, "only the switch's owner serves requests"};
  }
  request_server_.reset();
  CPO_ASSIGN_OR_RETURN(request_server_, RequestServer::Start(*this, path));
  return Status::Ok();
}

std::optional<OwnerInfo> Device::Owner() const {
  if (owner_lock_) return owner_lock_->info();
  if (owner_lock_path_.empty()) {
    if (role_ == ProcessRole::kObserver) return std::nullopt;
    return OwnerInfo{.pid = getpid(), .program = CurrentProgramName(), .channel = ""};
  }
  return OwnerLock::CurrentOwner(owner_lock_path_);
}

Status Device::EnableLasers(const std::vector<platform::LaserLane>& lanes) {
  std::lock_guard changes(changes_mutex_);
  std::map<int, std::vector<int>> lanes_of_source;
  for (const auto& lane : lanes) {
    CPO_ASSIGN_OR_RETURN(LaserSource * source, FindLaserSource(lane.source));
    if (lane.lane < 1 || lane.lane > source->lane_count()) {
      return {StatusCode::kOutOfRange,
              fmt::format("{} has lanes 1..{}; lane {} does not exist", source->name(),
                          source->lane_count(), lane.lane)};
    }
    for (size_t i = 0; i < lasers_.size(); ++i) {
      if (lasers_[i].get() == source) lanes_of_source[static_cast<int>(i)].push_back(lane.lane);
    }
  }
  // Every request is checked before any is applied: nothing half-applied.
  for (const auto& [index, source_lanes] : lanes_of_source) {
    CPO_RETURN_IF_ERROR(laser_supervisor_->CheckRequest(index, source_lanes, /*on=*/true));
  }
  for (const auto& [index, source_lanes] : lanes_of_source) {
    CPO_RETURN_IF_ERROR(laser_supervisor_->Request(index, source_lanes, /*on=*/true,
                                                   /*check_only=*/false));
  }
  laser_supervisor_->WaitSettledMany(lanes_of_source);
  std::string failures;
  // A lane whose module does not answer (pulled, or its bus or simulator gone) is unreachable,
  // not refused.
  StatusCode code = StatusCode::kFailedPrecondition;
  for (const auto& [index, source_lanes] : lanes_of_source) {
    // The core's view: its rounds just read every lane they settled.
    const auto reports = laser_supervisor_->Reports(index);
    for (int lane : source_lanes) {
      const LaserLaneReport& report = reports[static_cast<size_t>(lane - 1)];
      if (report.phase == LaserLanePhase::kOperating) continue;
      if (report.phase == LaserLanePhase::kAbsent) code = StatusCode::kUnavailable;
      failures += fmt::format("{}{} lane {} {}{}", failures.empty() ? "" : "; ",
                              lasers_[static_cast<size_t>(index)]->name(), lane,
                              LaserLanePhaseName(report.phase),
                              report.reason.empty() ? "" : ": " + report.reason);
    }
  }
  if (failures.empty()) return Status::Ok();
  return {code, failures};
}

std::vector<Event> Device::SuperviseLasers() {
  laser_supervisor_->Step();
  std::vector<Event> events = laser_supervisor_->TakeEvents();
  Deliver(events);
  return events;
}

Result<LaserSource*> Device::FindLaserSource(std::string_view name_or_index) const {
  for (const auto& source : lasers_) {
    if (source->name() == name_or_index) return source.get();
  }
  size_t index = 0;
  auto [end, error] =
      std::from_chars(name_or_index.data(), name_or_index.data() + name_or_index.size(), index);
  if (error == std::errc() && end == name_or_index.data() + name_or_index.size() &&
      index < lasers_.size()) {
    return lasers_[index].get();
  }
  std::string names;
  for (const auto& source : lasers_) names += (names.empty() ? "" : ", ") + source->name();
  return Status(StatusCode::kNotFound,
                fmt::format("no laser source '{}' in platform {} (laser sources: {})",
                            name_or_index, platform_.name, names.empty() ? "none" : names));
}

BusCounters Device::TotalBusCounters() const {
  BusCounters total;
  for (const auto& bus : buses_) {
    const BusCounters counters = bus->Counters();
    total.transactions += counters.transactions;
    total.wire_bytes += counters.wire_bytes;
  }
  return total;
}

TelemetrySnapshot Device::Telemetry() {
  TelemetrySnapshot snapshot;
  const BusCounters before = TotalBusCounters();
  snapshot.started = clock_->Now();
  for (const auto& engine : engines_) {
    EngineTelemetry entry;
    entry.name = engine->name();
    auto module = engine->Module();
    if (module.ok()) {
      entry.module = *module;
      auto lanes = engine->Lanes();
      if (lanes.ok()) {
        entry.lanes = std::move(lanes).value();
      } else {
        entry.error = lanes.status();
      }
    } else {
      entry.error = module.status();
    }
    snapshot.engines.push_back(std::move(entry));
  }
  snapshot.finished = clock_->Now();
  snapshot.cost = TotalBusCounters() - before;
  return snapshot;
}

Result<OpticalEngine*> Device::FindOpticalEngine(std::string_view name_or_index) const {
  for (const auto& engine : engines_) {
    if (engine->name() == name_or_index) return engine.get();
  }
  size_t index = 0;
  auto [end, error] =
      std::from_chars(name_or_index.data(), name_or_index.data() + name_or_index.size(), index);
  if (error == std::errc() && end == name_or_index.data() + name_or_index.size() &&
      index < engines_.size()) {
    return engines_[index].get();
  }
  std::string names;
  for (const auto& engine : engines_) names += (names.empty() ? "" : ", ") + engine->name();
  return Status(StatusCode::kNotFound,
                fmt::format("no optical engine '{}' in platform {} (engines: {})", name_or_index,
                            platform_.name, names));
}

// --- Ports: the port service's (hal/src/ports/).

std::vector<platform::SubPort> Device::Ports() const { return ports_->Ports(); }

Result<std::vector<platform::SubPort>> Device::SelectPorts(std::string_view name) const {
  return ports_->SelectPorts(name);
}

std::vector<PortStatus> Device::PortStates(const std::vector<platform::SubPort>& ports) {
  return ports_->PortStates(ports);
}

Status Device::SetPortBreakout(std::string_view front_panel_port, std::string_view mode) {
  return ports_->SetPortBreakout(front_panel_port, mode);
}

Status Device::SetPortPrbs(const std::vector<platform::SubPort>& ports, PortPrbsMode mode,
                           PrbsPattern pattern) {
  return ports_->SetPortPrbs(ports, mode, pattern);
}

Status Device::SetPortLoopback(const std::vector<platform::SubPort>& ports, PortLoopback loopback) {
  return ports_->SetPortLoopback(ports, loopback);
}

Result<std::vector<PortPrbsResult>> Device::PortPrbsResults(
    const std::vector<platform::SubPort>& ports) {
  return ports_->PortPrbsResults(ports);
}

Status Device::ClearPortCounters(const std::vector<platform::SubPort>& ports) {
  return ports_->ClearPortCounters(ports);
}

PortBringUpReport Device::BringUpPorts(const std::vector<platform::SubPort>& ports,
                                       const BringUpOptions& options) {
  return ports_->BringUpPorts(ports, options);
}

PortBringUpReport Device::BringDownPorts(const std::vector<platform::SubPort>& ports) {
  return ports_->BringDownPorts(ports);
}

}  // namespace cpo::hal
