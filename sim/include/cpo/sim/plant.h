// Plant: the analog world around the simulated silicon (temperatures, supply voltages, per-lane
// optical powers and bias currents). It keeps physical values and drives them into the RTL through
// the model's plant side channel as the ADC codes a module's monitors would produce.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>

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

class Plant {
 public:
  explicit Plant(Model& model) : model_(model) {}

  // Straps a CMIS engine target present at address7 and programs its EEPROM.
  void AttachEngine(int target, uint8_t address7, int lanes, const EngineIdentity& identity);
  // lane is 0-based for per-lane quantities and ignored (pass -1) for module quantities.
  // A value outside what the monitor can encode is refused, not clipped.
  Status Set(int target, Quantity quantity, int lane, double value);
  Result<double> Get(int target, Quantity quantity, int lane) const;
  // Fault: the target holds SCL low (a hung module MCU), stalling its whole bus.
  Status SetHoldClockLow(int target, bool hold);

 private:
  struct Engine {
    int lanes = 0;
    uint8_t address7 = 0;
  };
  void Strap(int target, const Engine& engine, bool hold_clock_low);
  std::map<int, Engine> engines_;
  std::map<std::tuple<int, Quantity, int>, double> values_;
  Model& model_;
};

}  // namespace cpo::sim
