#include "cpo/sim/simulated_switch.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "cpo/sim/model_clock.h"
#include "cpo/sim/model_register_io.h"

namespace cpo::sim {
namespace {

// Overrides a duration with the module profile's, where the profile gives one; the simulator's
// default stays otherwise.
void TakeDuration(const platform::ModuleProfileConfig* profile, const char* name,
                  uint32_t& duration_ms) {
  if (profile == nullptr) return;
  auto found = profile->durations_ms.find(name);
  if (found != profile->durations_ms.end()) duration_ms = found->second;
}

EngineTiming EngineTimingOf(const platform::ModuleProfileConfig* profile) {
  EngineTiming t;
  for (auto [name, field] : {std::pair{"module_power_up", &t.module_power_up_ms},
                             {"module_power_down", &t.module_power_down_ms},
                             {"data_path_init", &t.data_path_init_ms},
                             {"data_path_deinit", &t.data_path_deinit_ms},
                             {"tx_turn_on", &t.tx_turn_on_ms},
                             {"tx_turn_off", &t.tx_turn_off_ms}}) {
    TakeDuration(profile, name, *field);
  }
  return t;
}

LaserSourceTiming LaserSourceTimingOf(const platform::ModuleProfileConfig* profile) {
  LaserSourceTiming t;
  for (auto [name, field] : {std::pair{"module_power_up", &t.module_power_up_ms},
                             {"module_power_down", &t.module_power_down_ms},
                             {"lane_ramp", &t.lane_ramp_ms}}) {
    TakeDuration(profile, name, *field);
  }
  return t;
}

EngineFeatures EngineFeaturesOf(const platform::ModuleProfileConfig* profile) {
  if (profile == nullptr) return {};
  return {.vdm = profile->vdm, .diagnostics_pages = profile->diagnostics_pages};
}

}  // namespace

Result<std::unique_ptr<SimulatedSwitch>> SimulatedSwitch::Create(
    const platform::Platform& platform) {
  if (platform.switch_host_lanes > Model::kSerdesLanes) {
    return Status(
        StatusCode::kConfigError,
        fmt::format("{}: switch host_lanes is {}; the model's SerDes block has {} lanes "
                    "(sim/rtl/cpo_top.sv SERDES_LANES), so this board cannot be "
                    "simulated",
                    platform.source_file, platform.switch_host_lanes, Model::kSerdesLanes));
  }
  for (const auto& port : platform.ports) {
    for (int lane : port.host_lanes) {
      if (lane < 0 || lane >= Model::kSerdesLanes) {
        return Status(StatusCode::kConfigError,
                      fmt::format("{}: port '{}' uses host lane {}; the model's SerDes lanes are "
                                  "0..{}",
                                  platform.source_file, port.name, lane, Model::kSerdesLanes - 1));
      }
    }
  }
  std::vector<int> targets;
  for (const auto& engine : platform.optical_engines) {
    const platform::I2cBusConfig* bus = platform.FindBus(engine.bus);
    if (bus == nullptr || bus->kind != platform::I2cBusKind::kController) {
      return Status(StatusCode::kConfigError,
                    fmt::format("{}: engine '{}' must sit on an I2C controller bus to be simulated",
                                platform.source_file, engine.name));
    }
    if (bus->controller >= Model::kBuses) {
      return Status(StatusCode::kConfigError,
                    fmt::format("{}: bus '{}' uses controller {}, the model has {} (0..{})",
                                platform.source_file, bus->name, bus->controller, Model::kBuses,
                                Model::kBuses - 1));
    }
    auto on_bus = platform.EnginesOnBus(bus->name);
    int slot = 0;
    while (on_bus[static_cast<size_t>(slot)] != &engine) ++slot;
    if (slot >= Model::kEnginesPerBus) {
      return Status(
          StatusCode::kConfigError,
          fmt::format("{}: bus '{}' has {} engines; the model has {} engine slots per bus",
                      platform.source_file, bus->name, on_bus.size(), Model::kEnginesPerBus));
    }
    if (engine.banks > Model::kBanks) {
      return Status(StatusCode::kConfigError,
                    fmt::format("{}: engine '{}' has {} banks; the model has {}",
                                platform.source_file, engine.name, engine.banks, Model::kBanks));
    }
    targets.push_back(bus->controller * Model::kTargetsPerBus + slot);
  }
  std::vector<int> laser_targets;
  std::map<std::string, int> lasers_on_bus;
  for (const auto& source : platform.laser_sources) {
    const platform::I2cBusConfig* bus = platform.FindBus(source.bus);
    if (bus == nullptr || bus->kind != platform::I2cBusKind::kController ||
        bus->controller >= Model::kBuses) {
      return Status(StatusCode::kConfigError,
                    fmt::format("{}: laser source '{}' must sit on one of the model's {} I2C "
                                "controller buses to be simulated",
                                platform.source_file, source.name, Model::kBuses));
    }
    const int slot = Model::kEnginesPerBus + lasers_on_bus[bus->name]++;
    if (slot >= Model::kTargetsPerBus || source.lanes > Model::kLaserLanes) {
      return Status(StatusCode::kConfigError,
                    fmt::format("{}: laser source '{}': the model has {} laser-source slots per "
                                "bus of at most {} lanes",
                                platform.source_file, source.name,
                                Model::kTargetsPerBus - Model::kEnginesPerBus, Model::kLaserLanes));
    }
    laser_targets.push_back(bus->controller * Model::kTargetsPerBus + slot);
  }
  std::unique_ptr<SimulatedSwitch> sim(
      new SimulatedSwitch(platform, std::move(targets), std::move(laser_targets)));
  for (size_t i = 0; i < platform.laser_sources.size(); ++i) {
    sim->AttachLaserSource(static_cast<int>(i));
  }
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    const auto& engine = platform.optical_engines[i];
    const int index = static_cast<int>(i);
    const int target = sim->engine_targets_[i];
    const platform::ModuleProfileConfig* profile = platform.FindProfile(engine.profile);
    sim->plant_->AttachEngine(target, engine.address, engine.lanes, DefaultIdentity(index),
                              EngineTimingOf(profile), EngineThresholds{},
                              EngineFeaturesOf(profile));
    for (Quantity q : {Quantity::kTemperatureC, Quantity::kVccV}) {
      CPO_RETURN_IF_ERROR(sim->plant_->Set(target, q, -1, DefaultValue(index, q, -1)));
    }
    for (int lane = 0; lane < engine.lanes; ++lane) {
      for (auto q = static_cast<uint32_t>(Quantity::kTxPowerMw);
           q <= static_cast<uint32_t>(Quantity::kLast); ++q) {
        const auto quantity = static_cast<Quantity>(q);
        CPO_RETURN_IF_ERROR(
            sim->plant_->Set(target, quantity, lane, DefaultValue(index, quantity, lane)));
      }
    }
  }
  // Joint mode: the engines' MCUs relay their laser sources (both are attached by now).
  for (size_t i = 0; i < platform.laser_sources.size(); ++i) {
    CPO_RETURN_IF_ERROR(sim->RelayThroughEngine(static_cast<int>(i)));
  }
  if (!platform.fibers.empty() || !platform.cables.empty()) {
    SimulatedSwitch* self = sim.get();
    self->PropagatePlant();
    self->model_->SetPeriodicHook(kLightUpdatePeriodNs, [self] { self->PropagatePlant(); });
  }
  return sim;
}

