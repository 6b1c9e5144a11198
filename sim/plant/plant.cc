#include "cpo/sim/plant.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "engine_eeprom.h"
#include "laser_source_eeprom.h"

namespace cpo::sim {

uint8_t CmisDurationCode(uint32_t ms) {
  constexpr uint32_t kBoundsMs[] = {1,    5,     10,    50,     100,    500,    1000,
                                    5000, 10000, 60000, 300000, 600000, 3000000};
  for (size_t code = 0; code < std::size(kBoundsMs); ++code) {
    if (ms < kBoundsMs[code]) return static_cast<uint8_t>(code);
  }
  return static_cast<uint8_t>(std::size(kBoundsMs) - 1);
}

void Plant::AttachEngine(int target, uint8_t address7, int lanes, const EngineIdentity& identity,
                         const EngineTiming& timing, const EngineThresholds& thresholds,
                         const EngineFeatures& features) {
  engines_[target] = Engine{lanes, address7};
  for (const auto& [address, value] :
       BuildEngineEeprom(identity, lanes, timing, thresholds, features)) {
    model_.PlantWrite(PlantKind::kEepromByte, target, address, value);
  }
  auto units_100us = [](uint32_t ms) { return static_cast<uint16_t>(std::min(ms * 10, 65535u)); };
  model_.PlantWrite(PlantKind::kTiming, target, 0, units_100us(timing.module_power_up_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 1, units_100us(timing.module_power_down_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 2, units_100us(timing.data_path_init_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 3, units_100us(timing.data_path_deinit_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 4, units_100us(timing.tx_turn_on_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 5, units_100us(timing.tx_turn_off_ms));
  Strap(target, engines_[target]);
}

void Plant::Strap(int target, const Engine& engine) {
  constexpr uint16_t kPresent = 1u << 8;
  constexpr uint16_t kHoldClockLow = 1u << 9;
  constexpr uint16_t kLpModePin = 1u << 10;
  model_.PlantWrite(PlantKind::kTargetStrap, target, 0,
                    static_cast<uint16_t>(engine.address7 | (engine.present ? kPresent : 0) |
                                          (engine.hold_clock_low ? kHoldClockLow : 0) |
                                          (engine.lpmode_pin ? kLpModePin : 0)));
}

Result<Plant::Engine*> Plant::Find(int target) {
  for (auto* attached : {&engines_, &laser_sources_}) {
    auto found = attached->find(target);
    if (found != attached->end()) return &found->second;
  }
  return Status(StatusCode::kNotFound,
                fmt::format("no engine or laser source attached at model target {}", target));
}

void Plant::AttachLaserSource(int target, uint8_t address7, int lanes,
                              const EngineIdentity& identity, const std::vector<int>& fiber_of_lane,
                              const LaserSourceTiming& timing) {
  laser_sources_[target] = Engine{lanes, address7};
  for (const auto& [address, value] :
       BuildLaserSourceEeprom(identity, lanes, fiber_of_lane, timing)) {
    model_.PlantWrite(PlantKind::kEepromByte, target, address, value);
  }
  auto units_100us = [](uint32_t ms) { return static_cast<uint16_t>(std::min(ms * 10, 65535u)); };
  model_.PlantWrite(PlantKind::kTiming, target, 0, units_100us(timing.module_power_up_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 1, units_100us(timing.module_power_down_ms));
  model_.PlantWrite(PlantKind::kTiming, target, 2, units_100us(timing.lane_ramp_ms));
  for (int lane = 0; lane < lanes; ++lane) (void)SetLaserPhysics(target, lane, {});
  Strap(target, laser_sources_[target]);
}

Status Plant::SetJointWindow(int laser_target, int engine_target, uint8_t page_base) {
  if (!laser_sources_.contains(laser_target) || !engines_.contains(engine_target) ||
      laser_target / Model::kTargetsPerBus != engine_target / Model::kTargetsPerBus) {
    return {StatusCode::kInvalidArgument,
            fmt::format("joint mode needs a laser source and an engine on one bus (targets {}, {})",
                        laser_target, engine_target)};
  }
  constexpr uint16_t kOn = 1u << 8;
  const auto engine_slot = static_cast<uint16_t>(engine_target % Model::kTargetsPerBus);
  model_.PlantWrite(PlantKind::kJointWindow, engine_target, 0, kOn | page_base);
  model_.PlantWrite(PlantKind::kJointWindow, laser_target, 0,
                    static_cast<uint16_t>(kOn | page_base | engine_slot << 9));
  return Status::Ok();
}

Status Plant::SetLaserPhysics(int target, int lane, const LaserPhysics& physics) {
  auto source = laser_sources_.find(target);
  if (source == laser_sources_.end()) {
    return {StatusCode::kNotFound,
            fmt::format("no laser source attached at model target {}", target)};
  }
  if (lane < 0 || lane >= source->second.lanes) {
    return {StatusCode::kOutOfRange,
            fmt::format("lane {} is outside lanes 0..{}", lane, source->second.lanes - 1)};
  }
  if (!(physics.threshold_ma >= 0 && physics.threshold_ma < 6553) ||
      !(physics.slope_mw_per_ma >= 0 && physics.slope_mw_per_ma < 65.5)) {
    return {StatusCode::kOutOfRange, "laser threshold or slope outside what the model encodes"};
  }
  // Units of elsfp_target.sv: threshold in 100 uA, slope in uW per mA.
  constexpr uint16_t kThreshold = 0 << 8, kSlope = 1 << 8;
  model_.PlantWrite(PlantKind::kLaserPhysics, target, static_cast<uint16_t>(kThreshold | lane),
                    static_cast<uint16_t>(std::lround(physics.threshold_ma * 10)));
  model_.PlantWrite(PlantKind::kLaserPhysics, target, static_cast<uint16_t>(kSlope | lane),
                    static_cast<uint16_t>(std::lround(physics.slope_mw_per_ma * 1000)));
  return Status::Ok();
}

Result<double> Plant::LaserOutputMw(int target, int lane) {
  auto source = laser_sources_.find(target);
  if (source == laser_sources_.end() || lane < 0 || lane >= source->second.lanes) {
    return Status(StatusCode::kNotFound,
                  fmt::format("no laser lane {} at model target {}", lane, target));
  }
  return model_.LaserOutput(target, lane) / 100.0;
}

Status Plant::PokeRegister(int target, uint8_t page, uint8_t bank, uint8_t offset, uint8_t value) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  // Storage slots of cmis_target.sv: 0 lower page, 1-3 pages 00h-02h, 4+3b / 5+3b / 6+3b pages
  // 10h / 11h / 13h of bank b; of elsfp_target.sv: the same first four, then 4+2b / 5+2b pages
  // 1Ah / 1Bh.
  int slot = -1;
  const int banks = (engine->lanes + 7) / 8;
  const bool laser_source = laser_sources_.contains(target);
  if (offset < 128) {
    slot = 0;
  } else if (page <= 0x02) {
    slot = 1 + page;
  } else if (laser_source) {
    if ((page == 0x1A || page == 0x1B) && bank < banks) slot = 4 + 2 * bank + (page - 0x1A);
  } else if ((page == 0x10 || page == 0x11) && bank < banks) {
    slot = 4 + 3 * bank + (page - 0x10);
  } else if (page == 0x13 && bank < banks) {
    slot = 6 + 3 * bank;
  }
  if (slot < 0) {
    return {StatusCode::kOutOfRange,
            fmt::format("page {:02X}h bank {} is not storage-backed in the model", page, bank)};
  }
  model_.PlantWrite(PlantKind::kEepromByte, target,
                    static_cast<uint16_t>(slot * 128 + offset % 128), value);
  return Status::Ok();
}

Status Plant::SetHoldClockLow(int target, bool hold) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  engine->hold_clock_low = hold;
  Strap(target, *engine);
  return Status::Ok();
}

Status Plant::SetPresent(int target, bool present) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  engine->present = present;
  Strap(target, *engine);
  return Status::Ok();
}

Status Plant::SetLpModePin(int target, bool asserted) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  engine->lpmode_pin = asserted;
  Strap(target, *engine);
  return Status::Ok();
}

Status Plant::SetModuleFault(int target, ModuleFault cause) {
  CPO_RETURN_IF_ERROR(Find(target).status());
  model_.PlantWrite(PlantKind::kModuleFault, target, 0, static_cast<uint16_t>(cause));
  return Status::Ok();
}

Status Plant::Set(int target, Quantity quantity, int lane, double value) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  if (static_cast<uint32_t>(quantity) > static_cast<uint32_t>(Quantity::kLast)) {
    return {StatusCode::kInvalidArgument, "unknown plant quantity"};
  }
  const QuantityEncoding& encoding = EncodingOf(quantity);
  if (encoding.per_lane && (lane < 0 || lane >= engine->lanes)) {
    return {StatusCode::kOutOfRange, fmt::format("{} lane {} is outside lanes 0..{}", encoding.name,
                                                 lane, engine->lanes - 1)};
  }
  if (!encoding.per_lane) lane = -1;
  if (!std::isfinite(value) || value < encoding.min || value > encoding.max) {
    return {StatusCode::kOutOfRange, fmt::format("{} = {} is outside what the monitor encodes "
                                                 "[{}, {}]",
                                                 encoding.name, value, encoding.min, encoding.max)};
  }
  values_[{target, quantity, lane}] = value;
  const uint16_t code = EncodeQuantity(quantity, value);
  if (encoding.channel == QuantityChannel::kVdm) {
    model_.PlantWrite(PlantKind::kVdmSample, target,
                      static_cast<uint16_t>(encoding.vdm_slot << 6 | lane), code);
    return Status::Ok();
  }
  const auto index = static_cast<uint16_t>(static_cast<uint32_t>(quantity) << 8 |
                                           static_cast<uint32_t>(lane < 0 ? 0 : lane));
  model_.PlantWrite(PlantKind::kAdcSample, target, index, code);
  return Status::Ok();
}

Result<uint32_t> BitErrorInterval(double ber) {
  // The RTL flips one bit per gap of about 1/ber bits, at most one per 128-bit word.
  constexpr double kMaxBer = 1.0 / 256;
  constexpr double kMinBer = 1.0 / 4294967295.0;
  if (!std::isfinite(ber) || ber < 0 || ber > kMaxBer || (ber > 0 && ber < kMinBer)) {
    return Status(
        StatusCode::kOutOfRange,
        fmt::format("bit error rate {} is outside 0 or [{:.3g}, {:.3g}]", ber, kMinBer, kMaxBer));
  }
  return ber == 0 ? 0u : static_cast<uint32_t>(std::llround(1.0 / ber));
}

namespace {
constexpr uint16_t kHighHalf = 1u << 15;
}  // namespace

Status Plant::SetBitErrorRate(int target, DiagnosticSide side, int lane, double ber) {
  CPO_ASSIGN_OR_RETURN(Engine * engine, Find(target));
  if (lane < 0 || lane >= engine->lanes) {
    return {StatusCode::kOutOfRange,
            fmt::format("lane {} is outside lanes 0..{}", lane, engine->lanes - 1)};
  }
  CPO_ASSIGN_OR_RETURN(const uint32_t interval, BitErrorInterval(ber));
  constexpr uint16_t kMediaSide = 1u << 6;
  model_.PlantWrite(PlantKind::kBitErrorInterval, target, kHighHalf,
                    static_cast<uint16_t>(interval >> 16));
  model_.PlantWrite(PlantKind::kBitErrorInterval, target,
                    static_cast<uint16_t>((side == DiagnosticSide::kMedia ? kMediaSide : 0) | lane),
                    static_cast<uint16_t>(interval & 0xffff));
  return Status::Ok();
}

Status Plant::SetSerdesBitErrorRate(int serdes_lane, double ber) {
  if (serdes_lane < 0 || serdes_lane >= Model::kSerdesLanes) {
    return {StatusCode::kOutOfRange, fmt::format("SerDes lane {} is outside lanes 0..{}",
                                                 serdes_lane, Model::kSerdesLanes - 1)};
  }
  CPO_ASSIGN_OR_RETURN(const uint32_t interval, BitErrorInterval(ber));
  model_.PlantWrite(PlantKind::kSerdesErrorInterval, 0, kHighHalf,
                    static_cast<uint16_t>(interval >> 16));
  model_.PlantWrite(PlantKind::kSerdesErrorInterval, 0, static_cast<uint16_t>(serdes_lane),
                    static_cast<uint16_t>(interval & 0xffff));
  return Status::Ok();
}

Result<double> Plant::Get(int target, Quantity quantity, int lane) const {
  if (!IsPerLane(quantity)) lane = -1;
  auto it = values_.find({target, quantity, lane});
  if (it == values_.end()) {
    return Status(StatusCode::kNotFound, fmt::format("{} of target {} lane {} was never set",
                                                     QuantityName(quantity), target, lane));
  }
  return it->second;
}

}  // namespace cpo::sim
