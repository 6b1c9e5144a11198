// cpo-simd as separate processes use it: cpoctl and test clients over the UNIX socket.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cpo/drivers/cmis/cmis_access.h"
#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/sim/sim_control_client.h"
#include "cpo/transport/locked_two_wire.h"
#include "cpo/transport/sim_protocol.h"
#include "cpo/transport/sim_socket_io.h"
#include "support/run_command.h"
#include "support/simd_daemon.h"

namespace cpo::sim {
namespace {

using testing::Daemon;

const std::string kMini = CPO_SOURCE_DIR "/platform/boards/sim-mini/platform.yaml";

class SimdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { daemon_ = new Daemon(kMini, "shared"); }
  static void TearDownTestSuite() {
    delete daemon_;
    daemon_ = nullptr;
  }
  static Daemon* daemon_;
};
Daemon* SimdTest::daemon_ = nullptr;

TEST_F(SimdTest, UnusualPlantValuesComeBackThroughCpoctlJson) {
  ASSERT_TRUE(daemon_->Ready());
  auto control = SimControlClient::Connect(daemon_->socket());
  ASSERT_TRUE(control.ok()) << control.status().ToString();
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kTemperatureC, 0, -40.5).ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kVccV, 0, 2.9876).ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kTxPowerMw, 3, 0.0042).ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kTxBiasMa, 3, 99.998).ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kRxPowerMw, 8, 6.5).ok());

  auto result = testing::RunCommand(
      {CPOCTL_PATH, "--platform", kMini, "--sim", daemon_->socket(), "show", "oe", "0", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto json = nlohmann::json::parse(result.out);
  const auto& engine = json["optical_engines"][0];
  EXPECT_EQ(json["device"], "sim-mini");
  EXPECT_EQ(engine["name"], "oe0");
  EXPECT_EQ(engine["error"], nullptr);
  EXPECT_EQ(engine["identity"]["serial_number"], "SIMOE0000");
  EXPECT_TRUE(engine["identity"]["checksum_ok"]);
  EXPECT_EQ(engine["module"]["state"], "LowPwr");
  EXPECT_EQ(engine["module"]["fault_cause"], "none");
  EXPECT_DOUBLE_EQ(engine["module"]["temperature_c"].get<double>(), -40.5);
  EXPECT_NEAR(engine["module"]["vcc_v"].get<double>(), 2.9876, 1e-9);
  EXPECT_EQ(engine["lanes"].size(), 8u);
  EXPECT_EQ(engine["lanes"][2]["lane"], 3);
  EXPECT_NEAR(engine["lanes"][2]["tx_power_mw"].get<double>(), 0.0042, 1e-9);
  EXPECT_NEAR(engine["lanes"][2]["tx_bias_ma"].get<double>(), 99.998, 1e-9);
  EXPECT_NEAR(engine["lanes"][7]["rx_power_mw"].get<double>(), 6.5, 1e-9);
}

TEST_F(SimdTest, PlantRefusalsAreErrorsNotDisconnects) {
  auto control = SimControlClient::Connect(daemon_->socket());
  ASSERT_TRUE(control.ok());
  EXPECT_EQ((*control)->SetPlant(0, Quantity::kTxPowerMw, 9, 1.0).code(), StatusCode::kOutOfRange);
  EXPECT_EQ((*control)->SetPlant(3, Quantity::kVccV, 0, 3.3).code(), StatusCode::kNotFound);
  EXPECT_EQ((*control)->SetPlant(0, Quantity::kTemperatureC, 0, 500).code(),
            StatusCode::kOutOfRange);
  EXPECT_TRUE((*control)->Info().ok());
}

TEST_F(SimdTest, MalformedFrameClosesOnlyThatClient) {
  auto good = transport::SimSocketIo::Connect(daemon_->socket());
  ASSERT_TRUE(good.ok());
  for (uint8_t tag : {uint8_t{0xEE}, uint8_t{1}}) {
    auto fd = transport::sim_protocol::ConnectUnixSocket(daemon_->socket());
    ASSERT_TRUE(fd.ok());
    // Unknown op, then a READ32 whose payload is too short.
    const uint8_t payload[] = {1, 2, 3};
    ASSERT_TRUE(transport::sim_protocol::SendFrame(*fd, tag, payload).ok());
    char byte;
    EXPECT_EQ(::recv(*fd, &byte, 1, 0), 0) << "the daemon should close this connection";
    ::close(*fd);
  }
  auto id = (*good)->Read32(0);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 0x43504F31u);
  // A well-formed request for a bad address is an error reply, and the connection stays.
  EXPECT_EQ((*good)->Read32(0x100000 - 4).status().code(), StatusCode::kOk);
  EXPECT_EQ((*good)->Read32(3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE((*good)->Read32(0).ok());
}

TEST_F(SimdTest, BatchedAccessesMixReadsAndWrites) {
  auto io = transport::SimSocketIo::Connect(daemon_->socket());
  ASSERT_TRUE(io.ok());
  transport::SimSocketIo::BatchOp ops[] = {{true, 0x8, 0x1234}, {false, 0x8, 0}, {false, 0x0, 0}};
  ASSERT_TRUE((*io)->Batch(ops).ok());
  EXPECT_EQ(ops[1].value, 0x1234u);
  EXPECT_EQ(ops[2].value, 0x43504F31u);
}

TEST_F(SimdTest, SimulatedTimeFollowsTheWallClockAndCanBeFrozenOrStepped) {
  auto control = SimControlClient::Connect(daemon_->socket());
  ASSERT_TRUE(control.ok());
  const uint64_t t0 = (*control)->Info()->sim_time_ns;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const uint64_t t1 = (*control)->Info()->sim_time_ns;
  EXPECT_GT(t1, t0);
  ASSERT_TRUE((*control)->SetTimeScale(0).ok());
  const uint64_t frozen = (*control)->Info()->sim_time_ns;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ((*control)->Info()->sim_time_ns, frozen);
  auto stepped = (*control)->StepTime(1'000'000);
  ASSERT_TRUE(stepped.ok());
  EXPECT_GE(*stepped, frozen + 1'000'000 - 125);
  EXPECT_EQ((*control)->SetTimeScale(-1).code(), StatusCode::kOutOfRange);
  ASSERT_TRUE((*control)->SetTimeScale(1).ok());
}

std::vector<std::string> Cpoctl(const std::string& socket, std::vector<std::string> args) {
  std::vector<std::string> argv = {CPOCTL_PATH, "--platform", kMini, "--sim", socket};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

TEST(SimdEngineControlTest, LowPowerResetFaultAndDumpThroughCpoctl) {
  Daemon daemon(kMini, "control", 1.0);
  ASSERT_TRUE(daemon.Ready());
  auto up = testing::RunCommand(
      Cpoctl(daemon.socket(), {"oe", "lowpower", "off", "all", "--wait", "--json"}));
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(nlohmann::json::parse(up.out)["optical_engines"][0]["state"], "Ready");

  auto control = SimControlClient::Connect(daemon.socket());
  ASSERT_TRUE(control.ok());
  ASSERT_TRUE((*control)->SetModuleFault(0, 6).ok());
  auto show = testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "oe0", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto module = nlohmann::json::parse(show.out)["optical_engines"][0]["module"];
  EXPECT_EQ(module["state"], "Fault");
  EXPECT_EQ(module["fault_cause"], "temperature");
  auto text = testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "oe0"}));
  EXPECT_NE(text.out.find("Fault (cause temperature)"), std::string::npos) << text.out;

  // Waiting for Ready out of Fault fails with exit 1 and the reason.
  auto stuck =
      testing::RunCommand(Cpoctl(daemon.socket(), {"oe", "lowpower", "off", "0", "--wait"}));
  EXPECT_EQ(stuck.exit_code, 1);
  EXPECT_NE(stuck.err.find("Fault"), std::string::npos) << stuck.err;

  ASSERT_TRUE((*control)->SetModuleFault(0, 0).ok());
  auto reset = testing::RunCommand(Cpoctl(daemon.socket(), {"oe", "reset", "oe0", "--wait"}));
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("now LowPwr"), std::string::npos) << reset.out;

  auto dump = testing::RunCommand(
      Cpoctl(daemon.socket(), {"dump", "oe", "oe0", "--page", "0x00", "--json"}));
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  auto json = nlohmann::json::parse(dump.out);
  EXPECT_EQ(json["device"], "oe0");
  EXPECT_EQ(json["page"], 0);
  EXPECT_EQ(json["bank"], 0);
  ASSERT_EQ(json["bytes"].size(), 256u);
  EXPECT_EQ(json["bytes"][0], 0x80);
  EXPECT_EQ(json["bytes"][129], 'C');
  auto hex = testing::RunCommand(Cpoctl(daemon.socket(), {"dump", "oe", "oe0", "--page", "17"}));
  EXPECT_EQ(hex.exit_code, 0);
  EXPECT_NE(hex.out.find("112 0x70:"), std::string::npos) << hex.out;
  auto bad_bank = testing::RunCommand(
      Cpoctl(daemon.socket(), {"dump", "oe", "oe0", "--page", "0x11", "--bank", "1"}));
  EXPECT_EQ(bad_bank.exit_code, 2);
  EXPECT_NE(bad_bank.err.find("bank 1 is outside banks 0..0"), std::string::npos);
  EXPECT_EQ(testing::RunCommand(Cpoctl(daemon.socket(), {"dump", "oe", "oe0"})).exit_code, 2);
}

