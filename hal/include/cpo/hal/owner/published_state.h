// What the switch's owner publishes to observers: the safety core's lane phases and sparing, the
// flag history it alone can keep (it alone reads clear-on-read bytes), its events and its
// bring-up progress. An observer Device answers from here while an owner runs, and from its own
// non-clearing reads when none does (every call then returns nullopt).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cpo/hal/events.h"
#include "cpo/hal/laser_source_types.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/hal/port.h"

namespace cpo::hal {

// Events the owner found, each with its place in the owner's event log (1, 2, ...).
struct EventPage {
  std::vector<Event> events;
  uint64_t last_sequence = 0;  // of the newest event in the owner's log (0: none yet)
  // Events between the cursor asked for and the first returned that the log no longer holds.
  uint64_t missed = 0;
};

class PublishedState {
 public:
  virtual ~PublishedState() = default;
  // The owner's flag history of a module ("oe3", "els0").
  virtual std::optional<std::vector<FlagRecord>> FlagRecords(const std::string& module) = 0;
  // The owner's view of a laser source's lanes (phases, reasons, sparing, checks).
  virtual std::optional<std::vector<LaserLaneReport>> LaserLanes(const std::string& source) = 0;
  // Events logged after `after_sequence`, at most `limit` of them (the newest when more).
  virtual std::optional<EventPage> EventsAfter(uint64_t after_sequence, size_t limit) = 0;
  virtual std::optional<PortsProgress> Progress() = 0;
};

}  // namespace cpo::hal
