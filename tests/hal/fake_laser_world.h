// A behavioural model of one laser source, its fibres and the engine lanes they light, with
// fake backends over it: the judge of the laser-safety property tests (the model's own state is
// checked after every bus access and every step of time). One World may be shared by several
// Devices, as processes share a switch; an observer's backends never clear a latched flag.
#pragma once

#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpo/hal/device.h"

namespace cpo::hal::fake {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr int kLanes = 6;   // lanes 1-4 feed fibres 1-4, 5-6 are spares
constexpr int kFibers = 4;  // fibre f feeds engine lanes 4f-3..4f
constexpr double kCheckMw = 2.0;
constexpr double kDefaultSetpointMw = 18.0;
constexpr double kFiberLossDb = 4.0;
constexpr nanoseconds kRamp = milliseconds(30);
constexpr nanoseconds kPoll = milliseconds(5);

class FakeClock : public Clock {
 public:
  nanoseconds Now() override { return now_; }
  void SleepFor(nanoseconds duration) override;
  std::function<void()> on_advance;
  nanoseconds now_{milliseconds(1)};
};

inline void FakeClock::SleepFor(nanoseconds duration) {
  // Advance in 1 ms steps so the world is checked at every step of time.
  const nanoseconds end = now_ + duration;
  while (now_ < end) {
    now_ = std::min(end, now_ + milliseconds(1));
    if (on_advance) on_advance();
  }
}

// The physical truth: one ELSFP, its fibres, the engine lanes.
struct World {
  struct Laser {
    bool enabled = false;
    bool checked = false;
    double setpoint_mw = kDefaultSetpointMw;
    int fiber = 0;
    nanoseconds enabled_at{0};
    bool dead = false;
    // Its fibre-checked flag was set after the last cut of its fibre, removal or power cycle
    // (since `unchecked_at` when not).
    bool checked_since_event = false;
    nanoseconds unchecked_at{0};
  };
  FakeClock* clock = nullptr;
  std::array<Laser, kLanes> lasers;
  std::array<bool, kFibers + 1> cut{};
  std::array<nanoseconds, kFibers + 1> cut_at{};
  std::array<double, kFibers + 1> extra_db{};
  bool present = true;
  bool powered = false;
  // Module state changed (latched, ModuleStateChanged) and a temperature alarm (latched while
  // its condition holds, cleared by the owner's read once it is gone).
  bool state_changed = false;
  bool hot = false;
  bool hot_latched = false;
  // Engine VDM frozen: its samples stay what they were at the freeze.
  bool frozen = false;
  std::array<double, kFibers + 1> frozen_dbm{};
  bool strict_checked = false;  // also judge checked_since_event
  std::vector<uint8_t> saved;   // setpoints and map, when saved
  int violations = 0;
  std::string first_violation;

