// ModelClock: the in-process model's simulated time as a cpo::Clock. Sleeping steps the model, so
// a HAL waiting for an advertised duration waits in device time, deterministically.
#pragma once

#include <mutex>

#include "cpo/clock.h"
#include "cpo/sim/model.h"
#include "cpo/sim/model_scheduler.h"

namespace cpo::sim {

class ModelClock : public Clock {
 public:
  // model and mutex must outlive the clock; the mutex is the one every model user takes.
  ModelClock(Model& model, std::mutex& model_mutex, ModelScheduler& scheduler)
      : model_(model), mutex_(model_mutex), scheduler_(scheduler) {}

  std::chrono::nanoseconds Now() override {
    std::lock_guard lock(mutex_);
    return std::chrono::nanoseconds(model_.now_ns());
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    if (ModelScheduler::InTask()) return scheduler_.Sleep(static_cast<uint64_t>(duration.count()));
    std::lock_guard lock(mutex_);
    model_.StepNs(static_cast<uint64_t>(duration.count()));
  }
  // Tasks on different buses overlap in simulated time, deterministically (model_scheduler.h).
  void RunConcurrently(const std::vector<std::function<void()>>& tasks) override {
    scheduler_.Run(tasks);
  }

 private:
  Model& model_;
  std::mutex& mutex_;
  ModelScheduler& scheduler_;
};

}  // namespace cpo::sim