void SimulatedSwitch::PropagatePlant() {
  fibers_.Propagate(*model_, *plant_);
  links_.Propagate(*model_, *plant_, fibers_);
}

Status SimulatedSwitch::SetSerdesBitErrorRate(int serdes_lane, double ber) {
  std::lock_guard lock(mutex_);
  return plant_->SetSerdesBitErrorRate(serdes_lane, ber);
}

Status SimulatedSwitch::SetPortUnplugged(const std::string& port, bool unplugged) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(links_.SetUnplugged(port, unplugged));
  PropagatePlant();
  return Status::Ok();
}

int SimulatedSwitch::SerdesSourceOf(int serdes_lane) {
  std::lock_guard lock(mutex_);
  return links_.SourceOf(serdes_lane);
}

void SimulatedSwitch::AttachLaserSource(int source_index) {
  const auto& source = platform_.laser_sources[static_cast<size_t>(source_index)];
  const int target = laser_targets_[static_cast<size_t>(source_index)];
  std::vector<int> fiber_of_lane;
  for (int lane = 1; lane <= source.lanes; ++lane) {
    fiber_of_lane.push_back(source.DefaultFiberOfLane(lane));
  }
  plant_->AttachLaserSource(target, source.address, source.lanes,
                            DefaultLaserSourceIdentity(source_index), fiber_of_lane,
                            LaserSourceTimingOf(platform_.FindProfile(source.profile)));
  (void)plant_->Set(target, Quantity::kTemperatureC, -1, 38.0);
  (void)plant_->Set(target, Quantity::kVccV, -1, 3.3);
}

