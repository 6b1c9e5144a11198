// The README's "first steps" as a new operator takes them, with cpoctl alone: start the simulated
// reference switch, bring a port up, break a laser, find out why the port went down, replace the
// laser module, bring the port back, stop the switch.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/run_command.h"

namespace cpo {
namespace {

using testing::RunCommand;

TEST(CpoctlWalkthroughTest, FindAndFixWhyAPortWentDownWithCpoctlAlone) {
  const std::string socket = "/tmp/cpoctl-walkthrough-" + std::to_string(::getpid()) + ".sock";
  auto cpoctl = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {CPOCTL_PATH, "--platform",
                                     CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml",
                                     "--sim", socket};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  };
  auto has = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  auto start = cpoctl({"sim", "start", "--simd", CPO_SIMD_PATH});
  ASSERT_EQ(start.exit_code, 0) << start.err;

  auto up = cpoctl({"port", "up", "eth28"});
  EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_TRUE(has(up.out, "eth28: up")) << up.out;

  // The fault: laser els7 lane 1 (it lights eth28's first four lanes) dies.
  ASSERT_EQ(cpoctl({"sim", "inject", "laser-fail", "els7", "1"}).exit_code, 0);
  auto why = cpoctl({"show", "port", "eth28"});
  EXPECT_EQ(why.exit_code, 0) << why.err;
  EXPECT_TRUE(has(why.out, "lasers: els7 lane 1 reports a fault (code ")) << why.out;
  auto impact = cpoctl({"impact", "laser", "els7", "1"});
  EXPECT_TRUE(has(impact.out, "ports: eth28")) << impact.out;
  // Raw writes cannot relight it behind the fibre check.
  auto raw = cpoctl({"write", "els", "els7", "130", "0xff", "--page", "0x1a", "--force",
                     "--write-log", socket + ".writes.log"});
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_TRUE(has(raw.err, "bypass the fibre check")) << raw.err;

  // The fix: replace the module, then admin up again (its lanes come back dark until checked).
  ASSERT_EQ(cpoctl({"sim", "inject", "laser-pull", "els7"}).exit_code, 0);
  ASSERT_EQ(cpoctl({"sim", "inject", "laser-pull", "els7", "--clear"}).exit_code, 0);
  auto again = cpoctl({"port", "up", "eth28"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  auto fixed = cpoctl({"--json", "show", "port", "eth28"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  const auto state = nlohmann::json::parse(fixed.out)["ports"][0];
  EXPECT_TRUE(state["oper_up"].get<bool>()) << state.dump();

  EXPECT_EQ(cpoctl({"sim", "stop"}).exit_code, 0);
  std::filesystem::remove(socket + ".log");
  std::filesystem::remove(socket + ".writes.log");
}

}  // namespace
}  // namespace cpo
