// Device: event subscription, the event sweep and the event monitor thread.
#include <algorithm>

#include "cpo/hal/device.h"
#include "lasers/laser_supervisor.h"

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
  }
  return "unknown";
}

Device::~Device() {
  request_server_.reset();  // no request may start while the rest goes away
  StopEventMonitor();
}

SubscriptionId Device::Subscribe(EventCallback callback) {
  std::lock_guard lock(subscribers_mutex_);
  const SubscriptionId id = next_subscription_++;
  subscribers_[id] = std::move(callback);
  return id;
}

void Device::Unsubscribe(SubscriptionId id) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(id);
}

void Device::Deliver(const std::vector<Event>& events) {
  if (events.empty()) return;
  std::vector<EventCallback> callbacks;
  {
    std::lock_guard lock(subscribers_mutex_);
    for (const auto& [id, callback] : subscribers_) callbacks.push_back(callback);
  }
  // No lock held: a callback may subscribe, unsubscribe or read the device.
  for (const Event& event : events) {
    for (const auto& callback : callbacks) callback(event);
  }
}

std::vector<Event> Device::PollEvents() {
  laser_supervisor_->Step();
  std::vector<Event> events = laser_supervisor_->TakeEvents();
  for (const auto& engine : engines_) {
    auto module = engine->Module();
    // Lane flags are worth a read only while something still holds IntL.
    if (module.ok() && module->interrupt) (void)engine->Lanes();
    for (Event& event : engine->TakeEvents()) events.push_back(std::move(event));
  }
  for (Event& event : PortLinkEvents()) events.push_back(std::move(event));
  Deliver(events);
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
