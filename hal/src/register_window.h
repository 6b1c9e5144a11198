// Addressing of a module's 256-byte register window (lower page + one upper page of a bank), as
// the raw diagnostics reads and writes of engines and laser sources take it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "cpo/status.h"

namespace cpo::hal {

// Pages below 10h are not banked; `banks` is how many the module has.
Status CheckWindowAddress(const std::string& module, uint8_t page, uint8_t bank, int banks);
// A raw read: 1..256 bytes inside the window.
Status CheckWindowRead(const std::string& module, uint8_t offset, int count);
// One raw write: 1..8 bytes (one CMIS write transaction) that stay inside the lower page
// (0-127) or inside the upper page (128-255).
Status CheckWindowWrite(const std::string& module, uint8_t offset, size_t size);

}  // namespace cpo::hal
