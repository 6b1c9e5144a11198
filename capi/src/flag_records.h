// Flag records of the HAL's flag history into a caller's cpo_flag_record array.
#pragma once

#include <string_view>
#include <vector>

#include "c_api_support.h"

namespace cpo::capi {

// The argument checks of a flag call: a count, and an array when there is a capacity.
cpo_status CheckFlagArray(cpo_flag_record* records, size_t capacity, size_t* count);
// Copies `history` (*count gets its size); CPO_E_BUFFER_TOO_SMALL names `module` when it does
// not fit.
cpo_status CopyFlagRecords(const std::vector<cpo::hal::FlagRecord>& history,
                           cpo_flag_record* records, size_t capacity, size_t* count,
                           std::string_view module);

// A flag call's whole body over the modules `modules_of` picks from the device (its engines or
// its laser sources): the argument checks, a read of module `index` (so its latched flags are in
// its history, or the owner's beside one), then the copy.
template <typename ModulesOf>
cpo_status ReadFlagRecords(cpo_device* device, ModulesOf modules_of, const char* what, size_t index,
                           cpo_flag_record* records, size_t capacity, size_t* count) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& modules = modules_of(*device->device);
    if (cpo_status s = CheckIndex(index, modules.size(), what); s != CPO_OK) return s;
    if (cpo_status s = CheckFlagArray(records, capacity, count); s != CPO_OK) return s;
    auto& module = *modules[index];
    if (auto monitors = module.Module(); !monitors.ok()) return Fail(monitors.status());
    if (auto lanes = module.Lanes(); !lanes.ok()) return Fail(lanes.status());
    return CopyFlagRecords(module.FlagRecords(), records, capacity, count, module.name());
  });
}

}  // namespace cpo::capi
