#include "flag_report.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>

#include "table.h"

namespace cpo::cpoctl {

nlohmann::json FlagRecordsJson(const std::vector<hal::FlagRecord>& records) {
  auto time = [](const std::optional<std::chrono::nanoseconds>& t) {
    return t ? nlohmann::json(t->count()) : nlohmann::json(nullptr);
  };
  nlohmann::json flags = nlohmann::json::array();
  for (const auto& flag : records) {
    flags.push_back({{"name", flag.name},
                     {"latched", flag.latched},
                     {"set_count", flag.set_count},
                     {"last_set_ns", time(flag.last_set)},
                     {"last_clear_ns", time(flag.last_clear)}});
  }
  return flags;
}

std::string FlagRecordsText(const std::vector<hal::FlagRecord>& records) {
  Table table({"FLAG", "LATCHED", "SET_COUNT"});
  size_t latched = 0;
  for (const auto& flag : records) {
    if (!flag.latched) continue;
    ++latched;
    table.AddRow({flag.name, "yes", std::to_string(flag.set_count)});
  }
  if (latched == 0) return fmt::format("\n  No flags latched ({} checked).\n", records.size());
  return "\n" + table.Render();
}

}  // namespace cpo::cpoctl
