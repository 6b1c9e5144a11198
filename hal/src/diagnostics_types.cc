#include "cpo/hal/diagnostics_types.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace cpo::hal {
namespace {

constexpr std::string_view kPatternNames[] = {"PRBS31Q", "PRBS31",  "PRBS23Q", "PRBS23", "PRBS15Q",
                                              "PRBS15",  "PRBS13Q", "PRBS13",  "PRBS9Q", "PRBS9",
                                              "PRBS7Q",  "PRBS7",   "SSPRQ"};
constexpr std::string_view kLoopbackNames[] = {"media-output", "media-input", "host-output",
                                               "host-input"};

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace

std::string_view PrbsPatternName(PrbsPattern pattern) {
  const auto code = static_cast<size_t>(pattern);
  return code < std::size(kPatternNames) ? kPatternNames[code] : "reserved";
}

Result<PrbsPattern> ParsePrbsPattern(std::string_view name) {
  const std::string wanted = Upper(name);
  std::string known;
  for (size_t code = 0; code < std::size(kPatternNames); ++code) {
    if (kPatternNames[code] == wanted) return static_cast<PrbsPattern>(code);
    known += (known.empty() ? "" : ", ") + std::string(kPatternNames[code]);
  }
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown PRBS pattern '{}' (known: {})", name, known));
}

std::string_view DiagnosticSideName(DiagnosticSide side) {
  return side == DiagnosticSide::kHost ? "host" : "media";
}

std::string_view LoopbackKindName(LoopbackKind kind) {
  return kLoopbackNames[static_cast<size_t>(kind)];
}

Result<LoopbackKind> ParseLoopbackKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kLoopbackNames); ++i) {
    if (kLoopbackNames[i] == name) return static_cast<LoopbackKind>(i);
  }
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown loopback '{}' (known: media-output, media-input, "
                            "host-output, host-input)",
                            name));
}

}  // namespace cpo::hal
