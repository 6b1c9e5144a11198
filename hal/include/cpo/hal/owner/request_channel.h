// The owner's request channel: how an observer (cpoctl, an exporter, a script) asks the process
// that owns the switch to change it. A UNIX stream socket beside the owner lock, mode 0660 and
// group cpo where that group exists. Protocol version 1, one request per connection: the client
// writes one JSON object and a newline, the owner answers with one JSON object and a newline.
// docs/architecture.md ("The request channel") lists the operations and their fields.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cpo/hal/owner/published_state.h"
#include "cpo/status.h"

namespace cpo::hal {

class Device;

inline constexpr int kRequestChannelVersion = 1;

// Runs in the owner: a thread that accepts connections, each answered on a worker of its own.
// Changes are carried out one at a time (so two observers' requests never interleave on the
// hardware); what the owner publishes (state.*, events.after, bringup.progress) is answered at
// once, beside a running change.
class RequestServer {
 public:
  // Binds `path` (a stale socket left by an owner that died is replaced) and starts serving.
  static Result<std::unique_ptr<RequestServer>> Start(Device& device, const std::string& path);
  ~RequestServer();  // stops serving and removes the socket
  RequestServer(const RequestServer&) = delete;
  RequestServer& operator=(const RequestServer&) = delete;

  const std::string& path() const { return path_; }
  // Requests answered since the start.
  uint64_t served() const { return served_.load(); }

 private:
  RequestServer(Device& device, std::string path, int listen_fd, int wake_fd);
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void Serve();
  void Answer(int client_fd);

  Device& device_;
  std::string path_;
  int listen_fd_;
  int wake_fd_;  // an eventfd: written to stop the thread
  std::atomic<uint64_t> served_{0};
  std::mutex changes_mutex_;  // one change at a time, in arrival order
  std::thread thread_;
};

// One request to the owner at `path` and its answer (the JSON text without the newline).
// kUnavailable when nobody serves there; kTimeout when the owner does not answer within
// `timeout` (wall time: a bring-up of every port takes seconds).
Result<std::string> CallOwner(const std::string& path, const std::string& request_json,
                              std::chrono::milliseconds timeout);

// An observer's window on the owner: asks the request channel `channel_path()` names at each
// call (so it follows an owner that restarted). Lane phases and flag histories are fetched for
// every module at once and kept for `max_age` of wall time; events and progress are asked each
// time. Every call returns nullopt while nobody answers there.
std::shared_ptr<PublishedState> OwnerChannelState(
    std::function<std::string()> channel_path,
    std::chrono::milliseconds max_age = std::chrono::milliseconds(100));

}  // namespace cpo::hal