TEST(SimdDataPathTest, DataPathsPrbsLoopbackAndVdmThroughCpoctl) {
  // Simulated time runs 10x the wall clock, so the engine's real durations pass quickly.
  Daemon daemon(kMini, "datapath", 10.0);
  ASSERT_TRUE(daemon.Ready());
  auto up = testing::RunCommand(
      Cpoctl(daemon.socket(), {"oe", "datapath", "up", "oe0", "--app", "2", "--json"}));
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto up_json = nlohmann::json::parse(up.out);
  ASSERT_EQ(up_json["data_paths"].size(), 2u);
  EXPECT_EQ(up_json["data_paths"][1]["first_lane"], 5);
  EXPECT_EQ(up_json["data_paths"][1]["ok"], true);
  EXPECT_GT(up_json["bus_bytes"], 0);

  auto paths =
      testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "oe0", "--datapaths", "--json"}));
  ASSERT_EQ(paths.exit_code, 0) << paths.err;
  auto paths_json = nlohmann::json::parse(paths.out);
  EXPECT_EQ(paths_json["applications"].size(), 4u);
  EXPECT_EQ(paths_json["applications"][1]["host_interface"], "400GAUI-4-S C2M");
  for (const auto& lane : paths_json["data_paths"]) {
    EXPECT_EQ(lane["state"], "Activated");
    EXPECT_EQ(lane["app_sel"], 2);
  }

  ASSERT_EQ(
      testing::RunCommand(Cpoctl(daemon.socket(), {"diag", "loopback", "set", "oe0", "--lanes",
                                                   "1-2", "--kind", "media-output"}))
          .exit_code,
      0);
  auto start = testing::RunCommand(Cpoctl(
      daemon.socket(), {"diag", "prbs", "start", "oe0", "--lanes", "1-2", "--pattern", "PRBS31"}));
  ASSERT_EQ(start.exit_code, 0) << start.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto show = testing::RunCommand(
      Cpoctl(daemon.socket(), {"diag", "prbs", "show", "oe0", "--lanes", "1-3", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto show_json = nlohmann::json::parse(show.out);
  ASSERT_EQ(show_json["lanes"].size(), 3u);
  EXPECT_EQ(show_json["lanes"][0]["media"]["locked"], true);
  EXPECT_EQ(show_json["lanes"][0]["media"]["ber"], 0.0);
  EXPECT_EQ(show_json["lanes"][2]["media"]["checker"], false);
  EXPECT_EQ(
      testing::RunCommand(Cpoctl(daemon.socket(), {"diag", "prbs", "clear", "oe0"})).exit_code, 0);
  auto table = testing::RunCommand(Cpoctl(daemon.socket(), {"diag", "prbs", "show", "oe0"}));
  EXPECT_NE(table.out.find("locked"), std::string::npos);

  auto vdm = testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "oe0", "--vdm", "--json"}));
  ASSERT_EQ(vdm.exit_code, 0) << vdm.err;
  auto vdm_json = nlohmann::json::parse(vdm.out);
  EXPECT_EQ(vdm_json["vdm"].size(), 64u);
  EXPECT_EQ(vdm_json["vdm"][0]["type"], "laser_age");

  // Usage errors say what is wrong: exit 2.
  auto bad = testing::RunCommand(
      Cpoctl(daemon.socket(), {"diag", "prbs", "start", "oe0", "--pattern", "PRBS99"}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown PRBS pattern"), std::string::npos);
  auto misplaced = testing::RunCommand(
      Cpoctl(daemon.socket(), {"oe", "datapath", "up", "oe0", "--lanes", "2", "--app", "1"}));
  EXPECT_EQ(misplaced.exit_code, 1);
  EXPECT_NE(misplaced.err.find("cannot start at lane 2"), std::string::npos);

  auto down = testing::RunCommand(
      Cpoctl(daemon.socket(), {"oe", "datapath", "down", "oe0", "--lanes", "1-8"}));
  EXPECT_EQ(down.exit_code, 0) << down.err;
}

TEST(SimdFlagsTest, InjectedOverTemperatureShowsAsLatchedFlagsAndInterrupt) {
  Daemon daemon(kMini, "flags", 0);
  ASSERT_TRUE(daemon.Ready());
  auto control = SimControlClient::Connect(daemon.socket());
  ASSERT_TRUE(control.ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kTemperatureC, 0, 90.0).ok());
  ASSERT_TRUE((*control)->SetPlant(0, Quantity::kRxPowerMw, 5, 3.5).ok());
  auto show =
      testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "0", "--flags", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto engine = nlohmann::json::parse(show.out)["optical_engines"][0];
  EXPECT_TRUE(engine["module"]["interrupt"]);
  std::set<std::string> latched;
  for (const auto& flag : engine["flags"]) {
    if (flag["latched"]) latched.insert(flag["name"]);
  }
  EXPECT_EQ(latched,
            (std::set<std::string>{"temperature.high_alarm", "temperature.high_warning",
                                   "lane5.rx_power.high_alarm", "lane5.rx_power.high_warning"}));
  auto text = testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "0", "--flags"}));
  EXPECT_NE(text.out.find("lane5.rx_power.high_alarm"), std::string::npos) << text.out;
  auto thresholds =
      testing::RunCommand(Cpoctl(daemon.socket(), {"show", "oe", "0", "--thresholds", "--json"}));
  auto t = nlohmann::json::parse(thresholds.out)["optical_engines"][0]["thresholds"];
  EXPECT_DOUBLE_EQ(t["temperature_c"]["high_alarm"].get<double>(), 80.0);
}

