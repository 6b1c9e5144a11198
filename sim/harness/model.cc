#include "cpo/sim/model.h"

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
  for (int i = 0; i < 4; ++i) Tick();
  top_->rst_n = 1;
  Tick();
}

Model::~Model() { top_->final(); }

void Model::Tick() {
  top_->clk = 0;
  top_->eval();
  top_->clk = 1;
  top_->eval();
  ++cycles_;
  context_->time(static_cast<uint64_t>(cycles_));
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
  // clock runs and each cycle's value is checked without a bus access of its own.
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
    Tick();
  }
}

void Model::StepNs(uint64_t ns) { StepCycles(ns / kCycleNs); }

void Model::StepCycles(uint64_t cycles) {
  for (uint64_t i = 0; i < cycles; ++i) {
    if (!top_->active) {
      // Nothing in the RTL changes on an idle clock edge: advance time without evaluating.
      cycles_ += cycles - i;
      context_->time(cycles_);
      return;
    }
    Tick();
  }
}

bool Model::irq() const { return top_->irq != 0; }

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
