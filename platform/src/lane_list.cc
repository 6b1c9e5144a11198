#include "cpo/platform/lane_list.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace cpo::platform {
namespace {

bool ParseNumber(std::string_view text, int& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= 0;
}

}  // namespace

Result<std::vector<int>> ParseLaneList(std::string_view text) {
  constexpr int kMaxRange = 4096;
  std::vector<int> lanes;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string_view range = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    int first = 0;
    int last = 0;
    const size_t dash = range.find('-');
    bool ok = ParseNumber(range.substr(0, dash), first);
    ok = ok && (dash == std::string_view::npos ? (last = first, true)
                                               : ParseNumber(range.substr(dash + 1), last));
    if (!ok || last < first || last - first > kMaxRange) {
      return Status(StatusCode::kInvalidArgument,
                    fmt::format("'{}' is not a lane range like \"1-8\" (or a single lane)", range));
    }
    for (int lane = first; lane <= last; ++lane) lanes.push_back(lane);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return lanes;
}

}  // namespace cpo::platform
