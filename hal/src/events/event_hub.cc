#include "events/event_hub.h"

namespace cpo::hal {

SubscriptionId EventHub::Subscribe(EventCallback callback) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_id_++;
  subscribers_[id] = std::move(callback);
  return id;
}

void EventHub::Unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

void EventHub::Deliver(const std::vector<Event>& events) {
  if (events.empty()) return;
  if (logging_) log_.Append(events);
  std::vector<EventCallback> callbacks;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, callback] : subscribers_) callbacks.push_back(callback);
  }
  for (const Event& event : events) {
    for (const auto& callback : callbacks) callback(event);
  }
}

std::optional<EventPage> EventHub::After(uint64_t after_sequence, size_t limit) const {
  if (!logging_) return std::nullopt;
  return log_.After(after_sequence, limit);
}

}  // namespace cpo::hal
