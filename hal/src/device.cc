#include "cpo/hal/device.h"

#include <fmt/format.h>

#include <charconv>

#include "laser_supervisor.h"

namespace cpo::hal {

Device::Device(DeviceParts parts)
    : platform_(std::move(parts.platform)),
      keep_alive_(std::move(parts.keep_alive)),
      clock_(parts.clock ? std::move(parts.clock) : std::make_shared<SteadyClock>()),
      buses_(std::move(parts.buses)) {
  for (size_t i = 0; i < parts.engine_backends.size() && i < platform_.optical_engines.size();
       ++i) {
    engines_.push_back(std::make_unique<OpticalEngine>(
        platform_.optical_engines[i], std::move(parts.engine_backends[i]), *clock_));
  }
  std::vector<OpticalEngine*> engines;
  for (const auto& engine : engines_) engines.push_back(engine.get());
  // Every lane goes dark here, before anything else can reach the lasers (laser safety).
  laser_supervisor_ = std::make_unique<LaserSupervisor>(
      platform_, std::move(parts.laser_backends), std::move(engines), *clock_, parts.laser_safety);
  for (size_t i = 0; i < platform_.laser_sources.size(); ++i) {
    lasers_.push_back(std::make_unique<LaserSource>(static_cast<int>(i), platform_.laser_sources[i],
                                                    *laser_supervisor_));
  }
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
  const BusCounters after = TotalBusCounters();
  snapshot.cost.transactions = after.transactions - before.transactions;
  snapshot.cost.wire_bytes = after.wire_bytes - before.wire_bytes;
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

}  // namespace cpo::hal
