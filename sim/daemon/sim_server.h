// SimServer: serves one SimulatedSwitch to many client processes over a UNIX socket
// (protocol: cpo/transport/sim_protocol.h). Single-threaded: requests are served in arrival
// order, and between them simulated time follows the wall clock times the time scale.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "cpo/sim/simulated_switch.h"
#include "cpo/status.h"
#include "cpo/transport/sim_protocol.h"

namespace cpo::sim {

class SimServer {
 public:
  SimServer(SimulatedSwitch& sim, std::string socket_path, double time_scale);
  ~SimServer();

  // Binds the socket (replacing a stale one left by a dead daemon, refusing a live one).
  Status Listen();
  // Serves until `stop` becomes true; then closes every client and removes the socket.
  void Run(const std::atomic<bool>& stop);

 private:
  struct Reply {
    StatusCode code = StatusCode::kOk;
    std::vector<uint8_t> payload;
  };
  // Returns false when the frame is malformed: the client is then dropped.
  bool Handle(const transport::sim_protocol::Frame& request, Reply& reply);
  void AdvanceWithWallClock();

  SimulatedSwitch& sim_;
  std::unique_ptr<transport::RegisterIo> io_;
  std::string socket_path_;
  double time_scale_;
  int listen_fd_ = -1;
  std::vector<int> clients_;
  std::chrono::steady_clock::time_point last_wall_;
  double pending_ns_ = 0;
};

}  // namespace cpo::sim
