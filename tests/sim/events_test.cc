// Events through the whole stack: plant faults become latched flags, IntL, module state and
// fault cause, and events delivered to subscribers.
#include <gtest/gtest.h>

#include <atomic>

#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using hal::Event;
using hal::EventKind;

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    ASSERT_TRUE(stack_.device);
    engine_ = *stack_.device->FindOpticalEngine("oe0");
    stack_.device->Subscribe([this](const Event& event) { received_.push_back(event); });
    ASSERT_TRUE(engine_->SetLowPower(false).ok());
    ASSERT_TRUE(engine_->WaitForModuleState(hal::ModuleState::kReady).ok());
    stack_.device->PollEvents();
    received_.clear();
  }
  bool Received(EventKind kind, const std::string& name) {
    return std::any_of(received_.begin(), received_.end(), [&](const Event& e) {
      return e.kind == kind && e.name == name && e.source == "oe0";
    });
  }

  Stack stack_;
  hal::OpticalEngine* engine_ = nullptr;
  std::vector<Event> received_;
};

TEST_F(EventsTest, OverTemperatureLatchesAssertsIntLAndIsAnEvent) {
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 85.0).ok());
  auto status = engine_->State();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(status->interrupt);
  const auto events = stack_.device->PollEvents();
  EXPECT_TRUE(Received(EventKind::kFlagSet, "temperature.high_alarm"));
  EXPECT_TRUE(Received(EventKind::kFlagSet, "temperature.high_warning"));
  EXPECT_EQ(events.size(), received_.size());
  // The flag persists while the condition does; once gone, a read clears it: another event.
  received_.clear();
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 40.0).ok());
  stack_.device->PollEvents();  // reports and clears the latched bit
  stack_.device->PollEvents();  // finds it clear
  EXPECT_TRUE(Received(EventKind::kFlagCleared, "temperature.high_alarm"));
  EXPECT_FALSE(engine_->State()->interrupt);
}

// Regression: lane flags were read only while IntL was asserted, so a lane alarm was reported
// once, and neither its clearing nor a later transient ever was.
TEST_F(EventsTest, EveryLaneFlagTransientIsReportedSetAndCleared) {
  const std::string flag = "lane5.rx_power.high_alarm";  // high: the lane is not Activated
  for (int transient = 0; transient < 3; ++transient) {
    received_.clear();
    ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 4, 3.5).ok());
    stack_.device->clock().SleepFor(std::chrono::milliseconds(2));
    stack_.device->PollEvents();
    EXPECT_TRUE(Received(EventKind::kFlagSet, flag)) << "transient " << transient;
    ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 4, 0.8).ok());
    stack_.device->clock().SleepFor(std::chrono::milliseconds(2));
    for (int poll = 0; poll < 3; ++poll) stack_.device->PollEvents();
    EXPECT_TRUE(Received(EventKind::kFlagCleared, flag)) << "transient " << transient;
  }
}

TEST_F(EventsTest, ModuleFaultReportsStateCauseAndEvent) {
  ASSERT_TRUE(stack_.sim->SetEngineFault(0, ModuleFault::kTecRunaway).ok());
  stack_.device->PollEvents();
  auto module = engine_->Module();
  ASSERT_TRUE(module.ok());
  EXPECT_EQ(module->state, hal::ModuleState::kFault);
  EXPECT_EQ(module->fault_cause, hal::ModuleFaultCause::kTecRunaway);
  ASSERT_TRUE(Received(EventKind::kModuleStateChanged, "module.state"));
  const auto it = std::find_if(received_.begin(), received_.end(), [](const Event& e) {
    return e.kind == EventKind::kModuleStateChanged;
  });
  EXPECT_EQ(it->detail, "Ready -> Fault (cause tec-runaway)");
  EXPECT_TRUE(Received(EventKind::kFlagSet, "module.state_changed"));
  EXPECT_GT(it->time.count(), 0);
}

