// The same scenarios over every module profile of sim-variety (issue 15, module variety): a
// 64-lane 8-bank engine, a 32-lane 4-bank engine without VDM, one without diagnostics pages
// 13h/14h and with other durations, a 16-lane and two 8-lane laser sources. Each HAL feature
// either works on the module or says that the module does not support it; nothing reads a page
// the module does not advertise. Every scenario runs twice: with the laser sources as the board
// has them (els1 in joint mode, the others at their own addresses) and with every source in
// joint mode, reached through its engine's MCU.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <optional>
#include <tuple>

#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;

struct ProfileCase {
  const char* engine;
  int lanes;
  bool vdm;
  bool diagnostics;
  milliseconds data_path_init;  // the profile's real duration
  const char* port;             // one of its ports
  const char* peer;             // its cable peer, or "" for a loopback plug
  const char* laser_source;     // the source that lights it
  int source_index;
  int source_lanes;
  int first_spare;
};

void PrintTo(const ProfileCase& c, std::ostream* out) { *out << c.engine; }

constexpr ProfileCase kProfiles[] = {
    {"oe0", 64, true, true, milliseconds(800), "eth0", "eth4", "els0", 0, 16, 15},
    {"oe1", 32, false, true, milliseconds(400), "eth11", "", "els1", 1, 8, 7},
    {"oe2", 32, true, false, milliseconds(1500), "eth15", "", "els2", 2, 8, 7},
};

bool Mentions(const Status& status, std::string_view text) {
  return status.message().find(text) != std::string::npos;
}

class ModuleProfileTest : public ::testing::TestWithParam<std::tuple<ProfileCase, bool>> {
 protected:
  static const ProfileCase& GetParam() { return std::get<0>(TestWithParam::GetParam()); }
  static bool AllJoint() { return std::get<1>(TestWithParam::GetParam()); }
  void SetUp() override {
    stack_ = AllJoint() ? Build(JointEverywhere("sim-variety")) : Build("sim-variety");
    ASSERT_TRUE(stack_.device);
    auto engine = stack_.device->FindOpticalEngine(GetParam().engine);
    ASSERT_TRUE(engine.ok());
    engine_ = *engine;
    auto source = stack_.device->FindLaserSource(GetParam().laser_source);
    ASSERT_TRUE(source.ok());
    source_ = *source;
    const auto* config = stack_.device->platform().FindLaserSource(GetParam().laser_source);
    ASSERT_NE(config, nullptr);
    ASSERT_TRUE(!AllJoint() || config->joint());
  }
  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
  hal::LaserSource* source_ = nullptr;
};

TEST_P(ModuleProfileTest, TheModuleAdvertisesItsProfile) {
  const ProfileCase& c = GetParam();
  auto advertising = engine_->Advertising();
  ASSERT_TRUE(advertising.ok()) << advertising.status().ToString();
  EXPECT_EQ(advertising->banks, c.lanes / 8);
  EXPECT_EQ(advertising->vdm_supported, c.vdm);
  EXPECT_EQ(advertising->diagnostics_pages_supported, c.diagnostics);
  // The advertised code is the bound that covers the real duration.
  EXPECT_GE(advertising->durations.data_path_init, c.data_path_init);
  EXPECT_LE(advertising->durations.data_path_init, 5 * c.data_path_init);
  EXPECT_EQ(engine_->lane_count(), c.lanes);
  // A bank past the module's lanes, and pages it lacks, are refused, not read as zeros.
  EXPECT_EQ(engine_->ReadWindow(0x11, static_cast<uint8_t>(c.lanes / 8)).status().code(),
            StatusCode::kOutOfRange);
  const auto page13 = engine_->ReadWindow(0x13, 0);
  EXPECT_EQ(page13.ok(), c.diagnostics) << page13.status().ToString();
  if (!c.diagnostics) {
    EXPECT_TRUE(Mentions(page13.status(), "not supported by this module"));
  }
  const auto page20 = engine_->ReadWindow(0x20, 0);
  EXPECT_EQ(page20.ok(), c.vdm) << page20.status().ToString();
  auto lanes = source_->Lanes();
  ASSERT_TRUE(lanes.ok()) << lanes.status().ToString();
  EXPECT_EQ(static_cast<int>(lanes->size()), c.source_lanes);
}

TEST_P(ModuleProfileTest, TelemetryReadsEveryAdvertisedMonitorOnEveryBank) {
  const ProfileCase& c = GetParam();
  const hal::TelemetrySnapshot snapshot = stack_.device->Telemetry();
  const hal::EngineTelemetry* entry = nullptr;
  for (const auto& e : snapshot.engines) {
    if (e.name == c.engine) entry = &e;
  }
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(entry->error.ok()) << entry->error.ToString();
  ASSERT_EQ(static_cast<int>(entry->lanes.size()), c.lanes);
  for (const auto& lane : entry->lanes) {
    EXPECT_TRUE(lane.tx_power_supported && lane.rx_power_supported && lane.tx_bias_supported)
        << "lane " << lane.lane;
    EXPECT_TRUE(std::isfinite(lane.rx_power_mw) && std::isfinite(lane.tx_power_mw))
        << "lane " << lane.lane;
  }
  EXPECT_TRUE(std::isfinite(entry->module.temperature_c));
}

