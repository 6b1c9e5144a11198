// One switch shared by an owner and observers, and the owner restarting (issue 14), in process on
// sim-51t2: the model's own state (LaserLane, flags the owner reads) is the judge. A second
// Device on the same model stands in for a second process; the owner lock itself is tested over
// cpo-simd (tests/capi/owner_observer_test.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <set>
#include <thread>

#include "cpo/drivers/elsfp/elsfp_module.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;

constexpr int kEls0 = 0;  // els0 on controller 0 at 0x51 feeds oe0 lanes 1-32
constexpr double kOperatingMw = 18.0;

class OwnerRolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-51t2");
    ASSERT_TRUE(stack_.device);
    platform_ = stack_.device->platform();
  }
  // Another process on the same switch (no lock in process: the role is given). An observer
  // asks the owner at `owner_channel` for what it publishes, when given.
  std::unique_ptr<hal::Device> Open(hal::RoleRequest role, hal::LaserStartPolicy start,
                                    const std::string& owner_channel = "") {
    OpenOptions options;
    options.owner_channel = owner_channel;
    options.register_io = stack_.io;
    options.clock = stack_.sim->MakeClock();
    options.role = role;
    options.laser_safety.start = start;
    auto device = OpenDevice(platform_, options);
    EXPECT_TRUE(device.ok()) << device.status().ToString();
    return device.ok() ? std::move(device).value() : nullptr;
  }
  SimulatedSwitch::LaserLaneTruth Truth(int lane) {
    auto truth = stack_.sim->LaserLane(kEls0, lane - 1);
    EXPECT_TRUE(truth.ok());
    return truth.ok() ? *truth : SimulatedSwitch::LaserLaneTruth{};
  }
  static hal::LaserLaneReport Report(hal::Device& device, int lane) {
    auto els0 = device.FindLaserSource("els0");
    EXPECT_TRUE(els0.ok());
    auto lanes = (*els0)->Lanes();
    EXPECT_TRUE(lanes.ok()) << lanes.status().ToString();
    return lanes.ok() ? (*lanes)[static_cast<size_t>(lane - 1)] : hal::LaserLaneReport{};
  }
  void Poll(hal::Device& device, int rounds) {
    for (int round = 0; round < rounds; ++round) {
      device.clock().SleepFor(milliseconds(5));
      (void)device.SuperviseLasers();
    }
  }
  hal::LaserSource& Els0() { return **stack_.device->FindLaserSource("els0"); }
  // els0 driven by another process, behind the owner's back (controller 0, address 0x51).
  std::unique_ptr<drivers::ElsfpModule> AnotherProcessOnEls0() {
    auto bus = drivers::CpoI2cController::Create(stack_.io, 0, 400,
                                                 drivers::CpoI2cController::Timing::kKeep);
    EXPECT_TRUE(bus.ok());
    return std::make_unique<drivers::ElsfpModule>(
        std::shared_ptr<transport::TwoWire>(std::move(*bus)), 0x51, 10);
  }
  // Polls until els0 lane 1 operates again, and finds it fibre-checked after `since`.
  void ExpectOperatingAgainAfterACheckSince(std::chrono::nanoseconds since) {
    for (int round = 0;
         round < 200 && Report(*stack_.device, 1).phase != hal::LaserLanePhase::kOperating;
         ++round) {
      Poll(*stack_.device, 1);
    }
    const auto report = Report(*stack_.device, 1);
    EXPECT_EQ(report.phase, hal::LaserLanePhase::kOperating);
    ASSERT_TRUE(report.last_check.has_value());
    EXPECT_GT(report.last_check->time, since);
  }

  Stack stack_;
  platform::Platform platform_;  // outlives the first owner
};

TEST_F(OwnerRolesTest, AnOwnerRestartKeepsVerifiedLanesLitAndTheSparing) {
  ASSERT_TRUE(Els0().Enable({1, 2, 3, 4, 5, 6, 7, 8}).ok());
  ASSERT_TRUE(
      stack_.sim->SetLaserPhysics(kEls0, 2, {.threshold_ma = 20, .slope_mw_per_ma = 0}).ok());
  for (int round = 0;
       round < 40 && Report(*stack_.device, 9).phase != hal::LaserLanePhase::kOperating; ++round) {
    Poll(*stack_.device, 1);
  }
  ASSERT_EQ(Report(*stack_.device, 9).spare_for, 3);
  stack_.device.reset();  // the owner exits (or crashes): nothing is written on the way out
  auto restarted = Open(hal::RoleRequest::kOwner, hal::LaserStartPolicy::kAdoptChecked);
  ASSERT_TRUE(restarted);
  for (int lane : {1, 2, 4, 5, 6, 7, 8, 9}) {
    EXPECT_TRUE(Truth(lane).enabled) << lane;
    EXPECT_NEAR(Truth(lane).output_mw, kOperatingMw, 0.05) << lane;
    EXPECT_EQ(Report(*restarted, lane).phase, hal::LaserLanePhase::kOperating) << lane;
  }
  // The sparing lives in the module's map: the new owner knows lane 3 is retired.
  EXPECT_EQ(Report(*restarted, 3).phase, hal::LaserLanePhase::kRetired);
  EXPECT_EQ(Report(*restarted, 9).spare_for, 3);
  EXPECT_EQ(Truth(9).fiber, 3);
  Poll(*restarted, 20);
  EXPECT_EQ(Report(*restarted, 9).phase, hal::LaserLanePhase::kOperating);
  EXPECT_TRUE(Truth(9).enabled);
}

