// Plant: the analog world around the simulated silicon (temperatures, supply voltages, per-lane
// optical powers and bias currents). It keeps physical values and drives them into the RTL through
// the model's plant side channel as the ADC codes a module's monitors would produce.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "cpo/sim/laser_physics.h"
#include "cpo/sim/model.h"
#include "cpo/sim/quantity.h"
#include "cpo/status.h"

namespace cpo::sim {

// What a module's EEPROM says about itself.
struct EngineIdentity {
  std::string vendor_name;
  std::string part_number;
  std::string serial_number;
  std::string revision;   // 2 characters
  std::string date_code;  // YYMMDDLL
  uint8_t firmware_major = 1;
  uint8_t firmware_minor = 0;
};

// How long a simulated engine really takes; page 01h advertises the CMIS duration code whose
// bound covers each.
struct EngineTiming {
  uint32_t module_power_up_ms = 400;
  uint32_t module_power_down_ms = 80;
  uint32_t data_path_init_ms = 800;
  uint32_t data_path_deinit_ms = 90;
  uint32_t tx_turn_on_ms = 40;
  uint32_t tx_turn_off_ms = 20;
};

// What a simulated engine serves beyond its lanes (the platform's module profile); page 01h
// byte 142 advertises it and the model refuses pages it does not advertise.
struct EngineFeatures {
  bool vdm = true;                // pages 20h-2Fh
  bool diagnostics_pages = true;  // pages 13h/14h
};

// How long a simulated laser source really takes.
struct LaserSourceTiming {
  uint32_t module_power_up_ms = 200;
  uint32_t module_power_down_ms = 50;
  uint32_t lane_ramp_ms = 30;
};

// Which side of an engine lane a diagnostic acts on.
enum class DiagnosticSide : uint8_t { kHost, kMedia };

// Alarm and warning thresholds the engine's EEPROM holds on page 02h, in physical units.
struct ThresholdSet {
  double high_alarm;
  double low_alarm;
  double high_warning;
  double low_warning;
};
struct EngineThresholds {
  ThresholdSet temperature_c{80.0, -5.0, 75.0, 0.0};
  ThresholdSet vcc_v{3.6, 3.0, 3.5, 3.1};
  ThresholdSet tx_power_mw{3.0, 0.2, 2.5, 0.3};
  ThresholdSet tx_bias_ma{120.0, 10.0, 100.0, 20.0};
  ThresholdSet rx_power_mw{3.0, 0.05, 2.5, 0.1};
};

// CMIS module fault causes (lower page byte 41).
enum class ModuleFault : uint8_t {
  kNone = 0,
  kTecRunaway = 1,
  kDataMemoryCorrupted = 2,
  kProgramMemoryCorrupted = 3,
  kTxFault = 4,
  kRxFault = 5,
  kTemperature = 6,
};

// The CMIS duration code (page 01h) whose bound is above `ms`: 0 <1 ms, 1 <5 ms, ... 12 <50 min.
uint8_t CmisDurationCode(uint32_t ms);

// The RTL's mean gap between injected bit errors for a bit error rate (0: none); out of range
// outside 0 or [1/2^32, 1/256].
Result<uint32_t> BitErrorInterval(double ber);

class Plant {
 public:
  explicit Plant(Model& model) : model_(model) {}

  // Straps a CMIS engine target present at address7 and programs its EEPROM.
  void AttachEngine(int target, uint8_t address7, int lanes, const EngineIdentity& identity,
                    const EngineTiming& timing = {}, const EngineThresholds& thresholds = {},
                    const EngineFeatures& features = {});
  // lane is 0-based for per-lane quantities and ignored (pass -1) for module quantities.
  // A value outside what the monitor can encode is refused, not clipped.
  Status Set(int target, Quantity quantity, int lane, double value);
  Result<double> Get(int target, Quantity quantity, int lane) const;
  // Fault: the target holds SCL low (a hung module MCU), stalling its whole bus.
  Status SetHoldClockLow(int target, bool hold);
  // The module MCU writing its own register file (not the host bus): a byte of page `page` /
  // `bank` at window offset `offset` (0-127 lower page, 128-255 the upper page). Covers the
  // storage-backed pages (00h-02h; 10h, 11h, 13h of engines; 1Ah, 1Bh of laser sources); for
  // conformance tests of the decoders.
  Status PokeRegister(int target, uint8_t page, uint8_t bank, uint8_t offset, uint8_t value);
  // The host's LPMode pin for the module (asserted at power-on: modules start in low power).
  Status SetLpModePin(int target, bool asserted);
  // A module fault (kNone clears it; the module leaves Fault only through a software reset).
  Status SetModuleFault(int target, ModuleFault cause);
  // Straps an ELSFP laser source at address7 and programs its EEPROM; fiber_of_lane[i] is the
  // output fibre of lane i + 1 (0 for a spare).
  void AttachLaserSource(int target, uint8_t address7, int lanes, const EngineIdentity& identity,
                         const std::vector<int>& fiber_of_lane,
                         const LaserSourceTiming& timing = {});
  // Joint mode: the laser source at laser_target (attached at the engine's address) is reached
  // only through the engine at engine_target, its pages relocated from page_base (see
  // joint_window_pkg.sv).
  Status SetJointWindow(int laser_target, int engine_target, uint8_t page_base);
  // Pulls the module out (false: it stops answering and resets, its lasers go dark) or plugs
  // the same one back in (true). A fresh module is plugged in by attaching it again.
  Status SetPresent(int target, bool present);
  // A laser's physics (lane 0-based); the source recomputes its bias and output at once.
  Status SetLaserPhysics(int target, int lane, const LaserPhysics& physics);
  // The light a laser lane puts out now, from the RTL's monitor of it (mW).
  Result<double> LaserOutputMw(int target, int lane);
  // Random bit errors on a lane's signal arriving at that side's checker (host: from the switch
  // or the host loopback; media: from the fibre or the media loopback), at `ber` (0 stops them;
  // at most 1/256).
  Status SetBitErrorRate(int target, DiagnosticSide side, int lane, double ber);
  // Random bit errors on what a switch SerDes lane (0-based) receives, at `ber` (as above).
  Status SetSerdesBitErrorRate(int serdes_lane, double ber);

 private:
  struct Engine {
    int lanes = 0;
    uint8_t address7 = 0;
    bool hold_clock_low = false;
    bool lpmode_pin = true;
    bool present = true;
  };
  void Strap(int target, const Engine& engine);
  Result<Engine*> Find(int target);
  std::map<int, Engine> engines_;
  std::map<int, Engine> laser_sources_;
  std::map<std::tuple<int, Quantity, int>, double> values_;
  Model& model_;
};

}  // namespace cpo::sim