Status SimulatedSwitch::RelayThroughEngine(int source_index) {
  const auto& source = platform_.laser_sources[static_cast<size_t>(source_index)];
  if (!source.joint()) return Status::Ok();
  for (size_t e = 0; e < platform_.optical_engines.size(); ++e) {
    if (platform_.optical_engines[e].name != source.via) continue;
    return plant_->SetJointWindow(laser_targets_[static_cast<size_t>(source_index)],
                                  engine_targets_[e], source.page_base);
  }
  return {StatusCode::kConfigError,
          fmt::format("{}: laser source '{}' is reached through '{}', which is not an engine",
                      platform_.source_file, source.name, source.via)};
}

Result<SimulatedSwitch::LaserLaneTruth> SimulatedSwitch::LaserLane(int source_index, int lane) {
  CPO_ASSIGN_OR_RETURN(int target, LaserSourceTarget(source_index));
  if (lane < 0 || lane >= platform_.laser_sources[static_cast<size_t>(source_index)].lanes) {
    return Status(StatusCode::kOutOfRange, fmt::format("no lane {} (0-based)", lane));
  }
  std::lock_guard lock(mutex_);
  const uint16_t bits = model_->ReadLaser(Model::LaserReadback::kEnabledChecked, target, lane);
  return LaserLaneTruth{
      .enabled = (bits & 2) != 0,
      .fiber_checked = (bits & 1) != 0,
      .fiber = model_->ReadLaser(Model::LaserReadback::kFiber, target, lane),
      .output_mw = model_->LaserOutput(target, lane) / 100.0,
  };
}

Status SimulatedSwitch::SetFiberExtraLossDb(int source_index, int fiber, double extra_db) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(fibers_.SetExtraLossDb(source_index, fiber, extra_db));
  PropagatePlant();
  return Status::Ok();
}

Status SimulatedSwitch::SetFiberCut(int source_index, int fiber, bool cut) {
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(fibers_.SetCut(source_index, fiber, cut));
  PropagatePlant();
  return Status::Ok();
}

Result<double> SimulatedSwitch::EngineInputDbm(int engine_index, int lane) {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  std::lock_guard lock(mutex_);
  return fibers_.EngineInputDbm(engine_index, lane);
}

Status SimulatedSwitch::RemoveLaserSource(int source_index) {
  CPO_ASSIGN_OR_RETURN(int target, LaserSourceTarget(source_index));
  std::lock_guard lock(mutex_);
  CPO_RETURN_IF_ERROR(plant_->SetPresent(target, false));
  model_->StepCycles(4);  // the reset takes the lasers dark
  PropagatePlant();
  return Status::Ok();
}

Status SimulatedSwitch::InsertLaserSource(int source_index) {
  CPO_RETURN_IF_ERROR(LaserSourceTarget(source_index).status());
  std::lock_guard lock(mutex_);
  AttachLaserSource(source_index);
  return RelayThroughEngine(source_index);
}

SimulatedSwitch::SimulatedSwitch(platform::Platform platform, std::vector<int> engine_targets,
                                 std::vector<int> laser_targets)
    : platform_(std::move(platform)),
      engine_targets_(std::move(engine_targets)),
      laser_targets_(std::move(laser_targets)),
      model_(std::make_unique<Model>()),
      plant_(std::make_unique<Plant>(*model_)),
      fibers_(platform_, engine_targets_, laser_targets_),
      links_(platform_, engine_targets_),
      scheduler_(std::make_unique<ModelScheduler>(*model_, mutex_)) {}

std::unique_ptr<transport::RegisterIo> SimulatedSwitch::MakeRegisterIo() {
  return std::make_unique<ModelRegisterIo>(*model_, mutex_, *scheduler_);
}

std::shared_ptr<Clock> SimulatedSwitch::MakeClock() {
  return std::make_shared<ModelClock>(*model_, mutex_, *scheduler_);
}

Status SimulatedSwitch::SetEngineFault(int engine_index, ModuleFault cause) {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  std::lock_guard lock(mutex_);
  return plant_->SetModuleFault(engine_targets_[static_cast<size_t>(engine_index)], cause);
}

Status SimulatedSwitch::SetEngineBitErrorRate(int engine_index, DiagnosticSide side, int lane,
                                              double ber) {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  std::lock_guard lock(mutex_);
  return plant_->SetBitErrorRate(engine_targets_[static_cast<size_t>(engine_index)], side, lane,
                                 ber);
}

