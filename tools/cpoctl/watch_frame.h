// One frame of `cpoctl watch`, as the terminal shows it: on a TTY the screen is redrawn in place
// and the lines that changed since the last frame are highlighted; on a pipe each frame is
// printed plainly after a header line, so logs and scripts read it.
#pragma once

#include <string>
#include <vector>

namespace cpo::cpoctl {

struct WatchFrame {
  std::string header;              // "cpoctl watch ports  frame 3  device time 12.345 s"
  std::vector<std::string> lines;  // the tables, one screen line each
};

// What to write for `frame`, given the lines of the frame before (empty for the first).
std::string RenderWatchFrame(const WatchFrame& frame, const std::vector<std::string>& previous,
                             bool tty);

}  // namespace cpo::cpoctl