TEST(SimdLifecycleTest, SigtermStopsCleanlyAndRemovesTheSocket) {
  Daemon daemon(kMini, "lifecycle", 0);
  ASSERT_TRUE(daemon.Ready());
  auto client = transport::SimSocketIo::Connect(daemon.socket());
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_FALSE(daemon.Ready());
  EXPECT_FALSE((*client)->Read32(0).ok());
}

TEST(SimdLifecycleTest, ASecondDaemonOnALiveSocketIsRefused) {
  Daemon daemon(kMini, "twice", 0);
  ASSERT_TRUE(daemon.Ready());
  auto second = testing::RunCommand(
      {CPO_SIMD_PATH, "--platform", kMini, "--socket", daemon.socket(), "--log-level", "warn"});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("another cpo-simd"), std::string::npos) << second.err;
  EXPECT_TRUE(daemon.Ready());
}

TEST(SimdLifecycleTest, BadPlatformIsExitTwo) {
  auto result = testing::RunCommand(
      {CPO_SIMD_PATH, "--platform", CPO_TEST_FIXTURES "/platform-errors/missing-bus.yaml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("missing-bus.yaml:12:5"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

constexpr char k51t2[] = CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml";

std::vector<std::string> Cpoctl51t2(const std::string& socket, std::vector<std::string> args) {
  std::vector<std::string> argv = {CPOCTL_PATH, "--platform", k51t2, "--sim", socket};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

TEST(SimdLaserTest, EnableFiberCheckShowAndDumpThroughCpoctl) {
  Daemon daemon(k51t2, "laser", 10.0);
  ASSERT_TRUE(daemon.Ready());
  auto enable = testing::RunCommand(
      Cpoctl51t2(daemon.socket(), {"laser", "enable", "els0", "1-2", "--json"}));
  ASSERT_EQ(enable.exit_code, 0) << enable.err;
  auto enabled = nlohmann::json::parse(enable.out);
  EXPECT_TRUE(enabled["ok"].get<bool>());
  ASSERT_EQ(enabled["lanes"].size(), 2u);
  EXPECT_EQ(enabled["lanes"][0]["phase"], "operating");
  EXPECT_TRUE(enabled["lanes"][0]["last_check"]["passed"].get<bool>());
  EXPECT_NEAR(enabled["lanes"][0]["last_check"]["worst_loss_db"].get<double>(), 4.1, 0.05);

  // A second cpoctl (read-only) sees them lit and checked, and does not turn them off.
  auto show = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto shown = nlohmann::json::parse(show.out)["laser_sources"][0];
  EXPECT_EQ(shown["name"], "els0");
  EXPECT_EQ(shown["lanes"].size(), 10u);
  EXPECT_EQ(shown["lanes"][1]["state"], "on");
  EXPECT_TRUE(shown["lanes"][1]["fiber_checked"].get<bool>());
  EXPECT_NEAR(shown["lanes"][1]["power_mw"].get<double>(), 18.0, 0.05);
  EXPECT_EQ(shown["lanes"][2]["state"], "off");
  auto table = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0"}));
  EXPECT_NE(table.out.find("SIMLS0000"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("operating"), std::string::npos) << table.out;

  // Another enabling process adopts them (kAdoptChecked) while it checks a further lane.
  auto check = testing::RunCommand(
      Cpoctl51t2(daemon.socket(), {"laser", "fiber-check", "els0", "3", "--json"}));
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(nlohmann::json::parse(check.out)["checks"][0]["passed"].get<bool>());
  auto after = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0", "--json"})).out);
  EXPECT_EQ(after["laser_sources"][0]["lanes"][0]["state"], "on");
  EXPECT_EQ(after["laser_sources"][0]["lanes"][2]["state"], "off");  // checked, left dark

  // Spares and unknown lanes are refused with what to do.
  auto spare = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"laser", "enable", "els0", "9"}));
  EXPECT_EQ(spare.exit_code, 1);
  EXPECT_NE(spare.err.find("spare"), std::string::npos) << spare.err;
  auto bad = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"laser", "enable", "els0", "11"}));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("lanes 1..10"), std::string::npos) << bad.err;
  EXPECT_EQ(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"laser", "enable", "els99", "1"})).exit_code,
      2);

  auto disable =
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"laser", "disable", "els0", "1-2"}));
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  auto dark = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0", "--json"})).out);
  EXPECT_EQ(dark["laser_sources"][0]["lanes"][0]["state"], "off");
  EXPECT_FALSE(dark["laser_sources"][0]["lanes"][0]["fiber_checked"].get<bool>());

  // The raw window, same format as for engines: 1Ah byte 140 = lanes << 1 | CP mode.
  auto dump = testing::RunCommand(
      Cpoctl51t2(daemon.socket(), {"dump", "els", "els0", "--page", "0x1A", "--json"}));
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  auto bytes = nlohmann::json::parse(dump.out)["bytes"];
  ASSERT_EQ(bytes.size(), 256u);
  EXPECT_EQ(bytes[140].get<int>(), 10 << 1 | 1);
  auto hex =
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"dump", "els", "els0", "--page", "26"}));
  EXPECT_NE(hex.out.find("page 1Ah"), std::string::npos) << hex.out;
}

