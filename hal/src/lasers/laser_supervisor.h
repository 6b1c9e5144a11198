// LaserSupervisor: the HAL core's laser safety. It alone writes lane enables, setpoints,
// fibre-checked flags and the lane -> fibre map, so no public call can light a lane past the
// fibre-check setpoint before its fibre check passed. Step() is its poll: it advances fibre
// checks, turns off a lane whose engines stop receiving its light (a cut or pulled fibre),
// moves a failed laser's fibre to a spare lane, and re-checks a re-inserted module's lanes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpo/clock.h"
#include "cpo/hal/backend/laser_source_backend.h"
#include "cpo/hal/events.h"
#include "cpo/hal/laser_source_types.h"
#include "cpo/hal/optical_engine.h"
#include "cpo/hal/owner/published_state.h"
#include "cpo/platform/platform.h"
#include "cpo/platform/topology.h"
#include "events/flag_history.h"
#include "lasers/lane_state_machine.h"

namespace cpo::hal {

class LaserSupervisor {
 public:
  // backends[i] drives platform.laser_sources[i]; engines are the Device's (for input power).
  // Applies options.start to every source at once. An observer beside an owner passes what the
  // owner publishes (lane phases, sparing, flag history); it must outlive the supervisor.
  LaserSupervisor(const platform::Platform& platform,
                  std::vector<std::unique_ptr<LaserSourceBackend>> backends,
                  std::vector<OpticalEngine*> engines, Clock& clock, LaserSafetyOptions options,
                  PublishedState* published = nullptr);

  const LaserSafetyOptions& options() const { return options_; }

  // One supervision round over every source (see the file comment).
  void Step();
  // Events found since the previous call.
  std::vector<Event> TakeEvents();

  // The public LaserSource calls, by source index (lanes 1-based).
  Result<EngineIdentity> Identity(int source);
  Result<LaserSourceCapabilities> Capabilities(int source);
  Result<std::vector<LaserLaneReport>> Lanes(int source);
  // The core's current view of every lane, without reading the module (an observer beside an
  // owner: the owner's view).
  std::vector<LaserLaneReport> Reports(int source);
  // Whether Request would accept these lanes (changes nothing).
  Status CheckRequest(int source, const std::vector<int>& lanes, bool on);
  Status Request(int source, const std::vector<int>& lanes, bool on, bool check_only);
  // Steps (sleeping a poll period in between) until none of `lanes` is being checked or
  // verified, or the bound passes. Then reports the lanes.
  Result<std::vector<LaserLaneReport>> WaitSettled(int source, const std::vector<int>& lanes);
  // The same for lanes of many sources at once, stepping only those sources (lanes 1-based,
  // indexed by source). Returns when all are settled or the bound passed.
  void WaitSettledMany(const std::map<int, std::vector<int>>& lanes_of_source);
  Status SetOperatingPower(int source, const std::vector<int>& lanes, double power_mw);
  Status SetLaneFlagMasks(int source, const std::vector<int>& lanes, const ThresholdFlags& bias,
                          const ThresholdFlags& power);
  Status SaveRestore(int source, const LaserSetCommand& command);
  // Module state, temperature, Vcc and flags. The clear-on-read flags it takes are recorded here,
  // and a state change it finds is acted on at the next round as if the round had read it.
  Result<ModuleMonitors> Module(int source);
  Result<std::vector<LaserLaneElectrical>> Electrical(int source);
  std::vector<FlagRecord> FlagRecords(int source);
  Result<std::array<uint8_t, 256>> ReadWindow(int source, uint8_t page, uint8_t bank);
  Result<std::vector<uint8_t>> ReadWindowBytes(int source, uint8_t page, uint8_t bank,
                                               uint8_t offset, int count);
  // Refuses the laser control and setpoint pages (see LaserSource::WriteWindow).
  Status WriteWindow(int source, uint8_t page, uint8_t bank, uint8_t offset,
                     std::span<const uint8_t> bytes);

 private:
  struct Lane {
    LaserLanePhase phase = LaserLanePhase::kOff;
    bool requested = false;
    bool check_only = false;  // a fibre check that leaves the lane dark afterwards
    bool enable_written = false;
    bool checked_written = false;
    double power_written_mw = 0;  // the power setpoint the module holds (1Bh:144+2k)
    double operating_mw = 0;
    double bias_setpoint_ma = 0;
    std::chrono::nanoseconds deadline{0};
    std::string reason;
    std::optional<FiberCheckResult> last_check;
    int spare_for = 0;
    std::chrono::nanoseconds outage_since{0};
    std::chrono::nanoseconds last_healthy{0};
    LaserLaneStatus status;
    bool status_fresh = false;  // read in this Step
    std::array<uint8_t, 8> masks{};
  };
  struct Source {
    const platform::LaserSourceConfig* config = nullptr;
    std::unique_ptr<LaserSourceBackend> backend;
    bool present = true;
    std::optional<LaserSourceCapabilities> caps;
    std::optional<EngineIdentity> identity;
    std::vector<Lane> lanes;  // index lane - 1
    FlagHistory flags;
    // Its module flags were read since it was last seen Ready (see StepSource).
    bool ready_seen = false;
    // Module() read a set ModuleStateChanged the next round must act on.
    bool state_change_pending = false;
    std::vector<uint8_t> flag_masks;  // per bank: the 8 mask bytes, flattened
    // This round's scratch: engine input powers ((engine, lane) -> dBm), lanes raised to
    // operating power, lanes whose fibre check passed (their writes are batched).
    std::map<std::pair<std::string, int>, double> input_cache;
    std::set<std::string> vdm_live;  // engines whose VDM was found unfrozen this round
    std::vector<int> just_raised;
    std::vector<int> passed;
  };
  // Steps every source once, the sources of each bus in turn and the buses at once.
  void StepSourcesByBus(const std::vector<int>& source_indices);
  // work(source) for each source, one task per group of buses (Clock::RunConcurrently).
  void ForEachSourceByBus(const std::vector<int>& source_indices,
                          const std::function<void(int)>& work);
  // Each laser source's bus -> its group: buses joined by a fibre from a source on one to an
  // engine on another, so that no two concurrent tasks ever touch the same bus.
  static std::map<std::string, std::string> BusGroups(const platform::Platform& platform);

