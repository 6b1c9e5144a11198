// Model: one instance of the Verilator model of the CPO silicon, with its own VerilatedContext
// (no static models), a clock the harness steps, and the register bus and plant side channel.
// Not thread-safe: the owner serializes access (ModelRegisterIo and cpo-simd do).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class VerilatedContext;
class Vcpo_top;

namespace cpo::sim {

// What the plant side channel carries into the RTL (see docs/register-map.md).
enum class PlantKind : uint8_t {
  kAdcSample = 0,
  kEepromByte = 1,
  kTargetStrap = 2,
  kTiming = 3,
  kModuleFault = 4,
  kBitErrorInterval = 5,
  kVdmSample = 6,
  kLaserPhysics = 7,
  kSerdesSource = 8,         // index: SerDes lane; value: [15] present, [9:0] source lane
  kSerdesErrorInterval = 9,  // index: [15] high half, [9:0] SerDes lane
  kJointWindow = 10,         // value: [8] on, [7:0] page base, [10:9] engine slot (lasers)
};

class Model {
 public:
  // Elaboration parameters of the RTL top (cpo_top.sv).
  static constexpr int kBuses = 8;
  static constexpr int kTargetsPerBus = 4;
  // Slots 0..kEnginesPerBus-1 of a bus are CMIS engines, the rest ELSFP laser sources.
  static constexpr int kEnginesPerBus = 2;
  static constexpr int kLaserLanes = 16;
  static constexpr int kBanks = 8;
  static constexpr int kSerdesLanes = 512;
  static constexpr uint64_t kCoreKhz = 8000;
  static constexpr uint64_t kCycleNs = 1'000'000 / kCoreKhz;  // 125 ns
  static constexpr uint64_t kRegisterSpaceBytes = 1u << 20;

  Model();
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // One register access costs one core clock of simulated time.
  uint32_t Read32(uint64_t offset);
  void Write32(uint64_t offset, uint32_t value);
  // Clocks the model until (register & mask) == expected or timeout_ns of simulated time passes.
  // Returns true on a match; *value gets the last value read.
  bool PollUntil(uint64_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_ns,
                 uint32_t* value);

  // One of several waits running at once (ModelScheduler): until its register matches (when
  // `poll`) or the model reaches `deadline_cycles`.
  struct Wait {
    bool poll = false;
    uint64_t offset = 0;
    uint32_t mask = 0;
    uint32_t expected = 0;
    uint64_t deadline_cycles = 0;
    bool over = false;     // out: matched or past its deadline
    bool matched = false;  // out: the register matched
    uint32_t value = 0;    // out: the last value read
  };
  // Clocks the model until at least one wait is over (as PollUntil does for one); marks every
  // wait that is over by then.
  void AdvanceUntilAny(std::vector<Wait>& waits);

  void StepNs(uint64_t ns);
  void StepCycles(uint64_t cycles);
  uint64_t now_ns() const { return cycles_ * kCycleNs; }
  uint64_t cycles() const { return cycles_; }
  bool irq() const;

  // Plant side channel: one write per clock, never visible on the register bus.
  void PlantWrite(PlantKind kind, int target, uint16_t index, uint16_t value);
  // Plant read-back of a laser source's lane (no clock): what the fibre model needs.
  enum class LaserReadback : uint8_t {
    kOutputPower10uW = 0,
    kFiber = 1,
    kEnabledChecked = 2,
    kScanCount = 3,  // changes whenever a lane's power or fibre may have
  };
  uint16_t ReadLaser(LaserReadback what, int target, int lane);
  uint16_t LaserOutput(int target, int lane) {
    return ReadLaser(LaserReadback::kOutputPower10uW, target, lane);
  }
  // Plant read-back of an engine's data paths: a bit per lane of lanes 16 * group .. +15 that is
  // Activated (transmitting), and a count that changes whenever any lane's bit does.
  uint16_t EngineActivatedLanes(int target, int group);
  uint16_t EngineActivatedChanges(int target);

  // Called with simulated time at least `period_ns` apart while the model runs (between clock
  // edges, never inside one): the plant's continuous processes (light along the fibres). The
  // hook may use the plant side channel. One hook; nullptr removes it.
  void SetPeriodicHook(uint64_t period_ns, std::function<void()> hook);

 private:
  void Tick();
  // One clock edge standing for `step` core clocks (see cpo_top.sv step_cycles).
  void Edge(uint64_t step);
  // The largest step the RTL allows now, at most limit, at least 1.
  uint64_t QuietStep(uint64_t limit) const;
  // Runs the periodic hook if it is due; the clock edges it causes do not re-enter it.
  void RunHookIfDue();
  // Advances idle time towards `target` (stopping where the hook is due); true once there.
  bool SkipIdle(uint64_t target);
  uint16_t ReadBack(uint8_t sel, int target, int lane);
  // Cycles until the hook is due (no limit without a hook).
  uint64_t CyclesToHook() const;

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vcpo_top> top_;
  uint64_t cycles_ = 0;
  std::function<void()> hook_;
  uint64_t hook_period_cycles_ = 0;
  uint64_t next_hook_cycle_ = 0;
  bool in_hook_ = false;
};

}  // namespace cpo::sim
