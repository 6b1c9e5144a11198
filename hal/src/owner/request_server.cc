#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "cpo/hal/device.h"
#include "cpo/hal/owner/published_json.h"
#include "cpo/hal/owner/request_channel.h"

namespace cpo::hal {
namespace {

using nlohmann::json;

// A request line larger than this is refused (the biggest real one names every port).
constexpr size_t kMaxRequestBytes = 1 << 20;
// A client that connects and sends nothing is dropped after this long.
constexpr int kClientReadTimeoutMs = 5000;

json ErrorJson(const Status& status) {
  return {{"version", kRequestChannelVersion},
          {"ok", false},
          {"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}};
}

Result<sockaddr_un> AddressOf(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return Status(
        StatusCode::kInvalidArgument,
        fmt::format("socket path {} is longer than {} bytes", path, sizeof(address.sun_path) - 1));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

Result<std::vector<platform::SubPort>> PortsOf(Device& device, const json& names) {
  if (!names.is_array() || names.empty()) {
    return Status(StatusCode::kInvalidArgument, "\"ports\" must be a non-empty array of names");
  }
  std::vector<platform::SubPort> ports;
  for (const auto& name : names) {
    if (!name.is_string()) {
      return Status(StatusCode::kInvalidArgument, "\"ports\" holds a value that is not a name");
    }
    CPO_ASSIGN_OR_RETURN(auto selected, device.SelectPorts(name.get<std::string>()));
    for (auto& port : selected) {
      bool seen = false;
      for (const auto& existing : ports) seen = seen || existing.name == port.name;
      if (!seen) ports.push_back(std::move(port));
    }
  }
  return ports;
}

json ReportJson(const PortBringUpReport& report) {
  json outcomes = json::array();
  for (const auto& outcome : report.outcomes) {
    outcomes.push_back({{"port", outcome.port},
                        {"ok", outcome.status.ok()},
                        {"code", StatusCodeName(outcome.status.code())},
                        {"message", outcome.status.message()}});
  }
  return {{"version", kRequestChannelVersion},
          {"ok", true},
          {"outcomes", outcomes},
          {"started_ns", report.started.count()},
          {"lasers_done_ns", report.lasers_done.count()},
          {"finished_ns", report.finished.count()},
          {"wire_bytes", report.cost.wire_bytes},
          {"transactions", report.cost.transactions}};
}

Result<json> LaserRequest(Device& device, const json& request, bool on) {
  const json& lanes = request.value("lanes", json::array());
  if (!lanes.is_array() || lanes.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "\"lanes\" must be a non-empty array of {\"source\", \"lane\"}");
  }
  std::vector<platform::LaserLane> wanted;
  for (const auto& lane : lanes) {
    if (!lane.is_object() || !lane.contains("source") || !lane["source"].is_string() ||
        !lane.contains("lane") || !lane["lane"].is_number_integer()) {
      return Status(StatusCode::kInvalidArgument,
                    "each of \"lanes\" needs \"source\" (a name) and \"lane\" (a number)");
    }
    wanted.push_back({lane["source"].get<std::string>(), lane["lane"].get<int>()});
  }
  Status status = Status::Ok();
  if (on) {
    status = device.EnableLasers(wanted);
  } else {
    // Every lane is resolved before any is turned off.
    std::vector<std::pair<LaserSource*, int>> resolved;
    for (const auto& lane : wanted) {
      CPO_ASSIGN_OR_RETURN(LaserSource * source, device.FindLaserSource(lane.source));
      resolved.emplace_back(source, lane.lane);
    }
    for (const auto& [source, lane] : resolved) {
      status = source->Disable({lane});
      if (!status.ok()) break;
    }
  }
  if (!status.ok()) return status;
  return json{{"version", kRequestChannelVersion}, {"ok", true}};
}

// What the owner publishes (read-only operations: answered at once, beside a running change).
std::optional<json> Published(Device& device, const std::string& op, const json& request) {
  json answer = {{"version", kRequestChannelVersion}, {"ok", true}};
  if (op == "state.lasers") {
    json sources = json::object();
    for (const auto& source : device.laser_sources()) {
      sources[source->name()] = LaserLanesJson(source->Reports());
    }
    answer["sources"] = std::move(sources);
    return answer;
  }
  if (op == "state.flags") {
    // One module when "module" names it: an engine's history (VDM included) is a few hundred
    // kilobytes, and every module's at once would outgrow a reply.
    const json& only = request.value("module", json(nullptr));
    if (!only.is_null() && !only.is_string()) {
      return ErrorJson({StatusCode::kInvalidArgument, "\"module\" must be a module's name"});
    }
    auto wanted = [&](const std::string& name) { return only.is_null() || only == name; };
    json modules = json::object();
    for (const auto& engine : device.optical_engines()) {
      if (wanted(engine->name())) modules[engine->name()] = FlagRecordsJson(engine->FlagRecords());
    }
    for (const auto& source : device.laser_sources()) {
      if (wanted(source->name())) modules[source->name()] = FlagRecordsJson(source->FlagRecords());
    }
    answer["modules"] = std::move(modules);
    return answer;
  }
  if (op == "events.after") {
    const json& after = request.value("after", json(0));
    const json& limit = request.value("limit", json(256));
    if (!after.is_number_unsigned() && !(after.is_number_integer() && after.get<int64_t>() >= 0)) {
      return ErrorJson({StatusCode::kInvalidArgument, "\"after\" must be a sequence number >= 0"});
    }
    if (!limit.is_number_integer() || limit.get<int64_t>() < 0 || limit.get<int64_t>() > 4096) {
      return ErrorJson({StatusCode::kInvalidArgument, "\"limit\" must be 0..4096"});
    }
    auto page = device.EventsAfter(after.get<uint64_t>(), limit.get<size_t>());
    if (!page) return ErrorJson({StatusCode::kUnavailable, "this process keeps no event log"});
    answer.update(EventPageJson(*page));
    return answer;
  }
  if (op == "bringup.progress") {
    auto progress = device.Progress();
    if (!progress) return ErrorJson({StatusCode::kUnavailable, "no bring-up progress here"});
    answer["progress"] = ProgressJson(*progress);
    return answer;
  }
  return std::nullopt;
}

// Carries out one request; every failure is an answer, never a dropped connection. Changes run
// one at a time under `changes`; what the owner publishes is read beside them.
json Handle(Device& device, const std::string& line, std::mutex& changes) {
  json request = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded() || !request.is_object()) {
    return ErrorJson({StatusCode::kInvalidArgument, "the request is not a JSON object"});
  }
  const int version = request.value("version", 0);
  if (version != kRequestChannelVersion) {
    return ErrorJson({StatusCode::kNotSupported,
                      fmt::format("request channel version {} is not served; this owner speaks "
                                  "version {}",
                                  version, kRequestChannelVersion)});
  }
  const json& op_value = request.value("op", json(""));
  if (!op_value.is_string()) {
    return ErrorJson({StatusCode::kInvalidArgument, "\"op\" must be an operation name"});
  }
  const std::string op = op_value.get<std::string>();
  if (op == "owner.status") {
    const auto owner = device.Owner();
    const auto events = device.EventsAfter(0, 0);
    const auto progress = device.Progress();
    return {{"version", kRequestChannelVersion},
            {"ok", true},
            {"pid", owner ? owner->pid : 0},
            {"program", owner ? owner->program : ""},
            {"platform", device.platform().name},
            {"device_time_ns", device.clock().Now().count()},
            {"last_event", events ? events->last_sequence : 0},
            {"progress", progress ? ProgressJson(*progress) : json(nullptr)}};
  }
  if (auto published = Published(device, op, request)) return *published;
  std::lock_guard one_change(changes);
  if (op == "port.up" || op == "port.down") {
    auto ports = PortsOf(device, request.value("ports", json()));
    if (!ports.ok()) return ErrorJson(ports.status());
    return ReportJson(op == "port.up" ? device.BringUpPorts(*ports)
                                      : device.BringDownPorts(*ports));
  }
  if (op == "laser.enable" || op == "laser.disable") {
    auto answer = LaserRequest(device, request, op == "laser.enable");
    return answer.ok() ? *answer : ErrorJson(answer.status());
  }
  return ErrorJson({StatusCode::kInvalidArgument,
                    fmt::format("unknown operation '{}' (owner.status, state.lasers, state.flags, "
                                "events.after, bringup.progress, port.up, port.down, "
                                "laser.enable, laser.disable)",
                                op)});
}

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t wrote = send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    done += static_cast<size_t>(wrote);
  }
  return true;
}

// Reads up to the first newline; false on timeout, EOF first, or an oversized line.
bool ReadLine(int fd, std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || line.size() > kMaxRequestBytes) return false;
    pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
    const int polled = poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return false;
    const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    line.append(buffer, static_cast<size_t>(got));
  }
  line.resize(line.find('\n'));
  return true;
}

}  // namespace

