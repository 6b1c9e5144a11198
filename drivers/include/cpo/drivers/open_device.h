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
  // Owner or observer (cpo/hal/owner/role.h). The owner takes the switch's owner lock; an
  // injected in-process register space has no other processes, so no lock is taken there.
  hal::RoleRequest role = hal::RoleRequest::kAuto;
  // An observer asks the owner for what it publishes (lane phases, sparing, flag history, events,
  // progress) at the channel its owner lock names; this path instead when set (an in-process
  // model shared by two Devices in a test, which takes no lock).
  std::string owner_channel;
  // The name the owner lock gives this process; /proc/self/comm when empty.
  std::string program;
  // What the laser-safety core does at open (an owner adopts what it can verify by default; an
  // observer always observes) and how it polls.
  hal::LaserSafetyOptions laser_safety;
  // How the owner brings back admin-up ports that lost their link.
  hal::RecoveryOptions recovery;
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

// Where the switch's owner lock and the owner's request channel live: beside the simulator's
// socket for a simulated switch, else in options.lock_dir.
std::string OwnerLockPath(const platform::Platform& platform, const OpenOptions& options = {});
std::string OwnerChannelPath(const platform::Platform& platform, const OpenOptions& options = {});

// Errors also: kFailedPrecondition naming the owner when role is kOwner and another process
// owns the switch.
Result<std::unique_ptr<hal::Device>> OpenDevice(const std::string& platform_path,
                                                const OpenOptions& options = {});
Result<std::unique_ptr<hal::Device>> OpenDevice(platform::Platform platform,
                                                const OpenOptions& options = {});

}  // namespace cpo
