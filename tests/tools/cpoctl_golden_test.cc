// Golden output: cpoctl's human tables and JSON for a fixed simulated switch, byte for byte, so any
// change to what operators and scripts read is a deliberate one. The simulator runs with time
// frozen between requests, so every value is the same on every run.
//
// After an intended change, regenerate and review the diff:
//   CPO_UPDATE_GOLDEN=1 build/default/tests/cpoctl_sim_test --gtest_filter='CpoctlGolden*'
//   git diff tests/tools/golden
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/run_command.h"
#include "support/simd_daemon.h"

namespace cpo {
namespace {

using testing::Daemon;
using testing::RunCommand;

struct GoldenCase {
  std::string file;  // in tests/tools/golden
  std::vector<std::string> args;
  bool needs_simulator = true;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The first line where the two differ, for the failure message.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "identical";
    if (line_a != line_b || more_a != more_b) {
      return "line " + std::to_string(line) + ":\n  golden: " + (more_a ? line_a : "<end>") +
             "\n  now:    " + (more_b ? line_b : "<end>");
    }
  }
}

void CheckGolden(const std::vector<GoldenCase>& cases, const std::string& platform,
                 const std::string& socket) {
  const bool update = std::getenv("CPO_UPDATE_GOLDEN") != nullptr;
  for (const auto& golden : cases) {
    std::vector<std::string> argv = {CPOCTL_PATH, "--platform", platform};
    if (golden.needs_simulator) {
      argv.push_back("--sim");
      argv.push_back(socket);
    }
    argv.insert(argv.end(), golden.args.begin(), golden.args.end());
    auto result = RunCommand(argv);
    ASSERT_EQ(result.exit_code, 0) << golden.file << ": " << result.err;
    // Where the checkout and the socket are is not part of the output's shape.
    result.out = ReplaceAll(result.out, CPO_SOURCE_DIR, "$SRC");
    if (!socket.empty()) result.out = ReplaceAll(result.out, socket, "$SOCKET");
    const std::string path = std::string(CPO_GOLDEN_DIR) + "/" + golden.file;
    if (update) {
      std::ofstream(path) << result.out;
      continue;
    }
    const std::string want = ReadFile(path);
    EXPECT_EQ(result.out, want) << golden.file << " changed at "
                                << FirstDifference(want, result.out)
                                << "\n(regenerate: see tests/tools/cpoctl_golden_test.cc)";
  }
}

TEST(CpoctlGoldenTest, TablesAndJsonOfTheMiniSwitch) {
  Daemon daemon(CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml", "golden", 0.0);
  ASSERT_TRUE(daemon.Ready());
  // In order: each command's reads advance the frozen clock the same way on every run.
  CheckGolden(
      {
          {"list.txt", {"list"}},
          {"list.json", {"--json", "list"}},
          {"show-oe.txt", {"show", "oe", "oe0"}},
          {"show-oe.json", {"--json", "show", "oe", "oe0"}},
          {"show-oe-thresholds.txt", {"show", "oe", "oe0", "--thresholds"}},
          {"show-oe-datapaths.txt", {"show", "oe", "oe0", "--datapaths"}},
          {"show-oe-datapaths.json", {"--json", "show", "oe", "oe0", "--datapaths"}},
          {"show-port.txt", {"show", "port"}},
          {"show-port-lanes.txt", {"show", "port", "eth0", "--lanes"}},
          {"show-port.json", {"--json", "show", "port", "eth0", "--lanes"}},
          {"show-map.txt", {"show", "map", "eth0"}},
          {"read-oe.txt", {"read", "oe", "oe0", "128", "32", "--page", "0"}},
          {"read-oe.json", {"--json", "read", "oe", "oe0", "128", "4", "--page", "0"}},
          {"dump-oe.txt", {"dump", "oe", "oe0", "--page", "0"}},
          {"diag-prbs-show.txt", {"diag", "prbs", "show", "oe0"}},
          {"telemetry-prometheus.txt", {"telemetry", "--format", "prometheus"}},
      },
      CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml", daemon.socket());
}

TEST(CpoctlGoldenTest, PlatformAnswersOfTheReferenceSwitch) {
  CheckGolden(
      {
          {"impact-laser.txt", {"impact", "laser", "els2", "3"}, false},
          {"impact-laser.json", {"--json", "impact", "laser", "els2", "3"}, false},
          {"show-map-51t2.txt", {"show", "map", "eth9"}, false},
          {"show-map-51t2.json", {"--json", "show", "map", "eth9"}, false},
          {"help-port-up.txt", {"help", "port", "up"}, false},
          {"help-all.txt", {"help", "--all"}, false},
      },
      CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml", "");
}

}  // namespace
}  // namespace cpo