TEST(SimdLaserTest, FibreAndLaserFaultsThroughTheControlPlane) {
  Daemon daemon(k51t2, "laserfault", 10.0);
  ASSERT_TRUE(daemon.Ready());
  auto control = SimControlClient::Connect(daemon.socket());
  ASSERT_TRUE(control.ok());
  // A dirty connector on els0's fibre 2: the check of lane 2 fails and names the loss.
  ASSERT_TRUE((*control)->SetFiberFault(0, 2, false, 9.0).ok());
  auto check = testing::RunCommand(
      Cpoctl51t2(daemon.socket(), {"laser", "fiber-check", "els0", "1-2", "--json"}));
  EXPECT_EQ(check.exit_code, 1) << check.err;
  auto checks = nlohmann::json::parse(check.out)["checks"];
  EXPECT_TRUE(checks[0]["passed"].get<bool>());
  EXPECT_FALSE(checks[1]["passed"].get<bool>());
  EXPECT_NEAR(checks[1]["worst_loss_db"].get<double>(), 4.2 + 9.0, 0.05);
  // Cleaned, lit; a cut then shows at the engine as no light (VDM type 84 at its floor).
  ASSERT_TRUE((*control)->SetFiberFault(0, 2, false, 0.0).ok());
  ASSERT_EQ(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"laser", "enable", "els0", "2"})).exit_code,
      0);
  ASSERT_TRUE((*control)->SetFiberFault(0, 2, true, 0.0).ok());
  auto vdm = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "oe", "oe0", "--vdm", "--json"}))
          .out);
  bool saw_dark_lane5 = false;
  for (const auto& sample : vdm["vdm"]) {
    if (sample["lane"] == 5 && sample["type_id"] == 84) {
      saw_dark_lane5 = true;
      EXPECT_NEAR(sample["value"].get<double>(), -40.0, 0.01);
    }
  }
  EXPECT_TRUE(saw_dark_lane5);
  // Refusals are errors with the reason, not disconnects.
  EXPECT_EQ((*control)->SetFiberFault(0, 99, true, 0).code(), StatusCode::kNotFound);
  EXPECT_EQ((*control)->SetLaserPhysics(0, 11, 20, 0.25).code(), StatusCode::kOutOfRange);
  EXPECT_EQ((*control)->SetLaserSourcePresent(99, false).code(), StatusCode::kNotFound);
  // Pulled out, the module stops answering; plugged back, it answers with every lane dark.
  ASSERT_TRUE((*control)->SetLaserSourcePresent(0, false).ok());
  auto gone = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0"}));
  EXPECT_NE(gone.exit_code, 0);
  ASSERT_TRUE((*control)->SetLaserSourcePresent(0, true).ok());
  auto back = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "laser", "els0", "--json"})).out);
  EXPECT_EQ(back["laser_sources"][0]["lanes"][1]["state"], "off");
  EXPECT_FALSE(back["laser_sources"][0]["lanes"][1]["fiber_checked"].get<bool>());
  EXPECT_TRUE((*control)->SetLaserPhysics(0, 1, 20, 0).ok());
}

}  // namespace
}  // namespace cpo::sim

