#include "cpo/platform/loader.h"

#include <gtest/gtest.h>

namespace cpo::platform {
namespace {

const std::string kErrors = CPO_TEST_FIXTURES "/platform-errors/";
const std::string kBoards = CPO_SOURCE_DIR "/platform/boards/";

TEST(PlatformLoaderTest, SimMiniLoads) {
  auto platform = LoadPlatformFile(kBoards + "sim-mini/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  EXPECT_EQ(platform->name, "sim-mini");
  EXPECT_EQ(platform->transport.kind, TransportKind::kSim);
  ASSERT_EQ(platform->optical_engines.size(), 1u);
  EXPECT_EQ(platform->optical_engines[0].address, 0x50);
  EXPECT_EQ(platform->optical_engines[0].banks, 1);
  ASSERT_EQ(platform->ports.size(), 1u);
  EXPECT_EQ(platform->ports[0].host_lanes, std::vector<int>({0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(platform->ports[0].engine_lanes, std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(PlatformLoaderTest, ReferenceScaleLoads) {
  auto platform = LoadPlatformFile(kBoards + "sim-51t2/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  EXPECT_EQ(platform->switch_host_lanes, 512);
  EXPECT_EQ(platform->optical_engines.size(), 8u);
  EXPECT_EQ(platform->ports.size(), 64u);
  for (const auto& engine : platform->optical_engines) {
    EXPECT_EQ(engine.lanes, 64);
    EXPECT_EQ(engine.banks, 8);
  }
  size_t host_lanes = 0;
  for (const auto& port : platform->ports) host_lanes += port.host_lanes.size();
  EXPECT_EQ(host_lanes, 512u);
}

TEST(PlatformLoaderTest, ReferenceBoardCablesEveryPortOnce) {
  auto platform = LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  int plugs = 0;
  for (const auto& cable : platform->cables) plugs += cable.loopback() ? 1 : 0;
  EXPECT_EQ(plugs, 8);
  EXPECT_EQ(platform->cables.size(), 36u);
  for (const auto& port : platform->ports) {
    EXPECT_NE(platform->CableOf(port.name), nullptr) << port.name;
  }
  EXPECT_EQ(platform->CableOf("eth40")->port, "eth8");
  EXPECT_TRUE(platform->CableOf("eth63")->loopback());
}

TEST(PlatformLoaderTest, LaneListsAcceptSequencesAndRanges) {
  auto platform = LoadPlatformString(R"(platform: t
transport: {kind: pci, vendor_id: 0x1234}
switch: {host_lanes: 4}
i2c_buses: [{name: b, device: /dev/i2c-3}]
optical_engines: [{name: e, bus: b, address: 0x50, lanes: 8}]
ports: [{name: p, engine: e, host_lanes: [3, 1], engine_lanes: "2,5"}]
)",
                                     "inline.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  EXPECT_EQ(platform->transport.kind, TransportKind::kPci);
  EXPECT_EQ(platform->transport.vendor_id, 0x1234);
  EXPECT_EQ(platform->i2c_buses[0].kind, I2cBusKind::kLinuxDevice);
  EXPECT_EQ(platform->ports[0].host_lanes, std::vector<int>({3, 1}));
  EXPECT_EQ(platform->ports[0].engine_lanes, std::vector<int>({2, 5}));
}

TEST(PlatformLoaderTest, ModuleProfilesReachTheirModules) {
  auto platform = LoadPlatformFile(kBoards + "sim-variety/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  const ModuleProfileConfig* no_diag = platform->FindProfile("oe-32-no-diagnostics");
  ASSERT_NE(no_diag, nullptr);
  EXPECT_EQ(no_diag->kind, ModuleKind::kEngine);
  EXPECT_FALSE(no_diag->diagnostics_pages);
  EXPECT_TRUE(no_diag->vdm);
  EXPECT_EQ(no_diag->durations_ms.at("data_path_init"), 1500u);
  EXPECT_EQ(platform->FindEngine("oe2")->profile, "oe-32-no-diagnostics");
  EXPECT_EQ(platform->FindEngine("oe1")->lanes, 32);
  EXPECT_EQ(platform->FindLaserSource("els0")->lanes, 16);
  EXPECT_EQ(platform->FindProfile("elsfp-8")->kind, ModuleKind::kLaserSource);
  // A board without profiles is the simulator's default module everywhere.
  auto mini = LoadPlatformFile(kBoards + "sim-mini/platform.yaml");
  ASSERT_TRUE(mini.ok());
  EXPECT_TRUE(mini->module_profiles.empty());
  EXPECT_TRUE(mini->optical_engines[0].profile.empty());
}

TEST(PlatformLoaderTest, AJointModeSourceTakesItsEnginesBusAndAddress) {
  auto platform = LoadPlatformFile(kBoards + "sim-variety/platform.yaml");
  ASSERT_TRUE(platform.ok()) << platform.status().ToString();
  const LaserSourceConfig* joint = platform->FindLaserSource("els1");
  ASSERT_NE(joint, nullptr);
  EXPECT_TRUE(joint->joint());
  EXPECT_EQ(joint->via, "oe1");
  EXPECT_EQ(joint->page_base, 0xB0);
  EXPECT_EQ(joint->bus, "oe-i2c0");
  EXPECT_EQ(joint->address, 0x54);
  const LaserSourceConfig* separate = platform->FindLaserSource("els0");
  EXPECT_FALSE(separate->joint());
  EXPECT_EQ(separate->address, 0x51);
  // page_base defaults to B0h.
  auto inline_board = LoadPlatformString(R"(platform: x
transport: {kind: sim}
switch: {host_lanes: 8}
i2c_buses: [{name: b0, controller: 0}]
optical_engines: [{name: oe0, bus: b0, address: 0x50, lanes: 8}]
laser_sources: [{name: els0, via: oe0, lanes: 1, fibers: 1}]
fibers: [{source: els0, fiber: 1, engine: oe0, engine_lanes: "1-8"}]
ports: [{name: eth0, engine: oe0, host_lanes: "0-7", engine_lanes: "1-8"}]
)",
                                         "inline.yaml");
  ASSERT_TRUE(inline_board.ok()) << inline_board.status().ToString();
  EXPECT_EQ(inline_board->laser_sources[0].page_base, kDefaultJointPageBase);
  EXPECT_EQ(inline_board->laser_sources[0].address, 0x50);
}

TEST(PlatformLoaderTest, MissingFileSaysWhereElseToLook) {
  auto platform = LoadPlatformFile("/nonexistent/platform.yaml");
  EXPECT_EQ(platform.status().code(), StatusCode::kConfigError);
  EXPECT_NE(platform.status().message().find("CPO_PLATFORM"), std::string::npos);
}

TEST(PlatformLoaderTest, FixtureBaseIsValid) {
  EXPECT_TRUE(LoadPlatformFile(kErrors + "valid.yaml").ok());
}

struct BadFile {
  const char* file;
  const char* where;  // "line:col: key"
  const char* what;   // part of the explanation
};

class MalformedPlatformTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(MalformedPlatformTest, ErrorNamesFileLineColumnAndKey) {
  const BadFile& bad = GetParam();
  auto platform = LoadPlatformFile(kErrors + bad.file);
  ASSERT_FALSE(platform.ok());
  EXPECT_EQ(platform.status().code(), StatusCode::kConfigError);
  const std::string& message = platform.status().message();
  EXPECT_EQ(message.rfind(kErrors + bad.file + ":" + bad.where, 0), 0u) << message;
  EXPECT_NE(message.find(bad.what), std::string::npos) << message;
}

// Each file is valid.yaml with one mistake; the expected position was checked by hand.
constexpr BadFile kBadFiles[] = {
    {"syntax-error.yaml", "4:7: (syntax)", "flow"},
    {"unknown-top-key.yaml", "24:1: lasers",
     "unknown key (known keys: cables, fibers, i2c_buses, laser_sources"},
    {"unknown-engine-key.yaml", "14:5: optical_engines[0].lane", "unknown key"},
    {"duplicate-engine-name.yaml", "15:5: optical_engines[1].name",
     "already the name of optical_engines[0]"},
    {"missing-bus.yaml", "12:5: optical_engines[0].bus", "no I2C bus named 'oe-i2c9'"},
    {"missing-engine.yaml", "21:5: ports[1].engine", "no optical engine named 'oe5'"},
    {"host-lane-twice.yaml", "22:5: ports[1].host_lanes",
     "host lane 7 is already assigned to port 'eth0'"},
    {"engine-lane-twice.yaml", "23:5: ports[1].engine_lanes",
     "lane 8 of engine 'oe0' is already assigned"},
    {"engine-lane-out-of-range.yaml", "23:5: ports[1].engine_lanes",
     "lane 17 is outside engine 'oe0' lanes 1..16"},
    {"host-lane-out-of-range.yaml", "22:5: ports[1].host_lanes",
     "host lane 16 is outside the switch's lanes 0..15"},
    {"address-out-of-range.yaml", "13:14: optical_engines[0].address",
     "128 is out of range [8, 119]"},
    {"not-an-integer.yaml", "14:12: optical_engines[0].lanes",
     "expected an integer, got 'sixteen'"},
    {"missing-required-key.yaml", "11:5: optical_engines[0].bus", "required key is missing"},
    {"bad-transport-kind.yaml", "3:9: transport.kind", "'usb' is not a transport"},
    {"bad-bar-access.yaml", "5:15: transport.bar_access", "'mmio' is not a BAR access"},
    {"duplicate-key.yaml", "14:5: optical_engines[0].address", "key given twice"},
    {"banks-mismatch.yaml", "15:5: optical_engines[0].banks", "a bank is 8 lanes, so use 2"},
    {"lane-count-mismatch.yaml", "23:5: ports[1].engine_lanes", "4 engine lanes for 8 host lanes"},
    {"bad-lane-range.yaml", "18:17: ports[0].host_lanes", "'7-0' is not a lane range"},
    {"breakout-not-allowed.yaml", "21:5: ports[0].breakout",
     "breakout 4x200G is not in the port's breakout_modes (1x800G, 2x400G)"},
    {"breakout-bad-mode.yaml", "20:5: ports[0].breakout_modes",
     "breakout 3x200G does not fit a port of 8 lanes"},
    {"breakout-lanes-not-adjacent.yaml", "19:5: ports[0].engine_lanes",
     "in breakout 2x400G, eth0/1 would use engine lanes 1 and 3, which are not adjacent"},
    {"cable-unknown-port.yaml", "25:18: cables[0].to",
     "no port named 'eth9'; give a port name or 'loopback'"},
    {"cable-to-itself.yaml", "25:18: cables[0].to", "use 'to: loopback' for a loopback plug"},
    {"cable-twice.yaml", "26:5: cables[1]", "port 'eth1' already has a cable (cables[0])"},
    {"profile-unknown.yaml", "17:5: optical_engines[0].profile",
     "no module profile named 'oe-big' (define it under module_profiles; engine profiles: "
     "oe-small)"},
    {"profile-wrong-kind.yaml", "17:5: optical_engines[0].profile",
     "profile 'elsfp-8' is of kind laser_source; this entry needs one of kind engine"},
    {"profile-bad-duration.yaml", "13:36: module_profiles[0].durations_ms.data_path_init",
     "0 is out of range [1, 600000]"},
    {"profile-laser-duration-on-engine.yaml", "13:20: module_profiles[0].durations_ms.lane_ramp",
     "unknown key (known keys: data_path_deinit, data_path_init, module_power_down"},
    {"polarity-swap-foreign-lane.yaml", "20:5: ports[0].rx_polarity_swaps",
     "host lane 9 is not one of the port's host lanes"},
    {"joint-unknown-engine.yaml", "26:5: laser_sources[0].via", "no optical engine named 'oe9'"},
    {"joint-with-address.yaml", "27:5: laser_sources[0].address",
     "uses that engine's bus and address; remove 'address'"},
    {"joint-page-base-low.yaml", "27:5: laser_sources[0].page_base",
     "page base 0x90 leaves the vendor pages"},
    {"joint-two-per-engine.yaml", "30:5: laser_sources[1].via",
     "engine 'oe0' already relays laser_sources[0]"},
};

INSTANTIATE_TEST_SUITE_P(AllMistakes, MalformedPlatformTest, ::testing::ValuesIn(kBadFiles),
                         [](const auto& param_info) {
                           std::string name = param_info.param.file;
                           name = name.substr(0, name.find('.'));
                           for (char& c : name) c = (c == '-') ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace cpo::platform
