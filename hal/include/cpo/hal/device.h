// Device: one open CPO switch. Built by the composition root (cpo/drivers/open_device.h) from a
// platform file; owns every engine of it. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/bus_statistics.h"
#include "cpo/hal/backend/laser_source_backend.h"
#include "cpo/hal/backend/serdes_backend.h"
#include "cpo/hal/data_path_bringup.h"
#include "cpo/hal/events.h"
#include "cpo/hal/laser_source.h"
#include "cpo/hal/optical_engine.h"
#include "cpo/hal/owner/owner_lock.h"
#include "cpo/hal/owner/published_state.h"
#include "cpo/hal/owner/request_channel.h"
#include "cpo/hal/owner/role.h"
#include "cpo/hal/port.h"
#include "cpo/hal/telemetry.h"
#include "cpo/platform/platform.h"
#include "cpo/platform/topology.h"
#include "cpo/status.h"

namespace cpo::hal {

class EventHub;
class PortService;

// What a Device is built from.
struct DeviceParts {
  platform::Platform platform;
  // engine_backends[i] drives platform.optical_engines[i].
  std::vector<std::unique_ptr<OpticalEngineBackend>> engine_backends;
  // laser_backends[i] drives platform.laser_sources[i].
  std::vector<std::unique_ptr<LaserSourceBackend>> laser_backends;
  // The switch's SerDes/port block; null when the platform has none (ports then stop at the
  // optics).
  std::unique_ptr<SerdesBackend> serdes;
  LaserSafetyOptions laser_safety;
  // How the owner brings back admin-up ports that lost their link (port.h).
  RecoveryOptions recovery;
  // The management buses' counters, for the cost of a telemetry sweep.
  std::vector<std::shared_ptr<BusStatistics>> buses;
  // The device's time; the steady clock when null.
  std::shared_ptr<Clock> clock;
  // Owner or observer; the owner holds owner_lock (null for an in-process model, which no other
  // process shares). owner_lock_path names the lock file, to tell an observer who owns.
  ProcessRole role = ProcessRole::kOwner;
  std::unique_ptr<OwnerLock> owner_lock;
  std::string owner_lock_path;
  // An observer's window on the owner (its request channel): lane phases, sparing, flag
  // history, events and bring-up progress come from there while an owner answers. Null for an
  // owner, or an observer with nobody to ask.
  std::shared_ptr<PublishedState> published;
  // Whatever the backends use (transports), kept alive as long as the device.
  std::shared_ptr<void> keep_alive;
};

class Device {
 public:
  explicit Device(DeviceParts parts);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const platform::Platform& platform() const { return platform_; }
  // Whether this process owns the switch or observes it (cpo/hal/owner/role.h).
  ProcessRole role() const { return role_; }
  // The process that owns the switch now (this one, for an owner); nullopt when none does.
  std::optional<OwnerInfo> Owner() const;
  // Serves the owner's request channel at `path` (cpo/hal/owner/request_channel.h): observers'
  // port and laser changes are carried out here, one at a time, on the channel's thread.
  // OpenDevice starts it for an owner that holds the owner lock. kFailedPrecondition for an
  // observer.
  Status ServeRequests(const std::string& path);
  // Where the owner's port bring-up or bring-down stands: this process's as owner, the owner's
  // (through its request channel) as an observer; nullopt for an observer with no owner.
  std::optional<PortsProgress> Progress() const;
  // The owner's event log (every event PollEvents delivered, numbered from 1): the events after
  // `after_sequence`, at most `limit` (the newest). An observer gets the owner's; nullopt for an
  // observer with no owner to ask.
  std::optional<EventPage> EventsAfter(uint64_t after_sequence, size_t limit) const;
  const std::vector<std::unique_ptr<OpticalEngine>>& optical_engines() const { return engines_; }
  // By name ("oe3") or by index ("3").
  Result<OpticalEngine*> FindOpticalEngine(std::string_view name_or_index) const;
  Clock& clock() const { return *clock_; }
  // Transactions and wire bytes of every management bus since the device was opened.
  BusCounters TotalBusCounters() const;
  const std::vector<std::unique_ptr<LaserSource>>& laser_sources() const { return lasers_; }
  // By name ("els3") or by index ("3").
  Result<LaserSource*> FindLaserSource(std::string_view name_or_index) const;
  // --- Ports (the logical ports of every front-panel port's breakout; see port.h).
  // Every logical port in platform order, as the breakouts make them now.
  std::vector<platform::SubPort> Ports() const;
  // "eth3/2", or "eth3" (a front-panel port: all its logical ports), or "all".
  Result<std::vector<platform::SubPort>> SelectPorts(std::string_view name) const;
  // The state of each stage of each port's path, read from the hardware.
  std::vector<PortStatus> PortStates(const std::vector<platform::SubPort>& ports);
  // Changes a front-panel port's breakout ("4x200G"; see platform/breakout.h). Its logical ports
  // go admin down first (lasers and engines other ports use stay on), its SerDes lanes are reset,
  // and the mode is stored in the switch's port block, where every process sees it. No other
  // port is touched. kInvalidArgument for a mode the port does not allow.
  Status SetPortBreakout(std::string_view front_panel_port, std::string_view mode);

  // Host-side test modes of ports' SerDes lanes (SAI's PRBS and loopback attributes). PRBS
  // mode off returns the lanes to traffic; a checker switched on starts fresh counts.
  Status SetPortPrbs(const std::vector<platform::SubPort>& ports, PortPrbsMode mode,
                     PrbsPattern pattern);
  Status SetPortLoopback(const std::vector<platform::SubPort>& ports, PortLoopback loopback);
  Result<std::vector<PortPrbsResult>> PortPrbsResults(const std::vector<platform::SubPort>& ports);
  Status ClearPortCounters(const std::vector<platform::SubPort>& ports);