TEST_F(EventsTest, MaskedFlagStillLatchesButDoesNotAssertIntL) {
  hal::ModuleFlags masks;
  masks.temperature = {true, true, true, true};
  ASSERT_TRUE(engine_->SetModuleFlagMasks(masks).ok());
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, -1, 85.0).ok());
  EXPECT_FALSE(engine_->State()->interrupt);
  stack_.device->PollEvents();
  EXPECT_TRUE(Received(EventKind::kFlagSet, "temperature.high_alarm"));
}

TEST_F(EventsTest, ACallbackMayCallBackIntoTheDevice) {
  std::atomic<int> reads{0};
  stack_.device->Subscribe([&](const Event&) {
    if (engine_->State().ok()) ++reads;
  });
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kVccV, -1, 3.65).ok());
  stack_.device->PollEvents();
  EXPECT_GT(reads.load(), 0);
  EXPECT_TRUE(Received(EventKind::kFlagSet, "vcc.high_alarm"));
}

TEST_F(EventsTest, TheMonitorThreadDeliversWithoutBeingAsked) {
  std::atomic<int> faults{0};
  stack_.device->Subscribe([&](const Event& e) {
    if (e.kind == EventKind::kModuleStateChanged) ++faults;
  });
  ASSERT_TRUE(stack_.sim->SetEngineFault(0, ModuleFault::kTemperature).ok());
  stack_.device->StartEventMonitor(std::chrono::milliseconds(10));
  for (int i = 0; i < 1000 && faults.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stack_.device->StopEventMonitor();
  EXPECT_EQ(faults.load(), 1);
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

TEST(LaneMaskTest, MaskedLaneFlagLatchesWithoutIntLUntilUnmasked) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  hal::OpticalEngine* engine = *stack.device->FindOpticalEngine("oe0");
  ASSERT_TRUE(engine->Module().ok());  // clear ModuleStateChanged of power-on
  hal::LaneFlagMasks masks;
  masks.rx_power = {true, true, true, true};
  ASSERT_TRUE(engine->SetLaneFlagMasks({3}, masks).ok());
  // Above the Rx power high alarm (3 mW): the flag latches, IntL stays quiet.
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 2, 3.5).ok());
  EXPECT_FALSE(engine->State()->interrupt);
  ASSERT_TRUE(engine->SetLaneFlagMasks({3}, {}).ok());
  EXPECT_TRUE(engine->State()->interrupt);
  auto lane = engine->Lane(3);
  ASSERT_TRUE(lane.ok());
  EXPECT_TRUE(lane->rx_power_flags.high_alarm);
  // The same flag on an unmasked lane asserts IntL at once.
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 2, 0.8).ok());
  (void)engine->Lanes();
  (void)engine->Lanes();
  EXPECT_FALSE(engine->State()->interrupt);
  ASSERT_TRUE(stack.sim->SetEngineQuantity(0, Quantity::kRxPowerMw, 4, 3.5).ok());
  EXPECT_TRUE(engine->State()->interrupt);
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

TEST(LaneMaskTest, MaskedDataPathStateChangeLatchesWithoutIntL) {
  Stack stack = Build("sim-mini");
  ASSERT_TRUE(stack.device);
  hal::OpticalEngine* engine = *stack.device->FindOpticalEngine("oe0");
  ASSERT_TRUE(engine->SetLowPower(false).ok());
  ASSERT_TRUE(engine->WaitForModuleState(hal::ModuleState::kReady).ok());
  hal::LaneFlagMasks masks;
  masks.data_path_state_changed = true;
  ASSERT_TRUE(engine->SetLaneFlagMasks({5}, masks).ok());
  ASSERT_TRUE(engine->ConfigureDataPath(5, 4).ok());
  ASSERT_TRUE(engine->SetDataPathsDeinit({5}, false).ok());
  stack.sim->model().StepNs(1'000'000'000);
  EXPECT_FALSE(engine->State()->interrupt);
  auto paths = engine->DataPaths();
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ((*paths)[4].state, hal::DataPathState::kInitialized);
  EXPECT_TRUE((*paths)[4].state_changed);
}

}  // namespace
}  // namespace cpo::sim
