#include <fmt/format.h>

#include "cpo/hal/laser_source_types.h"

namespace cpo::hal {

Result<uint8_t> LaserSetCommandCode(const LaserSetCommand& command) {
  // OIF-ELSFP 1Ah:184: high nibble 1 the control set, 2 the mask set; low nibble 0-2 restore
  // factory / set 1 / set 2, 8-9 save set 1 / set 2.
  const uint8_t kind = command.kind == LaserSetKind::kControls ? 0x10 : 0x20;
  const auto slot = static_cast<uint8_t>(command.slot);
  if (command.action == LaserSetAction::kRestore) return static_cast<uint8_t>(kind | slot);
  if (command.slot == LaserSetSlot::kFactory) {
    return Status(StatusCode::kInvalidArgument,
                  "the factory set cannot be saved over; save to slot 1 or 2");
  }
  return static_cast<uint8_t>(kind | 0x08 | (slot - 1));
}

std::string LaserSetCommandName(const LaserSetCommand& command) {
  const char* kind = command.kind == LaserSetKind::kControls ? "control" : "mask";
  if (command.slot == LaserSetSlot::kFactory) {
    return fmt::format("{} the factory {} set",
                       command.action == LaserSetAction::kSave ? "save" : "restore", kind);
  }
  return fmt::format("{} the {} set {} slot {}",
                     command.action == LaserSetAction::kSave ? "save" : "restore", kind,
                     command.action == LaserSetAction::kSave ? "to" : "from",
                     static_cast<int>(command.slot));
}

Result<LaserSetKind> ParseLaserSetKind(std::string_view text) {
  if (text == "controls") return LaserSetKind::kControls;
  if (text == "masks") return LaserSetKind::kMasks;
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown set '{}': say controls (mode, setpoints, fibre map) or masks "
                            "(lane and global flag masks)",
                            text));
}

Result<LaserSetSlot> ParseLaserSetSlot(std::string_view text) {
  if (text == "factory" || text == "0") return LaserSetSlot::kFactory;
  if (text == "1") return LaserSetSlot::kSet1;
  if (text == "2") return LaserSetSlot::kSet2;
  return Status(StatusCode::kInvalidArgument,
                fmt::format("unknown slot '{}': say 1, 2 or factory (restore only)", text));
}

}  // namespace cpo::hal
