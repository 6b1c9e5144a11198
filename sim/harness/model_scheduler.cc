#include "cpo/sim/model_scheduler.h"

#include <thread>

namespace cpo::sim {

struct ModelScheduler::Section {
  enum class State { kReady, kWaiting, kDone };
  std::mutex mutex;
  std::condition_variable turn;
  std::vector<State> states;
  std::vector<Model::Wait> waits;  // what each waiting task waits for
  size_t running = 0;              // the task whose turn it is; states.size() when all are done
};

namespace {
// The section and task index of the calling thread while it runs a task.
thread_local ModelScheduler::Section* current_section = nullptr;
thread_local size_t current_index = 0;
}  // namespace

bool ModelScheduler::InTask() { return current_section != nullptr; }

void ModelScheduler::Run(const std::vector<std::function<void()>>& tasks) {
  if (InTask() || tasks.size() <= 1) {
    for (const auto& task : tasks) task();
    return;
  }
  Section section;
  section.states.assign(tasks.size(), Section::State::kReady);
  section.waits.resize(tasks.size());
  section.running = 0;
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    threads.emplace_back([this, &section, &tasks, i] {
      current_section = &section;
      current_index = i;
      {
        std::unique_lock lock(section.mutex);
        AwaitTurn(section, lock, i);
      }
      tasks[i]();
      std::unique_lock lock(section.mutex);
      section.states[i] = Section::State::kDone;
      HandOver(section);
      current_section = nullptr;
    });
  }
  for (auto& thread : threads) thread.join();
}

void ModelScheduler::AwaitTurn(Section& section, std::unique_lock<std::mutex>& lock, size_t index) {
  section.turn.wait(lock, [&] { return section.running == index; });
}

void ModelScheduler::HandOver(Section& section) {
  const size_t count = section.states.size();
  while (true) {
    for (size_t i = 0; i < count; ++i) {
      if (section.states[i] == Section::State::kReady) {
        section.running = i;
        section.turn.notify_all();
        return;
      }
    }
    std::vector<size_t> waiting;
    for (size_t i = 0; i < count; ++i) {
      if (section.states[i] == Section::State::kWaiting) waiting.push_back(i);
    }
    if (waiting.empty()) {  // all done
      section.running = count;
      section.turn.notify_all();
      return;
    }
    std::vector<Model::Wait> waits;
    waits.reserve(waiting.size());
    for (size_t i : waiting) waits.push_back(section.waits[i]);
    {
      std::lock_guard model_lock(mutex_);
      model_.AdvanceUntilAny(waits);
    }
    for (size_t k = 0; k < waiting.size(); ++k) {
      section.waits[waiting[k]] = waits[k];
      if (waits[k].over) section.states[waiting[k]] = Section::State::kReady;
    }
  }
}

bool ModelScheduler::Wait(Model::Wait wait, uint32_t* value) {
  Section& section = *current_section;
  const size_t index = current_index;
  std::unique_lock lock(section.mutex);
  section.waits[index] = wait;
  section.states[index] = Section::State::kWaiting;
  HandOver(section);
  AwaitTurn(section, lock, index);
  if (value != nullptr) *value = section.waits[index].value;
  return section.waits[index].matched;
}

bool ModelScheduler::Poll(uint64_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_ns,
                          uint32_t* value) {
  Model::Wait wait;
  wait.poll = true;
  wait.offset = offset;
  wait.mask = mask;
  wait.expected = expected;
  {
    std::lock_guard model_lock(mutex_);
    wait.deadline_cycles = model_.cycles() + timeout_ns / Model::kCycleNs + 1;
  }
  return Wait(wait, value);
}

void ModelScheduler::Sleep(uint64_t ns) {
  Model::Wait wait;
  {
    std::lock_guard model_lock(mutex_);
    wait.deadline_cycles = model_.cycles() + ns / Model::kCycleNs;
  }
  Wait(wait, nullptr);
}

}  // namespace cpo::sim
