#include "watch_frame.h"

#include <set>

namespace cpo::cpoctl {
namespace {

constexpr const char* kClearScreen = "\033[H\033[2J";
constexpr const char* kBold = "\033[1m";
constexpr const char* kHighlight = "\033[7m";  // reverse video
constexpr const char* kReset = "\033[0m";

}  // namespace

std::string RenderWatchFrame(const WatchFrame& frame, const std::vector<std::string>& previous,
                             bool tty) {
  if (!tty) {
    std::string out = "--- " + frame.header + "\n";
    for (const auto& line : frame.lines) out += line + "\n";
    return out;
  }
  // A line is new when the previous frame had no identical line (rows move when tables grow).
  const std::set<std::string> before(previous.begin(), previous.end());
  std::string out = std::string(kClearScreen) + kBold + frame.header + kReset + "\n";
  for (const auto& line : frame.lines) {
    const bool changed = !previous.empty() && !line.empty() && !before.contains(line);
    out += changed ? std::string(kHighlight) + line + kReset + "\n" : line + "\n";
  }
  return out;
}

}  // namespace cpo::cpoctl