namespace cpo::sim {
namespace {

// Runs cpoctl against the daemon; the exit code.
int Exit(const Daemon& daemon, std::vector<std::string> args) {
  return testing::RunCommand(Cpoctl51t2(daemon.socket(), std::move(args))).exit_code;
}

TEST(SimdPortTest, PortUpAndShowPortStageByStage) {
  Daemon daemon(k51t2, "port", 10.0);
  ASSERT_TRUE(daemon.Ready());
  // eth28 has a loopback plug: it links on its own.
  auto up = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "up", "eth28", "--json"}));
  ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
  auto report = nlohmann::json::parse(up.out);
  EXPECT_TRUE(report["ok"].get<bool>());
  EXPECT_EQ(report["ports"][0]["port"], "eth28");
  EXPECT_GT(report["wire_bytes"].get<int>(), 0);

  auto show = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth28", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto port = nlohmann::json::parse(show.out)["ports"][0];
  EXPECT_EQ(port["speed_gbps"], 800);
  EXPECT_EQ(port["stages"][0]["stage"], "lasers");
  for (const auto& stage : port["stages"]) EXPECT_TRUE(stage["up"].get<bool>()) << port.dump();
  EXPECT_TRUE(port["oper_up"].get<bool>()) << port.dump();
  EXPECT_TRUE(port["admin_up"].get<bool>());
  EXPECT_EQ(port["lasers"][0]["source"], "els7");
  ASSERT_EQ(port["lanes"].size(), 8u);
  EXPECT_EQ(port["lanes"][0]["host_lane"], 224);
  EXPECT_EQ(port["lanes"][0]["far_end"], "loopback plug");
  EXPECT_TRUE(port["lanes"][0]["pcs_lock"].get<bool>());
  auto lanes =
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth28", "--lanes"}));
  EXPECT_NE(lanes.out.find("loopback plug"), std::string::npos) << lanes.out;

  // A port whose cable peer is down: the operation fails (exit 1) and says why.
  auto alone = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "up", "eth1"}));
  EXPECT_EQ(alone.exit_code, 1) << alone.out << alone.err;
  EXPECT_NE(alone.out.find("no signal from eth33 lane 264"), std::string::npos) << alone.out;
  EXPECT_EQ(alone.out.find("eth1: eth1:"), std::string::npos) << alone.out;  // said once
  // Both ends of the cable together: both links come up.
  auto pair = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "up", "eth1", "eth33"}));
  EXPECT_EQ(pair.exit_code, 0) << pair.out << pair.err;
  EXPECT_EQ(Exit(daemon, {"port", "up", "eth1", "eth99"}), 2);
  // A port nobody brought up says which stage is missing.
  auto other = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth2", "--json"})).out);
  EXPECT_EQ(other["ports"][0]["reason"].get<std::string>().rfind("lasers: ", 0), 0u);
  auto table = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port"}));
  EXPECT_NE(table.out.find("eth63"), std::string::npos);
  EXPECT_EQ(testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth99"})).exit_code,
            2);
  auto down = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "down", "eth28"}));
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.out.find("eth28: down"), std::string::npos) << down.out;
  auto after = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth28", "--json"})).out);
  EXPECT_FALSE(after["ports"][0]["stages"][1]["up"].get<bool>());
  EXPECT_FALSE(after["ports"][0]["admin_up"].get<bool>());
}