Result<std::unique_ptr<RequestServer>> RequestServer::Start(Device& device,
                                                            const std::string& path) {
  CPO_ASSIGN_OR_RETURN(sockaddr_un address, AddressOf(path));
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(StatusCode::kUnavailable, std::strerror(errno));
  // Only the owner gets here (it holds the owner lock), so a socket file left behind is stale.
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd, 16) != 0) {
    const int error = errno;
    close(fd);
    return Status(
        error == EACCES ? StatusCode::kPermissionDenied : StatusCode::kUnavailable,
        fmt::format("cannot serve the request channel at {}: {}", path, std::strerror(error)));
  }
  // Group cpo may ask the owner to act; nobody else.
  (void)chmod(path.c_str(), 0660);
  if (const group* cpo = getgrnam("cpo"); cpo != nullptr) {
    (void)chown(path.c_str(), static_cast<uid_t>(-1), cpo->gr_gid);
  }
  const int wake = eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    close(fd);
    return Status(StatusCode::kUnavailable, std::strerror(errno));
  }
  return std::unique_ptr<RequestServer>(new RequestServer(device, path, fd, wake));
}

RequestServer::RequestServer(Device& device, std::string path, int listen_fd, int wake_fd)
    : device_(device), path_(std::move(path)), listen_fd_(listen_fd), wake_fd_(wake_fd) {
  thread_ = std::thread([this] { Serve(); });
}

