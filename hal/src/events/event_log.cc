#include "events/event_log.h"

#include <algorithm>

namespace cpo::hal {

void EventLog::Append(const std::vector<Event>& events) {
  if (events.empty()) return;
  std::lock_guard lock(mutex_);
  for (const Event& event : events) {
    events_.push_back(event);
    ++last_sequence_;
    if (events_.size() > capacity_) events_.pop_front();
  }
}

EventPage EventLog::After(uint64_t after_sequence, size_t limit) const {
  std::lock_guard lock(mutex_);
  EventPage page;
  page.last_sequence = last_sequence_;
  if (after_sequence >= last_sequence_) return page;
  const uint64_t first_held = last_sequence_ - events_.size() + 1;
  uint64_t first = std::max(after_sequence + 1, first_held);
  if (last_sequence_ - first + 1 > limit) first = last_sequence_ - limit + 1;
  page.missed = first - (after_sequence + 1);
  for (uint64_t number = first; number <= last_sequence_; ++number) {
    page.events.push_back(events_[static_cast<size_t>(number - first_held)]);
  }
  return page;
}

uint64_t EventLog::last_sequence() const {
  std::lock_guard lock(mutex_);
  return last_sequence_;
}

}  // namespace cpo::hal
