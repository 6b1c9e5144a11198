// SimServer: serves one SimulatedSwitch to many client processes over a UNIX socket
// (protocol: cpo/transport/sim_protocol.h). Single-threaded: requests are served in arrival
// order, and between them simulated time follows the wall clock times the time scale. Clients
// are non-blocking connections (client_connection.h): one that trickles a frame or stops reading
// its replies is dropped after a bound, never waited for.
#pragma once

#include <poll.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "client_connection.h"
#include "cpo/sim/simulated_switch.h"
#include "cpo/status.h"
#include "cpo/transport/sim_protocol.h"

namespace cpo::sim {

class SimServer {
 public:
  SimServer(SimulatedSwitch& sim, std::string socket_path, double time_scale,
            ClientConnection::Limits limits = {});
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
  void Accept();
  // Reads, serves one frame of and sends to one client; false when it is to be dropped.
  using PollEvents = decltype(pollfd::revents);
  bool Serve(ClientConnection& client, PollEvents revents,
             std::chrono::steady_clock::time_point now);

  SimulatedSwitch& sim_;
  std::unique_ptr<transport::RegisterIo> io_;
  std::string socket_path_;
  double time_scale_;
  int listen_fd_ = -1;
  ClientConnection::Limits limits_;
  std::vector<std::unique_ptr<ClientConnection>> clients_;
  std::chrono::steady_clock::time_point last_wall_;
  double pending_ns_ = 0;
};

}  // namespace cpo::sim
