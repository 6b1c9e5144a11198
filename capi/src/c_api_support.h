// What every C API entry point shares: the device handle, this thread's last error, the mapping
// of HAL status codes to cpo_status, and the argument checks (capi/src only, never installed).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cpo/c/cpo_hal.h"
#include "cpo/hal/device.h"

struct cpo_device {
  std::unique_ptr<cpo::hal::Device> device;
  std::mutex mutex;  // guards subscriptions
  std::map<uint64_t, cpo::hal::SubscriptionId> subscriptions;
  uint64_t next_subscription = 1;
};

namespace cpo::capi {

inline thread_local std::string last_error;

inline cpo_status CodeOf(cpo::StatusCode code) {
  switch (code) {
    case cpo::StatusCode::kOk:
      return CPO_OK;
    case cpo::StatusCode::kInvalidArgument:
      return CPO_E_INVALID_ARGUMENT;
    case cpo::StatusCode::kOutOfRange:
      return CPO_E_OUT_OF_RANGE;
    case cpo::StatusCode::kNotFound:
      return CPO_E_NOT_FOUND;
    case cpo::StatusCode::kFailedPrecondition:
      return CPO_E_FAILED_PRECONDITION;
    case cpo::StatusCode::kUnavailable:
      return CPO_E_UNAVAILABLE;
    case cpo::StatusCode::kPermissionDenied:
      return CPO_E_PERMISSION_DENIED;
    case cpo::StatusCode::kTimeout:
      return CPO_E_TIMEOUT;
    case cpo::StatusCode::kNack:
      return CPO_E_NACK;
    case cpo::StatusCode::kDataLoss:
      return CPO_E_DATA_LOSS;
    case cpo::StatusCode::kConfigError:
      return CPO_E_CONFIG;
    case cpo::StatusCode::kNotSupported:
      return CPO_E_NOT_SUPPORTED;
    case cpo::StatusCode::kInternal:
      return CPO_E_INTERNAL;
  }
  return CPO_E_INTERNAL;
}

inline cpo_status Fail(cpo_status code, std::string message) {
  last_error = std::move(message);
  return code;
}

inline cpo_status Fail(const cpo::Status& status) {
  if (status.ok()) return CPO_OK;
  return Fail(CodeOf(status.code()), status.message());
}

inline cpo_status Ok() {
  last_error.clear();
  return CPO_OK;
}

template <size_t N>
void CopyText(char (&destination)[N], std::string_view text) {
  const size_t size = std::min(text.size(), N - 1);
  std::memcpy(destination, text.data(), size);
  destination[size] = '\0';
}

// Runs an entry point's body; anything thrown becomes CPO_E_INTERNAL.
template <typename Body>
cpo_status Guard(Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Fail(CPO_E_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(CPO_E_INTERNAL, "internal error");
  }
}

inline cpo_status CheckDevice(const cpo_device* device) {
  if (device == nullptr || !device->device) {
    return Fail(CPO_E_INVALID_ARGUMENT, "device is NULL; open one with cpo_open");
  }
  return CPO_OK;
}

inline cpo_status CheckIndex(size_t index, size_t count, const char* what) {
  if (index < count) return CPO_OK;
  return Fail(CPO_E_OUT_OF_RANGE,
              fmt::format("{} index {} is outside 0..{}", what, index, count == 0 ? 0 : count - 1));
}

// An engine's module monitors as cpo_engine_info.
inline void FillEngine(const std::string& name, int lanes, const cpo::hal::ModuleMonitors& module,
                       cpo_engine_info* info) {
  *info = {};
  CopyText(info->name, name);
  info->lanes = lanes;
  info->state = static_cast<cpo_module_state>(module.state);
  info->temperature_c = module.temperature_c;
  info->vcc_v = module.vcc_v;
  info->interrupt = module.interrupt ? 1 : 0;
}

}  // namespace cpo::capi
