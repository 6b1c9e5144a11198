// Laser sources and fibres in the platform file: parsing, validation of the optical path, and
// the impact queries (laser lane -> fibre -> engine lanes -> ports, port -> laser lanes).
#include "cpo/platform/topology.h"

#include <gtest/gtest.h>

#include <set>

#include "cpo/platform/loader.h"

namespace cpo::platform {
namespace {

// A small board: one engine of 16 lanes, one ELSFP of 3 lasers (2 working, 1 spare), each
// fibre feeding 8 engine lanes, two ports.
std::string Board(const std::string& sources, const std::string& fibers,
                  const std::string& ports = R"(ports:
  - {name: eth0, engine: oe0, host_lanes: "0-7", engine_lanes: "1-8", fiber_loss_threshold_db: 7.5}
  - {name: eth1, engine: oe0, host_lanes: "8-15", engine_lanes: "9-16"}
)") {
  return R"(platform: laser-board
transport: {kind: sim}
switch: {host_lanes: 16}
i2c_buses: [{name: b0, controller: 0}]
optical_engines: [{name: oe0, bus: b0, address: 0x50, lanes: 16}]
)" + sources +
         fibers + ports;
}

const std::string kSources = R"(laser_sources:
  - {name: els0, bus: b0, address: 0x51, lanes: 3, fibers: 2, spare_lanes: "3"}
)";
const std::string kFibers = R"(fibers:
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8", loss_db: 4.5}
  - {source: els0, fiber: 2, engine: oe0, engine_lanes: "9-16", loss_db: 5}
)";

Platform Load(const std::string& yaml) {
  auto platform = LoadPlatformString(yaml, "board.yaml");
  EXPECT_TRUE(platform.ok()) << platform.status().ToString();
  return platform.ok() ? *platform : Platform{};
}

void ExpectError(const std::string& yaml, const std::string& where, const std::string& what) {
  auto platform = LoadPlatformString(yaml, "board.yaml");
  ASSERT_FALSE(platform.ok()) << "accepted: " << where;
  EXPECT_EQ(platform.status().code(), StatusCode::kConfigError);
  EXPECT_NE(platform.status().message().find(where), std::string::npos)
      << platform.status().message();
  EXPECT_NE(platform.status().message().find(what), std::string::npos)
      << platform.status().message();
}

TEST(LaserPlatformTest, SourcesFibresAndThresholdsParse) {
  const Platform platform = Load(Board(kSources, kFibers));
  ASSERT_EQ(platform.laser_sources.size(), 1u);
  const LaserSourceConfig& els = platform.laser_sources[0];
  EXPECT_EQ(els.address, 0x51);
  EXPECT_EQ(els.spare_lanes, std::vector<int>({3}));
  EXPECT_EQ(els.DefaultFiberOfLane(1), 1);
  EXPECT_EQ(els.DefaultFiberOfLane(2), 2);
  EXPECT_EQ(els.DefaultFiberOfLane(3), 0);
  ASSERT_EQ(platform.fibers.size(), 2u);
  EXPECT_DOUBLE_EQ(platform.fibers[1].loss_db, 5.0);
  EXPECT_DOUBLE_EQ(platform.ports[0].fiber_loss_threshold_db, 7.5);
  EXPECT_DOUBLE_EQ(platform.ports[1].fiber_loss_threshold_db, 10.0);  // default
}