TEST(SimdPortTest, BreakoutAndHostSidePrbsFromTheCommandLine) {
  Daemon daemon(k51t2, "breakout", 10.0);
  ASSERT_TRUE(daemon.Ready());
  auto bad =
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "breakout", "eth29", "3x200G"}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("3x200G"), std::string::npos) << bad.err;
  auto split = testing::RunCommand(
      Cpoctl51t2(daemon.socket(), {"port", "breakout", "eth29", "2x400G", "--json"}));
  ASSERT_EQ(split.exit_code, 0) << split.err;
  auto ports = nlohmann::json::parse(split.out)["ports"];
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[1]["name"], "eth29/2");
  // Another cpoctl (another process) sees the new ports: the breakout lives in the hardware.
  auto shown = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth29", "--json"})).out);
  EXPECT_EQ(shown["ports"].size(), 2u);
  auto up = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"port", "up", "eth29/2"}));
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

  // Host-side PRBS over the loopback plug.
  ASSERT_EQ(Exit(daemon, {"diag", "prbs", "start", "eth29/2", "--pattern", "PRBS31Q"}), 0);
  auto results =
      nlohmann::json::parse(testing::RunCommand(Cpoctl51t2(daemon.socket(), {"diag", "prbs", "show",
                                                                             "eth29/2", "--json"}))
                                .out);
  ASSERT_EQ(results["ports"][0]["lanes"].size(), 4u);
  for (const auto& lane : results["ports"][0]["lanes"]) {
    EXPECT_TRUE(lane["locked"].get<bool>()) << lane.dump();
    EXPECT_EQ(lane["errors"].get<int>(), 0);
  }
  // Injected errors through the side channel show up in the port's counts.
  auto control = SimControlClient::Connect(daemon.socket());
  ASSERT_TRUE(control.ok()) << control.status().ToString();
  ASSERT_TRUE((*control)->SetSerdesBitErrorRate(236, 1e-3).ok());  // eth29/2's first lane
  ASSERT_EQ(Exit(daemon, {"diag", "prbs", "clear", "eth29/2"}), 0);
  ASSERT_TRUE((*control)->StepTime(20'000'000).ok());
  auto errored =
      nlohmann::json::parse(testing::RunCommand(Cpoctl51t2(daemon.socket(), {"diag", "prbs", "show",
                                                                             "eth29/2", "--json"}))
                                .out);
  EXPECT_GT(errored["ports"][0]["lanes"][0]["errors"].get<int>(), 0) << errored.dump();
  EXPECT_EQ(errored["ports"][0]["lanes"][1]["errors"].get<int>(), 0) << errored.dump();
  EXPECT_EQ(Exit(daemon, {"diag", "prbs", "show", "eth29/2", "--lanes", "1-2"}), 2);
  EXPECT_EQ(Exit(daemon, {"diag", "prbs", "stop", "eth29/2"}), 0);
  // Near-end loopback on a port that is down: PRBS locks without any optics.
  ASSERT_EQ(Exit(daemon, {"diag", "loopback", "set", "eth5", "--kind", "near-end"}), 0);
  ASSERT_EQ(Exit(daemon, {"diag", "prbs", "start", "eth5"}), 0);
  auto looped = testing::RunCommand(Cpoctl51t2(daemon.socket(), {"diag", "prbs", "show", "eth5"}));
  EXPECT_NE(looped.out.find("locked"), std::string::npos) << looped.out;
  EXPECT_EQ(looped.out.find("NO LOCK"), std::string::npos) << looped.out;
  EXPECT_EQ(Exit(daemon, {"diag", "loopback", "set", "eth5", "--kind", "media-output"}), 2);
  // Cleared, the checker sees nothing (the port is down): it loses lock.
  ASSERT_EQ(Exit(daemon, {"diag", "loopback", "clear", "eth5", "--kind", "near-end"}), 0);
  ASSERT_EQ(Exit(daemon, {"diag", "prbs", "start", "eth5"}), 0);  // a fresh count
  auto unlooped =
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"diag", "prbs", "show", "eth5", "--json"}));
  EXPECT_FALSE(nlohmann::json::parse(unlooped.out)["ports"][0]["lanes"][0]["locked"].get<bool>())
      << unlooped.out;

  // A pulled loopback plug: the port says why it is down.
  ASSERT_EQ(Exit(daemon, {"diag", "prbs", "stop", "eth5"}), 0);
  ASSERT_TRUE((*control)->SetPortUnplugged(29, true).ok());
  auto pulled = nlohmann::json::parse(
      testing::RunCommand(Cpoctl51t2(daemon.socket(), {"show", "port", "eth29/2", "--json"})).out);
  EXPECT_EQ(pulled["ports"][0]["reason"],
            "serdes: lane 236: no signal from loopback plug; oe3 lane 45 receives no light");
  EXPECT_EQ((*control)->SetPortUnplugged(99, true).code(), StatusCode::kNotFound);
}

