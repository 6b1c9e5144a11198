// cpoctl commands for engine data paths, PRBS diagnostics, loopbacks and VDM.
#pragma once

#include <string>

#include "cli_context.h"

namespace cpo::cpoctl {

// `oe datapath up ID --lanes L --app N`: brings the lanes up as data paths of application N.
int RunDataPathUp(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                  int app_sel);
// `oe datapath down ID --lanes L`: holds the lanes in DPDeinit, Tx disabled, and waits.
int RunDataPathDown(const GlobalOptions& options, const std::string& id, const std::string& lanes);
// `oe vdm-mask ID TYPE [--lanes L] [--unmask]`: masks (or unmasks) a VDM observable's flags
// (page 2Dh) so they latch without asserting IntL.
int RunVdmMask(const GlobalOptions& options, const std::string& id, const std::string& type,
               const std::string& lanes, bool unmask);
// `show oe ID --datapaths`
int RunShowDataPaths(const GlobalOptions& options, const std::string& id);
// `show oe ID --vdm`
int RunShowVdm(const GlobalOptions& options, const std::string& id);

struct PrbsRequest {
  std::string engine;
  std::string lanes;
  std::string side = "media";  // host or media
  std::string pattern = "PRBS31Q";
  bool generator = true;
  bool checker = true;
};
// `diag prbs start|stop|show`
int RunPrbsStart(const GlobalOptions& options, const PrbsRequest& request);
int RunPrbsStop(const GlobalOptions& options, const PrbsRequest& request);
int RunPrbsClear(const GlobalOptions& options, const std::string& id);
int RunPrbsShow(const GlobalOptions& options, const std::string& id, const std::string& lanes);
// `diag loopback set|clear ID --lanes L --kind K`
int RunLoopback(const GlobalOptions& options, const std::string& id, const std::string& lanes,
                const std::string& kind, bool enable);

}  // namespace cpo::cpoctl
