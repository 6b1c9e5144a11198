// Device: event subscription, the event sweep and the event monitor thread.
#include <fmt/format.h>

#include <algorithm>

#include "cpo/hal/device.h"
#include "events/event_hub.h"
#include "lasers/laser_supervisor.h"
#include "ports/bringup_progress.h"
#include "ports/port_recovery.h"

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

std::vector<Event> Device::RecoverPorts() {
  std::vector<Event> events;
  if (role_ != ProcessRole::kOwner) return events;
  // Under the changes lock: an operator's bring-down either comes first (and ends the tries)
  // or waits for this attempt.
  std::lock_guard changes(changes_mutex_);
  std::vector<std::string> due;
  {
    std::lock_guard lock(recovery_mutex_);
    due = recovery_->Due(clock_->Now());
  }
  if (due.empty()) return events;
  std::vector<platform::SubPort> ports;
  for (const auto& name : due) {
    auto selected = SelectPorts(name);
    if (!selected.ok()) {
      std::lock_guard lock(recovery_mutex_);
      recovery_->Forget(name);  // no such port now (a breakout changed)
      continue;
    }
    ports.insert(ports.end(), selected->begin(), selected->end());
  }
  const PortBringUpReport report = BringUpPorts(ports);
  const auto now = clock_->Now();
  std::lock_guard lock(recovery_mutex_);
  const int max_attempts = recovery_->options().max_attempts;
  for (const auto& outcome : report.outcomes) {
    Event event{.kind = EventKind::kPortRecovery,
                .source = outcome.port,
                .name = "port.recovery",
                .detail = "",
                .time = now,
                .ports = {outcome.port},
                .outage = {}};
    if (outcome.status.ok()) {
      recovery_->LinkUp(outcome.port);
      event.detail = "back up";
    } else {
      const auto attempt = recovery_->Failed(outcome.port, outcome.status, now);
      event.detail = attempt.gave_up
                         ? fmt::format("gave up after {} attempts: {}", attempt.number,
                                       outcome.status.message())
                         : fmt::format("attempt {} of {} failed: {}; next in {:.1f} s",
                                       attempt.number, max_attempts, outcome.status.message(),
                                       static_cast<double>((attempt.next - now).count()) / 1e9);
    }
    events.push_back(std::move(event));
  }
  return events;
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
    for (Event& event : engine->TakeEvents()) events.push_back(std::move(event));
  }
  for (Event& event : PortLinkEvents()) events.push_back(std::move(event));
  Deliver(events);
  std::vector<Event> recovered = RecoverPorts();
  Deliver(recovered);
  events.insert(events.end(), recovered.begin(), recovered.end());
  return events;
}

std::vector<Event> Device::PortLinkEvents() {
  std::vector<Event> events;
  if (!serdes_) return events;
  Result<std::vector<uint8_t>> locks = Status::Ok();
  {
    std::lock_guard lock(serdes_mutex_);
    locks = serdes_->ReadPcsLocks();
  }
  if (!locks.ok()) return events;
  const int per_block = serdes_->lanes_per_port();
  std::vector<platform::SubPort> changed;
  std::vector<bool> now_up;
  for (const auto& port : Ports()) {
    const bool up = std::all_of(port.host_lanes.begin(), port.host_lanes.end(), [&](int lane) {
      const auto block = static_cast<size_t>(lane / per_block);
      return block < locks->size() && (((*locks)[block] >> (lane % per_block)) & 1) != 0;
    });
    std::lock_guard lock(serdes_mutex_);
    auto [seen, first] = link_up_.try_emplace(port.name, up);
    if (first || seen->second == up) continue;
    seen->second = up;
    changed.push_back(port);
    now_up.push_back(up);
  }
  if (changed.empty()) return events;
  const auto states = PortStates(changed);
  const auto time = clock_->Now();
  for (size_t i = 0; i < changed.size(); ++i) {
    {
      // An admin-up port whose own path broke (its lasers or data path) is the owner's to bring
      // back; one that only lost its peer's signal comes back with the peer.
      std::lock_guard lock(recovery_mutex_);
      const bool own_path =
          states[i].reason.rfind("lasers:", 0) == 0 || states[i].reason.rfind("datapath:", 0) == 0;
      if (now_up[i]) {
        recovery_->LinkUp(changed[i].name);
      } else if (states[i].admin_up && own_path) {
        recovery_->LinkDown(changed[i].name, time);
      }
    }
    Event event;
    event.kind = now_up[i] ? EventKind::kPortLinkUp : EventKind::kPortLinkDown;
    event.source = changed[i].name;
    event.name = "port.link";
    event.detail = now_up[i] ? "link up" : states[i].reason;
    event.time = time;
    event.ports = {changed[i].name};
    events.push_back(std::move(event));
  }
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
