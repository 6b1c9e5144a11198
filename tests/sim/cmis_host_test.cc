// A CMIS host written from the standard's text (shared/reference/cmis-elsfp.md), not from the
// drivers: it talks bytes over a bare I2C controller, decides everything from what the module
// advertises, and must bring every module profile up (issue 15, acceptance). It powers the engine
// up, places every advertised application on every start lane the advertisement allows, brings
// each data path up with only advertised controls, bounded by the advertised durations, and reads
// every advertised monitor on every advertised bank.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <vector>

#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// CMIS duration codes (01h:144, 167, 168) as the upper bound each one states.
milliseconds DurationBound(uint8_t code) {
  constexpr std::array<int, 13> kBoundMs = {1,     5,     10,     50,     100,    500,    1000,
                                            5'000, 10000, 60'000, 300000, 600000, 3000000};
  return milliseconds(code < kBoundMs.size() ? kBoundMs[code] : kBoundMs.back());
}

// 00h:3 bits 3-1.
enum ModuleStateCode : uint8_t { kModuleLowPwr = 1, kModulePwrUp = 2, kModuleReady = 3 };
// 11h:128-131 nibbles.
enum DataPathStateCode : uint8_t { kDeactivated = 1, kActivated = 4, kInitialized = 7 };

struct Application {
  int app_sel = 0;  // 1-based descriptor number
  uint8_t host_id = 0;
  int host_lanes = 0;
  int media_lanes = 0;
  uint8_t host_lane_options = 0;   // 00h: 4th byte of the descriptor
  uint8_t media_lane_options = 0;  // 01h:176 + app_sel - 1
};

// The host: bytes in, bytes out, through the module's two-wire address, page 127 and bank 126.
class StandardCmisHost {
 public:
  StandardCmisHost(std::shared_ptr<transport::TwoWire> bus, uint8_t address, Clock& clock)
      : bus_(std::move(bus)), address_(address), clock_(clock) {}

  std::vector<uint8_t> Read(uint8_t page, uint8_t bank, uint8_t offset, int count) {
    if (offset >= 128) Select(page, bank);
    std::vector<uint8_t> data(static_cast<size_t>(count));
    const std::array<uint8_t, 1> at = {offset};
    EXPECT_TRUE(bus_->WriteRead(address_, at, data).ok()) << "read at " << int{offset};
    return data;
  }
  uint8_t Byte(uint8_t page, uint8_t bank, uint8_t offset) {
    return Read(page, bank, offset, 1)[0];
  }
  void Write(uint8_t page, uint8_t bank, uint8_t offset, std::vector<uint8_t> bytes) {
    if (offset >= 128) Select(page, bank);
    bytes.insert(bytes.begin(), offset);
    EXPECT_TRUE(bus_->Write(address_, bytes).ok()) << "write at " << int{offset};
  }
  // Polls until `done` holds, for at most `bound` of the device's time; returns the time taken,
  // or nothing when the bound passed.
  template <typename Done>
  std::optional<nanoseconds> PollFor(milliseconds bound, Done done) {
    const nanoseconds start = clock_.Now();
    while (true) {
      if (done()) return clock_.Now() - start;
      if (clock_.Now() - start > bound) return std::nullopt;
      clock_.SleepFor(milliseconds(1));
    }
  }

  uint8_t ModuleState() { return (Byte(0, 0, 3) >> 1) & 0x7; }
  uint8_t DataPathState(uint8_t bank, int lane) {  // lane 1-8 of the bank
    const uint8_t pair = Byte(0x11, bank, static_cast<uint8_t>(128 + (lane - 1) / 2));
    return (lane % 2 == 1) ? (pair & 0x0F) : (pair >> 4);
  }
  uint8_t ConfigStatus(uint8_t bank, int lane) {
    const uint8_t pair = Byte(0x11, bank, static_cast<uint8_t>(202 + (lane - 1) / 2));
    return (lane % 2 == 1) ? (pair & 0x0F) : (pair >> 4);
  }