TEST_F(OwnerRolesTest, AnOwnerRestartDoesNotAdoptALaneWhoseFibreWasCutMeanwhile) {
  ASSERT_TRUE(Els0().Enable({1, 2}).ok());
  stack_.device.reset();
  ASSERT_TRUE(stack_.sim->SetFiberCut(kEls0, 1, true).ok());  // nobody supervises now
  auto restarted = Open(hal::RoleRequest::kOwner, hal::LaserStartPolicy::kAdoptChecked);
  ASSERT_TRUE(restarted);
  EXPECT_FALSE(Truth(1).enabled);  // dark at open, before any poll
  EXPECT_FALSE(Truth(1).fiber_checked);
  EXPECT_TRUE(Truth(2).enabled);
  EXPECT_EQ(Report(*restarted, 2).phase, hal::LaserLanePhase::kOperating);
  // Checked again (and failing on the cut fibre), never at operating power.
  Poll(*restarted, 40);
  EXPECT_FALSE(Truth(1).enabled);
  EXPECT_EQ(Report(*restarted, 1).phase, hal::LaserLanePhase::kFailed);
}

TEST_F(OwnerRolesTest, AFrozenVdmCannotPassACutFibre) {
  // The probe: light lane 1, freeze the engine's VDM (its samples now hold 18 mW of light),
  // turn the lane off, cut its fibre, enable it again.
  ASSERT_TRUE(Els0().Enable({1}).ok());
  auto oe0 = stack_.device->FindOpticalEngine("oe0");
  ASSERT_TRUE(oe0.ok());
  const std::array<uint8_t, 1> freeze = {0x80};
  ASSERT_TRUE((*oe0)->WriteWindow(0x2F, 0, 144, freeze).ok());
  ASSERT_TRUE(Els0().Disable({1}).ok());
  ASSERT_TRUE(stack_.sim->SetFiberCut(kEls0, 1, true).ok());
  const Status enabled = Els0().Enable({1});
  EXPECT_FALSE(enabled.ok());
  EXPECT_FALSE(Truth(1).enabled);
  const auto report = Report(*stack_.device, 1);
  EXPECT_EQ(report.phase, hal::LaserLanePhase::kFailed);
  ASSERT_TRUE(report.last_check.has_value());
  EXPECT_FALSE(report.last_check->passed);
  // The owner released the freeze it found.
  auto frozen = (*oe0)->ReadWindowBytes(0x2F, 0, 144, 1);
  ASSERT_TRUE(frozen.ok());
  EXPECT_EQ((*frozen)[0] & 0x80, 0);
}

TEST_F(OwnerRolesTest, ALowPowerCycleOfALaserSourceMakesItsLanesCheckedAgain) {
  ASSERT_TRUE(Els0().Enable({1}).ok());
  const auto first_check = Report(*stack_.device, 1).last_check->time;
  // Someone else puts els0 into low power behind the owner's back.
  auto other = AnotherProcessOnEls0();
  ASSERT_TRUE(other->SetLowPower(true).ok());
  stack_.device->clock().SleepFor(milliseconds(20));
  (void)stack_.device->SuperviseLasers();
  EXPECT_FALSE(Truth(1).fiber_checked);  // unchecked from the moment the owner saw it
  EXPECT_NE(Report(*stack_.device, 1).phase, hal::LaserLanePhase::kOperating);
  // The owner powers it up again and lights the lane only through a new fibre check.
  ExpectOperatingAgainAfterACheckSince(first_check);
}

