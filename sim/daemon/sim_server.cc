#include "sim_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace cpo::sim {

using transport::sim_protocol::Frame;
using transport::sim_protocol::Op;
using transport::sim_protocol::PayloadReader;
using transport::sim_protocol::PayloadWriter;

namespace {

// How far simulated time may be advanced in one step of the serving loop, so requests stay
// responsive; when the machine cannot keep up, simulated time falls behind rather than piling up.
constexpr double kMaxStepNs = 2e6;
constexpr uint64_t kMaxPollNs = 60'000'000'000;  // one minute of simulated time per POLL

}  // namespace

SimServer::SimServer(SimulatedSwitch& sim, std::string socket_path, double time_scale,
                     ClientConnection::Limits limits)
    : sim_(sim),
      io_(sim.MakeRegisterIo()),
      socket_path_(std::move(socket_path)),
      time_scale_(time_scale),
      limits_(limits) {}

SimServer::~SimServer() {
  clients_.clear();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    ::unlink(socket_path_.c_str());
  }
}

Status SimServer::Listen() {
  // A live daemon answers a connect; a stale socket file does not and can be replaced.
  auto probe = transport::sim_protocol::ConnectUnixSocket(socket_path_);
  if (probe.ok()) {
    ::close(*probe);
    return {StatusCode::kFailedPrecondition,
            fmt::format("another cpo-simd is serving {}; stop it or choose another --socket",
                        socket_path_)};
  }
  ::unlink(socket_path_.c_str());
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(address.sun_path)) {
    return {StatusCode::kInvalidArgument, fmt::format("socket path too long: {}", socket_path_)};
  }
  std::memcpy(address.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    return {StatusCode::kUnavailable,
            fmt::format("cannot listen on {}: {}", socket_path_, std::strerror(errno))};
  }
  return Status::Ok();
}

void SimServer::AdvanceWithWallClock() {
  auto now = std::chrono::steady_clock::now();
  pending_ns_ += std::chrono::duration<double, std::nano>(now - last_wall_).count() * time_scale_;
  last_wall_ = now;
  if (pending_ns_ < static_cast<double>(Model::kCycleNs)) return;
  double step = std::min(pending_ns_, kMaxStepNs);
  {
    std::lock_guard lock(sim_.mutex());
    sim_.model().StepNs(static_cast<uint64_t>(step));
  }
  pending_ns_ = std::min(pending_ns_ - step, kMaxStepNs);
}

void SimServer::Accept() {
  // The listen backlog may hold many: take them all.
  while (true) {
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        spdlog::warn("cannot accept another client: {}", std::strerror(errno));
      }
      return;
    }
    clients_.push_back(std::make_unique<ClientConnection>(client, limits_));
    spdlog::debug("client {} connected", client);
  }
}

bool SimServer::Serve(ClientConnection& client, PollEvents revents,
                      std::chrono::steady_clock::time_point now) {
  if ((revents & POLLOUT) != 0) {
    if (Status flushed = client.Flush(); !flushed.ok()) return false;
  }
  if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
    if (Status received = client.Receive(now); !received.ok()) {
      // Frames that arrived whole before the client left are still served (it may not read).
      if (!client.HasCompleteFrame()) return false;
    }
  }
  if (client.FrameOverdue(now)) {
    spdlog::warn("{}: a frame still incomplete after {} ms; closing that connection",
                 client.Describe(), limits_.frame_deadline.count());
    return false;
  }
  auto frame = client.TakeFrame();
  if (!frame.ok()) {
    spdlog::warn("{}: {}; closing that connection", client.Describe(), frame.status().message());
    return false;
  }
  if (!frame->has_value()) return true;
  Reply reply;
  if (!Handle(**frame, reply)) {
    spdlog::warn("{}: malformed frame; closing that connection", client.Describe());
    return false;
  }
  if (Status sent = client.Reply(static_cast<uint8_t>(reply.code), reply.payload); !sent.ok()) {
    spdlog::warn("{}: {}; closing that connection", client.Describe(), sent.message());
    return false;
  }
  return true;
}

void SimServer::Run(const std::atomic<bool>& stop) {
  last_wall_ = std::chrono::steady_clock::now();
  const int listen_flags = ::fcntl(listen_fd_, F_GETFL, 0);
  ::fcntl(listen_fd_, F_SETFL, listen_flags | O_NONBLOCK);
  std::vector<pollfd> fds;
  while (!stop.load()) {
    fds.clear();
    fds.push_back({listen_fd_, POLLIN, 0});
    bool frame_waiting = false;
    for (const auto& client : clients_) {
      const auto events = static_cast<PollEvents>(POLLIN | (client->WantsToSend() ? POLLOUT : 0));
      fds.push_back({client->fd(), events, 0});
      frame_waiting = frame_waiting || client->HasCompleteFrame();
    }
    // Frames already received are served without waiting; otherwise wake for simulated time.
    const int wait_ms = frame_waiting ? 0 : time_scale_ > 0 ? 1 : 50;
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) {
      spdlog::error("poll: {}", std::strerror(errno));
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    // Clients first (fds[1..] match clients_ as polled), then newcomers join the next round.
    std::vector<std::unique_ptr<ClientConnection>> kept;
    kept.reserve(clients_.size());
    for (size_t i = 0; i < clients_.size(); ++i) {
      const PollEvents revents = ready > 0 ? fds[i + 1].revents : PollEvents{0};
      if (Serve(*clients_[i], revents, now)) kept.push_back(std::move(clients_[i]));
    }
    clients_ = std::move(kept);
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) Accept();
    AdvanceWithWallClock();
  }
}