 private:
  void Select(uint8_t page, uint8_t bank) {
    if (selected_ == std::pair{page, bank}) return;
    Write(0, 0, 126, {bank, page});
    selected_ = {page, bank};
  }

  std::shared_ptr<transport::TwoWire> bus_;
  uint8_t address_;
  Clock& clock_;
  std::optional<std::pair<uint8_t, uint8_t>> selected_;
};

struct HostCase {
  const char* board;
  const char* engine;
  int engine_index;  // in platform order, for the plant's truth
  int controller;
  uint8_t address;
};

void PrintTo(const HostCase& c, std::ostream* out) { *out << c.board << "/" << c.engine; }

class CmisHostTest : public ::testing::TestWithParam<HostCase> {
 protected:
  void SetUp() override {
    stack_ = Build(GetParam().board);
    ASSERT_TRUE(stack_.device);
    auto bus = drivers::CpoI2cController::Create(stack_.io, GetParam().controller, 400,
                                                 drivers::CpoI2cController::Timing::kKeep);
    ASSERT_TRUE(bus.ok()) << bus.status().ToString();
    host_.emplace(std::shared_ptr<transport::TwoWire>(std::move(bus).value()), GetParam().address,
                  stack_.device->clock());
    ReadAdvertisement();
  }

  void ReadAdvertisement() {
    StandardCmisHost& h = *host_;
    const std::vector<uint8_t> page01 = h.Read(0x01, 0, 128, 128);
    auto at = [&](int offset) { return page01[static_cast<size_t>(offset - 128)]; };
    const uint8_t bank_code = at(142) & 0x3;
    banks_ = bank_code == 0 ? 1 : bank_code == 1 ? 2 : bank_code == 2 ? 4 : (at(174) & 0x1F);
    data_path_init_ = DurationBound(at(144) & 0x0F);
    data_path_deinit_ = DurationBound(at(144) >> 4);
    module_power_up_ = DurationBound(at(167) & 0x0F);
    module_power_down_ = DurationBound(at(167) >> 4);
    tx_turn_on_ = DurationBound(at(168) & 0x0F);
    tx_turn_off_ = DurationBound(at(168) >> 4);
    tx_disable_supported_ = (at(155) & 0x02) != 0;
    vdm_supported_ = (at(142) & 0x40) != 0;
    module_monitors_ = at(159);
    lane_monitors_ = at(160);
    const std::vector<uint8_t> descriptors = h.Read(0, 0, 86, 32);
    for (int a = 0; a < 8; ++a) {
      const uint8_t* d = &descriptors[static_cast<size_t>(4 * a)];
      if (d[0] == 0xFF || d[0] == 0x00) break;  // the end of the list, or an unused descriptor
      applications_.push_back({.app_sel = a + 1,
                               .host_id = d[0],
                               .host_lanes = d[2] >> 4,
                               .media_lanes = d[2] & 0x0F,
                               .host_lane_options = d[3],
                               .media_lane_options = at(176 + a)});
    }
  }

  // The standard's power-up: LowPwrRequestSW (00h:26 bit 4) set, ModuleLowPwr; then software
  // control of the power mode (LowPwrRequestSW and LowPwrAllowRequestHW, bit 6, both cleared, so
  // the LPMode pin no longer rules) and ModuleReady within the advertised ModulePwrUp duration.
  void PowerUp() {
    StandardCmisHost& h = *host_;
    const uint8_t controls = h.Byte(0, 0, 26);
    h.Write(0, 0, 26, {static_cast<uint8_t>(controls | 0x10)});
    ASSERT_TRUE(h.PollFor(module_power_down_ + milliseconds(10), [&] {
      return h.ModuleState() == kModuleLowPwr;
    })) << "no ModuleLowPwr within the advertised ModulePwrDn";
    h.Write(0, 0, 26, {static_cast<uint8_t>(controls & ~0x50)});
    ASSERT_TRUE(h.PollFor(module_power_up_ + milliseconds(10),
                          [&] { return h.ModuleState() == kModuleReady; }))
        << "no ModuleReady within the advertised ModulePwrUp " << module_power_up_.count()
        << " ms: state " << int{h.ModuleState()} << ", 00h:26 " << int{h.Byte(0, 0, 26)};
  }

