// The C API's laser sources: state, lanes, electrical monitors, limits and thresholds, flags,
// lane enables through the fibre check, saved sets.
#include <string>
#include <vector>

#include "c_api_support.h"
#include "flag_records.h"

using cpo::capi::CheckDevice;
using cpo::capi::CheckIndex;
using cpo::capi::CopyText;
using cpo::capi::Fail;
using cpo::capi::Guard;
using cpo::capi::Ok;
using cpo::capi::ReadFlagRecords;

namespace {

// The argument checks every per-lane laser call shares: the device, source `index`, and a
// caller's array of `capacity` lanes (the source's lane count goes to *count).
cpo_status CheckLaserLaneArray(cpo_device* device, size_t index, bool have_array, size_t capacity,
                               size_t* count) {
  if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
  const auto& sources = device->device->laser_sources();
  if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
  if (count == nullptr || (!have_array && capacity > 0)) {
    return Fail(CPO_E_INVALID_ARGUMENT, "count is NULL, or lanes is NULL with a capacity");
  }
  *count = static_cast<size_t>(sources[index]->lane_count());
  if (capacity < *count) {
    return Fail(CPO_E_BUFFER_TOO_SMALL, fmt::format("{} has {} lanes; the array holds {}",
                                                    sources[index]->name(), *count, capacity));
  }
  return CPO_OK;
}

// The lane reports of laser source `index`, after those checks.
cpo_status LaserLaneReports(cpo_device* device, size_t index, bool have_array, size_t capacity,
                            size_t* count,
                            cpo::Result<std::vector<cpo::hal::LaserLaneReport>>& reports) {
  if (cpo_status s = CheckLaserLaneArray(device, index, have_array, capacity, count); s != CPO_OK) {
    return s;
  }
  reports = device->device->laser_sources()[index]->Lanes();
  if (!reports.ok()) return Fail(reports.status());
  return CPO_OK;
}

}  // namespace

extern "C" {

cpo_status cpo_laser_name(const cpo_device* device, size_t index, char* name, size_t size) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& sources = device->device->laser_sources();
    if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
    const std::string& text = sources[index]->name();
    if (name == nullptr || size <= text.size()) {
      return Fail(CPO_E_BUFFER_TOO_SMALL, fmt::format("the name needs {} bytes", text.size() + 1));
    }
    std::memcpy(name, text.c_str(), text.size() + 1);
    return Ok();
  });
}

cpo_status cpo_laser_lanes(cpo_device* device, size_t index, cpo_laser_lane* lanes, size_t capacity,
                           size_t* count) {
  return Guard([&] {
    cpo::Result<std::vector<cpo::hal::LaserLaneReport>> reports{
        std::vector<cpo::hal::LaserLaneReport>{}};
    if (cpo_status s = LaserLaneReports(device, index, lanes != nullptr, capacity, count, reports);
        s != CPO_OK) {
      return s;
    }
    for (size_t i = 0; i < reports->size(); ++i) {
      const auto& report = (*reports)[i];
      cpo_laser_lane& lane = lanes[i];
      lane = {};
      lane.lane = report.status.lane;
      lane.on = report.status.state == cpo::hal::LaserLaneState::kOn ? 1 : 0;
      lane.operating = report.phase == cpo::hal::LaserLanePhase::kOperating ? 1 : 0;
      lane.fault = report.status.fault ? 1 : 0;
      lane.power_mw = report.status.power_mw;
      lane.bias_ma = report.status.bias_ma;
      CopyText(lane.phase, cpo::hal::LaserLanePhaseName(report.phase));
      CopyText(lane.reason, report.reason);
    }
    return Ok();
  });
}

cpo_status cpo_laser_get(cpo_device* device, size_t index, cpo_laser_info* info) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& sources = device->device->laser_sources();
    if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
    if (info == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "info is NULL");
    auto module = sources[index]->Module();
    if (!module.ok()) return Fail(module.status());
    *info = {};
    CopyText(info->name, sources[index]->name());
    info->lanes = sources[index]->lane_count();
    info->state = static_cast<cpo_module_state>(module->state);
    info->temperature_c = module->temperature_c;
    info->vcc_v = module->vcc_v;
    return Ok();
  });
}

