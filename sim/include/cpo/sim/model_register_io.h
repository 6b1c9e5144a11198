// ModelRegisterIo: the in-process model as a RegisterIo, for tests and benchmarks that hand the
// model to a Device directly (constructor injection). Thread-safe.
#pragma once

#include <mutex>

#include "cpo/sim/model.h"
#include "cpo/sim/model_scheduler.h"
#include "cpo/transport/register_io.h"

namespace cpo::sim {

class ModelRegisterIo : public transport::RegisterIo {
 public:
  // model and mutex must outlive this object; the mutex serializes every user of the model.
  // A poll from a task the scheduler runs waits through it (other tasks' transfers go on).
  ModelRegisterIo(Model& model, std::mutex& model_mutex, ModelScheduler& scheduler);

 protected:
  Result<uint32_t> DoRead32(uint64_t offset) override;
  Status DoWrite32(uint64_t offset, uint32_t value) override;
  Result<uint32_t> DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                               std::chrono::nanoseconds timeout) override;

 private:
  Model& model_;
  std::mutex& mutex_;
  ModelScheduler& scheduler_;
};

}  // namespace cpo::sim