  // Every lane of the bank to DPDeactivated: DPDeinit and Tx disable on all of them.
  void DeactivateBank(uint8_t bank) {
    StandardCmisHost& h = *host_;
    h.Write(0x10, bank, 128, {0xFF});
    if (tx_disable_supported_) h.Write(0x10, bank, 130, {0xFF});
    auto taken = h.PollFor(data_path_deinit_ + tx_turn_off_ + milliseconds(10), [&] {
      for (int lane = 1; lane <= 8; ++lane) {
        if (h.DataPathState(bank, lane) != kDeactivated) return false;
      }
      return true;
    });
    ASSERT_TRUE(taken) << "bank " << int{bank} << ": not DPDeactivated within DPDeinit";
  }

  // The standard's data-path bring-up of one application on lanes first..first+lanes-1 of a bank.
  void BringUp(uint8_t bank, const Application& app, int first) {
    StandardCmisHost& h = *host_;
    SCOPED_TRACE(::testing::Message()
                 << "AppSel " << app.app_sel << " on lane " << first << " of bank " << int{bank});
    uint8_t mask = 0;
    std::vector<uint8_t> config(8, 0);
    for (int lane = first; lane < first + app.host_lanes; ++lane) {
      mask |= static_cast<uint8_t>(1u << (lane - 1));
      // AppSel bits 7-4, DataPathID (the first lane, 0-based) bits 3-1, no explicit control.
      config[static_cast<size_t>(lane - 1)] =
          static_cast<uint8_t>(app.app_sel << 4 | (first - 1) << 1);
    }
    h.Write(0x10, bank, 145, config);
    h.Write(0x10, bank, 143, {mask});  // ApplyDPInit, staged set 0
    ASSERT_TRUE(h.PollFor(data_path_init_, [&] { return h.ConfigStatus(bank, first) != 12; }));
    for (int lane = first; lane < first + app.host_lanes; ++lane) {
      ASSERT_EQ(h.ConfigStatus(bank, lane), 1) << "ConfigStatus of lane " << lane;
    }
    h.Write(0x10, bank, 128, {static_cast<uint8_t>(~mask)});  // DPDeinit cleared on our lanes
    const uint8_t reached = tx_disable_supported_ ? kInitialized : kActivated;
    auto all_in = [&](uint8_t state) {
      for (int lane = first; lane < first + app.host_lanes; ++lane) {
        if (h.DataPathState(bank, lane) != state) return false;
      }
      return true;
    };
    ASSERT_TRUE(h.PollFor(data_path_init_, [&] { return all_in(reached); }))
        << "not DPInitialized within the advertised DPInit";
    if (tx_disable_supported_) {
      h.Write(0x10, bank, 130, {static_cast<uint8_t>(~mask)});
      ASSERT_TRUE(h.PollFor(tx_turn_on_ + milliseconds(1), [&] { return all_in(kActivated); }))
          << "not DPActivated within the advertised DPTxTurnOn";
    }
    EXPECT_EQ(h.Byte(0x11, bank, 132) & mask, mask) << "Tx output status of Activated lanes";
    const std::vector<uint8_t> active = h.Read(0x11, bank, 206, 8);
    for (int lane = first; lane < first + app.host_lanes; ++lane) {
      EXPECT_EQ(active[static_cast<size_t>(lane - 1)], config[static_cast<size_t>(lane - 1)])
          << "active DPConfig of lane " << lane;
    }
  }

