// Application selection and the CMIS data-path state machine through the whole stack, timed in
// simulated time (the model's real durations, the advertised bounds the HAL waits for).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using hal::ConfigStatus;
using hal::DataPathState;

std::vector<int> LaneRange(int first, int count) {
  std::vector<int> lanes(static_cast<size_t>(count));
  std::iota(lanes.begin(), lanes.end(), first);
  return lanes;
}

class DataPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    ASSERT_TRUE(stack_.device);
    engine_ = *stack_.device->FindOpticalEngine("oe0");
    ASSERT_TRUE(engine_->SetLowPower(false).ok());
    auto ready = engine_->WaitForModuleState(hal::ModuleState::kReady);
    ASSERT_TRUE(ready.ok()) << ready.status().ToString();
  }
  uint64_t NowMs() { return stack_.sim->model().now_ns() / 1'000'000; }

  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
};

TEST_F(DataPathTest, EngineAdvertisesItsApplicationsAndDataPathDurations) {
  auto advertising = engine_->Advertising();
  ASSERT_TRUE(advertising.ok()) << advertising.status().ToString();
  ASSERT_EQ(advertising->applications.size(), 4u);
  const hal::Application& app1 = advertising->applications[0];
  EXPECT_EQ(app1.app_sel, 1);
  EXPECT_EQ(app1.host_interface_id, 0x51);
  EXPECT_EQ(hal::HostInterfaceName(app1.host_interface_id), "800GAUI-8 S C2M");
  EXPECT_EQ(app1.host_lanes, 8);
  EXPECT_EQ(app1.media_lanes, 8);
  EXPECT_TRUE(app1.MayStartAt(1));
  EXPECT_FALSE(app1.MayStartAt(2));
  EXPECT_EQ(advertising->applications[3].host_lanes, 1);
  EXPECT_EQ(advertising->media_type, 0x02);
  const EngineTiming timing;
  EXPECT_EQ(advertising->durations.data_path_init, std::chrono::milliseconds(1000));
  EXPECT_GT(advertising->durations.data_path_init.count(), timing.data_path_init_ms);
  EXPECT_EQ(advertising->durations.tx_turn_on, std::chrono::milliseconds(50));
  EXPECT_TRUE(advertising->vdm_supported);
  EXPECT_TRUE(advertising->diagnostics_pages_supported);
}

TEST_F(DataPathTest, LanesStartDeactivatedHeldInDeinitWithTxDisabled) {
  auto paths = engine_->DataPaths();
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  ASSERT_EQ(paths->size(), 8u);
  for (const auto& lane : *paths) {
    EXPECT_EQ(lane.state, DataPathState::kDeactivated);
    EXPECT_TRUE(lane.deinit_requested);
    EXPECT_TRUE(lane.tx_disabled);
    EXPECT_EQ(lane.app_sel, 0);
  }
}

TEST_F(DataPathTest, ConfigureReleaseAndEnableTakeTheRealDurations) {
  const EngineTiming timing;
  ASSERT_TRUE(engine_->ConfigureDataPath(1, 1).ok());
  auto configured = engine_->DataPaths();
  ASSERT_TRUE(configured.ok());
  for (const auto& lane : *configured) {
    EXPECT_EQ(lane.config_status, ConfigStatus::kSuccess);
    EXPECT_EQ(lane.app_sel, 1);
    EXPECT_EQ(lane.first_lane, 1);
    EXPECT_TRUE(lane.init_pending);  // applied, waiting for DPDeinit to clear
    EXPECT_EQ(lane.state, DataPathState::kDeactivated);
  }

  const auto lanes = LaneRange(1, 8);
  const uint64_t released = NowMs();
  ASSERT_TRUE(engine_->SetDataPathsDeinit(lanes, false).ok());
  auto initialized = engine_->WaitForDataPaths(lanes, DataPathState::kInitialized);
  ASSERT_TRUE(initialized.ok()) << initialized.status().ToString();
  const uint64_t init_ms = NowMs() - released;
  EXPECT_GE(init_ms, timing.data_path_init_ms);
  EXPECT_LE(init_ms, timing.data_path_init_ms + 60);  // one poll of the waiter
  for (const auto& lane : *initialized) EXPECT_FALSE(lane.init_pending);

  const uint64_t enabled = NowMs();
  ASSERT_TRUE(engine_->SetTxDisabled(lanes, false).ok());
  auto activated = engine_->WaitForDataPaths(lanes, DataPathState::kActivated);
  ASSERT_TRUE(activated.ok()) << activated.status().ToString();
  const uint64_t turn_on_ms = NowMs() - enabled;
  EXPECT_GE(turn_on_ms, timing.tx_turn_on_ms);
  EXPECT_LE(turn_on_ms, timing.tx_turn_on_ms + 10);

  // Holding the lanes in DPDeinit takes them down again.
  ASSERT_TRUE(engine_->SetDataPathsDeinit(lanes, true).ok());
  auto down = engine_->WaitForDataPaths(lanes, DataPathState::kDeactivated);
  ASSERT_TRUE(down.ok()) << down.status().ToString();
}

