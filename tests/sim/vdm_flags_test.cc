// VDM flags as a host meets them (issue 15): a latched VDM flag (page 2Ch) holds IntL like a page
// 11h flag, its mask (page 2Dh) lets it latch without IntL, and the HAL's event polls read the VDM
// flags an interrupt asks for, so the flag history and its events carry them.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "support/sim_stack.h"

namespace cpo::sim {
namespace {

using std::chrono::milliseconds;

constexpr uint8_t kLaserTemperature = 4;  // VDM type id
constexpr double kHotC = 90.0;            // above the set's 85 C high alarm
constexpr double kCoolC = 40.0;

class VdmFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = Build("sim-mini");
    ASSERT_TRUE(stack_.device);
    oe0_ = *stack_.device->FindOpticalEngine("oe0");
  }
  // IntL after the module and lane flags have been read (and so cleared) and the plant has
  // delivered new samples: what only VDM can still hold.
  bool InterruptAfterClearingTheOtherFlags() {
    stack_.device->clock().SleepFor(milliseconds(20));
    (void)oe0_->Module();
    (void)oe0_->Lanes();
    auto module = oe0_->Module();
    EXPECT_TRUE(module.ok()) << module.status().ToString();
    return module.ok() && module->interrupt;
  }
  void SetLaserTemperature(int lane, double celsius) {
    ASSERT_TRUE(
        stack_.sim->SetEngineQuantity(0, Quantity::kLaserTemperatureC, lane - 1, celsius).ok());
  }
  std::optional<hal::VdmSample> LaserTemperatureFlags(int lane) {
    auto flags = oe0_->VdmFlags();
    EXPECT_TRUE(flags.ok()) << flags.status().ToString();
    if (!flags.ok()) return std::nullopt;
    for (const auto& sample : *flags) {
      if (sample.lane == lane && sample.type_id == kLaserTemperature) return sample;
    }
    return std::nullopt;
  }
  Stack stack_;
  hal::OpticalEngine* oe0_ = nullptr;
};

TEST_F(VdmFlagsTest, AnUnmaskedVdmFlagHoldsIntLAndAMaskedOneOnlyLatches) {
  (void)oe0_->VdmFlags();
  ASSERT_FALSE(InterruptAfterClearingTheOtherFlags()) << "nothing latched at rest";

  SetLaserTemperature(3, kHotC);
  EXPECT_TRUE(InterruptAfterClearingTheOtherFlags()) << "an unmasked VDM alarm holds IntL";
  auto hot = LaserTemperatureFlags(3);
  ASSERT_TRUE(hot.has_value());
  EXPECT_TRUE(hot->flags_read);
  EXPECT_TRUE(hot->flags.high_alarm && hot->flags.high_warning);
  EXPECT_FALSE(LaserTemperatureFlags(4)->flags.any()) << "lane 4 is cool";

  // Masked, it still latches (and is still reported) but IntL goes.
  ASSERT_TRUE(
      oe0_->SetVdmFlagMasks(
              {3}, kLaserTemperature,
              {.high_alarm = true, .low_alarm = true, .high_warning = true, .low_warning = true})
          .ok());
  (void)oe0_->VdmFlags();
  EXPECT_FALSE(InterruptAfterClearingTheOtherFlags()) << "a masked VDM flag does not hold IntL";
  EXPECT_TRUE(LaserTemperatureFlags(3)->flags.high_alarm) << "a masked flag still latches";

  // Unmasked and cool again: the flag clears once read, and IntL with it.
  ASSERT_TRUE(oe0_->SetVdmFlagMasks({3}, kLaserTemperature, {}).ok());
  SetLaserTemperature(3, kCoolC);
  stack_.device->clock().SleepFor(milliseconds(20));
  (void)oe0_->VdmFlags();
  EXPECT_FALSE(LaserTemperatureFlags(3)->flags.any());
  EXPECT_FALSE(InterruptAfterClearingTheOtherFlags());

  // Masks of an observable the lanes do not have are refused, naming it.
  const Status none = oe0_->SetVdmFlagMasks({3}, 99, {.high_alarm = true});
  EXPECT_EQ(none.code(), StatusCode::kNotSupported) << none.ToString();
  EXPECT_NE(none.message().find("type 99"), std::string::npos) << none.ToString();
}

// Whether an event of `kind` for `name` comes within a few polls.
bool PollsDeliver(hal::Device& device, hal::EventKind kind, const std::string& name) {
  for (int poll = 0; poll < 4; ++poll) {
    for (const auto& event : device.PollEvents()) {
      if (event.kind == kind && event.name == name) return true;
    }
  }
  return false;
}

TEST_F(VdmFlagsTest, EventPollsReadTheVdmFlagsAnInterruptAsksFor) {
  const std::string flag = "lane5.vdm.laser_temperature.high_alarm";
  (void)stack_.device->PollEvents();
  SetLaserTemperature(5, kHotC);
  stack_.device->clock().SleepFor(milliseconds(20));
  EXPECT_TRUE(PollsDeliver(*stack_.device, hal::EventKind::kFlagSet, flag))
      << "no flag-set event for lane 5's VDM laser temperature";
  SetLaserTemperature(5, kCoolC);
  stack_.device->clock().SleepFor(milliseconds(20));
  EXPECT_TRUE(PollsDeliver(*stack_.device, hal::EventKind::kFlagCleared, flag))
      << "a VDM flag seen latched is read again until it clears";
}

}  // namespace
}  // namespace cpo::sim
