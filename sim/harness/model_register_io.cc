#include "cpo/sim/model_register_io.h"

#include <fmt/format.h>

namespace cpo::sim {

ModelRegisterIo::ModelRegisterIo(Model& model, std::mutex& model_mutex, ModelScheduler& scheduler)
    : RegisterIo(Model::kRegisterSpaceBytes),
      model_(model),
      mutex_(model_mutex),
      scheduler_(scheduler) {}

Result<uint32_t> ModelRegisterIo::DoRead32(uint64_t offset) {
  std::lock_guard lock(mutex_);
  return model_.Read32(offset);
}

Status ModelRegisterIo::DoWrite32(uint64_t offset, uint32_t value) {
  std::lock_guard lock(mutex_);
  model_.Write32(offset, value);
  return Status::Ok();
}

Result<uint32_t> ModelRegisterIo::DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                                              std::chrono::nanoseconds timeout) {
  uint32_t value = 0;
  const auto timeout_ns = static_cast<uint64_t>(timeout.count());
  if (ModelScheduler::InTask()) {
    if (scheduler_.Poll(offset, mask, expected, timeout_ns, &value)) return value;
  } else {
    std::lock_guard lock(mutex_);
    if (model_.PollUntil(offset, mask, expected, timeout_ns, &value)) return value;
  }
  return Status(StatusCode::kTimeout,
                fmt::format("register 0x{:x} = 0x{:08x} after {} ns of simulated time, wanted "
                            "0x{:08x} under mask 0x{:08x}",
                            offset, value, timeout.count(), expected, mask));
}

}  // namespace cpo::sim
