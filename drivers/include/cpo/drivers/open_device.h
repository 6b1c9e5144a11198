// The composition root: reads a platform file, builds the transports and drivers it names, checks
// the management block answers, and hands the drivers to a hal::Device.
#pragma once

#include <memory>
#include <string>

#include "cpo/clock.h"
#include "cpo/hal/device.h"
#include "cpo/platform/platform.h"
#include "cpo/transport/register_io.h"

namespace cpo {

struct OpenOptions {
  // sim transport: connect here instead of the platform's transport.socket.
  std::string sim_socket;
  // Use this register space instead of the platform's transport (an in-process model, injected
  // by a test or benchmark).
  std::shared_ptr<transport::RegisterIo> register_io;
  // pci transport: read PCI devices from this `lspci -x` dump (tests, offline use).
  std::string pci_dump_file;
  // The device's time; the steady clock when null. An in-process model passes its ModelClock.
  std::shared_ptr<Clock> clock;
  // What the laser-safety core does at open (lanes off by default) and how it polls.
  hal::LaserSafetyOptions laser_safety;
  // Where the per-bus lock files live that keep processes sharing the switch from interleaving
  // their accesses (a simulated switch keeps them next to its socket).
  std::string lock_dir = "/run/lock";
};

// Errors: kConfigError (platform file), kUnavailable (device or simulator unreachable),
// kPermissionDenied (device nodes), kNotFound (no such PCI device).
// The platform's register space (PCIe BAR or the simulator's socket), as OpenDevice opens it:
// for experts' raw register access (cpoctl read/write reg) beside a device.
Result<std::shared_ptr<transport::RegisterIo>> OpenRegisterSpace(const platform::Platform& platform,
                                                                 const OpenOptions& options = {});

Result<std::unique_ptr<hal::Device>> OpenDevice(const std::string& platform_path,
                                                const OpenOptions& options = {});
Result<std::unique_ptr<hal::Device>> OpenDevice(platform::Platform platform,
                                                const OpenOptions& options = {});

}  // namespace cpo
