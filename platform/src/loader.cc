// YAML -> Platform structs. yaml-cpp stays inside this file: its exceptions become errors that
// name file:line:col and the key.
#include "cpo/platform/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "diagnostics.h"
#include "module_profiles.h"
#include "yaml_parser.h"

namespace cpo::platform {
namespace {

void ParseTransport(Parser& p, const YAML::Node& node, TransportConfig& t) {
  if (!p.Map(node, "transport",
             {"kind", "socket", "vendor_id", "device_id", "address", "bar", "sysfs_root",
              "bar_access"},
             t.marks)) {
    return;
  }
  auto kind = p.String(node, "kind", "transport", t.marks, true);
  if (kind == "pci") t.kind = TransportKind::kPci;
  if (auto v = p.String(node, "socket", "transport", t.marks, false)) t.socket = *v;
  if (auto v = p.Integer(node, "vendor_id", "transport", t.marks, false, 0, 0xfffe)) {
    t.vendor_id = static_cast<uint16_t>(*v);
  }
  if (auto v = p.Integer(node, "device_id", "transport", t.marks, false, 0, 0xffff)) {
    t.device_id = static_cast<uint16_t>(*v);
  }
  if (auto v = p.String(node, "address", "transport", t.marks, false)) t.address = *v;
  if (auto v = p.Integer(node, "bar", "transport", t.marks, false, 0, 5)) {
    t.bar = static_cast<int>(*v);
  }
  if (auto v = p.String(node, "sysfs_root", "transport", t.marks, false)) t.sysfs_root = *v;
  if (auto v = p.String(node, "bar_access", "transport", t.marks, false); v == "sysfs") {
    t.bar_access = BarAccess::kSysfs;
  }
}

Result<Platform> Parse(const YAML::Node& root, Diagnostics& diag, const std::string& source) {
  Parser p(diag);
  Platform platform;
  platform.source_file = source;
  Marks top;
  if (!p.Map(root, "",
             {"platform", "transport", "switch", "i2c_buses", "module_profiles", "optical_engines",
              "laser_sources", "fibers", "ports", "cables"},
             top)) {
    return diag.ToStatus();
  }
  if (auto v = p.String(root, "platform", "", top, true)) platform.name = *v;

  if (root["transport"]) {
    ParseTransport(p, root["transport"], platform.transport);
    auto kind = root["transport"]["kind"];
    if (kind && kind.IsScalar() && kind.Scalar() != "sim" && kind.Scalar() != "pci") {
      diag.Error(ToMark(kind.Mark()), "transport.kind",
                 fmt::format("'{}' is not a transport; use sim or pci", kind.Scalar()));
    }
    auto access = root["transport"]["bar_access"];
    if (access && access.IsScalar() && access.Scalar() != "vfio" && access.Scalar() != "sysfs") {
      diag.Error(ToMark(access.Mark()), "transport.bar_access",
                 fmt::format("'{}' is not a BAR access; use vfio (the default) or sysfs",
                             access.Scalar()));
    }
  } else {
    diag.Error(top.self, "transport", "required key is missing");
  }
  if (platform.transport.socket.empty()) {
    platform.transport.socket = "/tmp/cpo-sim-" + platform.name + ".sock";
  }

  if (root["switch"]) {
    Marks marks;
    if (p.Map(root["switch"], "switch", {"host_lanes"}, marks)) {
      if (auto v = p.Integer(root["switch"], "host_lanes", "switch", marks, true, 1, 4096)) {
        platform.switch_host_lanes = static_cast<int>(*v);
      }
    }
  } else {
    diag.Error(top.self, "switch", "required key is missing");
  }

  auto sequence = [&](const char* key) -> YAML::Node {
    YAML::Node node = root[key];
    if (!node) return node;
    if (!node.IsSequence()) {
      diag.Error(ToMark(node.Mark()), key, "expected a list");
      return YAML::Node();
    }
    return node;
  };

  if (YAML::Node buses = sequence("i2c_buses")) {
    for (size_t i = 0; i < buses.size(); ++i) {
      I2cBusConfig bus;
      std::string path = fmt::format("i2c_buses[{}]", i);
      if (!p.Map(buses[i], path, {"name", "controller", "device", "speed_khz"}, bus.marks)) {
        continue;
      }
      if (auto v = p.String(buses[i], "name", path, bus.marks, true)) bus.name = *v;
      bool has_controller = static_cast<bool>(buses[i]["controller"]);
      bool has_device = static_cast<bool>(buses[i]["device"]);
      if (has_controller == has_device) {
        diag.Error(bus.marks.self, path,
                   "give exactly one of controller (index) or device (/dev/i2c-N)");
      }
      if (auto v = p.Integer(buses[i], "controller", path, bus.marks, false, 0, 15)) {
        bus.controller = static_cast<int>(*v);
      }
      if (auto v = p.String(buses[i], "device", path, bus.marks, false)) {
        bus.kind = I2cBusKind::kLinuxDevice;
        bus.device_path = *v;
      }
      if (auto v = p.Integer(buses[i], "speed_khz", path, bus.marks, false, 100, 1000)) {
        bus.speed_khz = static_cast<int>(*v);
      }
      platform.i2c_buses.push_back(std::move(bus));
    }
  }

  if (YAML::Node profiles = sequence("module_profiles")) {
    ParseModuleProfiles(p, diag, profiles, platform);
  }

  if (YAML::Node engines = sequence("optical_engines")) {
    for (size_t i = 0; i < engines.size(); ++i) {
      OpticalEngineConfig engine;
      std::string path = fmt::format("optical_engines[{}]", i);
      if (!p.Map(engines[i], path, {"name", "bus", "address", "lanes", "banks", "profile"},
                 engine.marks)) {
        continue;
      }
      if (auto v = p.String(engines[i], "name", path, engine.marks, true)) engine.name = *v;
      if (auto v = p.String(engines[i], "bus", path, engine.marks, true)) engine.bus = *v;
      if (auto v = p.String(engines[i], "profile", path, engine.marks, false)) {
        engine.profile = *v;
      }
      if (auto v = p.Integer(engines[i], "address", path, engine.marks, true, 0x08, 0x77)) {
        engine.address = static_cast<uint8_t>(*v);
      }
      if (auto v = p.Integer(engines[i], "lanes", path, engine.marks, true, 8, 64)) {
        engine.lanes = static_cast<int>(*v);
        engine.banks = (engine.lanes + 7) / 8;
      }
      if (auto v = p.Integer(engines[i], "banks", path, engine.marks, false, 1, 8)) {
        if (*v != engine.banks) {
          diag.Error(engine.marks.At("banks"), path + ".banks",
                     fmt::format("{} banks cannot hold {} lanes; a bank is 8 lanes, so use {}", *v,
                                 engine.lanes, engine.banks));
        }
      }
      platform.optical_engines.push_back(std::move(engine));
    }
  }

  if (YAML::Node sources = sequence("laser_sources")) {
    for (size_t i = 0; i < sources.size(); ++i) {
      LaserSourceConfig laser;
      std::string path = fmt::format("laser_sources[{}]", i);
      if (!p.Map(sources[i], path,
                 {"name", "bus", "address", "via", "page_base", "lanes", "fibers", "spare_lanes",
                  "profile"},
                 laser.marks)) {
        continue;
      }
      if (auto v = p.String(sources[i], "name", path, laser.marks, true)) laser.name = *v;
      if (auto v = p.String(sources[i], "via", path, laser.marks, false)) laser.via = *v;
      // Joint mode takes the bus and address of the engine it is reached through (validate.cc
      // refuses them here); separate mode needs both.
      if (auto v = p.String(sources[i], "bus", path, laser.marks, !laser.joint())) laser.bus = *v;
      if (auto v = p.String(sources[i], "profile", path, laser.marks, false)) laser.profile = *v;
      if (auto v =
              p.Integer(sources[i], "address", path, laser.marks, !laser.joint(), 0x08, 0x77)) {
        laser.address = static_cast<uint8_t>(*v);
      }
      if (auto v = p.Integer(sources[i], "page_base", path, laser.marks, false, 0x00, 0xFF)) {
        laser.page_base = static_cast<uint8_t>(*v);
      } else if (laser.joint()) {
        laser.page_base = kDefaultJointPageBase;
      }
      if (const OpticalEngineConfig* engine = platform.FindEngine(laser.via);
          engine != nullptr && !laser.marks.keys.contains("bus") &&
          !laser.marks.keys.contains("address")) {
        laser.bus = engine->bus;
        laser.address = engine->address;
      }
      if (auto v = p.Integer(sources[i], "lanes", path, laser.marks, true, 1, 32)) {
        laser.lanes = static_cast<int>(*v);
      }
      if (auto v = p.Integer(sources[i], "fibers", path, laser.marks, true, 1, 32)) {
        laser.fibers = static_cast<int>(*v);
      }
      if (sources[i]["spare_lanes"]) {
        laser.spare_lanes = p.Lanes(sources[i], "spare_lanes", path, laser.marks);
      }
      platform.laser_sources.push_back(std::move(laser));
    }
  }

  if (YAML::Node fibers = sequence("fibers")) {
    for (size_t i = 0; i < fibers.size(); ++i) {
      FiberConfig fiber;
      std::string path = fmt::format("fibers[{}]", i);
      if (!p.Map(fibers[i], path, {"source", "fiber", "engine", "engine_lanes", "loss_db"},
                 fiber.marks)) {
        continue;
      }
      if (auto v = p.String(fibers[i], "source", path, fiber.marks, true)) fiber.source = *v;
      if (auto v = p.Integer(fibers[i], "fiber", path, fiber.marks, true, 1, 32)) {
        fiber.fiber = static_cast<int>(*v);
      }
      if (auto v = p.String(fibers[i], "engine", path, fiber.marks, true)) fiber.engine = *v;
      fiber.engine_lanes = p.Lanes(fibers[i], "engine_lanes", path, fiber.marks);
      if (auto v = p.Number(fibers[i], "loss_db", path, fiber.marks, false, 0, 40)) {
        fiber.loss_db = *v;
      }
      platform.fibers.push_back(std::move(fiber));
    }
  }

  if (YAML::Node ports = sequence("ports")) {
    for (size_t i = 0; i < ports.size(); ++i) {
      PortConfig port;
      std::string path = fmt::format("ports[{}]", i);
      if (!p.Map(ports[i], path,
                 {"name", "engine", "host_lanes", "engine_lanes", "fiber_loss_threshold_db",
                  "breakout", "breakout_modes", "tx_polarity_swaps", "rx_polarity_swaps"},
                 port.marks)) {
        continue;
      }
      if (auto v =
              p.Number(ports[i], "fiber_loss_threshold_db", path, port.marks, false, 0.1, 40)) {
        port.fiber_loss_threshold_db = *v;
      }
      if (auto v = p.String(ports[i], "name", path, port.marks, true)) port.name = *v;
      if (auto v = p.String(ports[i], "engine", path, port.marks, true)) port.engine = *v;
      port.host_lanes = p.Lanes(ports[i], "host_lanes", path, port.marks);
      port.engine_lanes = p.Lanes(ports[i], "engine_lanes", path, port.marks);
      for (auto [key, lanes] : {std::pair{"tx_polarity_swaps", &port.tx_polarity_swaps},
                                std::pair{"rx_polarity_swaps", &port.rx_polarity_swaps}}) {
        if (ports[i][key]) *lanes = p.Lanes(ports[i], key, path, port.marks);
      }
      if (auto v = p.String(ports[i], "breakout", path, port.marks, false)) port.breakout = *v;
      if (auto v = p.String(ports[i], "breakout_modes", path, port.marks, false)) {
        // "1x800G, 2x400G": a comma-separated list.
        std::string mode;
        for (char c : *v + ",") {
          if (c == ',') {
            if (!mode.empty()) port.breakout_modes.push_back(mode);
            mode.clear();
          } else if (c != ' ') {
            mode += c;
          }
        }
      }
      platform.ports.push_back(std::move(port));
    }
  }

  if (YAML::Node cables = sequence("cables")) {
    for (size_t i = 0; i < cables.size(); ++i) {
      CableConfig cable;
      std::string path = fmt::format("cables[{}]", i);
      if (!p.Map(cables[i], path, {"port", "to"}, cable.marks)) continue;
      if (auto v = p.String(cables[i], "port", path, cable.marks, true)) cable.port = *v;
      if (auto v = p.String(cables[i], "to", path, cable.marks, true)) cable.to = *v;
      platform.cables.push_back(std::move(cable));
    }
  }

  if (diag.empty()) {
    Validate(platform, diag);
    ValidateModuleProfiles(platform, diag);
  }
  if (!diag.empty()) return diag.ToStatus();
  return platform;
}

}  // namespace

Result<Platform> LoadPlatformString(std::string_view yaml, const std::string& source_name) {
  Diagnostics diag(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    diag.Error(ToMark(e.mark), "(syntax)", e.msg);
    return diag.ToStatus();
  } catch (const YAML::Exception& e) {
    diag.Error(ToMark(e.mark), "(yaml)", e.msg);
    return diag.ToStatus();
  }
  try {
    return Parse(root, diag, source_name);
  } catch (const YAML::Exception& e) {
    diag.Error(ToMark(e.mark), "(yaml)", e.msg);
    return diag.ToStatus();
  }
}

Result<Platform> LoadPlatformFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return Status(StatusCode::kConfigError,
                  fmt::format("{}: cannot read platform file (pass --platform FILE, set "
                              "CPO_PLATFORM, or install /etc/cpo/platform.yaml)",
                              path));
  }
  std::stringstream text;
  text << file.rdbuf();
  return LoadPlatformString(text.str(), path);
}

}  // namespace cpo::platform