TEST_F(DataPathTest, DataPathStateChangedLatchesAssertsIntLAndClearsOnRead) {
  ASSERT_TRUE(engine_->ConfigureDataPath(5, 4).ok());  // 100G on lane 5 alone
  ASSERT_TRUE(engine_->Module().ok());                 // clear ModuleStateChanged
  ASSERT_TRUE(engine_->SetDataPathsDeinit({5}, false).ok());
  ASSERT_TRUE(engine_->WaitForDataPaths({5}, DataPathState::kInitialized).ok());
  // The waiter's last read saw the flag and cleared it; a later change latches it again.
  ASSERT_TRUE(engine_->SetTxDisabled({5}, false).ok());
  stack_.sim->model().StepNs(100'000'000);
  auto status = engine_->State();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->interrupt);
  auto paths = engine_->DataPaths();
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ((*paths)[4].state, DataPathState::kActivated);
  EXPECT_TRUE((*paths)[4].state_changed);
  EXPECT_FALSE((*paths)[0].state_changed);
  EXPECT_FALSE(engine_->DataPaths()->at(4).state_changed);
  EXPECT_FALSE(engine_->State()->interrupt);
  // Whoever read it, the flag history and the events keep it.
  auto records = engine_->FlagRecords();
  auto lane5 = std::find_if(records.begin(), records.end(), [](const hal::FlagRecord& r) {
    return r.name == "lane5.data_path_state_changed";
  });
  ASSERT_NE(lane5, records.end());
  EXPECT_GE(lane5->set_count, 1u);
  bool event = false;
  for (const auto& e : engine_->TakeEvents()) {
    event = event || (e.kind == hal::EventKind::kFlagSet && e.name == lane5->name);
  }
  EXPECT_TRUE(event);
}

TEST_F(DataPathTest, HalRefusesApplicationsThatDoNotFitWithoutWriting) {
  EXPECT_EQ(engine_->ConfigureDataPath(1, 9).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_->ConfigureDataPath(2, 1).code(), StatusCode::kInvalidArgument);  // 800G at 2
  EXPECT_EQ(engine_->ConfigureDataPath(3, 2).code(), StatusCode::kInvalidArgument);  // 400G at 3
  auto paths = engine_->DataPaths();
  ASSERT_TRUE(paths.ok());
  for (const auto& lane : *paths) EXPECT_EQ(lane.config_status, ConfigStatus::kUndefined);
}

TEST_F(DataPathTest, ModuleRejectsInvalidAppSelAndPartialDataPaths) {
  // Straight to the driver, as a buggy host would write it.
  auto bus = drivers::CpoI2cController::Create(stack_.io, 0, 1000);
  ASSERT_TRUE(bus.ok());
  drivers::CmisEngine raw(std::shared_ptr<transport::TwoWire>(std::move(bus).value()), 0x50, 8);
  // AppSel 6 is not advertised (4 applications).
  std::array<uint8_t, 8> config{};
  config[0] = 6 << 4;
  ASSERT_TRUE(raw.ApplyDataPathConfig(0, 0x01, config).ok());
  EXPECT_EQ(raw.ReadDataPaths(0)->at(0).config_status, ConfigStatus::kRejectedInvalidAppSel);
  // 400G (AppSel 2) on lanes 1-4, applied to lanes 1-2 only: a partial data path.
  config = {0x20, 0x20, 0x20, 0x20, 0, 0, 0, 0};
  ASSERT_TRUE(raw.ApplyDataPathConfig(0, 0x03, config).ok());
  auto paths = raw.ReadDataPaths(0);
  EXPECT_EQ(paths->at(0).config_status, ConfigStatus::kRejectedPartialDataPath);
  EXPECT_EQ(paths->at(1).config_status, ConfigStatus::kRejectedPartialDataPath);
  EXPECT_EQ(paths->at(0).app_sel, 0);  // nothing applied
  // 400G starting at lane 2: the application does not allow that first lane.
  config = {0, 0x22, 0x22, 0x22, 0x22, 0, 0, 0};
  ASSERT_TRUE(raw.ApplyDataPathConfig(0, 0x1e, config).ok());
  EXPECT_EQ(raw.ReadDataPaths(0)->at(1).config_status, ConfigStatus::kRejectedInvalidDataPath);
}

