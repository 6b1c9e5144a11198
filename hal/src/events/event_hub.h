// EventHub: where a Device's events go. Subscribers' callbacks get every event, called with no
// lock held (a callback may subscribe, unsubscribe or read the device); an owner also logs them
// for observers (EventLog, the request channel's events.after).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "cpo/hal/events.h"
#include "events/event_log.h"

namespace cpo::hal {

class EventHub {
 public:
  // log_capacity 0: nothing is logged (an observer's hub).
  explicit EventHub(size_t log_capacity) : log_(log_capacity), logging_(log_capacity > 0) {}

  SubscriptionId Subscribe(EventCallback callback);
  void Unsubscribe(SubscriptionId id);
  // Logs `events` (when logging) and calls every subscriber with each, in order.
  void Deliver(const std::vector<Event>& events);
  // The log's events after `after_sequence` (nullopt when this hub does not log).
  std::optional<EventPage> After(uint64_t after_sequence, size_t limit) const;

 private:
  std::mutex mutex_;
  std::map<SubscriptionId, EventCallback> subscribers_;
  SubscriptionId next_id_ = 1;
  EventLog log_;
  bool logging_;
};

}  // namespace cpo::hal
