// The C API over hal::Device (cpo/c/cpo_hal.h). Every entry point catches everything: no C++
// exception crosses into C.
#include "cpo/c/cpo_hal.h"

#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "c_api_support.h"
#include "cpo/drivers/open_device.h"
#include "cpo/hal/device.h"

using cpo::capi::CheckDevice;
using cpo::capi::CheckIndex;
using cpo::capi::CodeOf;
using cpo::capi::CopyText;
using cpo::capi::Fail;
using cpo::capi::FillEngine;
using cpo::capi::Guard;
using cpo::capi::last_error;
using cpo::capi::Ok;

namespace {

// The loggers the HAL and the drivers write to (spdlog::get by name; absent: silent).
constexpr const char* kComponents[] = {"hal", "laser", "drivers"};

std::string LoggerName(std::string_view component) { return fmt::format("cpo.{}", component); }

}  // namespace

extern "C" {

cpo_status cpo_log_configure(cpo_log_sink sink, const char* ident) {
  return Guard([&] {
    spdlog::sink_ptr target;
    switch (sink) {
      case CPO_LOG_NONE:
        target = std::make_shared<spdlog::sinks::null_sink_mt>();
        break;
      case CPO_LOG_STDERR:
        target = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        break;
      case CPO_LOG_SYSLOG:
        target = std::make_shared<spdlog::sinks::syslog_sink_mt>(
            ident != nullptr ? ident : "cpohal", LOG_PID, LOG_DAEMON, false);
        break;
      default:
        return Fail(CPO_E_INVALID_ARGUMENT,
                    fmt::format("log sink {} is not CPO_LOG_NONE, _STDERR or _SYSLOG",
                                static_cast<int>(sink)));
    }
    for (const char* component : kComponents) {
      const std::string name = LoggerName(component);
      auto existing = spdlog::get(name);
      const auto level = existing ? existing->level() : spdlog::level::warn;
      spdlog::drop(name);
      auto logger = std::make_shared<spdlog::logger>(name, target);
      logger->set_level(level);
      spdlog::register_logger(logger);
    }
    return Ok();
  });
}

cpo_status cpo_log_set_level(const char* component, cpo_log_level level) {
  return Guard([&] {
    const int value = static_cast<int>(level);
    if (value < CPO_LOG_TRACE || value > CPO_LOG_OFF || value == CPO_LOG_ERROR + 1) {
      return Fail(CPO_E_INVALID_ARGUMENT,
                  fmt::format("log level {} is not a cpo_log_level", value));
    }
    bool found = false;
    for (const char* name : kComponents) {
      if (component != nullptr && std::string_view(component) != name) continue;
      found = true;
      auto logger = spdlog::get(LoggerName(name));
      if (!logger) {
        return Fail(CPO_E_FAILED_PRECONDITION, "no log sink yet; call cpo_log_configure first");
      }
      logger->set_level(static_cast<spdlog::level::level_enum>(level));
    }
    if (!found) {
      return Fail(CPO_E_NOT_FOUND,
                  fmt::format("no log component '{}'; components: hal, laser, drivers", component));
    }
    return Ok();
  });
}

const char* cpo_version(void) {
  static const std::string version =
      fmt::format("{}.{}.{}", CPO_HAL_VERSION_MAJOR, CPO_HAL_VERSION_MINOR, CPO_HAL_VERSION_PATCH);
  return version.c_str();
}

unsigned cpo_version_number(void) { return CPO_HAL_VERSION_NUMBER; }

const char* cpo_strerror(cpo_status status) {
  switch (status) {
    case CPO_OK:
      return "OK";
    case CPO_E_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case CPO_E_OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case CPO_E_NOT_FOUND:
      return "NOT_FOUND";
    case CPO_E_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case CPO_E_UNAVAILABLE:
      return "UNAVAILABLE";
    case CPO_E_PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case CPO_E_TIMEOUT:
      return "TIMEOUT";
    case CPO_E_NACK:
      return "NACK";
    case CPO_E_DATA_LOSS:
      return "DATA_LOSS";
    case CPO_E_CONFIG:
      return "CONFIG_ERROR";
    case CPO_E_NOT_SUPPORTED:
      return "NOT_SUPPORTED";
    case CPO_E_INTERNAL:
      return "INTERNAL";
    case CPO_E_BUFFER_TOO_SMALL:
      return "BUFFER_TOO_SMALL";
  }
  return "UNKNOWN_STATUS";
}

const char* cpo_last_error(void) { return last_error.c_str(); }

cpo_status cpo_open(const char* platform_path, const char* sim_socket, cpo_device** device) {
  return cpo_open_with_policy(platform_path, sim_socket, CPO_START_ADOPT, device);
}

int cpo_is_owner(const cpo_device* device) {
  if (device == nullptr || !device->device) return 0;
  return device->device->role() == cpo::hal::ProcessRole::kOwner ? 1 : 0;
}

cpo_status cpo_open_with_policy(const char* platform_path, const char* sim_socket,
                                cpo_start_policy policy, cpo_device** device) {
  return Guard([&] {
    if (platform_path == nullptr || device == nullptr) {
      return Fail(CPO_E_INVALID_ARGUMENT, "cpo_open needs a platform path and a device pointer");
    }
    *device = nullptr;
    cpo::OpenOptions options;
    if (sim_socket != nullptr) options.sim_socket = sim_socket;
    switch (policy) {
      case CPO_START_ADOPT:
        options.laser_safety.start = cpo::hal::LaserStartPolicy::kAdoptChecked;
        break;
      case CPO_START_ALL_OFF:
        options.laser_safety.start = cpo::hal::LaserStartPolicy::kAllOff;
        break;
      case CPO_START_OBSERVE:
        options.role = cpo::hal::RoleRequest::kObserver;
        options.laser_safety.start = cpo::hal::LaserStartPolicy::kObserve;
        break;
      default:
        return Fail(CPO_E_INVALID_ARGUMENT,
                    fmt::format("start policy {} is not CPO_START_ADOPT (0), CPO_START_ALL_OFF "
                                "(1) or CPO_START_OBSERVE (2)",
                                static_cast<int>(policy)));
    }
    auto opened = cpo::OpenDevice(platform_path, options);
    if (!opened.ok()) return Fail(opened.status());
    auto handle = std::make_unique<cpo_device>();
    handle->device = std::move(opened).value();
    *device = handle.release();
    return Ok();
  });
}

void cpo_close(cpo_device* device) {
  if (device == nullptr) return;
  try {
    device->device->StopEventMonitor();
  } catch (...) {  // closing must not throw into C
  }
  delete device;
}

size_t cpo_engine_count(const cpo_device* device) {
  return device == nullptr ? 0 : device->device->optical_engines().size();
}

size_t cpo_laser_count(const cpo_device* device) {
  return device == nullptr ? 0 : device->device->laser_sources().size();
}

size_t cpo_port_count(const cpo_device* device) {
  return device == nullptr ? 0 : device->device->Ports().size();
}

cpo_status cpo_port_get(cpo_device* device, size_t index, cpo_port_state* state) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto ports = device->device->Ports();
    if (cpo_status s = CheckIndex(index, ports.size(), "port"); s != CPO_OK) return s;
    if (state == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "state is NULL");
    const auto status = device->device->PortStates({ports[index]}).front();
    *state = {};
    CopyText(state->name, status.port.name);
    state->speed_gbps = status.port.speed_gbps;
    state->admin_up = status.admin_up ? 1 : 0;
    state->oper_up = status.oper_up ? 1 : 0;
    CopyText(state->reason, status.reason);
    return Ok();
  });
}