// The same, too quick for any poll to see the module out of Ready: its ModuleStateChanged flag
// says it happened.
TEST_F(OwnerRolesTest, ALowPowerCycleBetweenTwoPollsMakesItsLanesCheckedAgain) {
  ASSERT_TRUE(Els0().Enable({1}).ok());
  const auto first_check = Report(*stack_.device, 1).last_check->time;
  auto other = AnotherProcessOnEls0();
  ASSERT_TRUE(other->SetLowPower(true).ok());
  stack_.device->clock().SleepFor(milliseconds(2));
  ASSERT_TRUE(other->SetLowPower(false).ok());
  for (int wait = 0; wait < 100; ++wait) {
    auto module = other->ReadModuleStatus();
    if (module.ok() && module->state == hal::ModuleState::kReady) break;
    stack_.device->clock().SleepFor(milliseconds(1));
  }
  (void)stack_.device->SuperviseLasers();
  EXPECT_NE(Report(*stack_.device, 1).phase, hal::LaserLanePhase::kOperating);
  ExpectOperatingAgainAfterACheckSince(first_check);
}

TEST_F(OwnerRolesTest, ARawWriteCannotPutALaserSourceInLowPower) {
  const std::array<uint8_t, 1> low_power = {0x10};
  const Status written = Els0().WriteWindow(0, 0, 26, low_power);
  EXPECT_EQ(written.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(written.message().find("byte 26"), std::string::npos) << written.message();
}

TEST_F(OwnerRolesTest, AnObserverChangesNothingAndConsumesNoLatchedFlag) {
  ASSERT_TRUE(Els0().Enable({1, 2}).ok());
  auto observer = Open(hal::RoleRequest::kObserver, hal::LaserStartPolicy::kObserve);
  ASSERT_TRUE(observer);
  EXPECT_EQ(observer->role(), hal::ProcessRole::kObserver);
  EXPECT_TRUE(Truth(1).enabled);  // opening darkened nothing
  EXPECT_EQ(Report(*observer, 1).phase, hal::LaserLanePhase::kOperating);
  // A temperature excursion latches a flag; the observer looks, the owner still finds it.
  auto* owner_oe0 = *stack_.device->FindOpticalEngine("oe0");
  ASSERT_TRUE(owner_oe0->Module().ok());  // clear what the power-up latched
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, 0, 90.0).ok());
  observer->clock().SleepFor(milliseconds(5));
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, 0, 42.0).ok());
  observer->clock().SleepFor(milliseconds(5));
  auto* observer_oe0 = *observer->FindOpticalEngine("oe0");
  auto seen = observer_oe0->Module();
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->flags_read);
  (void)observer->Telemetry();
  auto lanes = observer_oe0->Lanes();
  ASSERT_TRUE(lanes.ok());
  EXPECT_FALSE((*lanes)[0].flags_read);
  auto owner_view = owner_oe0->Module();
  ASSERT_TRUE(owner_view.ok());
  EXPECT_TRUE(owner_view->flags_read);
  EXPECT_TRUE(owner_view->flags.temperature.high_alarm);
  // Changes are refused, naming how to get them made; the lasers are untouched.
  EXPECT_EQ(observer->EnableLasers({{"els0", 3}}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(observer_oe0->SetLowPower(true).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(Truth(3).enabled);
  EXPECT_TRUE(Truth(1).enabled);
}

// What the owner publishes reaches an observer through the request channel: the events it
// delivers, the reason and sparing only its safety core knows, its flag history and its
// bring-up progress (issue 14: "The owner publishes").
class PublishedStateTest : public OwnerRolesTest {
 protected:
  void SetUp() override {
    OwnerRolesTest::SetUp();
    channel_ = ::testing::TempDir() + "/owner-roles-" + std::to_string(getpid()) + ".sock";
    ASSERT_TRUE(stack_.device->ServeRequests(channel_).ok());
    observer_ = Open(hal::RoleRequest::kObserver, hal::LaserStartPolicy::kObserve, channel_);
    ASSERT_TRUE(observer_);
  }
  std::string channel_;
  std::unique_ptr<hal::Device> observer_;
};

TEST_F(PublishedStateTest, AnObserverStreamsTheOwnersEventsFromWhenItOpened) {
  // What the owner found before an observer opened is not streamed to it.
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTxBiasMa, 2, 120.0).ok());
  stack_.device->clock().SleepFor(milliseconds(5));
  ASSERT_FALSE(stack_.device->PollEvents().empty());  // that bias flag, at least
  auto late_observer = Open(hal::RoleRequest::kObserver, hal::LaserStartPolicy::kObserve, channel_);
  ASSERT_TRUE(late_observer);
  EXPECT_TRUE(late_observer->PollEvents().empty());
  (void)observer_->PollEvents();
  // A temperature excursion: the owner finds its alarm set, then (reads later) cleared.
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, 0, 90.0).ok());
  stack_.device->clock().SleepFor(milliseconds(5));
  size_t owners = stack_.device->PollEvents().size();
  ASSERT_TRUE(stack_.sim->SetEngineQuantity(0, Quantity::kTemperatureC, 0, 42.0).ok());
  for (int poll = 0; poll < 4; ++poll) {
    stack_.device->clock().SleepFor(milliseconds(5));
    owners += stack_.device->PollEvents().size();
  }
  std::vector<hal::Event> delivered;
  (void)observer_->Subscribe([&delivered](const hal::Event& event) { delivered.push_back(event); });
  const auto streamed = observer_->PollEvents();
  ASSERT_EQ(streamed.size(), owners);
  ASSERT_EQ(delivered.size(), streamed.size());
  bool alarm_set = false, alarm_cleared = false;
  for (const auto& event : streamed) {
    alarm_set |= event.kind == hal::EventKind::kFlagSet && event.name == "temperature.high_alarm";
    alarm_cleared |=
        event.kind == hal::EventKind::kFlagCleared && event.name == "temperature.high_alarm";
  }
  EXPECT_TRUE(alarm_set);
  EXPECT_TRUE(alarm_cleared);
  EXPECT_TRUE(observer_->PollEvents().empty());  // each event once
  // The owner's flag history, which the observer could not have kept (it reads no latched byte).
  const auto owner_flags = (*stack_.device->FindOpticalEngine("oe0"))->FlagRecords();
  const auto observer_flags = (*observer_->FindOpticalEngine("oe0"))->FlagRecords();
  ASSERT_EQ(observer_flags.size(), owner_flags.size());
  for (size_t i = 0; i < owner_flags.size(); ++i) {
    EXPECT_EQ(observer_flags[i].name, owner_flags[i].name);
    EXPECT_EQ(observer_flags[i].set_count, owner_flags[i].set_count);
    EXPECT_EQ(observer_flags[i].last_clear, owner_flags[i].last_clear);
  }
}