  World() { Reset(); }
  void Reset() {
    for (int i = 0; i < kLanes; ++i) {
      lasers[static_cast<size_t>(i)] = Laser{};
      lasers[static_cast<size_t>(i)].fiber = i < kFibers ? i + 1 : 0;
    }
    powered = false;
    state_changed = true;
  }
  void Cut(int fiber, nanoseconds now) {
    cut[static_cast<size_t>(fiber)] = true;
    cut_at[static_cast<size_t>(fiber)] = now;
    for (auto& laser : lasers) {
      if (laser.fiber == fiber) Uncheck(laser, now);
    }
  }
  static void Uncheck(Laser& laser, nanoseconds now) {
    if (laser.checked_since_event) laser.unchecked_at = now;
    laser.checked_since_event = false;
  }
  // A low-power cycle too short for any poll to see the module out of Ready: enables and flags
  // survive it, and the lasers relight as it comes back.
  void PowerCycle(nanoseconds now) {
    for (auto& laser : lasers) {
      Uncheck(laser, now);
      if (laser.enabled) laser.enabled_at = now;  // ramps again
    }
    state_changed = true;
  }
  bool On(int index) const {
    const Laser& laser = lasers[static_cast<size_t>(index)];
    return present && powered && laser.enabled && clock->Now() - laser.enabled_at >= kRamp;
  }
  double Output(int index) const {
    const Laser& laser = lasers[static_cast<size_t>(index)];
    return On(index) && !laser.dead ? laser.setpoint_mw : 0.0;
  }
  double InputDbm(int fiber) const {
    double mw = 0;
    for (int i = 0; i < kLanes; ++i) {
      if (lasers[static_cast<size_t>(i)].fiber == fiber) mw += Output(i);
    }
    if (mw <= 0 || cut[static_cast<size_t>(fiber)]) return -40.0;
    return 10 * std::log10(mw) - kFiberLossDb - extra_db[static_cast<size_t>(fiber)];
  }
  void Violation(const std::string& what) {
    if (violations++ == 0) {
      first_violation = what;
      first_violation_ms = clock != nullptr ? clock->Now().count() / 1e6 : 0;
    }
  }
  double first_violation_ms = 0;
  // The two safety properties, at this instant.
  void Check() {
    for (int i = 0; i < kLanes; ++i) {
      const Laser& laser = lasers[static_cast<size_t>(i)];
      if (Output(i) > kCheckMw + 1e-9 && !laser.checked) {
        Violation("lane " + std::to_string(i + 1) + " above the check setpoint, fibre unchecked");
      }
      // A lane already lit when its fibre is cut or its module cycles: the core has a poll
      // period to act (the rule above for cut fibres), no more.
      if (strict_checked && Output(i) > kCheckMw + 1e-9 && !laser.checked_since_event &&
          clock->Now() - laser.unchecked_at > kPoll) {
        Violation("lane " + std::to_string(i + 1) +
                  " above the check setpoint, its fibre not checked since the last cut, removal "
                  "or power cycle");
      }
      if (Output(i) > 0 && laser.fiber != 0 && cut[static_cast<size_t>(laser.fiber)]) {
        const nanoseconds lit_since =
            std::max(laser.enabled_at + kRamp, cut_at[static_cast<size_t>(laser.fiber)]);
        if (clock->Now() - lit_since > kPoll) {
          Violation("lane " + std::to_string(i + 1) + " lit into cut fibre " +
                    std::to_string(laser.fiber) + " for more than a poll period");
        }
      }
    }
  }
};

inline Status Gone() { return {StatusCode::kUnavailable, "no acknowledge"}; }

class FakeLaserBackend : public LaserSourceBackend {
 public:
  // An observer's backend reads without clearing latched flags and may never write.
  explicit FakeLaserBackend(World& world, bool observer = false)
      : world_(world), observer_(observer) {}
  Result<EngineIdentity> ReadIdentity() override {
    if (!world_.present) return Gone();
    EngineIdentity identity;
    identity.vendor_name = "FAKE";
    return identity;
  }
  Result<LaserSourceCapabilities> ReadCapabilities() override {
    if (!world_.present) return Gone();
    LaserSourceCapabilities caps;
    caps.lanes = kLanes;
    caps.mode = LaserControlMode::kConstantPower;
    caps.max_power_mw = 25;
    caps.min_power_mw = 1;
    caps.max_bias_ma = 400;
    caps.fiber_check_setpoint_mw = kCheckMw;
    return caps;
  }
  Result<ModuleStatus> ReadModuleStatus() override {
    world_.Check();
    if (!world_.present) return Gone();
    bool fault = false;
    for (int i = 0; i < kLanes; ++i)
      fault = fault || (world_.On(i) && world_.lasers[static_cast<size_t>(i)].dead);
    ModuleStatus status;
    status.state = world_.powered ? ModuleState::kReady : ModuleState::kLowPower;
    status.interrupt = fault || world_.state_changed || world_.hot_latched;
    return status;
  }
  Result<ModuleMonitors> ReadModuleMonitors() override {
    if (!world_.present) return Gone();
    ModuleMonitors monitors;
    monitors.state = world_.powered ? ModuleState::kReady : ModuleState::kLowPower;
    if (observer_) {
      monitors.flags_read = false;
      return monitors;
    }
    monitors.flags.state_changed = world_.state_changed;
    monitors.flags.temperature.high_alarm = world_.hot_latched;
    world_.state_changed = false;
    world_.hot_latched = world_.hot;  // clear on read; a condition that holds latches again
    return monitors;
  }
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t /*bank*/, uint8_t /*page*/) override {
    return Status(StatusCode::kNotSupported, "the fake has no register file");
  }
  Status ReadWindowBytes(uint8_t /*bank*/, uint8_t /*page*/, uint8_t /*offset*/,
                         std::span<uint8_t> /*out*/) override {
    return Status(StatusCode::kNotSupported, "the fake has no register file");
  }
  Status WriteWindow(uint8_t /*bank*/, uint8_t /*page*/, uint8_t /*offset*/,
                     std::span<const uint8_t> /*bytes*/) override {
    return Status(StatusCode::kNotSupported, "the fake has no register file");
  }
  Status SetLowPower(bool low_power) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    world_.powered = !low_power;
    return Status::Ok();
  }
  Result<std::vector<LaserLaneStatus>> ReadLanes(int bank) override {
    world_.Check();
    if (!world_.present) return Gone();
    std::vector<LaserLaneStatus> lanes;
    for (int i = bank * 8; i < std::min(kLanes, bank * 8 + 8); ++i) {
      const World::Laser& laser = world_.lasers[static_cast<size_t>(i)];
      LaserLaneStatus status;
      status.lane = i + 1;
      status.enabled = laser.enabled;
      status.state = world_.On(i) ? LaserLaneState::kOn
                                  : (laser.enabled && world_.powered ? LaserLaneState::kRamping
                                                                     : LaserLaneState::kOff);
      status.fiber_checked = laser.checked;
      status.fiber = laser.fiber;
      status.power_setpoint_mw = laser.setpoint_mw;
      status.power_mw = world_.Output(i);
      status.fault = world_.On(i) && laser.dead;
      status.fault_code = status.fault ? 1 : 0;
      lanes.push_back(status);
    }
    return lanes;
  }
  Result<std::vector<LaserLaneStatus>> ReadLaneStates(int bank) override { return ReadLanes(bank); }
  Status WriteLaneEnable(int bank, uint8_t lanes) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    for (int k = 0; k < 8 && bank * 8 + k < kLanes; ++k) {
      World::Laser& laser = world_.lasers[static_cast<size_t>(bank * 8 + k)];
      const bool on = ((lanes >> k) & 1) != 0;
      if (on && !laser.enabled) laser.enabled_at = world_.clock->Now();
      laser.enabled = on;
    }
    world_.Check();
    return Status::Ok();
  }
  Status WriteFiberChecked(int bank, uint8_t lanes) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    for (int k = 0; k < 8 && bank * 8 + k < kLanes; ++k) {
      World::Laser& laser = world_.lasers[static_cast<size_t>(bank * 8 + k)];
      const bool checked = ((lanes >> k) & 1) != 0;
      if (checked && !laser.checked) laser.checked_since_event = true;
      if (!checked) World::Uncheck(laser, world_.clock->Now());
      laser.checked = checked;
    }
    world_.Check();
    return Status::Ok();
  }
  Status WriteFiberMap(int bank, const std::array<uint8_t, 8>& fiber_of_lane) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    for (int k = 0; k < 8 && bank * 8 + k < kLanes; ++k) {
      world_.lasers[static_cast<size_t>(bank * 8 + k)].fiber =
          fiber_of_lane[static_cast<size_t>(k)];
    }
    world_.Check();
    return Status::Ok();
  }
  Status WriteSetpoints(int lane, double /*bias_ma*/, double power_mw) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    world_.lasers[static_cast<size_t>(lane - 1)].setpoint_mw = power_mw;
    world_.Check();
    return Status::Ok();
  }
  Status WritePowerSetpoints(int bank, const std::array<double, 8>& power_mw) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    for (int k = 0; k < 8 && bank * 8 + k < kLanes; ++k) {
      world_.lasers[static_cast<size_t>(bank * 8 + k)].setpoint_mw =
          power_mw[static_cast<size_t>(k)];
    }
    world_.Check();
    return Status::Ok();
  }
  Status WriteLaneMasks(int /*bank*/, const std::array<uint8_t, 8>& /*masks*/) override {
    return world_.present ? Status::Ok() : Gone();
  }
  Result<std::vector<LaserLaneElectrical>> ReadElectrical(int bank) override {
    if (!world_.present) return Gone();
    std::vector<LaserLaneElectrical> lanes(8);
    for (int i = 0; i < 8; ++i) lanes[static_cast<size_t>(i)].lane = bank * 8 + i + 1;
    return lanes;
  }
  Result<std::array<uint8_t, 8>> ReadLaneMasks(int /*bank*/) override {
    if (!world_.present) return Gone();
    return std::array<uint8_t, 8>{};
  }
  Status SaveRestore(const LaserSetCommand& command) override {
    if (!world_.present) return Gone();
    if (Status refused = RefuseObserver(); !refused.ok()) return refused;
    if (command.kind == LaserSetKind::kMasks) return Status::Ok();
    if (command.action == LaserSetAction::kSave) {
      world_.saved.clear();
      for (const auto& laser : world_.lasers) {
        world_.saved.push_back(static_cast<uint8_t>(laser.setpoint_mw));
        world_.saved.push_back(static_cast<uint8_t>(laser.fiber));
      }
      return Status::Ok();
    }
    if (command.slot == LaserSetSlot::kFactory) return Status::Ok();
    if (world_.saved.empty()) return {StatusCode::kFailedPrecondition, "nothing saved"};
    for (size_t i = 0; i < world_.lasers.size(); ++i) {
      world_.lasers[i].setpoint_mw = world_.saved[2 * i];
      world_.lasers[i].fiber = world_.saved[2 * i + 1];
    }
    world_.Check();
    return Status::Ok();
  }

 private:
  Status RefuseObserver() {
    if (!observer_) return Status::Ok();
    world_.Violation("an observer wrote to the laser source");
    return {StatusCode::kFailedPrecondition, "observer"};
  }
  World& world_;
  bool observer_;
};

