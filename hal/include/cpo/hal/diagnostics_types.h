// PRBS pattern generators and checkers and loopbacks of an optical engine (CMIS pages 13h/14h),
// in HAL terms. Shared by the HAL API and its backends.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cpo/status.h"

namespace cpo::hal {

// CMIS pattern codes. The "Q" variants are the PAM4 (Gray-coded) forms.
enum class PrbsPattern : uint8_t {
  kPrbs31Q = 0,
  kPrbs31 = 1,
  kPrbs23Q = 2,
  kPrbs23 = 3,
  kPrbs15Q = 4,
  kPrbs15 = 5,
  kPrbs13Q = 6,
  kPrbs13 = 7,
  kPrbs9Q = 8,
  kPrbs9 = 9,
  kPrbs7Q = 10,
  kPrbs7 = 11,
  kSsprq = 12,
};
std::string_view PrbsPatternName(PrbsPattern pattern);        // "PRBS31Q", ...
Result<PrbsPattern> ParsePrbsPattern(std::string_view name);  // case-insensitive

// Which side of the engine: host (towards the switch SerDes) or media (the optics).
enum class DiagnosticSide : uint8_t { kHost, kMedia };
std::string_view DiagnosticSideName(DiagnosticSide side);  // "host", "media"

// CMIS loopbacks. Input loopbacks return what arrives on a side to that side's output; output
// loopbacks return what a side would send back into that side's input.
enum class LoopbackKind : uint8_t {
  kMediaOutput = 0,
  kMediaInput = 1,
  kHostOutput = 2,
  kHostInput = 3
};
std::string_view LoopbackKindName(LoopbackKind kind);  // "media-output", ...
Result<LoopbackKind> ParseLoopbackKind(std::string_view name);

// What page 13h advertises.
struct DiagnosticCapabilities {
  uint8_t loopbacks = 0;  // bit 0 media output, 1 media input, 2 host output, 3 host input,
                          // 4 per-lane host, 5 per-lane media, 6 host and media at once
  uint16_t host_generator_patterns = 0;  // bit n: pattern code n
  uint16_t media_generator_patterns = 0;
  uint16_t host_checker_patterns = 0;
  uint16_t media_checker_patterns = 0;
  bool Supports(LoopbackKind kind) const {
    return ((loopbacks >> static_cast<int>(kind)) & 1) != 0;
  }
};

// A bank's diagnostic controls (page 13h 144-183).
struct DiagnosticControls {
  uint8_t host_generator = 0;  // enable, bit/lane
  uint8_t media_generator = 0;
  uint8_t host_checker = 0;
  uint8_t media_checker = 0;
  std::array<PrbsPattern, 8> host_generator_pattern{};
  std::array<PrbsPattern, 8> media_generator_pattern{};
  std::array<PrbsPattern, 8> host_checker_pattern{};
  std::array<PrbsPattern, 8> media_checker_pattern{};
  std::array<uint8_t, 4> loopback{};  // by LoopbackKind, bit/lane
  bool reset_statistics = false;      // write-only: restart the error counts
};

// One lane's checker results (page 14h).
struct PrbsLaneResult {
  int lane = 0;  // 1-based
  bool host_checker_on = false;
  bool media_checker_on = false;
  bool host_locked = false;
  bool media_locked = false;
  double host_ber = 0;  // errors / bits since the checker started (CMIS F16)
  double media_ber = 0;
  double host_snr_db = 0;
  double media_snr_db = 0;
};

}  // namespace cpo::hal
