// The C API's optical engines: identity and state, power mode, lane monitors, flags.
#include <vector>

#include "c_api_support.h"
#include "flag_records.h"

using cpo::capi::CheckDevice;
using cpo::capi::CheckIndex;
using cpo::capi::Fail;
using cpo::capi::FillEngine;
using cpo::capi::Guard;
using cpo::capi::Ok;
using cpo::capi::ReadFlagRecords;

extern "C" {

cpo_status cpo_engine_get(cpo_device* device, size_t index, cpo_engine_info* info) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& engines = device->device->optical_engines();
    if (cpo_status s = CheckIndex(index, engines.size(), "engine"); s != CPO_OK) return s;
    if (info == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "info is NULL");
    auto& engine = *engines[index];
    auto module = engine.Module();
    if (!module.ok()) return Fail(module.status());
    FillEngine(engine.name(), engine.lane_count(), *module, info);
    return Ok();
  });
}

cpo_status cpo_engine_set_low_power(cpo_device* device, size_t index, int low_power) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& engines = device->device->optical_engines();
    if (cpo_status s = CheckIndex(index, engines.size(), "engine"); s != CPO_OK) return s;
    if (auto status = engines[index]->SetLowPower(low_power != 0); !status.ok()) {
      return Fail(status);
    }
    return Ok();
  });
}

cpo_status cpo_engine_lanes(cpo_device* device, size_t index, cpo_lane_monitors* lanes,
                            size_t capacity, size_t* count) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& engines = device->device->optical_engines();
    if (cpo_status s = CheckIndex(index, engines.size(), "engine"); s != CPO_OK) return s;
    if (count == nullptr || (lanes == nullptr && capacity > 0)) {
      return Fail(CPO_E_INVALID_ARGUMENT, "count is NULL, or lanes is NULL with a capacity");
    }
    *count = static_cast<size_t>(engines[index]->lane_count());
    if (capacity < *count) {
      return Fail(CPO_E_BUFFER_TOO_SMALL, fmt::format("{} has {} lanes; the array holds {}",
                                                      engines[index]->name(), *count, capacity));
    }
    auto read = engines[index]->Lanes();
    if (!read.ok()) return Fail(read.status());
    for (size_t i = 0; i < read->size(); ++i) {
      const auto& lane = (*read)[i];
      lanes[i] = {lane.lane, lane.tx_power_mw, lane.tx_bias_ma, lane.rx_power_mw};
    }
    return Ok();
  });
}

cpo_status cpo_engine_flags(cpo_device* device, size_t index, cpo_flag_record* records,
                            size_t capacity, size_t* count) {
  return ReadFlagRecords(
      device, [](cpo::hal::Device & d) -> const auto& { return d.optical_engines(); }, "engine",
      index, records, capacity, count);
}

}  // extern "C"
