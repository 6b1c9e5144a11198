// Cross-reference and consistency checks of a parsed platform; every error points at the key.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "cpo/platform/breakout.h"
#include "diagnostics.h"

namespace cpo::platform {
namespace {

// Breakout modes the port lists parse for its lane count, the starting mode is one of them, and
// in every mode named (listed or starting) each sub-port's engine lanes are consecutive (a CMIS
// data path spans adjacent lanes).
void ValidateBreakout(const PortConfig& port, const std::string& path, Diagnostics& diag) {
  const int lanes = static_cast<int>(port.engine_lanes.size());
  if (lanes == 0) return;
  std::vector<BreakoutMode> allowed;
  for (const std::string& text : port.breakout_modes) {
    auto mode = ParseBreakoutMode(text, lanes);
    if (!mode.ok()) {
      diag.Error(port.marks.At("breakout_modes"), path + ".breakout_modes",
                 mode.status().message());
      return;
    }
    allowed.push_back(*mode);
  }
  const bool listed = !allowed.empty();
  if (!port.breakout.empty()) {
    auto mode = ParseBreakoutMode(port.breakout, lanes);
    if (!mode.ok()) {
      diag.Error(port.marks.At("breakout"), path + ".breakout", mode.status().message());
      return;
    }
    if (listed && std::find(allowed.begin(), allowed.end(), *mode) == allowed.end()) {
      std::string names;
      for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a.name();
      diag.Error(port.marks.At("breakout"), path + ".breakout",
                 fmt::format("breakout {} is not in the port's breakout_modes ({})", port.breakout,
                             names));
      return;
    }
    allowed.push_back(*mode);
  }
  // Modes the file names must be usable; unnamed ones are simply not offered (breakout.h).
  for (const BreakoutMode& mode : allowed) {
    auto subs = SubPortsOf(port, mode);
    if (!subs.ok()) continue;
    for (const SubPort& sub : *subs) {
      for (size_t k = 1; k < sub.engine_lanes.size(); ++k) {
        if (sub.engine_lanes[k] != sub.engine_lanes[k - 1] + 1) {
          diag.Error(
              port.marks.At("engine_lanes"), path + ".engine_lanes",
              fmt::format("in breakout {}, {} would use engine lanes {} and {}, which are "
                          "not adjacent; list engine lanes in order or drop that mode from "
                          "breakout_modes",
                          mode.name(), sub.name, sub.engine_lanes[k - 1], sub.engine_lanes[k]));
          return;
        }
      }
    }
  }
}

template <typename T>
void CheckUniqueNames(const std::vector<T>& items, const char* list, Diagnostics& diag) {
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = seen.emplace(items[i].name, i);
    if (!inserted) {
      diag.Error(
          items[i].marks.At("name"), fmt::format("{}[{}].name", list, i),
          fmt::format("'{}' is already the name of {}[{}]", items[i].name, list, it->second));
    }
  }
}

}  // namespace

// Cables join existing ports of equal lane count (or end in a loopback plug); a port takes one
// cable at most.
void ValidateCables(const Platform& platform, Diagnostics& diag) {
  std::map<std::string, std::string> plugged;  // port -> the cable entry that uses it
  for (size_t i = 0; i < platform.cables.size(); ++i) {
    const CableConfig& cable = platform.cables[i];
    const std::string path = fmt::format("cables[{}]", i);
    const PortConfig* port = platform.FindPort(cable.port);
    if (port == nullptr) {
      diag.Error(cable.marks.At("port"), path + ".port",
                 fmt::format("no port named '{}' (define it under ports)", cable.port));
      continue;
    }
    const PortConfig* peer = cable.loopback() ? nullptr : platform.FindPort(cable.to);
    if (!cable.loopback() && peer == nullptr) {
      diag.Error(cable.marks.At("to"), path + ".to",
                 fmt::format("no port named '{}'; give a port name or 'loopback' for a loopback "
                             "plug",
                             cable.to));
      continue;
    }
    if (peer == port) {
      diag.Error(cable.marks.At("to"), path + ".to",
                 fmt::format("a cable from '{}' to itself; use 'to: loopback' for a loopback plug",
                             cable.port));
      continue;
    }
    if (peer != nullptr && peer->engine_lanes.size() != port->engine_lanes.size()) {
      diag.Error(
          cable.marks.At("to"), path + ".to",
          fmt::format("'{}' has {} lanes and '{}' {}; a cable joins lane i to lane i", cable.port,
                      port->engine_lanes.size(), cable.to, peer->engine_lanes.size()));
      continue;
    }
    for (const std::string* end : {&cable.port, cable.loopback() ? nullptr : &cable.to}) {
      if (end == nullptr) continue;
      auto [it, inserted] = plugged.emplace(*end, path);
      if (!inserted) {
        diag.Error(cable.marks.self, path,
                   fmt::format("port '{}' already has a cable ({})", *end, it->second));
      }
    }
  }
}