TEST_F(DataPathTest, LowPowerDeactivatesEveryDataPath) {
  ASSERT_TRUE(engine_->ConfigureDataPath(1, 1).ok());
  const auto lanes = LaneRange(1, 8);
  ASSERT_TRUE(engine_->SetDataPathsDeinit(lanes, false).ok());
  ASSERT_TRUE(engine_->SetTxDisabled(lanes, false).ok());
  ASSERT_TRUE(engine_->WaitForDataPaths(lanes, DataPathState::kActivated).ok());
  ASSERT_TRUE(engine_->SetLowPower(true).ok());
  ASSERT_TRUE(engine_->WaitForModuleState(hal::ModuleState::kLowPower).ok());
  auto paths = engine_->DataPaths();
  ASSERT_TRUE(paths.ok());
  for (const auto& lane : *paths) {
    EXPECT_EQ(lane.state, DataPathState::kDeactivated) << "lane " << lane.lane;
  }
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

TEST(DataPathBringUpTest, ColdEngineReachesActivatedWithinTheAdvertisedDurations) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  hal::OpticalEngine* engine = *stack.device->FindOpticalEngine("oe0");
  auto advertising = engine->Advertising();
  ASSERT_TRUE(advertising.ok());
  const auto& d = advertising->durations;
  const EngineTiming timing;
  std::vector<hal::BringUpProgress> progress;
  hal::BringUpOptions options;
  options.on_progress = [&](const hal::BringUpProgress& p) { progress.push_back(p); };
  // 4 x 100G on lanes 1-4, 400G on lanes 5-8, and one request that cannot be.
  const std::vector<hal::DataPathRequest> requests = {{"oe0", 1, 4}, {"oe0", 2, 4}, {"oe0", 3, 4},
                                                      {"oe0", 4, 4}, {"oe0", 5, 2}, {"oe0", 6, 1}};
  hal::BringUpReport report = stack.device->BringUpDataPaths(requests, options);
  ASSERT_EQ(report.outcomes.size(), requests.size());
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_TRUE(report.outcomes[i].status.ok()) << report.outcomes[i].status.ToString();
    const auto took = report.outcomes[i].activated_at - report.started;
    EXPECT_GE(took, std::chrono::milliseconds(timing.module_power_up_ms + timing.data_path_init_ms +
                                              timing.tx_turn_on_ms));
    EXPECT_LE(took, (d.module_power_up + d.data_path_init + d.tx_turn_on) * 11 / 10);
  }
  EXPECT_EQ(report.outcomes[5].status.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(report.ok());
  EXPECT_GT(report.cost.wire_bytes, 0u);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().activated, 5u);
  EXPECT_EQ(progress.back().failed, 1u);
  auto paths = engine->DataPaths();
  ASSERT_TRUE(paths.ok());
  for (const auto& lane : *paths) EXPECT_EQ(lane.state, hal::DataPathState::kActivated);
  EXPECT_EQ((*paths)[0].app_sel, 4);
  EXPECT_EQ((*paths)[7].app_sel, 2);
  EXPECT_EQ((*paths)[7].first_lane, 5);
}

// A register space whose every access also lets `delay` of simulated time pass, as when the
// simulator serves other work between a client's requests (cpo-simd under load) or a bus is
// slow: a bring-up round's reads then take a good part of a transition's bound.
class SlowRegisterIo : public transport::RegisterIo {
 public:
  SlowRegisterIo(std::shared_ptr<transport::RegisterIo> inner, SimulatedSwitch& sim,
                 std::chrono::nanoseconds delay)
      : RegisterIo(inner->size_bytes()), inner_(std::move(inner)), sim_(sim), delay_(delay) {}

 protected:
  Result<uint32_t> DoRead32(uint64_t offset) override {
    Delay();
    return inner_->Read32(offset);
  }
  Status DoWrite32(uint64_t offset, uint32_t value) override {
    Delay();
    return inner_->Write32(offset, value);
  }
  Result<uint32_t> DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                               std::chrono::nanoseconds timeout) override {
    Delay();
    return inner_->PollUntil(offset, mask, expected, timeout);
  }

 private:
  void Delay() {
    std::lock_guard lock(sim_.mutex());
    sim_.model().StepNs(static_cast<uint64_t>(delay_.count()));
  }
  std::shared_ptr<transport::RegisterIo> inner_;
  SimulatedSwitch& sim_;
  std::chrono::nanoseconds delay_;
};

TEST(DataPathBringUpTest, BoundsRunFromTheWriteThatStartsATransition) {
  // Regression: deadlines were taken from the start of a poll round, so a round whose reads
  // took longer than the slack (TxTurnOn: 40 ms bound, 4 ms margin) timed out lanes that were
  // still within their bound.
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  OpenOptions options;
  options.register_io =
      std::make_shared<SlowRegisterIo>(stack.io, *stack.sim, std::chrono::milliseconds(3));
  options.clock = stack.sim->MakeClock();
  auto device = OpenDevice(stack.device->platform(), options);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  hal::BringUpReport report = (*device)->BringUpDataPaths({{"oe0", 1, 1}});
  ASSERT_EQ(report.outcomes.size(), 1u);
  EXPECT_TRUE(report.outcomes[0].status.ok()) << report.outcomes[0].status.ToString();
  EXPECT_EQ(report.outcomes[0].retries, 0);
}

TEST(DataPathBringUpTest, AFaultedModuleFailsItsRequestsWithTheReason) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  ASSERT_TRUE(stack.sim->SetEngineFault(0, ModuleFault::kTecRunaway).ok());
  stack.sim->model().StepNs(1'000'000);
  hal::BringUpReport report = stack.device->BringUpDataPaths({{"oe0", 1, 1}});
  ASSERT_EQ(report.outcomes.size(), 1u);
  EXPECT_EQ(report.outcomes[0].status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(report.outcomes[0].status.message().find("Fault"), std::string::npos);
}

}  // namespace
}  // namespace cpo::sim
