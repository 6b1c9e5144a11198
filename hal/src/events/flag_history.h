// FlagHistory: what the HAL remembers of latched flags. Each read of a clear-on-read flag byte
// is handed here once, so no consumer loses an event another read consumed.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cpo/hal/events.h"
#include "cpo/hal/laser_source_types.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/hal/vdm_types.h"

namespace cpo::hal {

class FlagHistory {
 public:
  // One flag's value as a read found it, at device time `now`.
  void Record(const std::string& name, bool latched, std::chrono::nanoseconds now);
  void RecordModule(const ModuleFlags& flags, std::chrono::nanoseconds now);
  void RecordLane(const LaneMonitors& lane, std::chrono::nanoseconds now);
  // DPStateChanged of a lane, as a data-path status read found it.
  void RecordDataPath(const LaneDataPath& lane, std::chrono::nanoseconds now);
  // A laser lane's latched flags ("lane3.bias.high_alarm", ...) and its fault ("lane3.fault").
  void RecordLaserLane(const LaserLaneStatus& lane, std::chrono::nanoseconds now);
  // A VDM instance's latched flags ("lane9.vdm.pre_fec_ber_current_media.high_alarm", ...).
  void RecordVdm(const VdmSample& sample, std::chrono::nanoseconds now);
  // Whether a flag whose name starts with `prefix` is latched as last read.
  bool AnyLatched(const std::string& prefix) const;
  // Whether any record whose name contains `part` (".vdm.") is latched.
  bool AnyLatchedContaining(std::string_view part) const;
  // Every flag seen so far, sorted by name.
  std::vector<FlagRecord> Snapshot() const;
  // Flags that latched or cleared since the previous call (as events), oldest first.
  std::vector<Event> TakeChanges(const std::string& source);

 private:
  void RecordThresholds(const std::string& prefix, const ThresholdFlags& flags,
                        std::chrono::nanoseconds now);
  std::map<std::string, FlagRecord> records_;
  std::vector<Event> changes_;
};

}  // namespace cpo::hal
