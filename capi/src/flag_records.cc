#include "flag_records.h"

#include <chrono>
#include <optional>

namespace cpo::capi {

cpo_status CopyFlagRecords(const std::vector<cpo::hal::FlagRecord>& history,
                           cpo_flag_record* records, size_t capacity, size_t* count,
                           std::string_view module) {
  *count = history.size();
  if (capacity < history.size()) {
    return Fail(CPO_E_BUFFER_TOO_SMALL,
                fmt::format("{} has {} flag records; the array holds {} (call with capacity 0 "
                            "to size it)",
                            module, history.size(), capacity));
  }
  auto seconds = [](const std::optional<std::chrono::nanoseconds>& at) {
    return at ? std::chrono::duration<double>(*at).count() : -1.0;
  };
  for (size_t i = 0; i < history.size(); ++i) {
    records[i] = {};
    CopyText(records[i].name, history[i].name);
    records[i].latched = history[i].latched ? 1 : 0;
    records[i].set_count = history[i].set_count;
    records[i].last_set_s = seconds(history[i].last_set);
    records[i].last_clear_s = seconds(history[i].last_clear);
  }
  return Ok();
}

cpo_status CheckFlagArray(cpo_flag_record* records, size_t capacity, size_t* count) {
  if (count == nullptr || (records == nullptr && capacity > 0)) {
    return Fail(CPO_E_INVALID_ARGUMENT, "count is NULL, or records is NULL with a capacity");
  }
  return CPO_OK;
}

}  // namespace cpo::capi
