#include "cpo/sim/model.h"

#include <algorithm>
#include <limits>

#include "Vcpo_top.h"
#include "verilated.h"

namespace cpo::sim {

Model::Model() : context_(std::make_unique<VerilatedContext>()) {
  context_->debug(0);
  top_ = std::make_unique<Vcpo_top>(context_.get(), "cpo");
  top_->clk = 0;
  top_->rst_n = 0;
  top_->reg_wr = 0;
  top_->plant_we = 0;
  top_->step_cycles = 1;
  for (int i = 0; i < 4; ++i) Tick();
  top_->rst_n = 1;
  Tick();
}

Model::~Model() { top_->final(); }

void Model::Tick() { Edge(1); }

void Model::Edge(uint64_t step) {
  top_->step_cycles = static_cast<uint32_t>(step);
  top_->clk = 0;
  top_->eval();
  top_->clk = 1;
  top_->eval();
  top_->step_cycles = 1;
  cycles_ += step;
  context_->time(cycles_);
  RunHookIfDue();
}

// Skips idle time up to `target`, stopping where the periodic hook is due.
bool Model::SkipIdle(uint64_t target) {
  const uint64_t to_hook = CyclesToHook();
  const uint64_t stop = target - cycles_ > to_hook ? cycles_ + to_hook : target;
  cycles_ = std::max(cycles_, stop);
  context_->time(cycles_);
  RunHookIfDue();
  return cycles_ >= target;
}

uint64_t Model::QuietStep(uint64_t limit) const {
  const uint64_t quiet = top_->quiet_cycles;
  return std::max<uint64_t>(1, std::min({quiet, limit, CyclesToHook()}));
}

uint64_t Model::CyclesToHook() const {
  if (!hook_ || in_hook_) return std::numeric_limits<uint64_t>::max();
  return next_hook_cycle_ > cycles_ ? next_hook_cycle_ - cycles_ : 1;
}

void Model::SetPeriodicHook(uint64_t period_ns, std::function<void()> hook) {
  hook_ = std::move(hook);
  hook_period_cycles_ = std::max<uint64_t>(1, period_ns / kCycleNs);
  next_hook_cycle_ = cycles_ + hook_period_cycles_;
}

void Model::RunHookIfDue() {
  if (!hook_ || in_hook_ || cycles_ < next_hook_cycle_) return;
  in_hook_ = true;
  hook_();
  in_hook_ = false;
  next_hook_cycle_ = cycles_ + hook_period_cycles_;
}

uint32_t Model::Read32(uint64_t offset) {
  top_->reg_addr = static_cast<uint32_t>(offset);
  top_->eval();
  uint32_t value = top_->reg_rdata;
  Tick();
  return value;
}

void Model::Write32(uint64_t offset, uint32_t value) {
  top_->reg_addr = static_cast<uint32_t>(offset);
  top_->reg_wdata = value;
  top_->reg_wr = 1;
  Tick();
  top_->reg_wr = 0;
}

bool Model::PollUntil(uint64_t offset, uint32_t mask, uint32_t expected, uint64_t timeout_ns,
                      uint32_t* value) {
  // Reads are combinational and side-effect free, so the address can stay on the bus while the
  // clock runs and each edge's value is checked without a bus access of its own. State changes
  // only on single-cycle edges, so stepping over quiet stretches misses nothing.
  top_->reg_addr = static_cast<uint32_t>(offset);
  const uint64_t deadline = cycles_ + timeout_ns / kCycleNs + 1;
  while (true) {
    top_->eval();
    *value = top_->reg_rdata;
    if ((*value & mask) == expected) {
      Tick();
      return true;
    }
    if (cycles_ >= deadline) return false;
    if (!top_->active) {
      SkipIdle(deadline);
      continue;
    }
    Edge(QuietStep(deadline - cycles_));
  }
}

void Model::AdvanceUntilAny(std::vector<Wait>& waits) {
  while (true) {
    bool any = false;
    bool matched = false;
    uint64_t earliest = std::numeric_limits<uint64_t>::max();
    for (Wait& wait : waits) {
      if (wait.poll) {
        top_->reg_addr = static_cast<uint32_t>(wait.offset);
        top_->eval();
        wait.value = top_->reg_rdata;
        wait.matched = (wait.value & wait.mask) == wait.expected;
        matched = matched || wait.matched;
      }
      wait.over = wait.matched || cycles_ >= wait.deadline_cycles;
      any = any || wait.over;
      earliest = std::min(earliest, wait.deadline_cycles);
    }
    if (any) {
      if (matched) Tick();  // as PollUntil: the access that saw the match
      return;
    }
    if (!top_->active) {
      SkipIdle(earliest);
      continue;
    }
    Edge(QuietStep(earliest - cycles_));
  }
}

void Model::StepNs(uint64_t ns) { StepCycles(ns / kCycleNs); }

void Model::StepCycles(uint64_t cycles) {
  const uint64_t end = cycles_ + cycles;
  while (cycles_ < end) {
    if (!top_->active) {
      // Nothing in the RTL changes on an idle clock edge: advance time without evaluating (up
      // to the plant's next periodic update, which may change inputs).
      if (SkipIdle(end)) return;
      continue;
    }
    Edge(QuietStep(end - cycles_));
  }
}

bool Model::irq() const { return top_->irq != 0; }

uint16_t Model::ReadLaser(LaserReadback what, int target, int lane) {
  return ReadBack(static_cast<uint8_t>(what), target, lane);
}

uint16_t Model::EngineActivatedLanes(int target, int group) { return ReadBack(4, target, group); }

uint16_t Model::EngineActivatedChanges(int target) { return ReadBack(5, target, 0); }

uint16_t Model::ReadBack(uint8_t sel, int target, int lane) {
  top_->plant_rd_sel = sel;
  top_->plant_rd_target = static_cast<uint8_t>(target);
  top_->plant_rd_lane = static_cast<uint8_t>(lane);
  top_->eval();
  return top_->plant_rdata;
}

void Model::PlantWrite(PlantKind kind, int target, uint16_t index, uint16_t value) {
  top_->plant_we = 1;
  top_->plant_kind = static_cast<uint8_t>(kind);
  top_->plant_target = static_cast<uint8_t>(target);
  top_->plant_index = index;
  top_->plant_value = value;
  Tick();
  top_->plant_we = 0;
}

}  // namespace cpo::sim
