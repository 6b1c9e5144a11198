// ModelClock: the in-process model's simulated time as a cpo::Clock. Sleeping steps the model, so
// a HAL waiting for an advertised duration waits in device time, deterministically.
#pragma once

#include <mutex>

#include "cpo/clock.h"
#include "cpo/sim/model.h"

namespace cpo::sim {

class ModelClock : public Clock {
 public:
  // model and mutex must outlive the clock; the mutex is the one every model user takes.
  ModelClock(Model& model, std::mutex& model_mutex) : model_(model), mutex_(model_mutex) {}

  std::chrono::nanoseconds Now() override {
    std::lock_guard lock(mutex_);
    return std::chrono::nanoseconds(model_.now_ns());
  }
  void SleepFor(std::chrono::nanoseconds duration) override {
    std::lock_guard lock(mutex_);
    model_.StepNs(static_cast<uint64_t>(duration.count()));
  }

 private:
  Model& model_;
  std::mutex& mutex_;
};

}  // namespace cpo::sim
