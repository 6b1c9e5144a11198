// The platform description as plain structs: what hardware a switch has and how it is wired.
// Loaded from YAML by loader.h; nothing here depends on yaml-cpp. Schema: platform/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cpo::platform {

// Where a value came from in the platform file (1-based line and column).
struct SourceMark {
  int line = 0;
  int column = 0;
};

// Marks of an object's own position and of each of its keys, for errors that point at the key.
struct Marks {
  SourceMark self;
  std::map<std::string, SourceMark> keys;
  SourceMark At(const std::string& key) const {
    auto it = keys.find(key);
    return it == keys.end() ? self : it->second;
  }
};

enum class TransportKind { kSim, kPci };
// How a pci transport maps the register BAR: through VFIO (no root; one process per IOMMU
// group), or from sysfs resource files (shared by processes; root or udev-granted access).
enum class BarAccess { kVfio, kSysfs };

struct TransportConfig {
  TransportKind kind = TransportKind::kSim;
  std::string socket;  // sim: cpo-simd's UNIX socket
  // pci: the management function, by address and/or ids, and its register BAR.
  std::optional<uint16_t> vendor_id;
  std::optional<uint16_t> device_id;
  std::string address;
  int bar = 0;
  std::string sysfs_root = "/sys";
  BarAccess bar_access = BarAccess::kVfio;
  Marks marks;
};

enum class I2cBusKind { kController, kLinuxDevice };

struct I2cBusConfig {
  std::string name;
  I2cBusKind kind = I2cBusKind::kController;
  int controller = 0;       // kController: index in the management block
  std::string device_path;  // kLinuxDevice: /dev/i2c-N
  int speed_khz = 400;
  Marks marks;
};

// What kind of module a profile describes.
enum class ModuleKind { kEngine, kLaserSource };

// What a module advertises and how long it takes (platform file `module_profiles`). Real modules
// say this themselves and the HAL reads it from them; the simulator builds its modules from it,
// so boards can carry modules that differ as real ones do.
struct ModuleProfileConfig {
  std::string name;
  ModuleKind kind = ModuleKind::kEngine;
  bool vdm = true;                // engines: VDM pages 20h-2Fh (page 01h byte 142 bit 6)
  bool diagnostics_pages = true;  // engines: pages 13h/14h, PRBS and loopback (142 bit 5)
  // Real durations by name (engines: module_power_up, module_power_down, data_path_init,
  // data_path_deinit, tx_turn_on, tx_turn_off; laser sources: module_power_up,
  // module_power_down, lane_ramp); the module advertises the CMIS code covering each. A name
  // left out keeps the simulator's default.
  std::map<std::string, uint32_t> durations_ms;
  Marks marks;
};

struct OpticalEngineConfig {
  std::string name;
  std::string bus;
  uint8_t address = 0x50;  // 7-bit
  int lanes = 8;
  int banks = 1;        // lanes / 8
  std::string profile;  // a module_profiles entry of kind engine; empty: the default module
  Marks marks;
};

// Joint mode (a laser source reached through an engine's MCU): laser page P (00h..1Bh) appears
// at engine page page_base + P, and the laser's lower page (bytes 0-127) at engine page
// page_base + 0Fh, bytes 128-255 (page 0Fh is reserved in CMIS and ELSFP, so the slot is free).
// Banks carry through. docs/register-map.md, "Joint mode".
inline constexpr uint8_t kDefaultJointPageBase = 0xB0;
inline constexpr uint8_t kJointLowerPageSlot = 0x0F;
inline constexpr int kJointPageSpan = 0x1C;  // pages base .. base + 1Bh
// The lowest and highest page base: the window stays in the vendor range above the CDB pages
// (9Fh, EPL A0h-AFh) and below FFh.
inline constexpr int kMinJointPageBase = 0xB0;
inline constexpr int kMaxJointPageBase = 0xFF - (kJointPageSpan - 1);

// An external laser source: a pluggable ELSFP module (OIF ELSFP over CMIS). Its laser lanes
// feed output fibres; lanes that are not spares map to fibres 1..fibers in order, spares wait to
// take over a failed lane's fibre.
struct LaserSourceConfig {
  std::string name;
  std::string bus;
  uint8_t address = 0x50;  // 7-bit
  int lanes = 8;           // laser lanes, 1-based
  int fibers = 8;          // output fibres, 1-based
  std::vector<int> spare_lanes;
  std::string profile;  // a module_profiles entry of kind laser_source; empty: the default
  // Joint mode: the source is reached only through this engine's MCU, its pages relocated into
  // the engine's page space from `page_base` (see JointPageOf); bus and address are the
  // engine's. Empty: separate mode, the source answers at its own address.
  std::string via;
  uint8_t page_base = 0;
  Marks marks;
  bool joint() const { return !via.empty(); }
  // The fibre a lane feeds by default (0 for a spare).
  int DefaultFiberOfLane(int lane) const;
};

// One output fibre of a laser source and the engine lanes its light reaches (through a
// splitter inside the package).
struct FiberConfig {
  std::string source;
  int fiber = 1;
  std::string engine;
  std::vector<int> engine_lanes;  // 1-based
  double loss_db = 0;             // expected loss from the ELSFP output to each engine lane
  Marks marks;
};

struct PortConfig {
  std::string name;
  std::string engine;
  std::vector<int> host_lanes;    // switch SerDes lanes, 0-based
  std::vector<int> engine_lanes;  // CMIS lanes of the engine, 1-based
  // Largest loss from laser to engine lane the fibre check accepts for this port's lanes.
  double fiber_loss_threshold_db = 10.0;
  // Breakout modes ("4x200G") the port may take, and the one it starts in (empty: every mode
  // its lanes allow, starting as one port over all lanes). See breakout.h.
  std::vector<std::string> breakout_modes;
  std::string breakout;
  // Host lanes whose transmit / receive pair the board wires with P and N swapped; the HAL sets
  // the SerDes polarity inversion of those lanes to undo it.
  std::vector<int> tx_polarity_swaps;
  std::vector<int> rx_polarity_swaps;
  Marks marks;
};

// What a front-panel port's media side plugs into: a cable to another port of the switch (lane i
// to lane i) or a loopback plug (each lane back to itself). Link state follows it.
struct CableConfig {
  std::string port;
  std::string to;  // a port name, or "loopback" for a loopback plug
  bool loopback() const { return to == "loopback"; }
  Marks marks;
};

struct Platform {
  std::string name;
  std::string source_file;
  TransportConfig transport;
  int switch_host_lanes = 0;
  std::vector<I2cBusConfig> i2c_buses;
  std::vector<ModuleProfileConfig> module_profiles;
  std::vector<OpticalEngineConfig> optical_engines;
  std::vector<LaserSourceConfig> laser_sources;
  std::vector<FiberConfig> fibers;
  std::vector<PortConfig> ports;
  std::vector<CableConfig> cables;

  const I2cBusConfig* FindBus(const std::string& bus_name) const;
  const OpticalEngineConfig* FindEngine(const std::string& engine_name) const;
  const LaserSourceConfig* FindLaserSource(const std::string& source_name) const;
  const ModuleProfileConfig* FindProfile(const std::string& profile_name) const;
  const PortConfig* FindPort(const std::string& port_name) const;
  // The cable on a port (either end), or null when nothing is plugged in.
  const CableConfig* CableOf(const std::string& port_name) const;
  // Engines on a bus, in file order (their position is their slot on that bus).
  std::vector<const OpticalEngineConfig*> EnginesOnBus(const std::string& bus_name) const;
};

}  // namespace cpo::platform
