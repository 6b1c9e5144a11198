#include "cpo/drivers/open_device.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/elsfp/elsfp_module.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/drivers/serdes/serdes_block.h"
#include "cpo/platform/loader.h"
#include "cpo/transport/counting_two_wire.h"
#include "cpo/transport/linux_i2c_bus.h"
#include "cpo/transport/locked_two_wire.h"
#include "cpo/transport/pci_locator.h"
#include "cpo/transport/sim_clock.h"
#include "cpo/transport/sim_socket_io.h"
#include "cpo/transport/sysfs_bar_io.h"
#include "cpo/transport/vfio_bar_io.h"

namespace cpo {
namespace {

// A counting bus as the HAL core sees it.
class BusCounterAdapter : public hal::BusStatistics {
 public:
  explicit BusCounterAdapter(std::shared_ptr<transport::CountingTwoWire> bus)
      : bus_(std::move(bus)) {}
  hal::BusCounters Counters() const override { return {bus_->transactions(), bus_->wire_bytes()}; }

 private:
  std::shared_ptr<transport::CountingTwoWire> bus_;
};

// Every process sharing the switch locks a bus through the same file: next to the simulator's
// socket for a simulated switch, else in the lock directory.
std::string BusLockPath(const platform::Platform& platform, const std::string& bus,
                        const OpenOptions& options) {
  if (platform.transport.kind == platform::TransportKind::kSim) {
    const std::string& socket =
        options.sim_socket.empty() ? platform.transport.socket : options.sim_socket;
    return fmt::format("{}.{}.lock", socket, bus);
  }
  return fmt::format("{}/cpo-{}-{}.lock", options.lock_dir, platform.name, bus);
}

}  // namespace

Result<std::shared_ptr<transport::RegisterIo>> OpenRegisterSpace(const platform::Platform& platform,
                                                                 const OpenOptions& options) {
  if (options.register_io) return options.register_io;
  const platform::TransportConfig& transport = platform.transport;
  if (transport.kind == platform::TransportKind::kSim) {
    const std::string& socket = options.sim_socket.empty() ? transport.socket : options.sim_socket;
    CPO_ASSIGN_OR_RETURN(auto io, transport::SimSocketIo::Connect(socket));
    return std::shared_ptr<transport::RegisterIo>(std::move(io));
  }
  transport::PciMatch match{transport.vendor_id, transport.device_id, transport.address};
  CPO_ASSIGN_OR_RETURN(std::string address,
                       transport::FindPciDevice(match, {.dump_file = options.pci_dump_file}));
  if (transport.bar_access == platform::BarAccess::kSysfs) {
    CPO_ASSIGN_OR_RETURN(auto io,
                         transport::SysfsBarIo::Open(transport.sysfs_root, address, transport.bar));
    return std::shared_ptr<transport::RegisterIo>(std::move(io));
  }
  CPO_ASSIGN_OR_RETURN(auto io,
                       transport::VfioBarIo::Open(transport.sysfs_root, address, transport.bar,
                                                  transport::MakeVfioSyscalls()));
  return std::shared_ptr<transport::RegisterIo>(std::move(io));
}

Result<std::unique_ptr<hal::Device>> OpenDevice(const std::string& platform_path,
                                                const OpenOptions& options) {
  CPO_ASSIGN_OR_RETURN(platform::Platform platform, platform::LoadPlatformFile(platform_path));
  return OpenDevice(std::move(platform), options);
}

Result<std::unique_ptr<hal::Device>> OpenDevice(platform::Platform platform,
                                                const OpenOptions& options) {
  auto logger = spdlog::get("cpo.drivers");
  CPO_ASSIGN_OR_RETURN(auto io, OpenRegisterSpace(platform, options));
  auto id = io->Read32(drivers::mgmt_regs::kId);
  if (!id.ok()) return id.status().WithContext("reading the management block id");
  if (*id != drivers::mgmt_regs::kIdValue) {
    return Status(
        StatusCode::kUnavailable,
        fmt::format("register 0 reads 0x{:08x}, not the CPO management block id 0x{:08x}; "
                    "check the platform's transport",
                    *id, drivers::mgmt_regs::kIdValue));
  }

  hal::DeviceParts parts;
  std::map<std::string, std::shared_ptr<transport::TwoWire>> buses;
  for (const auto& bus : platform.i2c_buses) {
    std::shared_ptr<transport::TwoWire> raw;
    if (bus.kind == platform::I2cBusKind::kController) {
      CPO_ASSIGN_OR_RETURN(raw,
                           drivers::CpoI2cController::Create(io, bus.controller, bus.speed_khz));
    } else {
      CPO_ASSIGN_OR_RETURN(
          raw, transport::LinuxI2cBus::Open(bus.device_path, transport::MakeLinuxI2cDevSyscalls()));
    }
    // Other processes (the NOS, cpoctl) share the bus: lock it. An injected in-process register
    // space has no other users.
    if (!options.register_io) {
      const std::string lock_path = BusLockPath(platform, bus.name, options);
      CPO_ASSIGN_OR_RETURN(raw, transport::LockedTwoWire::Open(std::move(raw), lock_path));
    }
    auto counted = std::make_shared<transport::CountingTwoWire>(std::move(raw));
    parts.buses.push_back(std::make_shared<BusCounterAdapter>(counted));
    buses[bus.name] = std::move(counted);
  }

  for (const auto& engine : platform.optical_engines) {
    parts.engine_backends.push_back(
        std::make_unique<drivers::CmisEngine>(buses.at(engine.bus), engine.address, engine.lanes));
  }
  for (const auto& source : platform.laser_sources) {
    parts.laser_backends.push_back(
        std::make_unique<drivers::ElsfpModule>(buses.at(source.bus), source.address, source.lanes));
  }
  if (platform.switch_host_lanes > 0) {
    auto serdes = drivers::SerdesBlock::Create(io);
    if (serdes.ok() && (*serdes)->lanes() < platform.switch_host_lanes) {
      return Status(
          StatusCode::kConfigError,
          fmt::format("{}: switch_host_lanes is {} but the SerDes block has {} lanes",
                      platform.source_file, platform.switch_host_lanes, (*serdes)->lanes()));
    }
    if (serdes.ok()) {
      parts.serdes = std::move(*serdes);
    } else if (serdes.status().code() != StatusCode::kNotSupported) {
      return serdes.status().WithContext("opening the SerDes block");
    } else if (logger) {
      logger->warn("{}", serdes.status().message());
    }
  }
  parts.laser_safety = options.laser_safety;
  if (logger) {
    logger->debug("opened {} with {} engines", platform.name, platform.optical_engines.size());
  }
  parts.platform = std::move(platform);
  parts.clock = options.clock;
  // A switch served by cpo-simd keeps the simulator's time (see sim_clock.h).
  if (!parts.clock) {
    if (auto sim = std::dynamic_pointer_cast<transport::SimSocketIo>(io)) {
      parts.clock = std::make_shared<transport::SimClock>(std::move(sim));
    }
  }
  parts.keep_alive = io;
  return std::make_unique<hal::Device>(std::move(parts));
}

}  // namespace cpo