  // Admin up: lights and fibre-checks every laser lane the ports use (all sources at once),
  // enables the ports' SerDes transmitters at the lane rate their speed needs (host Tx ready
  // before the engines start), brings every port's engine data path up with the application its
  // lane count needs (all engines at once), then waits for every port's link (all lanes PCS
  // locked) up to options' link timeout. Stages run in that order because an engine cannot
  // initialize a data path without laser light or a host signal.
  PortBringUpReport BringUpPorts(const std::vector<platform::SubPort>& ports,
                                 const BringUpOptions& options = {});

  // Admin down: disables Tx and holds the ports' engine lanes in DPDeinit, turns the SerDes
  // transmitters off, then turns off each
  // laser lane that no other port still uses (a port uses a laser while any of its engine lanes
  // has a data path that is not Deactivated). Ports sharing a laser or an engine keep running.
  // Waits for the data paths to reach Deactivated (advertised bounds).
  PortBringUpReport BringDownPorts(const std::vector<platform::SubPort>& ports);

  // Enables laser lanes of many sources at once (each fibre-checked, then raised to operating
  // power), all checks running in parallel; waits until every lane is operating or failed.
  // kFailedPrecondition names each lane that did not make it and why; nothing is half-applied
  // for a request refused up front (unknown source or lane: no lane is touched).
  Status EnableLasers(const std::vector<platform::LaserLane>& lanes);

  // One round of the laser-safety core (fibre checks, cut fibres, failed lasers and sparing,
  // pulled and re-inserted modules), delivering and returning the laser events it found.
  // PollEvents runs it too, so the event monitor keeps the lasers supervised every period; a
  // caller that wants the tightest bound on a cut fibre calls this alone, every
  // LaserSafetyOptions::poll_period.
  std::vector<Event> SuperviseLasers();

  // One sweep: every engine's module monitors and flags and every lane's monitors and flags,
  // with the device time it took and the bus transactions and bytes it used. Static pages
  // (identity, advertising, thresholds) are not read. An engine that fails to answer is
  // reported in its entry; the sweep goes on.
  TelemetrySnapshot Telemetry();

  // Brings every requested data path from wherever its engine is (low power included) to
  // Activated, all engines and lanes at once: power up, select the application, release
  // DPDeinit, enable Tx once Initialized. Driven by the engines' interrupt line (IntL) and
  // bounded by their advertised durations (device time), never by fixed sleeps; a data path
  // that misses its bound is re-initialized up to options.max_retries times. Runs on the
  // calling thread.
  BringUpReport BringUpDataPaths(const std::vector<DataPathRequest>& requests,
                                 const BringUpOptions& options = {});

  // Events: module state changes (with the fault cause) and flags latching or clearing, found
  // by any read of the engines. Callbacks run with no HAL lock held (they may call back into
  // the Device), on the thread that polls: the caller of PollEvents, or the event monitor's
  // worker thread.
  SubscriptionId Subscribe(EventCallback callback);
  void Unsubscribe(SubscriptionId id);
  // One sweep: a laser-safety round, every engine's module state and flags, its lane flags
  // while its IntL stays asserted or a flag may yet clear, and every port's link (one read of
  // the SerDes block); then delivers what any read found since the last delivery (laser and
  // link events included). The owner then tries to bring back admin-up ports that lost their
  // link through their own path (lasers or data path; RecoveryOptions), and delivers a
  // port-recovery event for each attempt. Returns the events. An observer beside an owner
  // reads nothing: it returns (and delivers) the events the owner logged since its last call,
  // so `cpoctl watch` and the C API stream the owner's events.
  std::vector<Event> PollEvents();
  // A worker thread that calls PollEvents every `period` of device time until stopped (or the
  // Device is destroyed). Starting it again changes the period.
  void StartEventMonitor(std::chrono::nanoseconds period);
  void StopEventMonitor();

 private:
  void Deliver(const std::vector<Event>& events);
  // An observer's PollEvents beside an owner; nullopt when the owner does not answer.
  std::optional<std::vector<Event>> OwnerEvents();

  platform::Platform platform_;
  ProcessRole role_;
  std::unique_ptr<OwnerLock> owner_lock_;
  std::string owner_lock_path_;
  std::shared_ptr<PublishedState> published_;
  std::shared_ptr<void> keep_alive_;
  std::shared_ptr<Clock> clock_;
  std::vector<std::shared_ptr<BusStatistics>> buses_;
  std::vector<std::unique_ptr<OpticalEngine>> engines_;
  std::unique_ptr<LaserSupervisor> laser_supervisor_;
  std::vector<std::unique_ptr<LaserSource>> lasers_;
  std::unique_ptr<SerdesBackend> serdes_;
  std::atomic<uint64_t> poll_count_{0};  // PollEvents calls, for the lane-flag backstop
  // Serializes what changes ports and lasers (bring-up, bring-down, breakout, lasers): the NOS,
  // the request channel and recovery may ask at once. Recursive: bring-up enables lasers.
  std::recursive_mutex changes_mutex_;
  // Ports, their bring-up, links and the owner's recovery of them.
  std::unique_ptr<PortService> ports_;
  // Subscribers, and the owner's event log.
  std::unique_ptr<EventHub> events_;
  std::mutex observed_mutex_;
  uint64_t observed_sequence_ = 0;  // an observer's cursor in the owner's event log

  std::mutex monitor_mutex_;
  std::thread monitor_;
  bool monitor_stop_ = false;
  std::chrono::nanoseconds monitor_period_{0};
  // Last, so it stops first: its thread calls into everything above.
  std::unique_ptr<RequestServer> request_server_;
};

}  // namespace cpo::hal