RequestServer::~RequestServer() {
  const uint64_t one = 1;
  (void)write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
  close(wake_fd_);
  unlink(path_.c_str());
}

void RequestServer::Serve() {
  // Observers' reads are answered while a change runs (a bring-up takes seconds), each
  // connection on its own worker, at most kMaxWorkers at once.
  constexpr size_t kMaxWorkers = 32;
  std::vector<Worker> workers;
  auto reap = [&workers](bool all) {
    for (auto it = workers.begin(); it != workers.end();) {
      if (all || it->done->load()) {
        it->thread.join();
        it = workers.erase(it);
      } else {
        ++it;
      }
    }
  };
  while (true) {
    pollfd fds[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                     {.fd = wake_fd_, .events = POLLIN, .revents = 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if ((fds[1].revents & POLLIN) != 0) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    reap(/*all=*/false);
    if (workers.size() >= kMaxWorkers) {
      (void)WriteAll(client, ErrorJson({StatusCode::kUnavailable,
                                        "the owner is answering 32 requests; try again"})
                                     .dump() +
                                 "\n");
      close(client);
      continue;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers.push_back({std::thread([this, client, done] {
                         Answer(client);
                         close(client);
                         done->store(true);
                       }),
                       done});
  }
  reap(/*all=*/true);
}

void RequestServer::Answer(int client_fd) {
  std::string line;
  if (!ReadLine(client_fd, line, std::chrono::milliseconds(kClientReadTimeoutMs))) return;
  json answer;
  try {
    answer = Handle(device_, line, changes_mutex_);
  } catch (const std::exception& e) {
    answer = ErrorJson({StatusCode::kInternal, e.what()});
  }
  (void)WriteAll(client_fd, answer.dump() + "\n");
  served_.fetch_add(1);
}

Result<std::string> CallOwner(const std::string& path, const std::string& request_json,
                              std::chrono::milliseconds timeout) {
  CPO_ASSIGN_OR_RETURN(sockaddr_un address, AddressOf(path));
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(StatusCode::kUnavailable, std::strerror(errno));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    close(fd);
    return Status(error == EACCES ? StatusCode::kPermissionDenied : StatusCode::kUnavailable,
                  fmt::format("the owner's request channel {} does not answer: {}", path,
                              std::strerror(error)));
  }
  std::string answer;
  const bool sent = WriteAll(fd, request_json + "\n");
  const bool got = sent && ReadLine(fd, answer, timeout);
  close(fd);
  if (!sent) return Status(StatusCode::kUnavailable, "the owner closed its request channel");
  if (!got) {
    return Status(StatusCode::kTimeout,
                  fmt::format("the owner did not answer within {} s", timeout.count() / 1000));
  }
  return answer;
}

}  // namespace cpo::hal
