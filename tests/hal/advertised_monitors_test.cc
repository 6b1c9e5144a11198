// The HAL reads what the module advertises (issue 15): a lane monitor a module does not advertise
// in page 01h byte 160 (or an Rx flag not in 158) is "not supported by this module", never a
// number.
#include <gtest/gtest.h>

#include <cmath>

#include "cpo/hal/optical_engine.h"
#include "fake_laser_world.h"

namespace cpo::hal {
namespace {

// An engine that measures only Tx bias and Rx power, and has no Rx LOS flag; its monitor bytes
// hold values (and set flags) everywhere, as a module's unimplemented registers may.
class PartialMonitorsBackend : public fake::FakeEngineBackend {
 public:
  explicit PartialMonitorsBackend(fake::World& world) : FakeEngineBackend(world) {}
  Result<EngineAdvertising> ReadAdvertising() override {
    EngineAdvertising advertising;
    advertising.tx_bias_monitor = true;
    advertising.rx_power_monitor = true;
    advertising.rx_cdr_lol_supported = true;
    return advertising;
  }
  Result<std::vector<LaneMonitors>> ReadLaneMonitors(int bank) override {
    std::vector<LaneMonitors> lanes(8);
    for (int i = 0; i < 8; ++i) {
      LaneMonitors& lane = lanes[static_cast<size_t>(i)];
      lane.lane = bank * 8 + i + 1;
      lane.tx_power_mw = 6.5535;  // all ones: nothing behind it
      lane.tx_power_flags.high_alarm = true;
      lane.tx_bias_ma = 50.0;
      lane.rx_power_mw = 0.9;
      lane.rx_los = true;
      lane.rx_cdr_lol = true;
    }
    return lanes;
  }
};

TEST(AdvertisedMonitorsTest, AMonitorTheModuleDoesNotAdvertiseIsNotSupportedNotANumber) {
  fake::World world;
  fake::FakeClock clock;
  platform::OpticalEngineConfig config;
  config.name = "oe0";
  config.lanes = 8;
  config.banks = 1;
  OpticalEngine engine(config, std::make_unique<PartialMonitorsBackend>(world), clock);
  auto lanes = engine.Lanes();
  ASSERT_TRUE(lanes.ok()) << lanes.status().ToString();
  for (const auto& lane : *lanes) {
    EXPECT_FALSE(lane.tx_power_supported);
    EXPECT_TRUE(std::isnan(lane.tx_power_mw)) << "lane " << lane.lane;
    EXPECT_FALSE(lane.tx_power_flags.any()) << "no flag of an unadvertised monitor";
    EXPECT_TRUE(lane.tx_bias_supported && lane.rx_power_supported);
    EXPECT_DOUBLE_EQ(lane.tx_bias_ma, 50.0);
    EXPECT_DOUBLE_EQ(lane.rx_power_mw, 0.9);
    EXPECT_FALSE(lane.rx_los) << "01h:158 bit 1 not advertised";
    EXPECT_TRUE(lane.rx_cdr_lol);
  }
  auto one = engine.Lane(3);
  ASSERT_TRUE(one.ok());
  EXPECT_TRUE(std::isnan(one->tx_power_mw));
  EXPECT_FALSE(one->tx_power_supported);
}

}  // namespace
}  // namespace cpo::hal
