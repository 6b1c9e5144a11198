// ELSFP conformance of the laser-source driver's decoders: every storage-backed field of pages
// 1Ah and 1Bh is checked for offset, width, scale and bit position against the table below,
// written from the OIF ELSFP layout (shared/reference/cmis-elsfp.md) independently of the
// driver's constants. The module MCU (the plant) writes a distinct pattern into each field.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "cpo/drivers/elsfp/elsfp_module.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

enum class Kind { kU8, kU16, kLaneBits };

struct Reads {
  hal::LaserSourceCapabilities caps;
  std::vector<hal::LaserLaneStatus> lanes;  // lanes 1-10
};

struct Field {
  const char* name;
  uint8_t page;
  uint8_t bank;
  uint8_t offset;
  Kind kind;
  double unit;  // physical value = raw * unit
  std::function<double(const Reads&)> hal;
};

// A bank's per-lane flags as the driver reports them, packed back into a byte.
double Bits(const Reads& r, int bank, bool hal::LaserLaneStatus::*member) {
  int bits = 0;
  for (int i = 0; i < 8 && bank * 8 + i < static_cast<int>(r.lanes.size()); ++i) {
    if (r.lanes[static_cast<size_t>(bank * 8 + i)].*member) bits |= 1 << i;
  }
  return bits;
}

const std::vector<Field>& Table() {
  static const std::vector<Field> table = {
      {"max_power", 0x1A, 0, 128, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.max_power_mw; }},
      {"min_power", 0x1A, 0, 130, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.min_power_mw; }},
      {"max_bias", 0x1A, 0, 132, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.max_bias_ma; }},
      {"min_bias", 0x1A, 0, 134, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.min_bias_ma; }},
      {"bias_high_alarm", 0x1A, 0, 141, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.bias_ma.high_alarm; }},
      {"bias_low_alarm", 0x1A, 0, 143, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.bias_ma.low_alarm; }},
      {"bias_high_warning", 0x1A, 0, 145, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.bias_ma.high_warning; }},
      {"bias_low_warning", 0x1A, 0, 147, Kind::kU16, 0.1,
       [](const Reads& r) { return r.caps.bias_ma.low_warning; }},
      {"power_high_alarm", 0x1A, 0, 149, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.power_mw.high_alarm; }},
      {"power_low_alarm", 0x1A, 0, 151, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.power_mw.low_alarm; }},
      {"power_high_warning", 0x1A, 0, 153, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.power_mw.high_warning; }},
      {"power_low_warning", 0x1A, 0, 155, Kind::kU16, 0.01,
       [](const Reads& r) { return r.caps.power_mw.low_warning; }},
      {"fiber_check_setpoint", 0x1A, 0, 248, Kind::kU8, 1.0,
       [](const Reads& r) { return r.caps.fiber_check_setpoint_mw; }},
      {"lane_enable", 0x1A, 0, 220, Kind::kLaneBits, 1,
       [](const Reads& r) { return Bits(r, 0, &hal::LaserLaneStatus::enabled); }},
      {"fiber_checked", 0x1A, 0, 223, Kind::kLaneBits, 1,
       [](const Reads& r) { return Bits(r, 0, &hal::LaserLaneStatus::fiber_checked); }},
      {"lane1_fiber", 0x1A, 0, 224, Kind::kU8, 1, [](const Reads& r) { return r.lanes[0].fiber; }},
      {"lane8_fiber", 0x1A, 0, 231, Kind::kU8, 1, [](const Reads& r) { return r.lanes[7].fiber; }},
      {"lane10_fiber", 0x1A, 1, 225, Kind::kU8, 1, [](const Reads& r) { return r.lanes[9].fiber; }},
      {"lane1_bias_setpoint", 0x1B, 0, 128, Kind::kU16, 0.1,
       [](const Reads& r) { return r.lanes[0].bias_setpoint_ma; }},
      {"lane8_bias_setpoint", 0x1B, 0, 142, Kind::kU16, 0.1,
       [](const Reads& r) { return r.lanes[7].bias_setpoint_ma; }},
      {"lane1_power_setpoint", 0x1B, 0, 144, Kind::kU16, 0.01,
       [](const Reads& r) { return r.lanes[0].power_setpoint_mw; }},
      {"lane8_power_setpoint", 0x1B, 0, 158, Kind::kU16, 0.01,
       [](const Reads& r) { return r.lanes[7].power_setpoint_mw; }},
      {"lane10_bias_setpoint", 0x1B, 1, 130, Kind::kU16, 0.1,
       [](const Reads& r) { return r.lanes[9].bias_setpoint_ma; }},
      {"lane10_power_setpoint", 0x1B, 1, 146, Kind::kU16, 0.01,
       [](const Reads& r) { return r.lanes[9].power_setpoint_mw; }},
  };
  return table;
}

TEST(ElsfpConformanceTest, EveryStoredFieldDecodesAtItsOffsetWidthAndScale) {
  Stack stack = Build("sim-51t2");
  ASSERT_TRUE(stack.sim);
  const int target = *stack.sim->LaserSourceTarget(0);
  std::map<std::tuple<int, int, int>, uint8_t> bytes;
  std::vector<double> expected;
  const auto& table = Table();
  for (size_t i = 0; i < table.size(); ++i) {
    const Field& f = table[i];
    const auto n = static_cast<int>(i);
    auto at = [&](int k) -> uint8_t& { return bytes[{f.page, f.bank, f.offset + k}]; };
    if (f.kind == Kind::kU16) {
      const auto raw = static_cast<uint16_t>(0x8001 + 0x0203 * n);
      at(0) = static_cast<uint8_t>(raw >> 8);
      at(1) = static_cast<uint8_t>(raw & 0xff);
      expected.push_back(raw * f.unit);
    } else {
      at(0) = static_cast<uint8_t>(0x80 + n);
      expected.push_back((0x80 + n) * f.unit);
    }
  }
  // Byte 140: lane count in bits 7-1, constant power in bit 0.
  bytes[{0x1A, 0, 140}] = 10 << 1 | 1;
  {
    std::lock_guard lock(stack.sim->mutex());
    for (const auto& [where, value] : bytes) {
      const auto [page, bank, offset] = where;
      ASSERT_TRUE(stack.sim->plant()
                      .PokeRegister(target, static_cast<uint8_t>(page), static_cast<uint8_t>(bank),
                                    static_cast<uint8_t>(offset), value)
                      .ok());
    }
  }
  auto bus = drivers::CpoI2cController::Create(stack.io, 0, 1000);
  ASSERT_TRUE(bus.ok());
  drivers::ElsfpModule els(std::shared_ptr<transport::TwoWire>(std::move(bus).value()), 0x51, 10);
  Reads reads;
  reads.caps = *els.ReadCapabilities();
  reads.lanes = *els.ReadLanes(0);
  auto bank1 = els.ReadLanes(1);
  ASSERT_TRUE(bank1.ok());
  reads.lanes.insert(reads.lanes.end(), bank1->begin(), bank1->end());
  ASSERT_EQ(reads.lanes.size(), 10u);
  EXPECT_EQ(reads.caps.lanes, 10);
  EXPECT_EQ(reads.caps.mode, hal::LaserControlMode::kConstantPower);
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_NEAR(table[i].hal(reads), expected[i], std::abs(expected[i]) * 1e-12 + 1e-12)
        << table[i].name;
  }
}

}  // namespace
}  // namespace cpo::sim