cpo_status cpo_ports_set_admin(cpo_device* device, const char* const* names, size_t count, int up) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    if (names == nullptr || count == 0) {
      return Fail(CPO_E_INVALID_ARGUMENT, "name at least one port (or \"all\")");
    }
    std::vector<cpo::platform::SubPort> ports;
    for (size_t i = 0; i < count; ++i) {
      if (names[i] == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "a port name is NULL");
      auto selected = device->device->SelectPorts(names[i]);
      if (!selected.ok()) return Fail(selected.status());
      ports.insert(ports.end(), selected->begin(), selected->end());
    }
    const auto report =
        up != 0 ? device->device->BringUpPorts(ports) : device->device->BringDownPorts(ports);
    if (report.ok()) return Ok();
    std::string failures;
    cpo_status first = CPO_OK;
    for (const auto& outcome : report.outcomes) {
      if (outcome.status.ok()) continue;
      if (first == CPO_OK) first = CodeOf(outcome.status.code());
      failures += fmt::format("{}{}: {}", failures.empty() ? "" : "; ", outcome.port,
                              outcome.status.message());
    }
    return Fail(first, failures);
  });
}

cpo_status cpo_telemetry(cpo_device* device, cpo_engine_info* engines, size_t capacity,
                         size_t* count) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    if (count == nullptr || (engines == nullptr && capacity > 0)) {
      return Fail(CPO_E_INVALID_ARGUMENT, "count is NULL, or engines is NULL with a capacity");
    }
    *count = device->device->optical_engines().size();
    if (capacity < *count) {
      return Fail(CPO_E_BUFFER_TOO_SMALL,
                  fmt::format("the device has {} engines; the array holds {}", *count, capacity));
    }
    const auto snapshot = device->device->Telemetry();
    cpo::Status first;
    for (size_t i = 0; i < snapshot.engines.size(); ++i) {
      const auto& engine = snapshot.engines[i];
      FillEngine(engine.name, static_cast<int>(engine.lanes.size()), engine.module, &engines[i]);
      if (!engine.error.ok() && first.ok()) first = engine.error;
    }
    if (!first.ok()) return Fail(first);
    return Ok();
  });
}