TEST(LaserPlatformTest, EveryMistakeInTheOpticalPathIsPinnedToItsKey) {
  ExpectError(Board(kSources, R"(fibers:
  - {source: els9, fiber: 1, engine: oe0, engine_lanes: "1-8"}
  - {source: els0, fiber: 2, engine: oe0, engine_lanes: "9-16"}
)"),
              "9:6: fibers[0].source", "no laser source named 'els9'");
  ExpectError(Board(kSources, R"(fibers:
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8"}
  - {source: els0, fiber: 2, engine: oe0, engine_lanes: "8-16"}
)"),
              "fibers[1].engine_lanes", "lane 8 of engine 'oe0' is already fed by els0 fibre 1");
  ExpectError(Board(kSources, R"(fibers:
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8"}
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "9-16"}
)"),
              "fibers[1].fiber", "fibre 1 of 'els0' is already described by fibers[0]");
  ExpectError(Board(kSources, R"(fibers:
  - {source: els0, fiber: 3, engine: oe0, engine_lanes: "1-8"}
)"),
              "fibers[0].fiber", "fibre 3 is outside 'els0' fibres 1..2");
  ExpectError(Board(R"(laser_sources:
  - {name: els0, bus: b0, address: 0x51, lanes: 3, fibers: 2, spare_lanes: "4"}
)",
                    kFibers),
              "laser_sources[0].spare_lanes", "spare lane 4 is not one of lanes 1..3");
  ExpectError(Board(R"(laser_sources:
  - {name: els0, bus: b0, address: 0x51, lanes: 3, fibers: 2}
)",
                    kFibers),
              "laser_sources[0].fibers", "2 fibres but 3 working (non-spare) lanes");
  ExpectError(Board(R"(laser_sources:
  - {name: els0, bus: b0, address: 0x50, lanes: 3, fibers: 2, spare_lanes: "3"}
)",
                    kFibers),
              "laser_sources[0].address", "address 0x50 on bus 'b0' is already used");
  ExpectError(Board(kSources, R"(fibers:
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8"}
)"),
              "ports[1].engine_lanes", "lane 9 of engine 'oe0' has no laser fibre");
  ExpectError(Board(kSources, R"(fibers:
  - {source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8", loss_db: lots}
)"),
              "fibers[0].loss_db", "expected a number, got 'lots'");
}

TEST(TopologyTest, ImpactOfALaserFollowsItsFibreToEngineLanesAndPorts) {
  const Platform platform = Load(Board(kSources, kFibers));
  Topology topology(platform);
  auto impact = topology.ImpactOfLaser("els0", 2);
  ASSERT_TRUE(impact.ok()) << impact.status().ToString();
  EXPECT_EQ(impact->fiber, 2);
  ASSERT_EQ(impact->engine_lanes.size(), 8u);
  EXPECT_EQ(impact->engine_lanes.front(), (EngineLane{"oe0", 9}));
  EXPECT_EQ(impact->ports, std::vector<std::string>({"eth1"}));
  // The spare lights nothing until sparing moves a fibre to it.
  auto spare = topology.ImpactOfLaser("els0", 3);
  ASSERT_TRUE(spare.ok());
  EXPECT_EQ(spare->fiber, 0);
  EXPECT_TRUE(spare->ports.empty());
  ASSERT_TRUE(topology.SetFiberOfLane("els0", 3, 2).ok());
  EXPECT_EQ(topology.ImpactOfLaser("els0", 3)->ports, std::vector<std::string>({"eth1"}));
  EXPECT_TRUE(topology.ImpactOfLaser("els0", 2)->ports.empty());
  auto map = topology.MapOfPort("eth1");
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->lasers, std::vector<LaserLane>({{"els0", 3}}));
  EXPECT_EQ(topology.ImpactOfLaser("els1", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(topology.ImpactOfLaser("els0", 4).status().code(), StatusCode::kOutOfRange);
}

TEST(TopologyTest, ReferenceSwitchLightsEveryPortFromTwoLasersOfOneSource) {
  auto platform = LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  EXPECT_EQ(platform->laser_sources.size(), 16u);
  EXPECT_EQ(platform->fibers.size(), 128u);
  Topology topology(*platform);
  std::set<std::string> lit;
  for (const auto& source : platform->laser_sources) {
    EXPECT_EQ(source.spare_lanes.size(), 2u);
    for (int lane = 1; lane <= source.lanes; ++lane) {
      auto impact = topology.ImpactOfLaser(source.name, lane);
      ASSERT_TRUE(impact.ok());
      const bool spare = lane > 8;
      EXPECT_EQ(impact->engine_lanes.size(), spare ? 0u : 4u) << source.name << ":" << lane;
      EXPECT_EQ(impact->ports.size(), spare ? 0u : 1u);
      lit.insert(impact->ports.begin(), impact->ports.end());
    }
  }
  EXPECT_EQ(lit.size(), 64u);
  auto map = topology.MapOfPort("eth9");  // oe1 lanes 9-16: els2 lasers 3 and 4
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->lasers, std::vector<LaserLane>({{"els2", 3}, {"els2", 4}}));
  ASSERT_EQ(map->lanes.size(), 8u);
  EXPECT_EQ(map->lanes[0].host_lane, 72);
  EXPECT_EQ(map->lanes[0].engine_lane, (EngineLane{"oe1", 9}));
  EXPECT_EQ(map->lanes[0].fiber, 3);
}

}  // namespace
}  // namespace cpo::platform
