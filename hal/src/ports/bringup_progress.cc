#include "ports/bringup_progress.h"

namespace cpo::hal {

void BringUpTracker::Start(std::string operation, int ports, std::chrono::nanoseconds now) {
  std::lock_guard lock(mutex_);
  if (depth_++ > 0) return;
  progress_ = PortsProgress{.running = true,
                            .operation = std::move(operation),
                            .ports = ports,
                            .stage = "",
                            .started = now,
                            .stage_started = now,
                            .finished = {},
                            .data_paths = 0,
                            .data_paths_done = 0,
                            .ports_ok = 0,
                            .ports_failed = 0};
}

void BringUpTracker::Stage(std::string stage, std::chrono::nanoseconds now) {
  std::lock_guard lock(mutex_);
  if (depth_ != 1) return;
  progress_.stage = std::move(stage);
  progress_.stage_started = now;
}

void BringUpTracker::DataPaths(int total, int done) {
  std::lock_guard lock(mutex_);
  if (depth_ != 1) return;
  progress_.data_paths = total;
  progress_.data_paths_done = done;
}

void BringUpTracker::Finish(const PortBringUpReport& report, std::chrono::nanoseconds now) {
  std::lock_guard lock(mutex_);
  if (depth_ == 0 || --depth_ > 0) return;
  progress_.running = false;
  progress_.stage = "done";
  progress_.stage_started = now;
  progress_.finished = now;
  progress_.ports_ok = 0;
  progress_.ports_failed = 0;
  for (const auto& outcome : report.outcomes) {
    ++(outcome.status.ok() ? progress_.ports_ok : progress_.ports_failed);
  }
}

PortsProgress BringUpTracker::Now() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

}  // namespace cpo::hal