cpo_status cpo_subscribe(cpo_device* device, cpo_event_callback callback, void* user_data,
                         uint64_t* subscription) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    if (callback == nullptr || subscription == nullptr) {
      return Fail(CPO_E_INVALID_ARGUMENT, "callback and subscription must not be NULL");
    }
    const auto id = device->device->Subscribe([callback, user_data](const cpo::hal::Event& e) {
      cpo_event event{};
      CopyText(event.kind, cpo::hal::EventKindName(e.kind));
      CopyText(event.source, e.source);
      CopyText(event.name, e.name);
      CopyText(event.detail, e.detail);
      event.time_ns = e.time.count();
      callback(&event, user_data);
    });
    std::lock_guard lock(device->mutex);
    *subscription = device->next_subscription++;
    device->subscriptions[*subscription] = id;
    return Ok();
  });
}

cpo_status cpo_unsubscribe(cpo_device* device, uint64_t subscription) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    std::lock_guard lock(device->mutex);
    auto found = device->subscriptions.find(subscription);
    if (found == device->subscriptions.end()) {
      return Fail(CPO_E_NOT_FOUND, fmt::format("no subscription {}", subscription));
    }
    device->device->Unsubscribe(found->second);
    device->subscriptions.erase(found);
    return Ok();
  });
}

cpo_status cpo_poll_events(cpo_device* device, size_t* count) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto events = device->device->PollEvents();
    if (count != nullptr) *count = events.size();
    return Ok();
  });
}

cpo_status cpo_bringup_progress_get(cpo_device* device, cpo_bringup_progress* progress) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    if (progress == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "progress is NULL");
    const auto now = device->device->Progress();
    if (!now) {
      return Fail(CPO_E_UNAVAILABLE,
                  "no process owns the switch, so no bring-up progress is published");
    }
    *progress = cpo_bringup_progress{};
    progress->running = now->running ? 1 : 0;
    CopyText(progress->operation, now->operation);
    progress->ports = now->ports;
    CopyText(progress->stage, now->stage);
    progress->data_paths = now->data_paths;
    progress->data_paths_done = now->data_paths_done;
    progress->ports_ok = now->ports_ok;
    progress->ports_failed = now->ports_failed;
    progress->started_ns = now->started.count();
    progress->stage_started_ns = now->stage_started.count();
    progress->finished_ns = now->finished.count();
    return Ok();
  });
}

cpo_status cpo_start_event_monitor(cpo_device* device, unsigned period_ms) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    if (period_ms == 0) return Fail(CPO_E_INVALID_ARGUMENT, "period_ms must be at least 1");
    device->device->StartEventMonitor(std::chrono::milliseconds(period_ms));
    return Ok();
  });
}

cpo_status cpo_stop_event_monitor(cpo_device* device) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    device->device->StopEventMonitor();
    return Ok();
  });
}

}  // extern "C"
