#include "events/flag_history.h"

#include <fmt/format.h>

namespace cpo::hal {

bool FlagHistory::AnyLatched(const std::string& prefix) const {
  for (auto it = records_.lower_bound(prefix); it != records_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (it->second.latched) return true;
  }
  return false;
}

bool FlagHistory::AnyLatchedContaining(std::string_view part) const {
  for (const auto& [name, record] : records_) {
    if (record.latched && name.find(part) != std::string::npos) return true;
  }
  return false;
}

void FlagHistory::Record(const std::string& name, bool latched, std::chrono::nanoseconds now) {
  FlagRecord& record = records_[name];
  if (record.name.empty()) record.name = name;
  if (latched && !record.latched) {
    ++record.set_count;
    record.last_set = now;
    changes_.push_back({.kind = EventKind::kFlagSet,
                        .source = "",
                        .name = name,
                        .detail = "",
                        .time = now,
                        .ports = {},
                        .outage = {}});
  } else if (!latched && record.latched) {
    record.last_clear = now;
    changes_.push_back({.kind = EventKind::kFlagCleared,
                        .source = "",
                        .name = name,
                        .detail = "",
                        .time = now,
                        .ports = {},
                        .outage = {}});
  }
  record.latched = latched;
}

void FlagHistory::RecordThresholds(const std::string& prefix, const ThresholdFlags& flags,
                                   std::chrono::nanoseconds now) {
  Record(prefix + ".high_alarm", flags.high_alarm, now);
  Record(prefix + ".low_alarm", flags.low_alarm, now);
  Record(prefix + ".high_warning", flags.high_warning, now);
  Record(prefix + ".low_warning", flags.low_warning, now);
}

void FlagHistory::RecordModule(const ModuleFlags& flags, std::chrono::nanoseconds now) {
  Record("module.state_changed", flags.state_changed, now);
  RecordThresholds("temperature", flags.temperature, now);
  RecordThresholds("vcc", flags.vcc, now);
}

void FlagHistory::RecordLaserLane(const LaserLaneStatus& lane, std::chrono::nanoseconds now) {
  const std::string prefix = fmt::format("lane{}.", lane.lane);
  RecordThresholds(prefix + "bias", lane.bias_flags, now);
  RecordThresholds(prefix + "power", lane.power_flags, now);
  Record(prefix + "fault", lane.fault, now);
}

void FlagHistory::RecordLane(const LaneMonitors& lane, std::chrono::nanoseconds now) {
  const std::string prefix = fmt::format("lane{}.", lane.lane);
  RecordThresholds(prefix + "tx_power", lane.tx_power_flags, now);
  RecordThresholds(prefix + "tx_bias", lane.tx_bias_flags, now);
  RecordThresholds(prefix + "rx_power", lane.rx_power_flags, now);
  Record(prefix + "rx_los", lane.rx_los, now);
  Record(prefix + "rx_cdr_lol", lane.rx_cdr_lol, now);
}

void FlagHistory::RecordVdm(const VdmSample& sample, std::chrono::nanoseconds now) {
  RecordThresholds(fmt::format("lane{}.vdm.{}", sample.lane, VdmTypeName(sample.type_id)),
                   sample.flags, now);
}

void FlagHistory::RecordDataPath(const LaneDataPath& lane, std::chrono::nanoseconds now) {
  Record(fmt::format("lane{}.data_path_state_changed", lane.lane), lane.state_changed, now);
}

std::vector<Event> FlagHistory::TakeChanges(const std::string& source) {
  std::vector<Event> out = std::move(changes_);
  changes_.clear();
  for (Event& event : out) event.source = source;
  return out;
}

std::vector<FlagRecord> FlagHistory::Snapshot() const {
  std::vector<FlagRecord> out;
  out.reserve(records_.size());
  for (const auto& [name, record] : records_) out.push_back(record);
  return out;
}

}  // namespace cpo::hal
