// LaserSource: one external laser source (ELSFP) as the NOS and cpoctl see it. Every call that
// could light a laser goes through the Device's laser-safety core: a lane reaches operating power
// only after its fibre check passed, and the core keeps watching it (fibre cut, laser fault,
// module removal). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cpo/hal/laser_source_types.h"
#include "cpo/hal/optical_engine_types.h"
#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::hal {

class LaserSupervisor;

class LaserSource {
 public:
  // supervisor must outlive the source (the Device owns both).
  LaserSource(int index, const platform::LaserSourceConfig& config, LaserSupervisor& supervisor);

  const std::string& name() const { return config_.name; }
  const platform::LaserSourceConfig& config() const { return config_; }
  int lane_count() const { return config_.lanes; }

  Result<EngineIdentity> Identity();
  Result<LaserSourceCapabilities> Capabilities();
  // Every lane (1-based, in order): the module's report and the safety core's view. Reads the
  // module (and so clears its latched lane flags, which the flag history keeps).
  Result<std::vector<LaserLaneReport>> Lanes();
  // Module state, temperature and Vcc, with the module flags (recorded in FlagRecords; the
  // safety core still acts on a module state change this read finds).
  Result<ModuleMonitors> Module();
  // Every lane's forward voltage and its bank's supply current (Icc).
  Result<std::vector<LaserLaneElectrical>> Electrical();
  // The safety core's view of every lane as of its latest round, without reading the module (an
  // observer beside an owner: the owner's view, sparing included).
  std::vector<LaserLaneReport> Reports();

  // Requests `lanes` on: each is fibre-checked (lit at the fibre-check setpoint, its output
  // compared with the engines' input power), then raised to its operating power and confirmed.
  // Waits until every lane is operating or has failed (device time, bounded by the module
  // power-up and ramp timeouts); kFailedPrecondition names each lane that did not make it and
  // why. Lanes already operating are left alone.
  Status Enable(const std::vector<int>& lanes);
  // Turns `lanes` off (their fibre-checked flags clear too).
  Status Disable(const std::vector<int>& lanes);
  // Fibre check only: lights each lane at the fibre-check setpoint, measures, and leaves lanes
  // that were not requested on dark again (a passed check still sets the module's flag).
  Result<std::vector<FiberCheckResult>> FiberCheck(const std::vector<int>& lanes);
  // The power the lanes run at once checked (within the module's limits); an operating lane
  // moves to it at once.
  Status SetOperatingPower(const std::vector<int>& lanes, double power_mw);
  // Masks lane flags from the interrupt (true = masked); other lanes keep theirs.
  Status SetLaneFlagMasks(const std::vector<int>& lanes, const ThresholdFlags& bias_masks,
                          const ThresholdFlags& power_masks);
  // The module's control and mask sets (1Ah:184): save to slot 1 or 2, restore from them or from
  // the factory copy. Lane enables and fibre checks are not part of a set; a lit lane restored to
  // a new fibre is turned off and re-checked; no restore runs during a fibre check.
  Status SaveSet(LaserSetKind kind, LaserSetSlot slot = LaserSetSlot::kSet1);
  Status RestoreSet(LaserSetKind kind, LaserSetSlot slot = LaserSetSlot::kSet1);
  // Every lane flag any read of this source returned ("lane3.bias.high_alarm", "lane3.fault").
  std::vector<FlagRecord> FlagRecords();
  // The raw 256-byte window (lower page + `page` of `bank`), for diagnostics. Reading the lower
  // page also reads its clear-on-read module flags.
  Result<std::array<uint8_t, 256>> ReadWindow(uint8_t page, uint8_t bank);
  // Raw write for experts (cpoctl write), like OpticalEngine::WriteWindow, except that the pages
  // that light lanes and set their power (1Ah, 1Bh) are refused: light only ever comes through
  // the fibre check (Enable).
  Status WriteWindow(uint8_t page, uint8_t bank, uint8_t offset, std::span<const uint8_t> bytes);
  // Raw read of exactly `count` bytes at `offset` of that window (no other clear-on-read byte).
  Result<std::vector<uint8_t>> ReadWindowBytes(uint8_t page, uint8_t bank, uint8_t offset,
                                               int count);

 private:
  int index_;
  platform::LaserSourceConfig config_;
  LaserSupervisor& supervisor_;
};

}  // namespace cpo::hal