// The engine side: only what the safety core reads (ELS input power, VDM type 84).
class FakeEngineBackend : public OpticalEngineBackend {
 public:
  explicit FakeEngineBackend(World& world) : world_(world) {}
  Result<bool> ReadVdmFrozen() override { return world_.frozen; }
  Status ReleaseVdmFreeze() override {
    world_.frozen = false;
    return Status::Ok();
  }
  Result<std::vector<VdmSample>> ReadVdmFlags(int /*bank*/) override {
    return std::vector<VdmSample>{};
  }
  Status WriteVdmFlagMasks(int /*bank*/, uint8_t /*lane_bits*/, uint8_t /*type_id*/,
                           const ThresholdFlags& /*masks*/) override {
    return Status::Ok();
  }
  Result<std::vector<VdmSample>> ReadVdmType(int bank, uint8_t type_id) override {
    std::vector<VdmSample> samples;
    for (int lane = bank * 8 + 1; lane <= bank * 8 + 8 && lane <= 4 * kFibers; ++lane) {
      VdmSample sample;
      sample.lane = lane;
      sample.type_id = type_id;
      const int fiber = (lane - 1) / 4 + 1;
      sample.value =
          world_.frozen ? world_.frozen_dbm[static_cast<size_t>(fiber)] : world_.InputDbm(fiber);
      samples.push_back(sample);
    }
    return samples;
  }
  Result<EngineIdentity> ReadIdentity() override { return No(); }
  // It reports the laser light it receives (VDM), so its lanes can be fibre-checked.
  Result<EngineAdvertising> ReadAdvertising() override {
    EngineAdvertising advertising;
    advertising.vdm_supported = true;
    advertising.banks = 8;
    return advertising;
  }
  Result<EngineThresholds> ReadThresholds() override { return No(); }
  Result<ModuleMonitors> ReadModuleMonitors() override { return No(); }
  Status SetLowPower(bool /*low_power*/) override { return No(); }
  Status SoftwareReset() override { return No(); }
  Status SetModuleFlagMasks(const ModuleFlags& /*masks*/) override { return No(); }
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t /*bank*/, uint8_t /*page*/) override {
    return No();
  }
  Status ReadWindowBytes(uint8_t /*bank*/, uint8_t /*page*/, uint8_t /*offset*/,
                         std::span<uint8_t> /*out*/) override {
    return No();
  }
  Status WriteWindow(uint8_t /*bank*/, uint8_t /*page*/, uint8_t /*offset*/,
                     std::span<const uint8_t> /*bytes*/) override {
    return No();
  }
  Result<std::vector<LaneMonitors>> ReadLaneMonitors(int /*bank*/) override { return No(); }
  Result<ModuleStatus> ReadModuleStatus() override { return No(); }
  Result<std::array<LaneDataPath, 8>> ReadDataPaths(int /*bank*/) override { return No(); }
  Result<std::array<LaneDataPath, 8>> ReadDataPathStates(int /*bank*/) override { return No(); }
  Result<BankControls> ReadBankControls(int /*bank*/) override { return No(); }
  Status ApplyDataPathConfig(int /*bank*/, uint8_t /*lanes*/,
                             const std::array<uint8_t, 8>& /*config*/) override {
    return No();
  }
  Status WriteDataPathDeinit(int /*bank*/, uint8_t /*lanes*/) override { return No(); }
  Status WriteTxDisable(int /*bank*/, uint8_t /*lanes*/) override { return No(); }
  Result<std::array<uint8_t, 20>> ReadLaneMasks(int /*bank*/) override { return No(); }
  Status WriteLaneMasks(int /*bank*/, const std::array<uint8_t, 20>& /*masks*/) override {
    return No();
  }
  Result<DiagnosticControls> ReadDiagnosticControls(int /*bank*/) override { return No(); }
  Status WriteDiagnosticControls(int /*bank*/, const DiagnosticControls& /*controls*/) override {
    return No();
  }
  Result<std::array<PrbsLaneResult, 8>> ReadDiagnosticResults(int /*bank*/) override {
    return No();
  }
  Result<std::vector<VdmSample>> ReadVdm(int /*banks*/) override { return No(); }

 private:
  static Status No() { return {StatusCode::kNotSupported, "not modelled by the fake engine"}; }
  World& world_;
};