TEST_F(PublishedStateTest, AnObserverShowsWhyTheOwnerTurnedALaneOff) {
  ASSERT_TRUE(Els0().Enable({1}).ok());
  ASSERT_TRUE(stack_.sim->SetFiberCut(kEls0, 1, true).ok());
  Poll(*stack_.device, 10);
  const auto owners = Report(*stack_.device, 1);
  ASSERT_EQ(owners.phase, hal::LaserLanePhase::kFailed);
  ASSERT_FALSE(owners.reason.empty());
  // The module says only "dark"; the owner's core knows it failed and why.
  const auto observed = Report(*observer_, 1);
  EXPECT_EQ(observed.phase, hal::LaserLanePhase::kFailed);
  EXPECT_EQ(observed.reason, owners.reason);
  EXPECT_FALSE(observed.status.enabled);
  ASSERT_TRUE(observed.last_check.has_value());
  EXPECT_EQ(observed.last_check->time, owners.last_check->time);
}

TEST_F(PublishedStateTest, AnObserverFollowsTheOwnersBringUpStageByStage) {
  EXPECT_EQ(observer_->Progress()->operation, "");  // none yet
  auto ports = stack_.device->SelectPorts("eth0");
  auto peer = stack_.device->SelectPorts("eth32");  // its cable peer: a link needs both ends
  ASSERT_TRUE(ports.ok() && peer.ok());
  ports->insert(ports->end(), peer->begin(), peer->end());
  std::set<std::string> stages;
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (auto progress = observer_->Progress(); progress && progress->running) {
        stages.insert(progress->stage);
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  const auto report = stack_.device->BringUpPorts(*ports);
  done.store(true);
  watcher.join();
  ASSERT_TRUE(report.ok()) << report.outcomes[0].status.ToString();
  EXPECT_TRUE(stages.contains("lasers"));  // the longest stages: a fibre check, a data path
  EXPECT_TRUE(stages.contains("datapath"));
  const auto finished = observer_->Progress();
  ASSERT_TRUE(finished.has_value());
  EXPECT_FALSE(finished->running);
  EXPECT_EQ(finished->operation, "port.up");
  EXPECT_EQ(finished->ports, 2);
  EXPECT_EQ(finished->ports_ok, 2);
  EXPECT_EQ(finished->data_paths_done, finished->data_paths);
  EXPECT_EQ(finished->finished, report.finished);
}

TEST_F(PublishedStateTest, WithNoOwnerAnsweringAnObserverFallsBackToItsOwnReads) {
  ASSERT_TRUE(Els0().Enable({1}).ok());
  ASSERT_TRUE(stack_.device->ServeRequests(channel_ + ".elsewhere").ok());  // channel_ gone
  EXPECT_FALSE(observer_->Progress().has_value());
  EXPECT_FALSE(observer_->EventsAfter(0, 10).has_value());
  observer_->clock().SleepFor(milliseconds(200));  // past the observer's cache
  EXPECT_EQ(Report(*observer_, 1).phase, hal::LaserLanePhase::kOperating);  // from the module
  (void)observer_->PollEvents();  // its own reads; nothing breaks
}

}  // namespace
}  // namespace cpo::sim