// One process's view of engine oe0 (controller 0, address 0x50) of a cpo-simd switch, locked as
// every process opening the platform locks it (see OpenDevice).
struct SharedEngine {
  std::unique_ptr<drivers::CmisAccess> access;
  Status status;
};

SharedEngine OpenSharedEngine(const std::string& socket) {
  SharedEngine engine;
  auto io = transport::SimSocketIo::Connect(socket);
  if (!io.ok()) return {nullptr, io.status()};
  std::shared_ptr<transport::RegisterIo> shared_io = std::move(io).value();
  auto controller = drivers::CpoI2cController::Create(shared_io, 0, 400);
  if (!controller.ok()) return {nullptr, controller.status()};
  auto bus =
      transport::LockedTwoWire::Open(std::move(controller).value(), socket + ".oe-i2c0.lock");
  if (!bus.ok()) return {nullptr, bus.status()};
  engine.access = std::make_unique<drivers::CmisAccess>(*bus, 0x50);
  return engine;
}

// Page `page` bytes 128..143 as a driver reads them: select, then read, holding the bus.
Result<std::array<uint8_t, 16>> ReadPageStart(drivers::CmisAccess& access, uint8_t page) {
  const auto hold = access.Hold();
  CPO_RETURN_IF_ERROR(access.SelectPage(0, page));
  std::array<uint8_t, 16> bytes{};
  CPO_RETURN_IF_ERROR(access.ReadBlock(128, bytes));
  return bytes;
}