  // Every helper below runs under mutex_.
  Status CheckLanes(const Source& source, const std::vector<int>& lanes) const;
  Status CheckWritable() const;
  // Meets a module (laser_supervisor_start.cc): at open, adopts the lanes it can verify and
  // darkens the rest for a re-check (kAdoptChecked), darkens everything (kAllOff: a re-inserted
  // module, which gets this process's fibre map), or only looks (kObserve); then powers it up.
  Status Initialize(int source_index, LaserStartPolicy policy);
  // Takes the module's lane -> fibre map (read into the lanes' status) into the topology when it
  // maps every fibre of the source once; lanes whose fibre a spare lights become retired.
  bool AdoptModuleFiberMap(int source_index);
  // An observer's phases, from the module's enables, fibre-checked flags and map.
  void ObservePhases(int source_index);
  void StepSource(int source_index);
  // Reads the lanes of every bank (all) or of the banks with a lit lane; states_only reads what a
  // poller needs (ReadLaneStates) instead of everything.
  Status ReadLanes(int source_index, bool all = true, bool states_only = false);
  std::vector<LaserLaneReport> ReportsLocked(int source_index) const;
  // An observer beside an owner: the owner's phases, requests, reasons, sparing and checks over
  // what this process read from the module. Called without mutex_ (it asks the owner).
  void OverlayPublished(int source_index, std::vector<LaserLaneReport>& reports);
  // Input power of an engine's lanes (dBm), read at most once per bank per round.
  Result<std::vector<double>> EngineInputDbm(Source& source, OpticalEngine& engine,
                                             const std::vector<int>& lanes);
  Status WriteEnables(Source& source, int bank);
  Status WriteChecked(Source& source, int bank);
  Status WriteFiberMap(Source& source, int bank);
  Status StartCheck(int source_index, int lane);
  // Lights `lanes` at the fibre-check setpoint: setpoints and cleared flags first, then the
  // enables, a few whole-bank writes for any number of lanes.
  Status StartChecks(int source_index, const std::vector<int>& lanes);
  // The bank's 8 power setpoints as power_written_mw holds them, one block write.
  Status WritePowers(Source& source, int bank);
  // Writes what this round's passed checks need: fibre-checked flags, then operating setpoints
  // (or the enable off for a check-only lane).
  void FinishChecks(int source_index);
  // Measures one lane against its fibre's engine lanes.
  FiberCheckResult Measure(int source_index, int lane, double output_mw);
  // The lane as the state machine (lane_state_machine.h) sees it this round.
  lanes::LaneView ViewOf(const Lane& state) const;
  void AdvanceCheck(int source_index, int lane);
  void AdvanceVerify(int source_index, int lane);
  void SuperviseOperating(int source_index, int lane);
  // Lane off and unchecked; the phase and reason given; an event of `kind` naming its ports.
  void TurnOff(int source_index, int lane, LaserLanePhase phase, const std::string& reason,
               std::optional<EventKind> kind);
  void HandleLaserFault(int source_index, int lane, const std::string& reason);
  std::vector<std::string> PortsOf(const std::string& source, int lane) const;
  double ThresholdOfFiber(const platform::FiberConfig& fiber) const;
  const platform::FiberConfig* FiberOf(const std::string& source, int lane) const;
  OpticalEngine* EngineNamed(const std::string& name) const;
  void Emit(EventKind kind, const std::string& source, const std::string& name, std::string detail,
            std::vector<std::string> ports = {}, std::chrono::nanoseconds outage = {});

  const platform::Platform& platform_;
  platform::Topology topology_;
  std::vector<OpticalEngine*> engines_;
  Clock& clock_;
  LaserSafetyOptions options_;
  PublishedState* published_;
  std::mutex mutex_;
  std::vector<Source> sources_;
  // Sources on different buses are stepped at once (Clock::RunConcurrently); what they share
  // beyond their own Source is the event list.
  std::map<std::string, std::string> bus_group_;
  std::mutex events_mutex_;
  std::vector<Event> events_;
};

}  // namespace cpo::hal
