// A cpo-simd child process on a private socket, for tests that drive the simulated switch the
// way separate processes do (cpoctl, other clients).
#pragma once

#include <sys/types.h>

#include <string>

namespace cpo::testing {

class Daemon {
 public:
  // Starts cpo-simd (CPO_SIMD_PATH) on /tmp/cpo-simd-test-PID-TAG.sock and waits until it serves.
  Daemon(const std::string& platform, const std::string& tag, double time_scale = 1.0);
  // Stops it (if running) and removes the bus lock files clients created beside the socket.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  bool Ready() const;
  // SIGTERM; returns the exit code.
  int Stop();
  const std::string& socket() const { return socket_; }

 private:
  std::string socket_;
  pid_t pid_ = -1;
};

}  // namespace cpo::testing
