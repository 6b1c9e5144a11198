// cpoctl's sim, raw access, telemetry, watch and help commands against cpo-simd, as an operator
// runs them; and the README's new-user walkthrough, start to finish.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/run_command.h"
#include "support/simd_daemon.h"

namespace cpo {
namespace {

using nlohmann::json;
using testing::CommandResult;
using testing::Daemon;
using testing::RunCommand;

const std::string kCpoctl = CPOCTL_PATH;
const std::string kMini = CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml";
const std::string k51t2 = CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml";

std::string TestPath(const std::string& tag) {
  return "/tmp/cpoctl-sim-test-" + std::to_string(::getpid()) + "-" + tag;
}

// cpoctl against one platform and socket.
struct Cpoctl {
  std::string platform;
  std::string socket;
  CommandResult operator()(std::vector<std::string> args) const {
    std::vector<std::string> argv = {kCpoctl, "--platform", platform, "--sim", socket};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- cpoctl sim: start, status, inject, stop.

TEST(CpoctlSimCommandTest, StartStatusInjectAndStopTheSimulatedSwitch) {
  const Cpoctl cpoctl{kMini, TestPath("life.sock")};
  auto before = cpoctl({"sim", "status"});
  EXPECT_EQ(before.exit_code, 3) << before.err;
  EXPECT_TRUE(Contains(before.err, "sim start")) << before.err;

  auto start = cpoctl({"sim", "start", "--simd", CPO_SIMD_PATH});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_TRUE(Contains(start.out, "cpo-simd serves sim-mini on " + cpoctl.socket)) << start.out;
  std::ifstream pid_file(cpoctl.socket + ".pid");
  int pid = 0;
  ASSERT_TRUE(pid_file >> pid);
  auto again = cpoctl({"sim", "start", "--simd", CPO_SIMD_PATH});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_TRUE(Contains(again.out, "already serves")) << again.out;

  auto status = cpoctl({"--json", "sim", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const json info = json::parse(status.out);
  EXPECT_EQ(info["pid"], pid);
  EXPECT_EQ(info["platform"], "sim-mini");
  EXPECT_EQ(info["time_scale"], 1.0);
  EXPECT_GT(info["sim_time_ns"].get<uint64_t>(), 0u);

  // A fault through the side channel shows where the HAL reads it.
  auto inject = cpoctl({"sim", "inject", "plant", "oe0", "temperature_c", "81.5"});
  ASSERT_EQ(inject.exit_code, 0) << inject.err;
  EXPECT_EQ(inject.out, "oe0: temperature_c = 81.5\n");
  auto telemetry = cpoctl({"telemetry", "--format", "json"});
  ASSERT_EQ(telemetry.exit_code, 0) << telemetry.err;
  EXPECT_NEAR(json::parse(telemetry.out)["optical_engines"][0]["temperature_c"].get<double>(), 81.5,
              0.01);
  // sim-mini's one port has nothing plugged in to pull (sim-51t2 does; see the walkthrough).
  auto unplug = cpoctl({"sim", "inject", "unplug", "eth0"});
  EXPECT_EQ(unplug.exit_code, 2);
  EXPECT_TRUE(Contains(unplug.err, "no cable or plug in the platform's cables")) << unplug.err;

  // Mistakes say what exists or what is allowed; nothing is injected.
  auto engine = cpoctl({"sim", "inject", "plant", "oe9", "temperature_c", "1"});
  EXPECT_EQ(engine.exit_code, 2);
  EXPECT_TRUE(Contains(engine.err, "no engine 'oe9'; the platform has oe0")) << engine.err;
  auto lane = cpoctl({"sim", "inject", "plant", "oe0", "rx_power_mw", "0.1"});
  EXPECT_EQ(lane.exit_code, 2);
  EXPECT_TRUE(Contains(lane.err, "oe0 lane 0 is outside 1..8")) << lane.err;
  auto module_lane = cpoctl({"sim", "inject", "plant", "oe0", "temperature_c", "1", "--lane", "2"});
  EXPECT_EQ(module_lane.exit_code, 2);
  EXPECT_TRUE(Contains(module_lane.err, "leave out --lane")) << module_lane.err;
  auto laser = cpoctl({"sim", "inject", "laser-fail", "els0", "1"});
  EXPECT_EQ(laser.exit_code, 2);
  EXPECT_TRUE(Contains(laser.err, "the platform has none")) << laser.err;
  auto ber = cpoctl({"sim", "inject", "serdes-ber", "eth0", "0.7"});
  EXPECT_EQ(ber.exit_code, 2);
  EXPECT_TRUE(Contains(ber.err, "outside 0..0.5")) << ber.err;

  auto stop = cpoctl({"sim", "stop"});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_TRUE(Contains(stop.out, "stopped")) << stop.out;
  struct stat gone {};
  EXPECT_NE(::stat(cpoctl.socket.c_str(), &gone), 0);
  EXPECT_NE(::stat((cpoctl.socket + ".pid").c_str(), &gone), 0);
  EXPECT_EQ(cpoctl({"sim", "status"}).exit_code, 3);
  auto stop_again = cpoctl({"sim", "stop"});
  EXPECT_EQ(stop_again.exit_code, 0);
  EXPECT_TRUE(Contains(stop_again.out, "not running")) << stop_again.out;
  std::filesystem::remove(cpoctl.socket + ".log");
}

TEST(CpoctlSimCommandTest, ADaemonThatCannotStartIsReportedWithItsLog) {
  const Cpoctl cpoctl{kMini, TestPath("bad.sock")};
  auto start = cpoctl({"sim", "start", "--simd", "/nonexistent/cpo-simd"});
  EXPECT_EQ(start.exit_code, 1);
  EXPECT_TRUE(Contains(start.err, "exited with 127")) << start.err;
  EXPECT_TRUE(Contains(start.err, "cannot run /nonexistent/cpo-simd")) << start.err;
  std::filesystem::remove(cpoctl.socket + ".log");
}

TEST(CpoctlSimCommandTest, AHardwarePlatformIsNotASimulator) {
  const std::string path = TestPath("pci.yaml");
  {
    std::ifstream in(kMini);
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = std::regex_replace(text.str(), std::regex("kind: sim\n  socket: [^\n]*"),
                                          "kind: pci\n  vendor_id: 0x1d0f");
    std::ofstream(path) << yaml;
  }
  auto start = RunCommand({kCpoctl, "--platform", path, "sim", "start"});
  EXPECT_EQ(start.exit_code, 2) << start.err;
  EXPECT_TRUE(Contains(start.err, "describes hardware")) << start.err;
  std::filesystem::remove(path);
}

// ---- Joint mode: a laser source behind its engine's MCU reads as one at its own address.

TEST(CpoctlJointModeTest, ALaserSourceBehindItsEngineShowsAsAnyOtherAndSaysHowItIsReached) {
  const std::string variety = CPO_SOURCE_DIR "/platform/boards/sim-variety/platform.yaml";
  const Daemon daemon(variety, "joint");
  ASSERT_TRUE(daemon.Ready());
  const Cpoctl cpoctl{variety, daemon.socket()};
  auto shown = cpoctl({"--json", "show", "laser"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const json sources = json::parse(shown.out)["laser_sources"];
  ASSERT_EQ(sources.size(), 3u);
  std::map<std::string, json> by_name;
  for (const json& source : sources) by_name[source["name"]] = source;
  EXPECT_EQ(by_name["els0"]["access"]["mode"], "separate");
  EXPECT_EQ(by_name["els0"]["access"]["address"], 0x51);
  const json& joint = by_name["els1"];
  EXPECT_EQ(joint["access"]["mode"], "joint");
  EXPECT_EQ(joint["access"]["via"], "oe1");
  EXPECT_EQ(joint["access"]["page_base"], 0xB0);
  EXPECT_EQ(joint["access"]["address"], 0x54);
  // The same report as a source at its own address: identity, module, every lane.
  EXPECT_EQ(joint["lanes"].size(), 8u);
  EXPECT_EQ(joint["part_number"], by_name["els2"]["part_number"]);
  EXPECT_NE(joint["serial_number"], by_name["els2"]["serial_number"]);
  EXPECT_EQ(joint["module"]["state"], by_name["els2"]["module"]["state"]);
  EXPECT_NEAR(joint["module"]["vcc_v"].get<double>(), 3.3, 0.01);

  auto text = cpoctl({"show", "laser", "els1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(Contains(text.out, "(joint: through oe1's MCU, pages B0h-CBh)")) << text.out;
  // Raw reads of the source's pages go through the relocation: its identifier, 0x22.
  auto raw = cpoctl({"--json", "read", "els", "els1", "0"});
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(json::parse(raw.out)["bytes"][0], 0x22);
  auto lane_count = cpoctl({"--json", "read", "els", "els1", "140", "--page", "0x1A"});
  ASSERT_EQ(lane_count.exit_code, 0) << lane_count.err;
  EXPECT_EQ(json::parse(lane_count.out)["bytes"][0].get<int>() >> 1, 8);
  // The engine it hides behind is still itself.
  auto engine = cpoctl({"--json", "read", "oe", "oe1", "0"});
  ASSERT_EQ(engine.exit_code, 0) << engine.err;
  EXPECT_EQ(json::parse(engine.out)["bytes"][0], 0x80);
}

// ---- Raw access: read and write of CMIS bytes and registers.

class CpoctlRawTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { daemon_ = new Daemon(kMini, "raw"); }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  Cpoctl cpoctl() const { return {kMini, daemon_->socket()}; }
  // Page 10h byte 130 (Tx disable of lanes 1-8) as read back.
  int TxDisable() const {
    auto read = cpoctl()({"--json", "read", "oe", "oe0", "130", "--page", "0x10"});
    EXPECT_EQ(read.exit_code, 0) << read.err;
    return read.exit_code == 0 ? json::parse(read.out)["bytes"][0].get<int>() : -1;
  }
  static Daemon* daemon_;
};
Daemon* CpoctlRawTest::daemon_ = nullptr;

TEST_F(CpoctlRawTest, ReadsExactlyTheBytesAskedFor) {
  auto read = cpoctl()({"read", "oe", "oe0", "128", "20", "--page", "0"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(read.out,
            "oe0 page 00h bank 0, bytes 128..147\n"
            // 00h:128 repeats the identifier (0x80), then the vendor name.
            "128 0x80: 80 43 50 4f 2d 48 41 4c 20 53 49 4d 20 20 20 20\n"
            "144 0x90: 20 00 00 00\n");
  auto one = cpoctl()({"--json", "read", "oe", "0", "0"});
  ASSERT_EQ(one.exit_code, 0);
  const json bytes = json::parse(one.out)["bytes"];
  ASSERT_EQ(bytes.size(), 1u);
  EXPECT_EQ(bytes[0], 0x80);  // SFF-8024 identifier the model reports
  auto beyond = cpoctl()({"read", "oe", "oe0", "250", "10"});
  EXPECT_EQ(beyond.exit_code, 2);
  EXPECT_TRUE(Contains(beyond.err, "leave the 256-byte window")) << beyond.err;
}

TEST_F(CpoctlRawTest, AWriteNeedsForceIsLoggedWithOldAndNewAndIsRefusedWhenItCannotBeLogged) {
  const std::string log = TestPath("writes.log");
  ASSERT_EQ(TxDisable(), 0xff);  // every lane's transmitter disabled, as the model starts
  auto refused = cpoctl()({"write", "oe", "oe0", "130", "0x0f", "--page", "0x10"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(Contains(refused.err, "add --force")) << refused.err;
  EXPECT_EQ(TxDisable(), 0xff);

  auto unlogged = cpoctl()({"write", "oe", "oe0", "130", "0x0f", "--page", "0x10", "--force",
                            "--write-log", "/proc/cpo-none/writes.log"});
  EXPECT_EQ(unlogged.exit_code, 4);
  EXPECT_TRUE(Contains(unlogged.err, "none was made")) << unlogged.err;
  EXPECT_EQ(TxDisable(), 0xff);

  auto write = cpoctl()(
      {"write", "oe", "oe0", "130", "0x0f", "--page", "0x10", "--force", "--write-log", log});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(write.out,
            "oe0 page 10h bank 0 byte 130: ff -> 0f (read back 0f; logged to " + log + ")\n");
  EXPECT_EQ(TxDisable(), 0x0f);
  ::setenv("CPO_WRITE_LOG", log.c_str(), 1);  // the environment names the log too
  auto restore =
      cpoctl()({"--json", "write", "oe", "oe0", "130", "0xff", "--page", "0x10", "--force"});
  ::unsetenv("CPO_WRITE_LOG");
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  const json restored = json::parse(restore.out);
  EXPECT_EQ(restored["old"], json::array({0x0f}));
  EXPECT_EQ(restored["new"], json::array({0xff}));
  EXPECT_EQ(restored["log"], log);

  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(Contains(lines[0],
                       "device=sim-mini target=\"oe0 page 10h bank 0 byte 130\" "
                       "old=ff new=0f"))
      << lines[0];
  EXPECT_TRUE(Contains(lines[0], "uid=" + std::to_string(::getuid()))) << lines[0];
  EXPECT_TRUE(Contains(lines[1], "old=0f new=ff")) << lines[1];
  std::filesystem::remove(log);
}

TEST_F(CpoctlRawTest, WritesOutsideOneTransactionAreRefusedUpFront) {
  const std::string log = TestPath("refused.log");
  auto crossing =
      cpoctl()({"write", "oe", "oe0", "126", "1", "2", "3", "--force", "--write-log", log});
  EXPECT_EQ(crossing.exit_code, 2);
  EXPECT_TRUE(Contains(crossing.err, "cross 127/128")) << crossing.err;
  auto long_write = cpoctl()({"write", "oe", "oe0", "130", "1", "2", "3", "4", "5", "6", "7", "8",
                              "9", "--page", "0x10", "--force", "--write-log", log});
  EXPECT_EQ(long_write.exit_code, 2);
  EXPECT_TRUE(Contains(long_write.err, "write 1 to 8 bytes")) << long_write.err;
  auto not_byte = cpoctl()({"write", "oe", "oe0", "130", "256", "--force", "--write-log", log});
  EXPECT_EQ(not_byte.exit_code, 2);
  EXPECT_TRUE(Contains(not_byte.err, "not a byte")) << not_byte.err;
  std::ifstream in(log);
  std::string line;
  EXPECT_FALSE(std::getline(in, line)) << "a refused write was logged: " << line;
  std::filesystem::remove(log);
}

TEST_F(CpoctlRawTest, VdmMasksGoToPage2DhForTheObservableAndLanesNamed) {
  auto masked = cpoctl()({"oe", "vdm-mask", "oe0", "laser_temperature", "--lanes", "1-2"});
  ASSERT_EQ(masked.exit_code, 0) << masked.err;
  EXPECT_TRUE(Contains(masked.out, "oe0: VDM laser_temperature flags masked on 2 lane(s)"))
      << masked.out;
  // Laser temperature is slot 1: lanes 1 and 2 are instances 8 and 9, the two nibbles of 2Dh:132.
  auto read = cpoctl()({"--json", "read", "oe", "oe0", "132", "--page", "0x2d"});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(json::parse(read.out)["bytes"][0].get<int>(), 0xff) << read.out;
  ASSERT_EQ(cpoctl()({"oe", "vdm-mask", "oe0", "4", "--unmask"}).exit_code, 0);
  read = cpoctl()({"--json", "read", "oe", "oe0", "132", "--page", "0x2d"});
  EXPECT_EQ(json::parse(read.out)["bytes"][0].get<int>(), 0) << read.out;
  auto unknown = cpoctl()({"oe", "vdm-mask", "oe0", "bogus"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(Contains(unknown.err, "VDM observable 'bogus' is unknown")) << unknown.err;
}

TEST_F(CpoctlRawTest, RegistersReadAndWriteThroughTheRegisterSpace) {
  auto id = cpoctl()({"--json", "read", "reg", "0"});
  ASSERT_EQ(id.exit_code, 0) << id.err;
  EXPECT_EQ(json::parse(id.out)["registers"][0]["value"], 0x43504f31u);  // "CPO1"
  auto misaligned = cpoctl()({"read", "reg", "2"});
  EXPECT_EQ(misaligned.exit_code, 2) << misaligned.err;
  const std::string log = TestPath("reg.log");
  // SerDes lane 0's control register: Tx enable.
  auto write = cpoctl()({"write", "reg", "0x48000", "0x1", "--force", "--write-log", log});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  EXPECT_TRUE(Contains(write.out,
                       "register 0x00048000: 0x00000000 -> 0x00000001 (read back "
                       "0x00000001"))
      << write.out;
  auto lanes = cpoctl()({"read", "reg", "0x48000", "1"});
  EXPECT_EQ(lanes.out, "0x00048000: 0x00000001\n");
  ASSERT_EQ(cpoctl()({"write", "reg", "0x48000", "0", "--force", "--write-log", log}).exit_code, 0);
  std::filesystem::remove(log);
}

// ---- Telemetry, watch.

// Where promtool is: $CPO_PROMTOOL, $PATH, or the copy tools/run-tests.sh unpacks into build/.
std::string FindPromtool() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("CPO_PROMTOOL"); env != nullptr) candidates.push_back(env);
  candidates.push_back("/usr/bin/promtool");
  candidates.push_back(CPO_SOURCE_DIR "/build/tools-root/usr/bin/promtool");
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

TEST_F(CpoctlRawTest, TelemetryInPrometheusTextIsValidExposition) {
  auto text = cpoctl()({"telemetry", "--format", "prometheus"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  // Every family has HELP then TYPE; every sample is NAME{labels} VALUE with a known family.
  std::istringstream in(text.out);
  std::set<std::string> typed;
  int samples = 0;
  const std::regex sample(
      R"(^([a-z_]+)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+-]+|NaN)$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if (line.rfind("# TYPE ", 0) == 0) {
      typed.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.rfind("# HELP ", 0) != 0) {
      ASSERT_TRUE(std::regex_match(line, match, sample)) << line;
      EXPECT_TRUE(typed.contains(match[1])) << line;
      ++samples;
    }
  }
  EXPECT_TRUE(Contains(
      text.out, "cpo_engine_lane_rx_power_watts{device=\"sim-mini\",engine=\"oe0\",lane=\"8\"}"))
      << text.out;
  EXPECT_TRUE(Contains(text.out, "cpo_port_oper_up{device=\"sim-mini\",port=\"eth0\"} 0"));
  // up, state, temp+vcc, 4 per lane (Tx power, bias, Rx power, Rx LOS), port, sweep
  EXPECT_EQ(samples, 1 + 1 + 2 + 4 * 8 + 2 + 2);

  const std::string promtool = FindPromtool();
  if (promtool.empty()) GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  const std::string file = TestPath("metrics.prom");
  std::ofstream(file) << text.out;
  auto check = RunCommand({"/bin/sh", "-c", promtool + " check metrics < " + file});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  std::filesystem::remove(file);
}

TEST_F(CpoctlRawTest, TelemetryJsonAndTableCarryEngineLasersAndPorts) {
  auto json_out = cpoctl()({"--json", "telemetry"});
  ASSERT_EQ(json_out.exit_code, 0) << json_out.err;
  const json report = json::parse(json_out.out);
  EXPECT_EQ(report["device"], "sim-mini");
  EXPECT_EQ(report["optical_engines"][0]["lanes"].size(), 8u);
  EXPECT_GT(report["sweep"]["bus_bytes"].get<int>(), 0);
  EXPECT_EQ(report["ports"][0]["name"], "eth0");
  EXPECT_TRUE(report["laser_sources"].empty());
  auto table = cpoctl()({"telemetry"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_TRUE(Contains(table.out, "ENGINE  STATE")) << table.out;
  EXPECT_TRUE(Contains(table.out, "Ports: 0 of 1 oper up")) << table.out;
}

TEST_F(CpoctlRawTest, WatchOnAPipePrintsPlainFramesAndStopsAfterCount) {
  auto watch = cpoctl()({"watch", "ports", "--count", "3", "--interval", "0.05"});
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  size_t frames = 0;
  for (size_t at = 0;
       (at = watch.out.find("--- cpoctl watch ports  sim-mini  frame ", at)) != std::string::npos;
       ++at) {
    ++frames;
  }
  EXPECT_EQ(frames, 3u) << watch.out;
  EXPECT_EQ(watch.out.find('\033'), std::string::npos) << "escape codes on a pipe";
  EXPECT_TRUE(Contains(watch.out, "eth0  down   down  datapath: ")) << watch.out;
  EXPECT_FALSE(Contains(watch.out, "ENGINE")) << "only ports were asked for";
}

TEST_F(CpoctlRawTest, WatchJsonIsOneDocumentPerFrame) {
  auto watch = cpoctl()({"--json", "watch", "--count", "2", "--interval", "0.05"});
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  std::istringstream lines(watch.out);
  int frames = 0;
  for (std::string line; std::getline(lines, line);) {
    const json frame = json::parse(line);
    EXPECT_EQ(frame["frame"], ++frames);
    EXPECT_EQ(frame["ports"][0]["name"], "eth0");
    EXPECT_EQ(frame["optical_engines"][0]["name"], "oe0");
    EXPECT_TRUE(frame["events"].is_array());
  }
  EXPECT_EQ(frames, 2);
}

TEST_F(CpoctlRawTest, InjectedSerdesErrorsAndModuleFaultsShowWhereTheHalReadsThem) {
  auto ber = cpoctl()({"sim", "inject", "serdes-ber", "eth0", "1e-3", "--lane", "2"});
  ASSERT_EQ(ber.exit_code, 0) << ber.err;
  EXPECT_EQ(ber.out, "eth0: bit error rate 0.001 on what SerDes lane 1 receives\n");
  auto all = cpoctl()({"sim", "inject", "serdes-ber", "eth0", "--clear"});
  EXPECT_EQ(all.out, "eth0: bit error rate 0 on what SerDes lanes 0,1,2,3,4,5,6,7 receive\n");

  ASSERT_EQ(cpoctl()({"sim", "inject", "module-fault", "oe0", "1"}).exit_code, 0);
  auto fault = cpoctl()({"--json", "telemetry"});
  EXPECT_EQ(json::parse(fault.out)["optical_engines"][0]["state"], "Fault") << fault.out;
  auto cause = cpoctl()({"sim", "inject", "module-fault", "oe0", "9"});
  EXPECT_EQ(cause.exit_code, 2);
  EXPECT_TRUE(Contains(cause.err, "outside 1..6")) << cause.err;
  ASSERT_EQ(cpoctl()({"sim", "inject", "module-fault", "oe0", "--clear"}).exit_code, 0);
  ASSERT_EQ(cpoctl()({"oe", "reset", "oe0", "--wait"}).exit_code, 0);
  auto healthy = cpoctl()({"--json", "telemetry"});
  EXPECT_EQ(json::parse(healthy.out)["optical_engines"][0]["state"], "LowPwr") << healthy.out;
}

TEST(CpoctlSimFibreTest, FibreFaultsShowInTheFibreCheck) {
  Daemon daemon(k51t2, "fibre");
  ASSERT_TRUE(daemon.Ready());
  const Cpoctl cpoctl{k51t2, daemon.socket()};
  ASSERT_EQ(cpoctl({"oe", "lowpower", "off", "oe0", "--wait"}).exit_code, 0);
  auto cut = cpoctl({"sim", "inject", "fiber-cut", "els0", "1"});
  ASSERT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_EQ(cut.out, "els0 fiber 1: cut\n");
  auto check = cpoctl({"--json", "laser", "fiber-check", "els0", "1"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  ASSERT_EQ(cpoctl({"sim", "inject", "fiber-cut", "els0", "1", "--clear"}).exit_code, 0);
  auto loss = cpoctl({"sim", "inject", "fiber-loss", "els0", "1", "2.5"});
  EXPECT_EQ(loss.out, "els0 fiber 1: 2.5 dB extra loss\n");
  auto lossy = cpoctl({"--json", "laser", "fiber-check", "els0", "1"});
  ASSERT_EQ(lossy.exit_code, 0) << lossy.out << lossy.err;
  ASSERT_EQ(cpoctl({"sim", "inject", "fiber-loss", "els0", "1", "--clear"}).exit_code, 0);
  auto clean = cpoctl({"--json", "laser", "fiber-check", "els0", "1"});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  const double lossy_db = json::parse(lossy.out)["checks"][0]["worst_loss_db"].get<double>();
  const double clean_db = json::parse(clean.out)["checks"][0]["worst_loss_db"].get<double>();
  EXPECT_NEAR(lossy_db - clean_db, 2.5, 0.3) << lossy.out << clean.out;
  auto fibre = cpoctl({"sim", "inject", "fiber-cut", "els0", "99"});
  EXPECT_EQ(fibre.exit_code, 2);
  EXPECT_TRUE(Contains(fibre.err, "els0 fiber 99 is outside 1..")) << fibre.err;
}

TEST(CpoctlSimLaserTest, ShowLaserCarriesLimitsThresholdsAndFlags) {
  Daemon daemon(k51t2, "laser-show");
  ASSERT_TRUE(daemon.Ready());
  const Cpoctl cpoctl{k51t2, daemon.socket()};
  auto shown = cpoctl({"--json", "show", "laser", "els0", "--flags", "--thresholds"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const json source = json::parse(shown.out)["laser_sources"][0];
  EXPECT_EQ(source["limits"]["mode"], "constant_power") << shown.out;
  EXPECT_GT(source["limits"]["max_power_mw"].get<double>(),
            source["limits"]["fiber_check_setpoint_mw"].get<double>());
  for (const char* quantity : {"bias_ma", "power_mw"}) {
    const json& t = source["limits"][quantity];
    EXPECT_GT(t["high_alarm"].get<double>(), t["high_warning"].get<double>()) << quantity;
    EXPECT_GT(t["low_warning"].get<double>(), t["low_alarm"].get<double>()) << quantity;
  }
  bool lane_flag = false, module_flag = false;
  for (const auto& flag : source["flags"]) {
    lane_flag |= flag["name"] == "lane1.bias.high_alarm";
    module_flag |= flag["name"] == "temperature.high_alarm";
  }
  EXPECT_TRUE(lane_flag && module_flag)
      << "with no owner the command reads the flags itself: " << source["flags"].dump();
  auto text = cpoctl({"show", "laser", "els0", "--flags", "--thresholds"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_TRUE(Contains(text.out, "Constant-power (APC) control, power")) << text.out;
  EXPECT_TRUE(Contains(text.out, "lane power_mw")) << text.out;
  EXPECT_TRUE(Contains(text.out, "No flags latched (")) << text.out;
  auto plain = cpoctl({"--json", "show", "laser", "els0"});
  ASSERT_EQ(plain.exit_code, 0);
  EXPECT_FALSE(json::parse(plain.out)["laser_sources"][0].contains("limits"));
}

}  // namespace
}  // namespace cpo