cpo_status cpo_laser_lanes_electrical(cpo_device* device, size_t index,
                                      cpo_laser_lane_electrical* lanes, size_t capacity,
                                      size_t* count) {
  return Guard([&] {
    if (cpo_status s = CheckLaserLaneArray(device, index, lanes != nullptr, capacity, count);
        s != CPO_OK) {
      return s;
    }
    auto electrical = device->device->laser_sources()[index]->Electrical();
    if (!electrical.ok()) return Fail(electrical.status());
    for (size_t i = 0; i < electrical->size() && i < capacity; ++i) {
      const auto& lane = (*electrical)[i];
      lanes[i] = {lane.lane, lane.voltage_v, lane.bank_icc_ma};
    }
    return Ok();
  });
}

cpo_status cpo_laser_limits_get(cpo_device* device, size_t index, cpo_laser_limits* limits) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& sources = device->device->laser_sources();
    if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
    if (limits == nullptr) return Fail(CPO_E_INVALID_ARGUMENT, "limits is NULL");
    auto capabilities = sources[index]->Capabilities();
    if (!capabilities.ok()) return Fail(capabilities.status());
    auto thresholds = [](const cpo::hal::Thresholds& t) {
      return cpo_thresholds{t.high_alarm, t.low_alarm, t.high_warning, t.low_warning};
    };
    *limits = {};
    limits->constant_power =
        capabilities->mode == cpo::hal::LaserControlMode::kConstantPower ? 1 : 0;
    limits->min_power_mw = capabilities->min_power_mw;
    limits->max_power_mw = capabilities->max_power_mw;
    limits->min_bias_ma = capabilities->min_bias_ma;
    limits->max_bias_ma = capabilities->max_bias_ma;
    limits->fiber_check_setpoint_mw = capabilities->fiber_check_setpoint_mw;
    limits->bias_ma = thresholds(capabilities->bias_ma);
    limits->power_mw = thresholds(capabilities->power_mw);
    limits->temperature_c = thresholds(capabilities->temperature_c);
    limits->vcc_v = thresholds(capabilities->vcc_v);
    return Ok();
  });
}

cpo_status cpo_laser_flags(cpo_device* device, size_t index, cpo_flag_record* records,
                           size_t capacity, size_t* count) {
  return ReadFlagRecords(
      device, [](cpo::hal::Device & d) -> const auto& { return d.laser_sources(); }, "laser source",
      index, records, capacity, count);
}

cpo_status cpo_laser_set_enabled(cpo_device* device, size_t index, int lane, int enabled) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& sources = device->device->laser_sources();
    if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
    auto& source = *sources[index];
    const cpo::Status status = enabled != 0 ? source.Enable({lane}) : source.Disable({lane});
    if (!status.ok()) return Fail(status);
    return Ok();
  });
}

namespace {

cpo_status LaserSetCommand(cpo_device* device, size_t index, cpo_laser_set set, int slot,
                           bool save) {
  return Guard([&] {
    if (cpo_status s = CheckDevice(device); s != CPO_OK) return s;
    const auto& sources = device->device->laser_sources();
    if (cpo_status s = CheckIndex(index, sources.size(), "laser source"); s != CPO_OK) return s;
    if (set != CPO_LASER_SET_CONTROLS && set != CPO_LASER_SET_MASKS) {
      return Fail(CPO_E_INVALID_ARGUMENT,
                  "set is neither CPO_LASER_SET_CONTROLS nor CPO_LASER_SET_MASKS");
    }
    if (slot < 0 || slot > 2) {
      return Fail(CPO_E_INVALID_ARGUMENT,
                  "slot " + std::to_string(slot) + " is not 1, 2 or 0 (factory, restore only)");
    }
    const auto kind = set == CPO_LASER_SET_MASKS ? cpo::hal::LaserSetKind::kMasks
                                                 : cpo::hal::LaserSetKind::kControls;
    const auto which = static_cast<cpo::hal::LaserSetSlot>(slot);
    auto& source = *sources[index];
    const cpo::Status status = save ? source.SaveSet(kind, which) : source.RestoreSet(kind, which);
    if (!status.ok()) return Fail(status);
    return Ok();
  });
}

}  // namespace

cpo_status cpo_laser_save_set(cpo_device* device, size_t index, cpo_laser_set set, int slot) {
  return LaserSetCommand(device, index, set, slot, true);
}

cpo_status cpo_laser_restore_set(cpo_device* device, size_t index, cpo_laser_set set, int slot) {
  return LaserSetCommand(device, index, set, slot, false);
}

}  // extern "C"