namespace {

// A laser source reached through an engine: that engine exists, the source has no bus or address
// of its own, and its page window fits the vendor range without overlapping another source's
// window on the same engine.
void ValidateJointMode(const Platform& platform, const LaserSourceConfig& source,
                       const std::string& path,
                       std::map<std::string, std::pair<int, size_t>>& windows, size_t index,
                       Diagnostics& diag) {
  if (platform.FindEngine(source.via) == nullptr) {
    diag.Error(source.marks.At("via"), path + ".via",
               fmt::format("no optical engine named '{}' (the engine whose MCU reaches this "
                           "laser source; define it under optical_engines)",
                           source.via));
  }
  for (const char* key : {"bus", "address"}) {
    if (source.marks.keys.contains(key)) {
      diag.Error(source.marks.At(key), fmt::format("{}.{}", path, key),
                 fmt::format("a laser source reached through '{}' (via) uses that engine's bus "
                             "and address; remove '{}'",
                             source.via, key));
    }
  }
  const int base = source.page_base;
  if (base < kMinJointPageBase || base > kMaxJointPageBase) {
    diag.Error(source.marks.At("page_base"), path + ".page_base",
               fmt::format("page base 0x{:02X} leaves the vendor pages: its window (base .. base + "
                           "0x{:02X}) must lie within 0x{:02X}..0xFF, so use 0x{:02X}..0x{:02X}",
                           base, kJointPageSpan - 1, kMinJointPageBase, kMinJointPageBase,
                           kMaxJointPageBase));
    return;
  }
  auto [it, inserted] = windows.emplace(source.via, std::pair{base, index});
  if (!inserted) {
    diag.Error(source.marks.At("via"), path + ".via",
               fmt::format("engine '{}' already relays laser_sources[{}]; the model's engine MCU "
                           "relays one laser source",
                           source.via, it->second.second));
  }
}

}  // namespace