  // The start lanes (1-8) an application may use in a bank: host and media assignment agree.
  std::vector<int> StartLanes(const Application& app) const {
    std::vector<int> lanes;
    for (int lane = 1; lane + app.host_lanes - 1 <= 8; ++lane) {
      const uint8_t bit = static_cast<uint8_t>(1u << (lane - 1));
      if ((app.host_lane_options & bit) == 0) continue;
      if (app.host_lanes == app.media_lanes && (app.media_lane_options & bit) == 0) continue;
      lanes.push_back(lane);
    }
    return lanes;
  }

  Stack stack_;
  std::optional<StandardCmisHost> host_;
  int banks_ = 1;
  milliseconds data_path_init_{}, data_path_deinit_{}, module_power_up_{}, module_power_down_{};
  milliseconds tx_turn_on_{}, tx_turn_off_{};
  bool tx_disable_supported_ = false;
  bool vdm_supported_ = false;
  uint8_t module_monitors_ = 0, lane_monitors_ = 0;
  std::vector<Application> applications_;
};

TEST_P(CmisHostTest, TheAdvertisementGivesAHostWhatItNeeds) {
  EXPECT_GE(banks_, 1);
  ASSERT_GE(applications_.size(), 4u) << "800G, 400G, 200G and 100G";
  for (const Application& app : applications_) {
    EXPECT_GT(app.host_lanes, 0) << "AppSel " << app.app_sel;
    EXPECT_NE(app.media_lane_options, 0) << "AppSel " << app.app_sel << ": 01h:176+ is empty";
    EXPECT_FALSE(StartLanes(app).empty()) << "AppSel " << app.app_sel << " fits nowhere";
  }
  EXPECT_TRUE(tx_disable_supported_);
  EXPECT_EQ(module_monitors_ & 0x3, 0x3) << "temperature and Vcc monitors";
  EXPECT_EQ(lane_monitors_ & 0x7, 0x7) << "Tx bias, Tx power, Rx power monitors";
}

TEST_P(CmisHostTest, EveryApplicationComesUpOnEveryStartLaneItAllows) {
  ASSERT_NO_FATAL_FAILURE(PowerUp());
  int brought_up = 0;
  for (const Application& app : applications_) {
    for (int first : StartLanes(app)) {
      ASSERT_NO_FATAL_FAILURE(DeactivateBank(0));
      ASSERT_NO_FATAL_FAILURE(BringUp(0, app, first));
      ++brought_up;
    }
  }
  EXPECT_GE(brought_up, static_cast<int>(applications_.size()));
  // The last bank too: banks are independent, and a host must reach every advertised one.
  const auto last_bank = static_cast<uint8_t>(banks_ - 1);
  ASSERT_NO_FATAL_FAILURE(DeactivateBank(last_bank));
  ASSERT_NO_FATAL_FAILURE(BringUp(last_bank, applications_.front(), 1));
}

