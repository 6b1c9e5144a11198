#include "cpo/sim/plant.h"

#include <fmt/format.h>

#include <cmath>

#include "engine_eeprom.h"

namespace cpo::sim {
void Plant::AttachEngine(int target, uint8_t address7, int lanes, const EngineIdentity& identity) {
  engines_[target] = Engine{lanes, address7};
  for (const auto& [address, value] : BuildEngineEeprom(identity, lanes)) {
    model_.PlantWrite(PlantKind::kEepromByte, target, address, value);
  }
  Strap(target, engines_[target], false);
}

void Plant::Strap(int target, const Engine& engine, bool hold_clock_low) {
  constexpr uint16_t kPresent = 1u << 8;
  constexpr uint16_t kHoldClockLow = 1u << 9;
  model_.PlantWrite(
      PlantKind::kTargetStrap, target, 0,
      static_cast<uint16_t>(engine.address7 | kPresent | (hold_clock_low ? kHoldClockLow : 0)));
}

Status Plant::SetHoldClockLow(int target, bool hold) {
  auto engine = engines_.find(target);
  if (engine == engines_.end()) {
    return {StatusCode::kNotFound, fmt::format("no engine attached at model target {}", target)};
  }
  Strap(target, engine->second, hold);
  return Status::Ok();
}

Status Plant::Set(int target, Quantity quantity, int lane, double value) {
  auto engine = engines_.find(target);
  if (engine == engines_.end()) {
    return {StatusCode::kNotFound, fmt::format("no engine attached at model target {}", target)};
  }
  if (static_cast<uint32_t>(quantity) > static_cast<uint32_t>(Quantity::kRxPowerMw)) {
    return {StatusCode::kInvalidArgument, "unknown plant quantity"};
  }
  const QuantityEncoding& encoding = EncodingOf(quantity);
  if (encoding.per_lane && (lane < 0 || lane >= engine->second.lanes)) {
    return {StatusCode::kOutOfRange, fmt::format("{} lane {} is outside lanes 0..{}", encoding.name,
                                                 lane, engine->second.lanes - 1)};
  }
  if (!encoding.per_lane) lane = -1;
  if (!std::isfinite(value) || value < encoding.min || value > encoding.max) {
    return {StatusCode::kOutOfRange, fmt::format("{} = {} is outside what the monitor encodes "
                                                 "[{}, {}]",
                                                 encoding.name, value, encoding.min, encoding.max)};
  }
  const auto code = static_cast<int32_t>(std::lround(value * encoding.codes_per_unit));
  values_[{target, quantity, lane}] = value;
  const auto index = static_cast<uint16_t>(static_cast<uint32_t>(quantity) << 8 |
                                           static_cast<uint32_t>(lane < 0 ? 0 : lane));
  model_.PlantWrite(PlantKind::kAdcSample, target, index, static_cast<uint16_t>(code & 0xffff));
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
