// EventLog: the owner's last events, numbered, so observers can follow them (the request
// channel's events.after) without consuming anything: each reader keeps its own cursor.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "cpo/hal/events.h"
#include "cpo/hal/owner/published_state.h"

namespace cpo::hal {

class EventLog {
 public:
  explicit EventLog(size_t capacity) : capacity_(capacity) {}

  void Append(const std::vector<Event>& events);
  // Events numbered after `after_sequence`, the newest `limit` of them; `missed` counts those
  // the log let go (or that `limit` left out) between the cursor and the first returned.
  EventPage After(uint64_t after_sequence, size_t limit) const;
  uint64_t last_sequence() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<Event> events_;  // events_.back() is number last_sequence_
  uint64_t last_sequence_ = 0;
};

}  // namespace cpo::hal
