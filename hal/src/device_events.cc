// Device: event subscription, the event sweep and the event monitor thread.
#include <fmt/format.h>

#include <algorithm>

#include "cpo/hal/device.h"
#include "events/event_hub.h"
#include "lasers/laser_supervisor.h"
#include "ports/port_service.h"

namespace cpo::hal {

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kModuleStateChanged:
      return "module-state";
    case EventKind::kFlagSet:
      return "flag-set";
    case EventKind::kFlagCleared:
      return "flag-cleared";
    case EventKind::kLaserShutdown:
      return "laser-shutdown";
    case EventKind::kLaserSpared:
      return "laser-spared";
    case EventKind::kLaserFailed:
      return "laser-failed";
    case EventKind::kLaserSourceChanged:
      return "laser-source";
    case EventKind::kPortLinkUp:
      return "port-link-up";
    case EventKind::kPortLinkDown:
      return "port-link-down";
    case EventKind::kPortRecovery:
      return "port-recovery";
  }
  return "unknown";
}

Device::~Device() {
  request_server_.reset();  // no request may start while the rest goes away
  StopEventMonitor();
}

SubscriptionId Device::Subscribe(EventCallback callback) {
  return events_->Subscribe(std::move(callback));
}

void Device::Unsubscribe(SubscriptionId id) { events_->Unsubscribe(id); }

void Device::Deliver(const std::vector<Event>& events) { events_->Deliver(events); }

std::optional<std::vector<Event>> Device::OwnerEvents() {
  if (!published_) return std::nullopt;
  // Enough for a busy poll; the rest comes with the next call.
  constexpr size_t kEventsPerPoll = 1024;
  std::lock_guard lock(observed_mutex_);
  auto page = published_->EventsAfter(observed_sequence_, kEventsPerPoll);
  // A new owner numbers its events from 1 again.
  if (page && page->last_sequence < observed_sequence_) {
    page = published_->EventsAfter(0, kEventsPerPoll);
  }
  if (!page) return std::nullopt;
  observed_sequence_ = page->last_sequence;
  return std::move(page->events);
}

std::vector<Event> Device::PollEvents() {
  if (auto owners = OwnerEvents()) {
    Deliver(*owners);
    return std::move(*owners);
  }
  // Every this many polls the lanes are read whatever IntL says: a masked flag latches without
  // asserting it.
  constexpr uint64_t kLaneBackstopPolls = 16;
  laser_supervisor_->Step();
  std::vector<Event> events = laser_supervisor_->TakeEvents();
  const bool backstop = poll_count_++ % kLaneBackstopPolls == 0;
  for (const auto& engine : engines_) {
    auto module = engine->Module();
    // Lane flags are read while something holds IntL, while a flag seen latched may yet clear
    // (a clearing raises no interrupt), and on the backstop.
    if (module.ok() && (module->interrupt || backstop || engine->LaneFlagsLatched())) {
      (void)engine->Lanes();
    }
    // VDM flags hold IntL too (unless masked, page 2Dh).
    if (module.ok() && engine->VdmFlagsDue(module->interrupt, backstop)) (void)engine->VdmFlags();
    for (Event& event : engine->TakeEvents()) events.push_back(std::move(event));
  }
  for (Event& event : ports_->PortLinkEvents()) events.push_back(std::move(event));
  Deliver(events);
  std::vector<Event> recovered = ports_->RecoverPorts();
  Deliver(recovered);
  events.insert(events.end(), recovered.begin(), recovered.end());
  return events;
}

void Device::StartEventMonitor(std::chrono::nanoseconds period) {
  {
    std::lock_guard lock(monitor_mutex_);
    monitor_period_ = std::max<std::chrono::nanoseconds>(period, std::chrono::microseconds(100));
    if (monitor_.joinable()) return;
    monitor_stop_ = false;
  }
  monitor_ = std::thread([this] {
    while (true) {
      std::chrono::nanoseconds sleep_for;
      {
        std::lock_guard lock(monitor_mutex_);
        if (monitor_stop_) return;
        sleep_for = monitor_period_;
      }
      PollEvents();
      // Device time: on the model, sleeping advances the simulation.
      clock_->SleepFor(sleep_for);
    }
  });
}

void Device::StopEventMonitor() {
  {
    std::lock_guard lock(monitor_mutex_);
    monitor_stop_ = true;
  }
  if (monitor_.joinable()) monitor_.join();
}

}  // namespace cpo::hal
