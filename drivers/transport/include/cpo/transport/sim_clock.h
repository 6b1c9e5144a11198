// SimClock: the device time of a switch served by cpo-simd is the simulator's time, which runs
// at its own pace (slower than the wall clock while the model is busy, or frozen). Timeouts taken
// from CMIS advertised durations must be measured in it, as on hardware they are in real time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "cpo/clock.h"
#include "cpo/transport/sim_socket_io.h"

namespace cpo::transport {

class SimClock : public Clock {
 public:
  explicit SimClock(std::shared_ptr<SimSocketIo> io) : io_(std::move(io)) {}
  // The simulator's time. Once the simulator cannot be asked (it was stopped or died), time goes
  // on at the wall clock's pace from the last time it told, so every deadline still comes and
  // nothing waits forever on a clock that stopped.
  std::chrono::nanoseconds Now() override;
  // Waits (in wall time) until the simulator's time has moved on by `duration`. A frozen
  // simulator does not move: then this waits `duration` of wall time, so nothing hangs.
  void SleepFor(std::chrono::nanoseconds duration) override;

 private:
  std::shared_ptr<SimSocketIo> io_;
  // The last time the simulator told, and the steady clock then; HAL tasks on several threads
  // ask at once.
  std::atomic<int64_t> last_ns_{0};
  std::atomic<int64_t> last_wall_ns_{0};
};

}  // namespace cpo::transport