TEST_P(ModuleProfileTest, ItsPortComesUpOrTheReasonNamesWhatTheModuleLacks) {
  const ProfileCase& c = GetParam();
  const auto ports = Select(*stack_.device, c.port);
  auto both = ports;
  if (*c.peer != '\0') {
    const auto peer = Select(*stack_.device, c.peer);
    both.insert(both.end(), peer.begin(), peer.end());
  }
  const hal::PortBringUpReport report = stack_.device->BringUpPorts(both);
  if (c.vdm) {
    EXPECT_TRUE(report.ok()) << report.outcomes.front().status.ToString();
    EXPECT_TRUE(stack_.device->PortStates(ports).front().oper_up)
        << stack_.device->PortStates(ports).front().reason;
    // Every lane of the port's data path is lit and Activated: it carries light now.
    auto monitors = engine_->Lanes();
    ASSERT_TRUE(monitors.ok());
    for (int lane : ports.front().engine_lanes) {
      EXPECT_GT((*monitors)[static_cast<size_t>(lane - 1)].tx_power_mw, 0.1) << "lane " << lane;
    }
  } else {
    // Without a way to measure the laser light it receives, the lanes feeding it cannot be
    // fibre-checked, so they stay dark and the port says why.
    ASSERT_FALSE(report.ok());
    const Status& status = report.outcomes.front().status;
    EXPECT_TRUE(Mentions(status, "not supported by this module")) << status.ToString();
    EXPECT_TRUE(Mentions(status, "VDM")) << status.ToString();
    for (int lane = 0; lane < c.source_lanes; ++lane) {
      auto truth = stack_.sim->LaserLane(c.source_index, lane);
      ASSERT_TRUE(truth.ok());
      EXPECT_FALSE(truth->enabled) << "lane " << lane + 1 << " lit without a fibre check";
    }
  }
}

TEST_P(ModuleProfileTest, PrbsRunsOrIsRefusedAsUnsupported) {
  const ProfileCase& c = GetParam();
  const std::vector<int> lanes = {1, c.lanes};  // the first and the last bank
  const Status loopback = engine_->SetLoopback(hal::LoopbackKind::kMediaOutput, lanes, true);
  const Status prbs =
      engine_->StartPrbs(hal::DiagnosticSide::kMedia, lanes, hal::PrbsPattern::kPrbs31, true, true);
  if (!c.diagnostics) {
    for (const Status& status : {loopback, prbs, engine_->PrbsResults(lanes).status()}) {
      EXPECT_EQ(status.code(), StatusCode::kNotSupported) << status.ToString();
      EXPECT_TRUE(Mentions(status, "13h/14h")) << status.ToString();
    }
    return;
  }
  ASSERT_TRUE(loopback.ok()) << loopback.ToString();
  ASSERT_TRUE(prbs.ok()) << prbs.ToString();
  stack_.sim->model().StepNs(2'000'000);
  auto results = engine_->PrbsResults(lanes);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  for (const auto& result : *results) {
    EXPECT_TRUE(result.media_locked) << "lane " << result.lane;
    EXPECT_EQ(result.media_ber, 0.0) << "lane " << result.lane;
  }
}

TEST_P(ModuleProfileTest, VdmReadsEveryLaneOrIsRefusedAsUnsupported) {
  const ProfileCase& c = GetParam();
  auto samples = engine_->Vdm();
  if (!c.vdm) {
    EXPECT_EQ(samples.status().code(), StatusCode::kNotSupported);
    EXPECT_TRUE(Mentions(samples.status(), "20h-2Fh")) << samples.status().ToString();
    return;
  }
  ASSERT_TRUE(samples.ok()) << samples.status().ToString();
  int last_lane = 0;
  for (const auto& sample : *samples) {
    EXPECT_LE(sample.lane, c.lanes);
    last_lane = std::max(last_lane, sample.lane);
  }
  EXPECT_EQ(last_lane, c.lanes) << "the last bank's lanes have samples too";
}

TEST_P(ModuleProfileTest, ALaserLightsAfterItsCheckAndADeadOneFailsOverToASpare) {
  const ProfileCase& c = GetParam();
  const Status enabled = source_->Enable({1});
  if (!c.vdm) {
    EXPECT_FALSE(enabled.ok());
    EXPECT_TRUE(Mentions(enabled, c.engine)) << enabled.ToString();
    EXPECT_TRUE(Mentions(enabled, "not supported by this module")) << enabled.ToString();
    auto truth = stack_.sim->LaserLane(c.source_index, 0);
    ASSERT_TRUE(truth.ok());
    EXPECT_FALSE(truth->enabled);
    return;
  }
  ASSERT_TRUE(enabled.ok()) << enabled.ToString();
  ASSERT_TRUE(stack_.sim->LaserLane(c.source_index, 0)->enabled);
  ASSERT_TRUE(
      stack_.sim->SetLaserPhysics(c.source_index, 0, {.threshold_ma = 20, .slope_mw_per_ma = 0})
          .ok());
  std::optional<hal::Event> spared;
  for (int round = 0; round < 60 && !spared; ++round) {
    stack_.device->clock().SleepFor(milliseconds(5));
    for (auto& event : stack_.device->SuperviseLasers()) {
      if (event.kind == hal::EventKind::kLaserSpared) spared = event;
    }
  }
  ASSERT_TRUE(spared.has_value()) << "no failover on " << c.laser_source;
  auto spare = stack_.sim->LaserLane(c.source_index, c.first_spare - 1);
  ASSERT_TRUE(spare.ok());
  EXPECT_TRUE(spare->enabled && spare->fiber_checked);
  EXPECT_EQ(spare->fiber, 1);
}

