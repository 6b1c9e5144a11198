// cpoctl as a user meets it: exit codes and error text, without a device.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "support/run_command.h"

namespace cpo {
namespace {

using testing::RunCommand;

const std::string kCpoctl = CPOCTL_PATH;
const std::string kErrors = CPO_TEST_FIXTURES "/platform-errors/";

TEST(CpoctlCliTest, EveryMalformedPlatformIsExitTwoWithFileLineColumn) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kErrors)) {
    const std::string name = entry.path().filename().string();
    if (name == "valid.yaml" || entry.path().extension() != ".yaml") continue;
    ++files;
    // The socket does not exist: a cpoctl that got past the platform file would exit 3 instead.
    auto result = RunCommand({kCpoctl, "--platform", entry.path().string(), "--sim",
                              "/tmp/cpo-cli-test-never.sock", "show", "oe"});
    EXPECT_EQ(result.exit_code, 2) << name << "\n" << result.err;
    EXPECT_NE(result.err.find(entry.path().string() + ":"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("CONFIG_ERROR"), std::string::npos) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
  EXPECT_GE(files, 12);
}

TEST(CpoctlCliTest, UnreachableSimulatorIsExitThreeAndSaysHowToStartIt) {
  auto result = RunCommand({kCpoctl, "--platform", kErrors + "valid.yaml", "--sim",
                            "/tmp/cpo-cli-test-never.sock", "list"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.err.find("cpo-simd --platform"), std::string::npos) << result.err;
}

TEST(CpoctlCliTest, MissingPlatformFileNamesTheLookupOrder) {
  auto result = RunCommand({kCpoctl, "--platform", "/nonexistent.yaml", "list"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("CPO_PLATFORM"), std::string::npos) << result.err;
}

TEST(CpoctlCliTest, ImpactAndMapAnswerFromThePlatformWithoutADevice) {
  const std::string board = CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml";
  auto impact =
      RunCommand({kCpoctl, "--platform", board, "impact", "laser", "els2", "3", "--json"});
  ASSERT_EQ(impact.exit_code, 0) << impact.err;
  EXPECT_NE(impact.out.find("\"ports\": [\n    \"eth9\"\n  ]"), std::string::npos) << impact.out;
  EXPECT_NE(impact.out.find("\"fiber\": 3"), std::string::npos);
  auto spare = RunCommand({kCpoctl, "--platform", board, "impact", "laser", "els2", "10"});
  EXPECT_EQ(spare.exit_code, 0);
  EXPECT_NE(spare.out.find("a spare"), std::string::npos);
  auto map = RunCommand({kCpoctl, "--platform", board, "show", "map", "eth9"});
  ASSERT_EQ(map.exit_code, 0) << map.err;
  EXPECT_NE(map.out.find("els2:4"), std::string::npos) << map.out;
  EXPECT_NE(map.out.find("media side: a cable to eth41"), std::string::npos) << map.out;
  auto plug = RunCommand({kCpoctl, "--platform", board, "show", "map", "eth63", "--json"});
  EXPECT_NE(plug.out.find("\"cable\": \"loopback\""), std::string::npos) << plug.out;
  auto unknown = RunCommand({kCpoctl, "--platform", board, "impact", "laser", "els99", "1"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("sources: els0"), std::string::npos);
  EXPECT_EQ(RunCommand({kCpoctl, "--platform", board, "show", "map", "eth99"}).exit_code, 2);
}

TEST(CpoctlCliTest, UsageErrorsAreExitTwoAndHelpIsExitZeroWithExamples) {
  EXPECT_EQ(RunCommand({kCpoctl, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunCommand({kCpoctl}).exit_code, 2);
  auto help = RunCommand({kCpoctl, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  auto show_help = RunCommand({kCpoctl, "show", "oe", "--help"});
  EXPECT_EQ(show_help.exit_code, 0);
  EXPECT_NE(show_help.out.find("cpoctl show oe"), std::string::npos) << show_help.out;
}

// Every command path `cpoctl help --all` lists, e.g. {"sim", "inject", "unplug"}.
std::vector<std::vector<std::string>> AllCommands() {
  auto all = RunCommand({kCpoctl, "help", "--all"});
  EXPECT_EQ(all.exit_code, 0);
  std::vector<std::vector<std::string>> commands;
  std::istringstream lines(all.out);
  for (std::string line; std::getline(lines, line);) {
    // "sim inject unplug            Pull a ...": the path ends at the first run of two spaces.
    std::istringstream words(line.substr(0, line.find("  ")));
    std::vector<std::string> path;
    for (std::string word; words >> word;) path.push_back(word);
    if (!path.empty()) commands.push_back(path);
  }
  return commands;
}

TEST(CpoctlCliTest, EveryCommandHasHelpAndEveryLeafCommandHasExamples) {
  const auto commands = AllCommands();
  EXPECT_GE(commands.size(), 50u);
  std::set<std::string> parents;
  for (const auto& path : commands) {
    for (size_t n = 1; n < path.size(); ++n) {
      std::string parent;
      for (size_t i = 0; i < n; ++i) parent += (i ? " " : "") + path[i];
      parents.insert(parent);
    }
  }
  for (const auto& path : commands) {
    std::vector<std::string> argv = {kCpoctl};
    argv.insert(argv.end(), path.begin(), path.end());
    argv.push_back("--help");
    auto help = RunCommand(argv);
    std::string name;
    for (const auto& word : path) name += (name.empty() ? "" : " ") + word;
    EXPECT_EQ(help.exit_code, 0) << name;
    if (!parents.contains(name) && name != "help") {
      EXPECT_NE(help.out.find("Example"), std::string::npos) << "cpoctl " << name << " --help";
    }
    // `cpoctl help PATH` says the same.
    std::vector<std::string> via_help = {kCpoctl, "help"};
    via_help.insert(via_help.end(), path.begin(), path.end());
    EXPECT_EQ(RunCommand(via_help).out, help.out) << name;
  }
  auto unknown = RunCommand({kCpoctl, "help", "port", "sideways"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("'cpoctl port' has: up, down, breakout"), std::string::npos)
      << unknown.err;
}

}  // namespace
}  // namespace cpo