bool SimServer::Handle(const Frame& request, Reply& reply) {
  PayloadReader in(request.payload);
  PayloadWriter out;
  Status status;
  auto fail = [&](const Status& error) {
    reply.code = error.code();
    reply.payload.assign(error.message().begin(), error.message().end());
  };
  switch (static_cast<Op>(request.tag)) {
    case Op::kRead32: {
      uint64_t offset = in.U64();
      if (in.failed() || in.remaining() != 0) return false;
      auto value = io_->Read32(offset);
      if (!value.ok()) return fail(value.status()), true;
      out.U32(*value);
      break;
    }
    case Op::kWrite32: {
      uint64_t offset = in.U64();
      uint32_t value = in.U32();
      if (in.failed() || in.remaining() != 0) return false;
      status = io_->Write32(offset, value);
      break;
    }
    case Op::kReadBurst: {
      uint64_t offset = in.U64();
      uint32_t count = in.U32();
      if (in.failed() || in.remaining() != 0 ||
          count > transport::sim_protocol::kMaxPayloadBytes / 4) {
        return false;
      }
      std::vector<uint32_t> words(count);
      status = io_->ReadBurst(offset, words);
      if (status.ok()) {
        for (uint32_t word : words) out.U32(word);
      }
      break;
    }
    case Op::kWriteBurst: {
      uint64_t offset = in.U64();
      uint32_t count = in.U32();
      if (in.failed() || in.remaining() != 4ull * count) return false;
      std::vector<uint32_t> words(count);
      for (uint32_t& word : words) word = in.U32();
      status = io_->WriteBurst(offset, words);
      break;
    }
    case Op::kPollUntil: {
      uint64_t offset = in.U64();
      uint32_t mask = in.U32();
      uint32_t expected = in.U32();
      uint64_t timeout_ns = std::min(in.U64(), kMaxPollNs);
      if (in.failed() || in.remaining() != 0) return false;
      auto value = io_->PollUntil(offset, mask, expected, std::chrono::nanoseconds(timeout_ns));
      if (!value.ok()) return fail(value.status()), true;
      out.U32(*value);
      break;
    }
    case Op::kBatch: {
      uint32_t count = in.U32();
      if (in.failed() || in.remaining() != 13ull * count) return false;
      for (uint32_t i = 0; i < count && status.ok(); ++i) {
        bool is_write = in.U8() != 0;
        uint64_t offset = in.U64();
        uint32_t value = in.U32();
        if (is_write) {
          status = io_->Write32(offset, value);
          out.U32(0);
        } else {
          auto read = io_->Read32(offset);
          status = read.status();
          out.U32(read.ok() ? *read : 0);
        }
      }
      break;
    }
    case Op::kInfo: {
      if (in.remaining() != 0) return false;
      std::lock_guard lock(sim_.mutex());
      out.U64(Model::kRegisterSpaceBytes).U64(sim_.model().now_ns()).F64(time_scale_);
      break;
    }
    case Op::kPlantSet: {
      int engine = static_cast<int>(in.U32());
      uint32_t quantity = in.U32();
      int32_t lane = in.I32();
      double value = in.F64();
      if (in.failed() || in.remaining() != 0) return false;
      if (quantity > static_cast<uint32_t>(Quantity::kLast)) {
        status = {StatusCode::kInvalidArgument, fmt::format("unknown quantity {}", quantity)};
        break;
      }
      auto q = static_cast<Quantity>(quantity);
      if (IsPerLane(q) && lane < 1) {
        status = {StatusCode::kOutOfRange, fmt::format("{} needs a lane from 1", QuantityName(q))};
        break;
      }
      status = sim_.SetEngineQuantity(engine, q, IsPerLane(q) ? lane - 1 : -1, value);
      if (status.ok()) {
        spdlog::info("plant: engine {} {} lane {} = {}", engine, QuantityName(q), lane, value);
      }
      break;
    }
    case Op::kModuleFault: {
      int engine = static_cast<int>(in.U32());
      uint32_t cause = in.U32();
      if (in.failed() || in.remaining() != 0) return false;
      if (cause > 15) {
        status = {StatusCode::kOutOfRange, fmt::format("fault cause {} is not 0..15", cause)};
        break;
      }
      status = sim_.SetEngineFault(engine, static_cast<ModuleFault>(cause));
      if (status.ok()) spdlog::info("plant: engine {} module fault cause {}", engine, cause);
      break;
    }
    case Op::kLaserPhysics: {
      int source = static_cast<int>(in.U32());
      int32_t lane = in.I32();
      double threshold_ma = in.F64();
      double slope = in.F64();
      if (in.failed() || in.remaining() != 0) return false;
      status = sim_.SetLaserPhysics(source, lane - 1,
                                    {.threshold_ma = threshold_ma, .slope_mw_per_ma = slope});
      if (status.ok()) {
        spdlog::info("plant: laser source {} lane {} threshold {} mA slope {} mW/mA", source, lane,
                     threshold_ma, slope);
      }
      break;
    }
    case Op::kFiberFault: {
      int source = static_cast<int>(in.U32());
      int32_t fiber = in.I32();
      bool cut = in.U8() != 0;
      double extra_db = in.F64();
      if (in.failed() || in.remaining() != 0) return false;
      status = sim_.SetFiberExtraLossDb(source, fiber, extra_db);
      if (status.ok()) status = sim_.SetFiberCut(source, fiber, cut);
      if (status.ok()) {
        spdlog::info("plant: laser source {} fibre {} {} extra loss {} dB", source, fiber,
                     cut ? "cut," : "intact,", extra_db);
      }
      break;
    }
    case Op::kLaserSourcePresent: {
      int source = static_cast<int>(in.U32());
      bool present = in.U8() != 0;
      if (in.failed() || in.remaining() != 0) return false;
      status = present ? sim_.InsertLaserSource(source) : sim_.RemoveLaserSource(source);
      if (status.ok()) {
        spdlog::info("plant: laser source {} {}", source, present ? "plugged in" : "pulled out");
      }
      break;
    }
    case Op::kSerdesBitErrorRate: {
      int lane = static_cast<int>(in.U32());
      double ber = in.F64();
      if (in.failed() || in.remaining() != 0) return false;
      status = sim_.SetSerdesBitErrorRate(lane, ber);
      if (status.ok()) spdlog::info("plant: SerDes lane {} bit error rate {}", lane, ber);
      break;
    }
    case Op::kPortUnplugged: {
      uint32_t index = in.U32();
      bool unplugged = in.U8() != 0;
      if (in.failed() || in.remaining() != 0) return false;
      const auto& ports = sim_.platform().ports;
      if (index >= ports.size()) {
        status = Status(StatusCode::kNotFound, fmt::format("no port index {} (the platform has "
                                                           "{})",
                                                           index, ports.size()));
        break;
      }
      status = sim_.SetPortUnplugged(ports[index].name, unplugged);
      if (status.ok()) {
        spdlog::info("plant: {} {}", ports[index].name, unplugged ? "unplugged" : "plugged in");
      }
      break;
    }
    case Op::kLaserTruth: {
      const uint32_t source = in.U32();
      if (in.failed() || in.remaining() != 0) return false;
      const auto& sources = sim_.platform().laser_sources;
      if (source >= sources.size()) {
        status = Status(
            StatusCode::kNotFound,
            fmt::format("no laser source index {} (the platform has {})", source, sources.size()));
        break;
      }
      const int lanes = sources[source].lanes;
      PayloadWriter lanes_out;
      lanes_out.U32(static_cast<uint32_t>(lanes));
      for (int lane = 0; lane < lanes && status.ok(); ++lane) {
        auto truth = sim_.LaserLane(static_cast<int>(source), lane);
        status = truth.status();
        if (!truth.ok()) break;
        lanes_out.U8(truth->enabled ? 1 : 0)
            .U8(truth->fiber_checked ? 1 : 0)
            .U32(static_cast<uint32_t>(truth->fiber))
            .F64(truth->output_mw);
      }
      if (status.ok()) out = std::move(lanes_out);
      break;
    }
    case Op::kStepTime: {
      uint64_t ns = in.U64();
      if (in.failed() || in.remaining() != 0) return false;
      std::lock_guard lock(sim_.mutex());
      sim_.model().StepNs(std::min(ns, kMaxPollNs));
      out.U64(sim_.model().now_ns());
      break;
    }
    case Op::kSetTimeScale: {
      double scale = in.F64();
      if (in.failed() || in.remaining() != 0) return false;
      if (!std::isfinite(scale) || scale < 0 || scale > 1000) {
        status = {StatusCode::kOutOfRange, fmt::format("time scale {} is not in [0, 1000]", scale)};
        break;
      }
      time_scale_ = scale;
      pending_ns_ = 0;
      break;
    }
    default:
      return false;
  }
  if (!status.ok()) {
    fail(status);
    return true;
  }
  reply.payload = out.bytes();
  return true;
}

}  // namespace cpo::sim
