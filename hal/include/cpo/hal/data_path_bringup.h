// Bringing data paths up on many engines at once: the request, the per-request outcome and the
// report of the whole run. Device::BringUpDataPaths runs it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cpo/hal/backend/bus_statistics.h"
#include "cpo/status.h"

namespace cpo::hal {

// One data path: application `app_sel` starting at engine lane `first_lane` (1-based).
struct DataPathRequest {
  std::string engine;  // name or index, as Device::FindOpticalEngine takes it
  int first_lane = 1;
  int app_sel = 1;
};

struct DataPathOutcome {
  DataPathRequest request;
  Status status;  // what failed, with the state and ConfigStatus that caused it
  std::chrono::nanoseconds activated_at{0};  // device time it reached Activated
  int retries = 0;
};

// Progress while the bring-up runs: how many data paths are done, failed, still going.
struct BringUpProgress {
  size_t total = 0;
  size_t activated = 0;
  size_t failed = 0;
  std::chrono::nanoseconds elapsed{0};  // device time since the start
};

struct BringUpOptions {
  // Re-initializations of a data path whose state machine missed its advertised bound.
  int max_retries = 1;
  // Called from the calling thread after every poll round that changed something.
  std::function<void(const BringUpProgress&)> on_progress;
  // Port bring-up: how long (device time) the links may take to come up once the data paths
  // are Activated, and how often their SerDes lanes are read meanwhile.
  std::chrono::nanoseconds link_timeout = std::chrono::milliseconds(20);
  std::chrono::nanoseconds link_poll = std::chrono::milliseconds(1);
};

struct BringUpReport {
  std::chrono::nanoseconds started{0};  // device time
  std::chrono::nanoseconds finished{0};
  std::vector<DataPathOutcome> outcomes;  // in request order
  uint64_t poll_rounds = 0;
  BusCounters cost;  // what the run put on the management buses
  bool ok() const {
    for (const auto& outcome : outcomes) {
      if (!outcome.status.ok()) return false;
    }
    return true;
  }
};

}  // namespace cpo::hal