inline platform::Platform MakePlatform() {
  platform::Platform platform;
  platform.name = "property";
  platform::OpticalEngineConfig engine;
  engine.name = "oe0";
  engine.bus = "b";
  engine.lanes = 16;
  engine.banks = 2;
  platform.optical_engines.push_back(engine);
  platform::LaserSourceConfig source;
  source.name = "els0";
  source.bus = "b";
  source.lanes = kLanes;
  source.fibers = kFibers;
  source.spare_lanes = {5, 6};
  platform.laser_sources.push_back(source);
  for (int f = 1; f <= kFibers; ++f) {
    platform::FiberConfig fiber;
    fiber.source = "els0";
    fiber.fiber = f;
    fiber.engine = "oe0";
    fiber.engine_lanes = {4 * f - 3, 4 * f - 2, 4 * f - 1, 4 * f};
    fiber.loss_db = kFiberLossDb;
    platform.fibers.push_back(fiber);
    platform::PortConfig port;
    port.name = "p" + std::to_string(f);
    port.engine = "oe0";
    port.engine_lanes = fiber.engine_lanes;
    port.fiber_loss_threshold_db = 10.0;
    platform.ports.push_back(port);
  }
  return platform;
}

struct Rig {
  World world;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::unique_ptr<Device> device;
  Rig() {
    world.clock = clock.get();
    clock->on_advance = [this] { world.Check(); };
    device = Open(ProcessRole::kOwner, LaserStartPolicy::kAllOff);
  }
  // A Device (another process) on the same world.
  std::unique_ptr<Device> Open(ProcessRole role, LaserStartPolicy start) {
    DeviceParts parts;
    parts.platform = MakePlatform();
    parts.engine_backends.push_back(std::make_unique<FakeEngineBackend>(world));
    parts.laser_backends.push_back(
        std::make_unique<FakeLaserBackend>(world, role == ProcessRole::kObserver));
    parts.clock = clock;
    parts.role = role;
    parts.laser_safety.poll_period = kPoll;
    parts.laser_safety.start = start;
    return std::make_unique<Device>(std::move(parts));
  }
};

}  // namespace cpo::hal::fake