void Validate(const Platform& platform, Diagnostics& diag) {
  const TransportConfig& transport = platform.transport;
  if (transport.kind == TransportKind::kPci && transport.address.empty() && !transport.vendor_id) {
    diag.Error(transport.marks.self, "transport",
               "a pci transport needs address (\"dddd:bb:dd.f\") or vendor_id to find the device");
  }

  CheckUniqueNames(platform.i2c_buses, "i2c_buses", diag);
  CheckUniqueNames(platform.optical_engines, "optical_engines", diag);
  CheckUniqueNames(platform.laser_sources, "laser_sources", diag);
  CheckUniqueNames(platform.ports, "ports", diag);
  ValidateCables(platform, diag);

  std::map<int, size_t> controllers;
  for (size_t i = 0; i < platform.i2c_buses.size(); ++i) {
    const auto& bus = platform.i2c_buses[i];
    if (bus.kind != I2cBusKind::kController) continue;
    auto [it, inserted] = controllers.emplace(bus.controller, i);
    if (!inserted) {
      diag.Error(bus.marks.At("controller"), fmt::format("i2c_buses[{}].controller", i),
                 fmt::format("controller {} is already used by i2c_buses[{}]", bus.controller,
                             it->second));
    }
  }

  std::map<std::pair<std::string, int>, size_t> addresses;
  for (size_t i = 0; i < platform.optical_engines.size(); ++i) {
    const auto& engine = platform.optical_engines[i];
    std::string path = fmt::format("optical_engines[{}]", i);
    if (platform.FindBus(engine.bus) == nullptr) {
      diag.Error(engine.marks.At("bus"), path + ".bus",
                 fmt::format("no I2C bus named '{}' (define it under i2c_buses)", engine.bus));
    }
    if (engine.lanes % 8 != 0) {
      diag.Error(engine.marks.At("lanes"), path + ".lanes",
                 fmt::format("{} lanes is not a whole number of 8-lane banks", engine.lanes));
    }
    auto [it, inserted] = addresses.emplace(std::pair{engine.bus, int{engine.address}}, i);
    if (!inserted) {
      diag.Error(engine.marks.At("address"), path + ".address",
                 fmt::format("address 0x{:02x} on bus '{}' is already used by optical_engines[{}]",
                             engine.address, engine.bus, it->second));
    }
  }

  // Laser sources share the address space of their bus with the engines; one reached through an
  // engine (joint mode) lives in that engine's page space instead.
  std::map<std::string, std::pair<int, size_t>> joint_windows;  // engine -> (page base, source)
  for (size_t i = 0; i < platform.laser_sources.size(); ++i) {
    const auto& source = platform.laser_sources[i];
    std::string path = fmt::format("laser_sources[{}]", i);
    if (source.joint()) {
      ValidateJointMode(platform, source, path, joint_windows, i, diag);
    } else if (platform.FindBus(source.bus) == nullptr) {
      diag.Error(source.marks.At("bus"), path + ".bus",
                 fmt::format("no I2C bus named '{}' (define it under i2c_buses)", source.bus));
    }
    if (!source.joint()) {
      auto [it, inserted] = addresses.emplace(std::pair{source.bus, int{source.address}},
                                              platform.optical_engines.size() + i);
      if (!inserted) {
        diag.Error(source.marks.At("address"), path + ".address",
                   fmt::format("address 0x{:02x} on bus '{}' is already used by another device",
                               source.address, source.bus));
      }
    }
    std::set<int> spares;
    for (int lane : source.spare_lanes) {
      if (lane < 1 || lane > source.lanes || !spares.insert(lane).second) {
        diag.Error(source.marks.At("spare_lanes"), path + ".spare_lanes",
                   fmt::format("spare lane {} is not one of lanes 1..{}, or is listed twice", lane,
                               source.lanes));
        break;
      }
    }
    const int working = source.lanes - static_cast<int>(spares.size());
    if (working != source.fibers) {
      diag.Error(source.marks.At("fibers"), path + ".fibers",
                 fmt::format("{} fibres but {} working (non-spare) lanes; each fibre is fed by "
                             "one working lane",
                             source.fibers, working));
    }
  }

  std::map<std::pair<std::string, int>, size_t> fiber_owner;     // (source, fibre) -> entry
  std::map<std::pair<std::string, int>, std::string> lane_feed;  // (engine, lane) -> "els0:3"
  for (size_t i = 0; i < platform.fibers.size(); ++i) {
    const auto& fiber = platform.fibers[i];
    std::string path = fmt::format("fibers[{}]", i);
    const LaserSourceConfig* source = platform.FindLaserSource(fiber.source);
    if (source == nullptr) {
      diag.Error(
          fiber.marks.At("source"), path + ".source",
          fmt::format("no laser source named '{}' (define it under laser_sources)", fiber.source));
    } else if (fiber.fiber > source->fibers) {
      diag.Error(fiber.marks.At("fiber"), path + ".fiber",
                 fmt::format("fibre {} is outside '{}' fibres 1..{}", fiber.fiber, source->name,
                             source->fibers));
    }
    auto [owner, fresh] = fiber_owner.emplace(std::pair{fiber.source, fiber.fiber}, i);
    if (!fresh) {
      diag.Error(fiber.marks.At("fiber"), path + ".fiber",
                 fmt::format("fibre {} of '{}' is already described by fibers[{}]", fiber.fiber,
                             fiber.source, owner->second));
    }
    const OpticalEngineConfig* engine = platform.FindEngine(fiber.engine);
    if (engine == nullptr) {
      diag.Error(fiber.marks.At("engine"), path + ".engine",
                 fmt::format("no optical engine named '{}' (define it under optical_engines)",
                             fiber.engine));
      continue;
    }
    for (int lane : fiber.engine_lanes) {
      if (lane < 1 || lane > engine->lanes) {
        diag.Error(fiber.marks.At("engine_lanes"), path + ".engine_lanes",
                   fmt::format("lane {} is outside engine '{}' lanes 1..{}", lane, engine->name,
                               engine->lanes));
        break;
      }
      const std::string feed = fmt::format("{} fibre {}", fiber.source, fiber.fiber);
      auto [it, inserted] = lane_feed.emplace(std::pair{engine->name, lane}, feed);
      if (!inserted) {
        diag.Error(fiber.marks.At("engine_lanes"), path + ".engine_lanes",
                   fmt::format("lane {} of engine '{}' is already fed by {}; a lane has exactly "
                               "one laser source",
                               lane, engine->name, it->second));
        break;
      }
    }
  }

  std::map<int, std::string> host_owner;
  std::map<std::pair<std::string, int>, std::string> engine_owner;
  for (size_t i = 0; i < platform.ports.size(); ++i) {
    const auto& port = platform.ports[i];
    std::string path = fmt::format("ports[{}]", i);
    const OpticalEngineConfig* engine = platform.FindEngine(port.engine);
    if (engine == nullptr) {
      diag.Error(port.marks.At("engine"), path + ".engine",
                 fmt::format("no optical engine named '{}' (define it under optical_engines)",
                             port.engine));
    }
    if (port.host_lanes.size() != port.engine_lanes.size()) {
      diag.Error(
          port.marks.At("engine_lanes"), path + ".engine_lanes",
          fmt::format("{} engine lanes for {} host lanes; each host lane needs one engine lane",
                      port.engine_lanes.size(), port.host_lanes.size()));
    }
    for (int lane : port.host_lanes) {
      if (lane < 0 || lane >= platform.switch_host_lanes) {
        diag.Error(port.marks.At("host_lanes"), path + ".host_lanes",
                   fmt::format("host lane {} is outside the switch's lanes 0..{}", lane,
                               platform.switch_host_lanes - 1));
        break;
      }
      auto [it, inserted] = host_owner.emplace(lane, port.name);
      if (!inserted) {
        diag.Error(port.marks.At("host_lanes"), path + ".host_lanes",
                   fmt::format("host lane {} is already assigned to port '{}'", lane, it->second));
        break;
      }
    }
    for (auto [key, swaps] : {std::pair{"tx_polarity_swaps", &port.tx_polarity_swaps},
                              std::pair{"rx_polarity_swaps", &port.rx_polarity_swaps}}) {
      for (int lane : *swaps) {
        if (std::find(port.host_lanes.begin(), port.host_lanes.end(), lane) ==
            port.host_lanes.end()) {
          diag.Error(port.marks.At(key), path + "." + key,
                     fmt::format("host lane {} is not one of the port's host lanes", lane));
          break;
        }
      }
    }
    ValidateBreakout(port, path, diag);
    if (engine == nullptr) continue;
    if (!platform.laser_sources.empty()) {
      for (int lane : port.engine_lanes) {
        if (lane >= 1 && lane <= engine->lanes && !lane_feed.contains({engine->name, lane})) {
          diag.Error(port.marks.At("engine_lanes"), path + ".engine_lanes",
                     fmt::format("lane {} of engine '{}' has no laser fibre; add it to a fibers "
                                 "entry",
                                 lane, engine->name));
          break;
        }
      }
    }
    for (int lane : port.engine_lanes) {
      if (lane < 1 || lane > engine->lanes) {
        diag.Error(
            port.marks.At("engine_lanes"), path + ".engine_lanes",
            fmt::format("lane {} is outside engine '{}' lanes 1..{} (engine lanes count from 1)",
                        lane, engine->name, engine->lanes));
        break;
      }
      auto [it, inserted] = engine_owner.emplace(std::pair{engine->name, lane}, port.name);
      if (!inserted) {
        diag.Error(port.marks.At("engine_lanes"), path + ".engine_lanes",
                   fmt::format("lane {} of engine '{}' is already assigned to port '{}'", lane,
                               engine->name, it->second));
        break;
      }
    }
  }
}

}  // namespace cpo::platform
