// cpoctl sim: start, stop and inspect cpo-simd (the simulated switch of a sim platform) and inject
// faults through its side channel, as tests and operators rehearsing a failure do.
#pragma once

#include <functional>
#include <string>

#include "cli_context.h"

namespace CLI {
class App;
}

namespace cpo::cpoctl {

struct SimStartOptions {
  double time_scale = 1.0;
  std::string simd_path;  // --simd; else $CPO_SIMD, next to cpoctl, the build tree, then $PATH
  int timeout_s = 60;
};

int RunSimStart(const GlobalOptions& options, const SimStartOptions& start);
int RunSimStop(const GlobalOptions& options);
int RunSimStatus(const GlobalOptions& options);

// One fault through the side channel. `target` names the part (els0, eth3, oe1), `index` the
// fibre or lane where the fault needs one, `value` the amount (dB, BER, cause, quantity value);
// `clear` removes the fault.
struct SimFault {
  std::string kind;  // see the `cpoctl sim inject` subcommands
  std::string target;
  int index = 0;
  double value = 0;
  std::string quantity;  // plant: the quantity's name
  bool clear = false;
};

int RunSimInject(const GlobalOptions& options, const SimFault& fault);

// Adds `sim start|stop|status|inject ...` to app; the parsed command sets `run`.
void AddSimCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>& run);

}  // namespace cpo::cpoctl