// Each advertised monitor, decoded with the standard's units, matches what the plant really has.
TEST_P(CmisHostTest, EveryAdvertisedMonitorReadsOnEveryBank) {
  ASSERT_NO_FATAL_FAILURE(PowerUp());
  StandardCmisHost& h = *host_;
  auto truth = [&](Quantity quantity, int lane) {
    auto value = stack_.sim->GetEngineQuantity(GetParam().engine_index, quantity, lane);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? *value : -1.0;
  };
  auto near = [](double value, double tolerance) {
    return ::testing::DoubleNear(value, tolerance + 0.02 * std::abs(value));
  };
  const std::vector<uint8_t> lower = h.Read(0, 0, 14, 4);
  if (module_monitors_ & 0x1) {  // s16, 1/256 C
    const double celsius = static_cast<int16_t>(lower[0] << 8 | lower[1]) / 256.0;
    EXPECT_THAT(celsius, near(truth(Quantity::kTemperatureC, -1), 0.01)) << "temperature";
  }
  if (module_monitors_ & 0x2) {  // u16, 100 uV
    const double volts = (lower[2] << 8 | lower[3]) * 100e-6;
    EXPECT_THAT(volts, near(truth(Quantity::kVccV, -1), 0.001)) << "Vcc";
  }
  const int bias_multiplier = 1 << ((lane_monitors_ >> 3) & 0x3);  // 01h:160 bits 4-3
  // Light for the engine's transmitters: every laser lane whose fibre feeds it, lit through the
  // HAL's fibre check (which needs the engine's VDM; without it the lanes stay dark and the
  // engine transmits nothing, which the host must read as such).
  int lit_lanes = 0;
  if (vdm_supported_) {
    for (const auto& fiber : stack_.sim->platform().fibers) {
      if (fiber.engine != GetParam().engine) continue;
      auto source = stack_.device->FindLaserSource(fiber.source);
      ASSERT_TRUE(source.ok());
      ASSERT_TRUE((*source)->Enable({fiber.fiber}).ok()) << fiber.source << " lane " << fiber.fiber;
      lit_lanes += static_cast<int>(fiber.engine_lanes.size());
    }
    ASSERT_GT(lit_lanes, 0);
  }
  int transmitting = 0;
  for (int b = 0; b < banks_; ++b) {
    const auto bank = static_cast<uint8_t>(b);
    ASSERT_NO_FATAL_FAILURE(DeactivateBank(bank));
    ASSERT_NO_FATAL_FAILURE(BringUp(bank, applications_.front(), 1));
    const std::vector<uint8_t> monitors = h.Read(0x11, bank, 154, 48);
    auto u16 = [&](int offset, int lane) {
      const auto at = static_cast<size_t>(offset - 154 + 2 * (lane - 1));
      return monitors[at] << 8 | monitors[at + 1];
    };
    for (int lane = 1; lane <= 8; ++lane) {
      SCOPED_TRACE(::testing::Message() << "bank " << b << " lane " << lane);
      const int plant_lane = 8 * b + lane - 1;
      if (lane_monitors_ & 0x1) {  // u16, 2 uA times the multiplier
        EXPECT_THAT(u16(170, lane) * 2e-3 * bias_multiplier,
                    near(truth(Quantity::kTxBiasMa, plant_lane), 0.01))
            << "Tx bias, mA";
      }
      if (lane_monitors_ & 0x2) {  // u16, 0.1 uW
        EXPECT_THAT(u16(154, lane) * 1e-4, near(truth(Quantity::kTxPowerMw, plant_lane), 0.001))
            << "Tx power, mW";
        if (u16(154, lane) > 0) ++transmitting;
      }
      if (lane_monitors_ & 0x4) {
        EXPECT_THAT(u16(186, lane) * 1e-4, near(truth(Quantity::kRxPowerMw, plant_lane), 0.001))
            << "Rx power, mW";
      }
    }
  }
  if (lane_monitors_ & 0x2) {
    EXPECT_EQ(transmitting, lit_lanes) << "lanes sending light";
  }
}

constexpr HostCase kCases[] = {
    {"sim-variety", "oe0", 0, 0, 0x50},  // 64 lanes, 8 banks, VDM, diagnostics pages
    {"sim-variety", "oe1", 1, 0, 0x54},  // 32 lanes, 4 banks, no VDM, quicker DPInit
    {"sim-variety", "oe2", 2, 1, 0x50},  // 32 lanes, 4 banks, no 13h/14h, slow durations
    {"sim-51t2", "oe0", 0, 0, 0x50},     // the reference board's engine
};

INSTANTIATE_TEST_SUITE_P(EveryProfile, CmisHostTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<HostCase>& test) {
                           const std::string board = test.param.board;
                           return (board == "sim-51t2" ? "sim51t2_" : "variety_") +
                                  std::string(test.param.engine);
                         });

}  // namespace
}  // namespace cpo::sim
