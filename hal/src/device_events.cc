// Device: event subscription, the event sweep and the event monitor thread.
#include <algorithm>

#include "cpo/hal/device.h"
#include "laser_supervisor.h"

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
  }
  return "unknown";
}

Device::~Device() { StopEventMonitor(); }

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
  Deliver(events);
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
