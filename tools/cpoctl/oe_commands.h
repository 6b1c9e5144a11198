// cpoctl commands that act on optical engines: low power, reset, raw page dumps.
#pragma once

#include <string>

#include "cli_context.h"

namespace cpo::cpoctl {

// `oe lowpower on|off ID|all [--wait]`
int RunOeLowPower(const GlobalOptions& options, bool low_power, const std::string& id, bool wait);
// `oe reset ID|all [--wait]`
int RunOeReset(const GlobalOptions& options, const std::string& id, bool wait);
// `dump oe ID --page P [--bank B]`
int RunDumpOe(const GlobalOptions& options, const std::string& id, int page, int bank);

// Hex dump of a 256-byte window, 16 bytes a line with the offset in front.
std::string HexDump(const std::array<uint8_t, 256>& bytes);
// A 256-byte window as `dump oe` and `dump els` print it (hex dump, or JSON with --json).
void PrintWindow(const GlobalOptions& options, const std::string& device, int page, int bank,
                 const std::array<uint8_t, 256>& window);

}  // namespace cpo::cpoctl
