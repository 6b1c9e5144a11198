// cpo-simd: the simulated CPO switch. Serves the Verilator model of the platform's silicon to any
// number of processes (the NOS-like agent, cpoctl, tests) over one UNIX socket.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>

#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"
#include "sim_server.h"

namespace {
std::atomic<bool> g_stop{false};
void RequestStop(int /*signal*/) { g_stop.store(true); }
int Main(int argc, char** argv) {
  CLI::App app{
      "cpo-simd: serve a simulated CPO switch (Verilator model) over a UNIX socket.\n\n"
      "Examples:\n"
      "  cpo-simd --platform platform/boards/sim-51t2/platform.yaml\n"
      "  cpo-simd --platform sim-mini.yaml --socket /tmp/mini.sock --time-scale 0\n",
      "cpo-simd"};
  std::string platform_path;
  std::string socket_path;
  double time_scale = 1.0;
  std::string log_level = "info";
  app.add_option("--platform", platform_path, "Platform file (YAML) describing the switch")
      ->required();
  app.add_option("--socket", socket_path,
                 "UNIX socket to serve (default: the platform's transport.socket)");
  app.add_option("--time-scale", time_scale,
                 "Simulated ns per wall ns between requests (0 freezes time; default 1)")
      ->check(CLI::Range(0.0, 1000.0));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  // Logs go to stderr, like any daemon's diagnostics.
  spdlog::set_default_logger(spdlog::stderr_color_mt("cpo-simd"));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  spdlog::set_level(spdlog::level::from_str(log_level));

  auto platform = cpo::platform::LoadPlatformFile(platform_path);
  if (!platform.ok()) {
    spdlog::error("{}", platform.status().message());
    return 2;
  }
  if (socket_path.empty()) socket_path = platform->transport.socket;
  auto sim = cpo::sim::SimulatedSwitch::Create(*platform);
  if (!sim.ok()) {
    spdlog::error("{}", sim.status().message());
    return 2;
  }
  // Every client is a descriptor: allow as many as the hard limit does (a switch has many
  // processes watching it; the soft default of 1,024 is below what tests and exporters open).
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  cpo::sim::SimServer server(**sim, socket_path, time_scale);
  if (auto status = server.Listen(); !status.ok()) {
    spdlog::error("{}", status.message());
    return 1;
  }
  std::signal(SIGTERM, RequestStop);
  std::signal(SIGINT, RequestStop);
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::info("serving {} ({} engines) on {}, time scale {}", platform->name,
               platform->optical_engines.size(), socket_path, time_scale);
  server.Run(g_stop);
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    spdlog::critical("internal error: {}", e.what());
    return 1;
  }
}
