#include "cpo/drivers/open_device.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <map>

#include "cpo/drivers/cmis/cmis_engine.h"
#include "cpo/drivers/elsfp/elsfp_module.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/drivers/serdes/serdes_block.h"
#include "cpo/hal/owner/owner_lock.h"
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
std::string SharedFilePath(const platform::Platform& platform, const std::string& what,
                           const OpenOptions& options) {
  if (platform.transport.kind == platform::TransportKind::kSim) {
    const std::string& socket =
        options.sim_socket.empty() ? platform.transport.socket : options.sim_socket;
    return fmt::format("{}.{}", socket, what);
  }
  return fmt::format("{}/cpo-{}-{}", options.lock_dir, platform.name, what);
}

std::string BusLockPath(const platform::Platform& platform, const std::string& bus,
                        const OpenOptions& options) {
  return SharedFilePath(platform, bus + ".lock", options);
}

}  // namespace

std::string OwnerLockPath(const platform::Platform& platform, const OpenOptions& options) {
  return SharedFilePath(platform, "owner.lock", options);
}

std::string OwnerChannelPath(const platform::Platform& platform, const OpenOptions& options) {
  return SharedFilePath(platform, "owner.sock", options);
}

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
  // The role first: it decides what this open may write.
  parts.role = options.role == hal::RoleRequest::kObserver ? hal::ProcessRole::kObserver
                                                           : hal::ProcessRole::kOwner;
  if (!options.register_io) {
    parts.owner_lock_path = OwnerLockPath(platform, options);
    if (parts.role == hal::ProcessRole::kOwner) {
      hal::OwnerInfo me{
          .pid = getpid(),
          .program = options.program.empty() ? hal::CurrentProgramName() : options.program,
          .channel = OwnerChannelPath(platform, options)};
      auto lock = hal::OwnerLock::TryAcquire(parts.owner_lock_path, me);
      if (lock.ok()) {
        parts.owner_lock = std::move(lock).value();
      } else if (options.role == hal::RoleRequest::kOwner ||
                 lock.status().code() != StatusCode::kFailedPrecondition) {
        return lock.status();
      } else {
        parts.role = hal::ProcessRole::kObserver;
      }
    }
  }
  const bool observer = parts.role == hal::ProcessRole::kObserver;
  if (observer && !options.owner_channel.empty()) {
    parts.published = hal::OwnerChannelState([path = options.owner_channel] { return path; });
  } else if (observer && !parts.owner_lock_path.empty()) {
    // Whoever owns the switch at each call: an owner that restarts is followed.
    parts.published = hal::OwnerChannelState([lock_path = parts.owner_lock_path] {
      const auto owner = hal::OwnerLock::CurrentOwner(lock_path);
      return owner ? owner->channel : std::string();
    });
  }
  std::map<std::string, std::shared_ptr<transport::TwoWire>> buses;
  for (const auto& bus : platform.i2c_buses) {
    std::shared_ptr<transport::TwoWire> raw;
    if (bus.kind == platform::I2cBusKind::kController) {
      CPO_ASSIGN_OR_RETURN(raw,
                           drivers::CpoI2cController::Create(
                               io, bus.controller, bus.speed_khz,
                               observer ? drivers::CpoI2cController::Timing::kKeep
                                        : drivers::CpoI2cController::Timing::kProgramIfDifferent));
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
    parts.engine_backends.push_back(std::make_unique<drivers::CmisEngine>(
        buses.at(engine.bus), engine.address, engine.lanes, parts.role));
  }
  for (const auto& source : platform.laser_sources) {
    // Joint mode: the platform gave the source its engine's bus and address.
    parts.laser_backends.push_back(std::make_unique<drivers::ElsfpModule>(
        buses.at(source.bus), source.address, source.lanes, parts.role,
        drivers::PageRelocation{.page_base = source.joint() ? source.page_base : uint8_t{0}}));
  }
  if (platform.switch_host_lanes > 0) {
    auto serdes = drivers::SerdesBlock::Create(io, parts.role);
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
  parts.recovery = options.recovery;
  if (observer) parts.laser_safety.start = hal::LaserStartPolicy::kObserve;
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
  const std::string channel = parts.owner_lock ? parts.owner_lock->info().channel : std::string();
  auto device = std::make_unique<hal::Device>(std::move(parts));
  if (!channel.empty()) {
    // Observers' changes come through here; without it they are refused, naming this process.
    if (Status serving = device->ServeRequests(channel); !serving.ok() && logger) {
      logger->warn("not serving the request channel: {}", serving.message());
    }
  }
  return device;
}

}  // namespace cpo
