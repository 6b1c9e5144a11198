// Register access rates of the model, in process and through cpo-simd, single and batched, and
// the cost of a CMIS page read over the model's I2C controller.
//
// Wall-clock rates (items_per_second; real time for the socket, whose work is in another process)
// vary with the machine; the counters are counts that do not:
// simulated ns per access, socket bytes per access, registers per round trip.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"
#include "cpo/transport/sim_socket_io.h"

namespace {

using cpo::sim::SimulatedSwitch;

constexpr int kBurstWords = 64;

std::unique_ptr<SimulatedSwitch> MakeSwitch() {
  auto platform =
      cpo::platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml");
  auto sim = SimulatedSwitch::Create(*platform);
  return std::move(sim).value();
}

// One cpo-simd for the socket benchmarks, frozen time so only requests advance the model.
class SimdProcess {
 public:
  SimdProcess() : socket_("/tmp/cpo-bench-" + std::to_string(::getpid()) + ".sock") {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(CPO_SIMD_PATH, CPO_SIMD_PATH, "--platform",
              CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml", "--socket", socket_.c_str(),
              "--time-scale", "0", "--log-level", "warn", nullptr);
      ::_exit(127);
    }
    struct stat info {};
    for (int i = 0; i < 400 && ::stat(socket_.c_str(), &info) != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~SimdProcess() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  const std::string& socket() const { return socket_; }

 private:
  std::string socket_;
  pid_t pid_;
};

SimdProcess& Simd() {
  static SimdProcess* process = new SimdProcess();  // ended by the atexit below
  static bool registered = [] {
    std::atexit([] { delete process; });
    return true;
  }();
  (void)registered;
  return *process;
}

void BM_InProcessRead32(benchmark::State& state) {
  auto sim = MakeSwitch();
  auto io = sim->MakeRegisterIo();
  const uint64_t t0 = sim->model().now_ns();
  for (auto _ : state) benchmark::DoNotOptimize(io->Read32(0x8));
  state.SetItemsProcessed(state.iterations());
  state.counters["sim_ns_per_read"] =
      static_cast<double>(sim->model().now_ns() - t0) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_InProcessRead32);

void BM_InProcessReadBurst(benchmark::State& state) {
  auto sim = MakeSwitch();
  auto io = sim->MakeRegisterIo();
  std::vector<uint32_t> words(kBurstWords);
  for (auto _ : state) benchmark::DoNotOptimize(io->ReadBurst(0x10800, words));
  state.SetItemsProcessed(state.iterations() * kBurstWords);
  state.counters["registers_per_call"] = kBurstWords;
}
BENCHMARK(BM_InProcessReadBurst);

void BM_SocketRead32(benchmark::State& state) {
  auto io = cpo::transport::SimSocketIo::Connect(Simd().socket());
  if (!io.ok()) return state.SkipWithError(io.status().ToString().c_str());
  for (auto _ : state) benchmark::DoNotOptimize((*io)->Read32(0x8));
  state.SetItemsProcessed(state.iterations());
  // Request: 5-byte header + u64 offset; reply: 5-byte header + u32 value.
  state.counters["socket_bytes_per_read"] = 5 + 8 + 5 + 4;
}
BENCHMARK(BM_SocketRead32)->UseRealTime();

void BM_SocketReadBurst(benchmark::State& state) {
  auto io = cpo::transport::SimSocketIo::Connect(Simd().socket());
  if (!io.ok()) return state.SkipWithError(io.status().ToString().c_str());
  std::vector<uint32_t> words(kBurstWords);
  for (auto _ : state) benchmark::DoNotOptimize((*io)->ReadBurst(0x10800, words));
  state.SetItemsProcessed(state.iterations() * kBurstWords);
  state.counters["socket_bytes_per_read"] = (5.0 + 12 + 5 + 4 * kBurstWords) / kBurstWords;
  state.counters["registers_per_round_trip"] = kBurstWords;
}
BENCHMARK(BM_SocketReadBurst)->UseRealTime();

void BM_SocketBatch(benchmark::State& state) {
  auto io = cpo::transport::SimSocketIo::Connect(Simd().socket());
  if (!io.ok()) return state.SkipWithError(io.status().ToString().c_str());
  std::vector<cpo::transport::SimSocketIo::BatchOp> ops(kBurstWords);
  for (size_t i = 0; i < ops.size(); ++i) ops[i] = {false, (i % 8) * 4, 0};
  for (auto _ : state) benchmark::DoNotOptimize((*io)->Batch(ops));
  state.SetItemsProcessed(state.iterations() * kBurstWords);
  state.counters["socket_bytes_per_read"] =
      (5.0 + 4 + 13 * kBurstWords + 5 + 4 * kBurstWords) / kBurstWords;
  state.counters["registers_per_round_trip"] = kBurstWords;
}
BENCHMARK(BM_SocketBatch)->UseRealTime();

// One CMIS upper-page read (offset write + 128 data bytes) at the engine bus speed.
void BM_CmisPageReadInProcess(benchmark::State& state) {
  auto sim = MakeSwitch();
  std::shared_ptr<cpo::transport::RegisterIo> io = sim->MakeRegisterIo();
  auto bus = cpo::drivers::CpoI2cController::Create(io, 0, static_cast<int>(state.range(0)));
  const uint8_t offset[] = {128};
  uint8_t page[128];
  const uint64_t t0 = sim->model().now_ns();
  for (auto _ : state) benchmark::DoNotOptimize((*bus)->WriteRead(0x50, offset, page));
  state.SetItemsProcessed(state.iterations());
  state.counters["sim_ms_per_page"] = static_cast<double>(sim->model().now_ns() - t0) / 1e6 /
                                      static_cast<double>(state.iterations());
}
BENCHMARK(BM_CmisPageReadInProcess)->Arg(100)->Arg(400)->Arg(1000)->ArgName("khz");

}  // namespace

BENCHMARK_MAIN();
