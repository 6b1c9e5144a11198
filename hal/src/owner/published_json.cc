#include "cpo/hal/owner/published_json.h"

#include <array>
#include <string_view>

namespace cpo::hal {
namespace {

using nlohmann::json;
using std::chrono::nanoseconds;

json OptionalNs(const std::optional<nanoseconds>& time) {
  return time ? json(time->count()) : json(nullptr);
}

std::optional<nanoseconds> OptionalNsFrom(const json& value) {
  if (value.is_number_integer()) return nanoseconds(value.get<int64_t>());
  return std::nullopt;
}

constexpr std::array kPhases = {LaserLanePhase::kOff,       LaserLanePhase::kChecking,
                                LaserLanePhase::kVerifying, LaserLanePhase::kOperating,
                                LaserLanePhase::kFailed,    LaserLanePhase::kRetired,
                                LaserLanePhase::kAbsent};

constexpr std::array kEventKinds = {EventKind::kModuleStateChanged, EventKind::kFlagSet,
                                    EventKind::kFlagCleared,        EventKind::kLaserShutdown,
                                    EventKind::kLaserSpared,        EventKind::kLaserFailed,
                                    EventKind::kLaserSourceChanged, EventKind::kPortLinkUp,
                                    EventKind::kPortLinkDown,       EventKind::kPortRecovery};

template <typename Enum, size_t N, typename NameOf>
std::optional<Enum> EnumNamed(const json& value, const std::array<Enum, N>& all, NameOf name_of) {
  if (!value.is_string()) return std::nullopt;
  for (Enum candidate : all) {
    if (name_of(candidate) == value.get<std::string>()) return candidate;
  }
  return std::nullopt;
}

// Reads `key` of `object` as T when present and of T's type.
template <typename T>
bool Get(const json& object, const char* key, T& out) {
  auto it = object.find(key);
  if (it == object.end()) return false;
  try {
    out = it->get<T>();
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

}  // namespace

json FlagRecordsJson(const std::vector<FlagRecord>& records) {
  json out = json::array();
  for (const auto& record : records) {
    out.push_back({{"name", record.name},
                   {"latched", record.latched},
                   {"set_count", record.set_count},
                   {"last_set_ns", OptionalNs(record.last_set)},
                   {"last_clear_ns", OptionalNs(record.last_clear)}});
  }
  return out;
}

std::optional<std::vector<FlagRecord>> FlagRecordsFromJson(const json& value) {
  if (!value.is_array()) return std::nullopt;
  std::vector<FlagRecord> records;
  for (const auto& entry : value) {
    if (!entry.is_object()) return std::nullopt;
    FlagRecord record;
    if (!Get(entry, "name", record.name) || !Get(entry, "latched", record.latched) ||
        !Get(entry, "set_count", record.set_count)) {
      return std::nullopt;
    }
    record.last_set = OptionalNsFrom(entry.value("last_set_ns", nlohmann::json()));
    record.last_clear = OptionalNsFrom(entry.value("last_clear_ns", nlohmann::json()));
    records.push_back(std::move(record));
  }
  return records;
}

json LaserLanesJson(const std::vector<LaserLaneReport>& lanes) {
  json out = json::array();
  for (const auto& lane : lanes) {
    json entry = {{"lane", lane.status.lane},    {"phase", LaserLanePhaseName(lane.phase)},
                  {"requested", lane.requested}, {"operating_power_mw", lane.operating_power_mw},
                  {"reason", lane.reason},       {"spare_for", lane.spare_for},
                  {"last_check", nullptr}};
    if (lane.last_check) {
      const auto& check = *lane.last_check;
      entry["last_check"] = {{"passed", check.passed},
                             {"laser_output_mw", check.laser_output_mw},
                             {"worst_loss_db", check.worst_loss_db},
                             {"threshold_db", check.threshold_db},
                             {"detail", check.detail},
                             {"time_ns", check.time.count()}};
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::optional<std::vector<LaserLaneReport>> LaserLanesFromJson(const json& value) {
  if (!value.is_array()) return std::nullopt;
  std::vector<LaserLaneReport> lanes;
  for (const auto& entry : value) {
    if (!entry.is_object()) return std::nullopt;
    LaserLaneReport lane;
    auto phase = EnumNamed(entry.value("phase", nlohmann::json()), kPhases, LaserLanePhaseName);
    if (!phase || !Get(entry, "lane", lane.status.lane) ||
        !Get(entry, "requested", lane.requested) ||
        !Get(entry, "operating_power_mw", lane.operating_power_mw) ||
        !Get(entry, "reason", lane.reason) || !Get(entry, "spare_for", lane.spare_for)) {
      return std::nullopt;
    }
    lane.phase = *phase;
    const auto& check = entry.value("last_check", nlohmann::json());
    if (check.is_object()) {
      FiberCheckResult result;
      int64_t time_ns = 0;
      if (!Get(check, "passed", result.passed) ||
          !Get(check, "laser_output_mw", result.laser_output_mw) ||
          !Get(check, "worst_loss_db", result.worst_loss_db) ||
          !Get(check, "threshold_db", result.threshold_db) ||
          !Get(check, "detail", result.detail) || !Get(check, "time_ns", time_ns)) {
        return std::nullopt;
      }
      result.time = nanoseconds(time_ns);
      lane.last_check = std::move(result);
    }
    lanes.push_back(std::move(lane));
  }
  return lanes;
}

json EventJson(const Event& event) {
  return {{"kind", EventKindName(event.kind)},
          {"source", event.source},
          {"name", event.name},
          {"detail", event.detail},
          {"time_ns", event.time.count()},
          {"ports", event.ports},
          {"outage_ns", event.outage.count()}};
}

std::optional<Event> EventFromJson(const json& value) {
  if (!value.is_object()) return std::nullopt;
  Event event;
  auto kind = EnumNamed(value.value("kind", nlohmann::json()), kEventKinds, EventKindName);
  int64_t time_ns = 0;
  int64_t outage_ns = 0;
  if (!kind || !Get(value, "source", event.source) || !Get(value, "name", event.name) ||
      !Get(value, "detail", event.detail) || !Get(value, "time_ns", time_ns) ||
      !Get(value, "ports", event.ports) || !Get(value, "outage_ns", outage_ns)) {
    return std::nullopt;
  }
  event.kind = *kind;
  event.time = nanoseconds(time_ns);
  event.outage = nanoseconds(outage_ns);
  return event;
}

json EventPageJson(const EventPage& page) {
  json events = json::array();
  for (const auto& event : page.events) events.push_back(EventJson(event));
  return {{"events", events}, {"last_sequence", page.last_sequence}, {"missed", page.missed}};
}

std::optional<EventPage> EventPageFromJson(const json& value) {
  if (!value.is_object() || !value.contains("events") || !value["events"].is_array()) {
    return std::nullopt;
  }
  EventPage page;
  if (!Get(value, "last_sequence", page.last_sequence) || !Get(value, "missed", page.missed)) {
    return std::nullopt;
  }
  for (const auto& entry : value["events"]) {
    auto event = EventFromJson(entry);
    if (!event) return std::nullopt;
    page.events.push_back(std::move(*event));
  }
  return page;
}

json ProgressJson(const PortsProgress& progress) {
  return {{"running", progress.running},
          {"operation", progress.operation},
          {"ports", progress.ports},
          {"stage", progress.stage},
          {"started_ns", progress.started.count()},
          {"stage_started_ns", progress.stage_started.count()},
          {"finished_ns", progress.finished.count()},
          {"data_paths", progress.data_paths},
          {"data_paths_done", progress.data_paths_done},
          {"ports_ok", progress.ports_ok},
          {"ports_failed", progress.ports_failed}};
}

std::optional<PortsProgress> ProgressFromJson(const json& value) {
  if (!value.is_object()) return std::nullopt;
  PortsProgress progress;
  int64_t started = 0;
  int64_t stage_started = 0;
  int64_t finished = 0;
  if (!Get(value, "running", progress.running) || !Get(value, "operation", progress.operation) ||
      !Get(value, "ports", progress.ports) || !Get(value, "stage", progress.stage) ||
      !Get(value, "started_ns", started) || !Get(value, "stage_started_ns", stage_started) ||
      !Get(value, "finished_ns", finished) || !Get(value, "data_paths", progress.data_paths) ||
      !Get(value, "data_paths_done", progress.data_paths_done) ||
      !Get(value, "ports_ok", progress.ports_ok) ||
      !Get(value, "ports_failed", progress.ports_failed)) {
    return std::nullopt;
  }
  progress.started = nanoseconds(started);
  progress.stage_started = nanoseconds(stage_started);
  progress.finished = nanoseconds(finished);
  return progress;
}

}  // namespace cpo::hal