TEST(SimdSharedBusTest, TwoProcessesOnDifferentPagesOfOneEngineNeverSeeATornRead) {
  Daemon daemon(k51t2, "shared", 10.0);
  ASSERT_TRUE(daemon.Ready());
  std::array<std::array<uint8_t, 16>, 2> expected{};
  {
    SharedEngine engine = OpenSharedEngine(daemon.socket());
    ASSERT_TRUE(engine.status.ok()) << engine.status.ToString();
    for (uint8_t page : {0, 1}) {
      auto bytes = ReadPageStart(*engine.access, page);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      expected[page] = *bytes;
    }
    ASSERT_NE(expected[0], expected[1]);  // a read of the wrong page would show
  }
  constexpr int kAccesses = 10'000;
  std::array<pid_t, 2> children{};
  for (uint8_t page : {0, 1}) {
    children[page] = ::fork();
    ASSERT_GE(children[page], 0);
    if (children[page] == 0) {
      // Exit status: 0 clean, 1 a torn read, 2 an access failed.
      SharedEngine engine = OpenSharedEngine(daemon.socket());
      if (!engine.status.ok()) ::_exit(2);
      for (int i = 0; i < kAccesses; ++i) {
        auto bytes = ReadPageStart(*engine.access, page);
        if (!bytes.ok()) ::_exit(2);
        if (*bytes != expected[page]) ::_exit(1);
      }
      ::_exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: a torn read, 2: an access failed";
  }
}

}  // namespace
}  // namespace cpo::sim
