// Device::BringUpDataPaths: every requested data path of every engine brought up at once by one
// poller. Each engine moves through its own phases; a poll round touches each waiting engine
// with a one-byte read of its state and IntL, and reads data-path status only when IntL says
// something changed or a phase's advertised bound has passed.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cpo/hal/device.h"

namespace cpo::hal {
namespace {

enum class Phase { kStart, kPowerUp, kConfigure, kInit, kTxOn, kDone };

// One engine's share of the run.
struct EngineJob {
  OpticalEngine* engine = nullptr;
  std::vector<size_t> requests;  // indices into the outcomes
  std::vector<int> lanes;        // lanes of the requests still going
  Phase phase = Phase::kStart;
  std::chrono::nanoseconds deadline{0};
  std::chrono::nanoseconds poll{0};  // how often this phase is worth a look
  std::chrono::nanoseconds next_poll{0};
  EngineDurations durations;
  int retries = 0;
  bool was_ready = false;  // Ready when the run started: its data paths may be running already
};

std::chrono::nanoseconds WithMargin(std::chrono::nanoseconds bound) {
  return bound + bound / 10 + std::chrono::milliseconds(1);
}

std::chrono::nanoseconds PollFor(std::chrono::nanoseconds bound) {
  return std::max<std::chrono::nanoseconds>(std::chrono::microseconds(500), bound / 20);
}

// The requests (indices into `requests`) whose lanes are all Activated with the requested
// application, as their data path's first lane wants: nothing to do for them.
std::set<size_t> ActivatedAsRequested(OpticalEngine& engine, const std::vector<size_t>& indices,
                                      const std::vector<DataPathRequest>& requests) {
  std::set<size_t> running;
  auto advertising = engine.Advertising();
  if (!advertising.ok()) return running;
  std::vector<int> lanes;
  for (size_t i : indices) {
    const Application* app = advertising->FindApplication(requests[i].app_sel);
    for (int k = 0; app != nullptr && k < app->host_lanes; ++k) {
      lanes.push_back(requests[i].first_lane + k);
    }
  }
  if (lanes.empty()) return running;
  auto paths = engine.DataPathsOf(lanes, /*states_only=*/false);
  if (!paths.ok()) return running;
  std::map<int, LaneDataPath> by_lane;
  for (const auto& path : *paths) by_lane[path.lane] = path;
  for (size_t i : indices) {
    const DataPathRequest& request = requests[i];
    const Application* app = advertising->FindApplication(request.app_sel);
    bool activated = app != nullptr;
    for (int k = 0; activated && k < app->host_lanes; ++k) {
      auto lane = by_lane.find(request.first_lane + k);
      activated = lane != by_lane.end() && lane->second.state == DataPathState::kActivated &&
                  lane->second.app_sel == request.app_sel &&
                  lane->second.first_lane == request.first_lane;
    }
    if (activated) running.insert(i);
  }
  return running;
}

}  // namespace

BringUpReport Device::BringUpDataPaths(const std::vector<DataPathRequest>& requests,
                                       const BringUpOptions& options) {
  std::lock_guard changes(changes_mutex_);
  BringUpReport report;
  const BusCounters before = TotalBusCounters();
  report.started = clock_->Now();
  report.outcomes.resize(requests.size());

  std::map<OpticalEngine*, EngineJob> jobs;
  for (size_t i = 0; i < requests.size(); ++i) {
    report.outcomes[i].request = requests[i];
    auto engine = FindOpticalEngine(requests[i].engine);
    if (!engine.ok()) {
      report.outcomes[i].status = engine.status();
      continue;
    }
    EngineJob& job = jobs[*engine];
    job.engine = *engine;
    job.requests.push_back(i);
  }

  auto fail_engine = [&](EngineJob& job, const Status& status) {
    for (size_t i : job.requests) {
      if (report.outcomes[i].status.ok()) report.outcomes[i].status = status;
    }
    job.lanes.clear();
    job.phase = Phase::kDone;
  };
  BringUpProgress progress;
  progress.total = requests.size();
  // A phase starts: its bound runs from the write that started the transition, not from the
  // round's start (the round's bus traffic before it may take a while: slow buses, a busy
  // simulator), and it is worth a look every twentieth of its typical duration.
  auto enter = [&](EngineJob& job, Phase phase, std::chrono::nanoseconds bound,
                   std::chrono::nanoseconds typical) {
    job.phase = phase;
    job.deadline = clock_->Now() + WithMargin(bound);
    job.poll = PollFor(typical);
  };
  // One engine's turn in a poll round; true when an outcome changed.
  auto advance = [&](EngineJob& job, std::chrono::nanoseconds now) {
    bool changed = false;
    OpticalEngine* engine = job.engine;
    switch (job.phase) {
      case Phase::kStart: {
        auto advertising = engine->Advertising();
        if (!advertising.ok()) {
          fail_engine(job, advertising.status());
          break;
        }
        job.durations = advertising->durations;
        auto state = engine->State();
        if (!state.ok()) {
          fail_engine(job, state.status());
          break;
        }
        if (state->state == ModuleState::kFault) {
          fail_engine(job, Status(StatusCode::kFailedPrecondition,
                                  fmt::format("{}: module is in Fault", engine->name())));
          break;
        }
        job.was_ready = state->state == ModuleState::kReady;
        if (state->state != ModuleState::kReady) {
          if (Status s = engine->SetLowPower(false); !s.ok()) {
            fail_engine(job, s);
            break;
          }
        }
        enter(job, Phase::kPowerUp, job.durations.module_power_up + job.durations.module_power_down,
              job.durations.module_power_up);
        [[fallthrough]];
      }
      case Phase::kPowerUp: {
        auto state = engine->State();
        if (!state.ok()) {
          fail_engine(job, state.status());
          break;
        }
        if (state->state == ModuleState::kFault) {
          fail_engine(job, Status(StatusCode::kFailedPrecondition,
                                  fmt::format("{}: module entered Fault while powering up",
                                              engine->name())));
          break;
        }
        if (state->state != ModuleState::kReady) {
          if (now >= job.deadline) {
            fail_engine(job, Status(StatusCode::kTimeout,
                                    fmt::format("{}: module still {} past its advertised "
                                                "power-up bound",
                                                engine->name(), ModuleStateName(state->state))));
          }
          break;
        }
        job.phase = Phase::kConfigure;
        [[fallthrough]];
      }
      case Phase::kConfigure: {
        // Consume the module's latched flags (ModuleStateChanged from the power-up) and the
        // lanes' (Tx power flags latched while their lasers ramped) into the flag history, so
        // IntL speaks only of what happens next.
        if (auto module = engine->Module(); !module.ok()) {
          fail_engine(job, module.status());
          break;
        } else if (module->interrupt) {
          (void)engine->Lanes();
        }
        // A module that was not Ready has no Activated data path: nothing to look for.
        const std::set<size_t> running = job.was_ready
                                             ? ActivatedAsRequested(*engine, job.requests, requests)
                                             : std::set<size_t>{};
        for (size_t i : job.requests) {
          if (!report.outcomes[i].status.ok()) continue;
          const DataPathRequest& request = requests[i];
          if (running.contains(i)) {
            // Already carrying traffic as asked (an owner restarted, a port asked up twice):
            // configuring it again would take it down.
            report.outcomes[i].activated_at = now;
            changed = true;
            continue;
          }
          Status s = engine->ConfigureDataPath(request.first_lane, request.app_sel);
          if (!s.ok()) {
            report.outcomes[i].status = s;
            changed = true;
            continue;
          }
          // Advertising is cached; ConfigureDataPath has checked the application exists.
          const EngineAdvertising advertising = *engine->Advertising();
          const Application* app = advertising.FindApplication(request.app_sel);
          for (int k = 0; k < app->host_lanes; ++k) job.lanes.push_back(request.first_lane + k);
        }
        if (job.lanes.empty()) {
          job.phase = Phase::kDone;
          break;
        }
        if (Status s = engine->SetDataPathsDeinit(job.lanes, false); !s.ok()) {
          fail_engine(job, s);
          break;
        }
        enter(job, Phase::kInit, job.durations.data_path_init, job.durations.data_path_init);
        break;
      }
      case Phase::kInit:
      case Phase::kTxOn: {
        auto state = engine->State();
        if (!state.ok()) {
          fail_engine(job, state.status());
          break;
        }
        const bool late = now >= job.deadline;
        if (!state->interrupt && !late) break;  // nothing changed yet
        // States only while all goes well; the full status when a bound has passed, so a
        // failure can name the ConfigStatus behind it.
        auto paths = engine->DataPathsOf(job.lanes, /*states_only=*/!late);
        if (!paths.ok()) {
          fail_engine(job, paths.status());
          break;
        }
        const DataPathState wanted =
            job.phase == Phase::kInit ? DataPathState::kInitialized : DataPathState::kActivated;
        std::string behind;
        for (const auto& lane : *paths) {
          // A lane whose Tx was never disabled (a module just reset, its controls at their
          // defaults) goes on from Initialized to TxTurnOn by itself: past Initialized counts.
          const bool past_initialized =
              job.phase == Phase::kInit &&
              (lane.state == DataPathState::kTxTurnOn || lane.state == DataPathState::kActivated);
          if (lane.state != wanted && !past_initialized) {
            behind +=
                fmt::format("{}lane {} {} (ConfigStatus {})", behind.empty() ? "" : ", ", lane.lane,
                            DataPathStateName(lane.state), ConfigStatusName(lane.config_status));
          }
        }
        if (behind.empty()) {
          changed = true;
          if (job.phase == Phase::kInit) {
            if (Status s = engine->SetTxDisabled(job.lanes, false); !s.ok()) {
              fail_engine(job, s);
              break;
            }
            enter(job, Phase::kTxOn, job.durations.tx_turn_on, job.durations.tx_turn_on);
          } else {
            for (size_t i : job.requests) {
              if (report.outcomes[i].status.ok()) report.outcomes[i].activated_at = now;
            }
            job.phase = Phase::kDone;
          }
          break;
        }
        if (!late) break;
        if (job.retries < options.max_retries) {
          // Bounded retry: take the lanes back through DPDeinit and initialize again.
          ++job.retries;
          for (size_t i : job.requests) report.outcomes[i].retries = job.retries;
          Status s = engine->SetDataPathsDeinit(job.lanes, true);
          if (s.ok()) s = engine->SetTxDisabled(job.lanes, true);
          if (s.ok()) s = engine->SetDataPathsDeinit(job.lanes, false);
          if (!s.ok()) {
            fail_engine(job, s);
            break;
          }
          enter(job, Phase::kInit, job.durations.data_path_deinit + job.durations.data_path_init,
                job.durations.data_path_init);
          break;
        }
        fail_engine(job, Status(StatusCode::kTimeout,
                                fmt::format("{}: data paths not {} within the advertised bound "
                                            "after {} retries: {}",
                                            engine->name(), DataPathStateName(wanted), job.retries,
                                            behind)));
        changed = true;
        break;
      }
      case Phase::kDone:
        break;
    }
    return changed;
  };
  // Engines on different buses are polled at once (their transfers overlap); one bus's engines
  // in turn.
  std::map<std::string, std::vector<EngineJob*>> jobs_by_bus;
  for (auto& [engine, job] : jobs) jobs_by_bus[engine->config().bus].push_back(&job);
  // Each phase's bound is device time; a wall-clock backstop over the whole run catches device
  // time that stopped. Set after the first round, which reads the advertised durations.
  std::optional<WaitBound> backstop;
  while (true) {
    const auto now = clock_->Now();
    std::vector<char> bus_changed(jobs_by_bus.size(), 0);
    std::vector<std::function<void()>> tasks;
    tasks.reserve(jobs_by_bus.size());
    size_t bus_index = 0;
    for (auto& [bus, bus_jobs] : jobs_by_bus) {
      tasks.emplace_back([&, now, bus_index, group = &bus_jobs] {
        for (EngineJob* job : *group) {
          if (job->phase == Phase::kDone || now < job->next_poll) continue;
          if (advance(*job, now)) bus_changed[bus_index] = 1;
          job->next_poll = now + job->poll;
        }
      });
      ++bus_index;
    }
    clock_->RunConcurrently(tasks);
    const bool changed =
        std::any_of(bus_changed.begin(), bus_changed.end(), [](char flag) { return flag != 0; });
    ++report.poll_rounds;

    progress.activated = 0;
    progress.failed = 0;
    bool running = false;
    for (const auto& outcome : report.outcomes) {
      if (!outcome.status.ok()) {
        ++progress.failed;
      } else if (outcome.activated_at.count() != 0) {
        ++progress.activated;
      }
    }
    for (const auto& [engine, job] : jobs) running = running || job.phase != Phase::kDone;
    if (!backstop) {
      std::chrono::nanoseconds longest{0};
      for (const auto& [engine, job] : jobs) {
        const EngineDurations& d = job.durations;
        longest =
            std::max(longest, WithMargin(d.module_power_up + d.module_power_down +
                                         d.data_path_deinit + d.data_path_init + d.tx_turn_on) *
                                  (options.max_retries + 1));
      }
      backstop.emplace(*clock_, longest);
    }
    if (running && backstop->WallExpired()) {
      for (auto& [engine, job] : jobs) {
        if (job.phase == Phase::kDone) continue;
        fail_engine(job,
                    Status(StatusCode::kTimeout,
                           fmt::format("{}: device time stalled: its data paths did not finish "
                                       "within the wall-clock bound of {} s",
                                       engine->name(),
                                       std::chrono::duration_cast<std::chrono::seconds>(
                                           WaitBound::WallBoundFor(backstop->device_bound()))
                                           .count())));
      }
      running = false;
    }
    progress.elapsed = clock_->Now() - report.started;
    if (changed && options.on_progress) options.on_progress(progress);
    if (!running) break;

    // Sleep until the earliest engine wants another look.
    std::chrono::nanoseconds wake = std::chrono::nanoseconds::max();
    for (const auto& [engine, job] : jobs) {
      if (job.phase != Phase::kDone) wake = std::min(wake, job.next_poll);
    }
    const auto after = clock_->Now();
    if (wake > after) clock_->SleepFor(wake - after);
  }

  report.finished = clock_->Now();
  report.cost = TotalBusCounters() - before;
  return report;
}

}  // namespace cpo::hal
