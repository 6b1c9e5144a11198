// cpoctl commands for external laser sources: show, enable/disable and fibre check through the
// HAL's laser-safety core, and the raw window dump.
#pragma once

#include <string>

#include "cli_context.h"

namespace cpo::cpoctl {

// `show laser [ID]`: every lane of one source, or of all.
// What `show laser` adds to the lanes.
struct LaserSections {
  bool flags = false;       // latched lane and module flags (reading clears them on the module)
  bool thresholds = false;  // the module's limits and lane thresholds (page 1Ah)
};
int RunShowLaser(const GlobalOptions& options, const std::string& id,
                 const LaserSections& sections = {});
// `laser enable|disable ID LANES`
int RunLaserEnable(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                   bool enable);
// `laser fiber-check ID LANES`
int RunLaserFiberCheck(const GlobalOptions& options, const std::string& id,
                       const std::string& lanes);
// `laser save|restore ID [--set controls|masks] [--slot 1|2|factory]`
int RunLaserSaveRestore(const GlobalOptions& options, const std::string& id, bool save,
                        const std::string& set, const std::string& slot);
// `dump els ID --page P [--bank B]`
int RunDumpEls(const GlobalOptions& options, const std::string& id, int page, int bank);

}  // namespace cpo::cpoctl