Status SimulatedSwitch::CheckEngine(int engine_index) const {
  if (engine_index < 0 || engine_index >= static_cast<int>(engine_targets_.size())) {
    return {StatusCode::kNotFound, fmt::format("no engine {} (the platform has {})", engine_index,
                                               engine_targets_.size())};
  }
  return Status::Ok();
}

Result<int> SimulatedSwitch::EngineTarget(int engine_index) const {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  return engine_targets_[static_cast<size_t>(engine_index)];
}

Status SimulatedSwitch::SetEngineQuantity(int engine_index, Quantity quantity, int lane,
                                          double value) {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  std::lock_guard lock(mutex_);
  return plant_->Set(engine_targets_[static_cast<size_t>(engine_index)], quantity, lane, value);
}

Result<double> SimulatedSwitch::GetEngineQuantity(int engine_index, Quantity quantity, int lane) {
  CPO_RETURN_IF_ERROR(CheckEngine(engine_index));
  std::lock_guard lock(mutex_);
  return plant_->Get(engine_targets_[static_cast<size_t>(engine_index)], quantity, lane);
}

Result<int> SimulatedSwitch::LaserSourceTarget(int source_index) const {
  if (source_index < 0 || source_index >= static_cast<int>(laser_targets_.size())) {
    return Status(StatusCode::kNotFound, fmt::format("no laser source {} (the platform has {})",
                                                     source_index, laser_targets_.size()));
  }
  return laser_targets_[static_cast<size_t>(source_index)];
}

Status SimulatedSwitch::SetLaserPhysics(int source_index, int lane, const LaserPhysics& physics) {
  CPO_ASSIGN_OR_RETURN(int target, LaserSourceTarget(source_index));
  std::lock_guard lock(mutex_);
  return plant_->SetLaserPhysics(target, lane, physics);
}

Result<double> SimulatedSwitch::LaserOutputMw(int source_index, int lane) {
  CPO_ASSIGN_OR_RETURN(int target, LaserSourceTarget(source_index));
  std::lock_guard lock(mutex_);
  return plant_->LaserOutputMw(target, lane);
}

EngineIdentity SimulatedSwitch::DefaultLaserSourceIdentity(int source_index) {
  return EngineIdentity{
      .vendor_name = "CPO-HAL SIM",
      .part_number = "SIM-ELSFP-16L",
      .serial_number = fmt::format("SIMLS{:04d}", source_index),
      .revision = "B1",
      .date_code = "26110100",
      .firmware_major = 2,
      .firmware_minor = 0,
  };
}

EngineIdentity SimulatedSwitch::DefaultIdentity(int engine_index) {
  return EngineIdentity{
      .vendor_name = "CPO-HAL SIM",
      .part_number = "SIM-OE-64X100G",
      .serial_number = fmt::format("SIMOE{:04d}", engine_index),
      .revision = "A1",
      .date_code = "26110100",
      .firmware_major = 1,
      .firmware_minor = 2,
  };
}

double SimulatedSwitch::DefaultValue(int engine_index, Quantity quantity, int lane) {
  switch (quantity) {
    case Quantity::kTemperatureC:
      return 42.0 + 1.5 * engine_index;
    case Quantity::kVccV:
      return 3.3;
    case Quantity::kTxPowerMw:
      return 1.0 + 0.01 * lane;
    case Quantity::kTxBiasMa:
      return 50.0 + 0.25 * lane;
    case Quantity::kRxPowerMw:
      return 0.8 + 0.005 * lane + 0.001 * engine_index;
    case Quantity::kSnrDb:
      return 22.0 + 0.0625 * (lane % 16);
    case Quantity::kLaserAgePct:
      return 3.0 + lane % 5;
    case Quantity::kLaserTemperatureC:
      return 48.0 + 0.25 * (lane % 8) + engine_index;
    case Quantity::kEsnrDb:
      return 20.0 + 0.125 * (lane % 8);
    case Quantity::kPreFecBerMin:
      return 1.0e-9;
    case Quantity::kPreFecBerMax:
      return 4.0e-8;
    case Quantity::kPreFecBerAverage:
      return 1.2e-8;
    case Quantity::kPreFecBerCurrent:
      return 1.5e-8 + 1.0e-10 * lane;
    case Quantity::kElsInputPowerDbm:
      return 10.0 - 0.01 * lane;
  }
  return 0.0;
}

}  // namespace cpo::sim
