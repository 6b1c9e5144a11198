// ModelScheduler: runs work "at once" on the in-process model, deterministically. Hardware runs
// every I2C controller in parallel; a HAL that starts transfers on several buses from several
// threads (Clock::RunConcurrently) sees them overlap in simulated time here too. Exactly one
// task runs at a time; a task hands over only when it waits (a register poll or a sleep), to the
// lowest-numbered task that can run; when every task waits, simulated time runs until the first
// wait is over. So the interleaving, and every simulated time, is the same on every run.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "cpo/sim/model.h"

namespace cpo::sim {

class ModelScheduler {
 public:
  // model and mutex must outlive the scheduler; the mutex is the one every model user takes.
  ModelScheduler(Model& model, std::mutex& model_mutex) : model_(model), mutex_(model_mutex) {}

  // Runs the tasks, each on its own thread, as described above; returns when all are done.
  // Called from inside a task, runs them one after another on that thread.
  void Run(const std::vector<std::function<void()>>& tasks);

  // True on a thread that is running one of Run's tasks: its waits go through the scheduler.
  static bool InTask();
  // One Run's shared state (model_scheduler.cc).
  struct Section;
  // A task's waits. Poll: true on a match (*value: the last value read), false at the timeout.
  bool Poll(uint64_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_ns,
            uint32_t* value);
  void Sleep(uint64_t ns);

 private:
  // With the section locked: the next task to run (advancing the model when all wait).
  void HandOver(Section& section);
  // Parks the calling task until its turn.
  void AwaitTurn(Section& section, std::unique_lock<std::mutex>& lock, size_t index);
  bool Wait(Model::Wait wait, uint32_t* value);

  Model& model_;
  std::mutex& mutex_;
};

}  // namespace cpo::sim
