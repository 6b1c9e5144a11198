// cpoctl read / write: raw access for experts to module register windows (CMIS bytes of engines
// and laser sources) and to the switch's 32-bit registers. Writes need --force and are logged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli_context.h"

namespace CLI {
class App;
}

namespace cpo::cpoctl {

// Which module window: an engine ("oe") or a laser source ("els"), by name or index.
struct WindowAddress {
  std::string kind;  // "oe" or "els"
  std::string id;
  int page = 0;
  int bank = 0;
  int offset = 0;
};

struct RawWriteOptions {
  bool force = false;
  std::string write_log;  // --write-log; see ResolveWriteLogPath
};

int RunReadWindow(const GlobalOptions& options, const WindowAddress& address, int count);
int RunWriteWindow(const GlobalOptions& options, const WindowAddress& address,
                   const std::vector<int>& values, const RawWriteOptions& write);
int RunReadRegister(const GlobalOptions& options, uint64_t address, int count);
int RunWriteRegister(const GlobalOptions& options, uint64_t address, uint64_t value,
                     const RawWriteOptions& write);

// Adds `read oe|els|reg` and `write oe|els|reg`; the parsed command sets `run`.
void AddRawCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>& run);

}  // namespace cpo::cpoctl