INSTANTIATE_TEST_SUITE_P(
    EveryEngineProfile, ModuleProfileTest,
    ::testing::Combine(::testing::ValuesIn(kProfiles), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<ProfileCase, bool>>& param_info) {
      return std::string(std::get<0>(param_info.param).engine) +
             (std::get<1>(param_info.param) ? "_AllJoint" : "_AsTheBoardHasThem");
    });

// The board's joint-mode source really is behind its engine: nothing answers at an address of
// its own, its pages sit in the engine's page space from B0h, and the engine's own pages are
// untouched.
TEST(JointModeTest, TheLaserSourceIsReachedOnlyThroughItsEnginesPages) {
  Stack stack = Build("sim-variety");
  ASSERT_TRUE(stack.device);
  const platform::LaserSourceConfig* els1 = stack.device->platform().FindLaserSource("els1");
  ASSERT_NE(els1, nullptr);
  EXPECT_TRUE(els1->joint());
  EXPECT_EQ(els1->via, "oe1");
  EXPECT_EQ(els1->address, 0x54);  // oe1's
  auto source = stack.device->FindLaserSource("els1");
  ASSERT_TRUE(source.ok());
  auto identity = (*source)->Identity();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->identifier, 0x22);  // OIF-ELSFP, not the engine's 0x80
  EXPECT_TRUE(identity->checksum_ok);
  auto engine = stack.device->FindOpticalEngine("oe1");
  ASSERT_TRUE(engine.ok());
  auto engine_identity = (*engine)->Identity();
  ASSERT_TRUE(engine_identity.ok());
  EXPECT_EQ(engine_identity->identifier, 0x80);
  EXPECT_NE(engine_identity->serial_number, identity->serial_number);

  // On the bus: nothing answers at an address of its own (0x52, where it sat in separate mode);
  // at oe1's address, engine page B0h + 1Ah is the source's page 1Ah and page B0h + 0Fh its lower
  // page, while the engine's own pages are the engine's.
  auto bus =
      drivers::CpoI2cController::Create(stack.io, 0, 400, drivers::CpoI2cController::Timing::kKeep);
  ASSERT_TRUE(bus.ok()) << bus.status().ToString();
  const std::array<uint8_t, 1> offset0 = {0};
  EXPECT_FALSE((*bus)->Write(0x52, offset0).ok());
  auto upper_of = [&](uint8_t page) {
    const std::array<uint8_t, 3> select = {126, 0, page};
    EXPECT_TRUE((*bus)->Write(0x54, select).ok());
    std::array<uint8_t, 128> bytes{};
    const std::array<uint8_t, 1> at = {128};
    EXPECT_TRUE((*bus)->WriteRead(0x54, at, bytes).ok());
    return bytes;
  };
  auto own = (*source)->ReadWindow(0x1A, 0);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  const auto relayed = upper_of(0xB0 + 0x1A);
  for (int offset = 128; offset < 256; ++offset) {
    if (offset >= 186 && offset <= 193) continue;  // latched flags (clear on read)
    EXPECT_EQ(relayed[static_cast<size_t>(offset - 128)], (*own)[static_cast<size_t>(offset)])
        << "1Ah byte " << offset;
  }
  EXPECT_EQ(relayed[140 - 128] >> 1, 8) << "1Ah:140 lane count";
  const auto lower = upper_of(0xB0 + 0x0F);
  EXPECT_EQ(lower[0], 0x22);           // the source's identifier
  EXPECT_EQ(upper_of(0x00)[0], 0x80);  // 00h:128 of the engine: its own identifier
  // The source's own window shows its select bytes as a module at its own address would.
  auto window = (*source)->ReadWindow(0x1A, 0);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ((*window)[0], 0x22);
  EXPECT_EQ((*window)[127], 0x1A);
  // A page beyond what the MCU relays is refused, not read from the engine's page space.
  auto beyond = (*source)->ReadWindow(0x20, 0);
  EXPECT_EQ(beyond.status().code(), StatusCode::kNotSupported) << beyond.status().ToString();
  EXPECT_NE(beyond.status().message().find("relays pages 00h-1Bh"), std::string::npos)
      << beyond.status().ToString();
}

}  // namespace
}  // namespace cpo::sim
