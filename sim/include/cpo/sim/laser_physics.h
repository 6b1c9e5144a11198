// A laser's physics as the plant models it: light = slope x (bias - threshold) above threshold.
// Temperature raises the threshold and lowers the slope; aging lowers the slope, so constant
// power control raises the bias to compensate; a dead laser has no slope. The defaults are a
// fresh laser (what `cpoctl sim inject laser-fail --clear` restores).
#pragma once

namespace cpo::sim {

struct LaserPhysics {
  double threshold_ma = 20.0;
  double slope_mw_per_ma = 0.25;
};

}  // namespace cpo::sim
