// ClientConnection: one client of cpo-simd on a non-blocking socket. Bytes arrive as they come and
// whole frames are taken out once complete, so a client that trickles a frame stalls nobody;
// replies wait in a bounded queue until the client reads them, so a client that stops reading
// stalls nobody either. Either client is dropped, not waited for: a frame still incomplete after
// the frame deadline, or replies queued beyond the bound.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpo/status.h"
#include "cpo/transport/sim_protocol.h"

namespace cpo::sim {

class ClientConnection {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    std::chrono::milliseconds frame_deadline{2000};  // from a frame's first byte to its last
    size_t max_queued_reply_bytes = 4u << 20;
  };

  // Takes ownership of `fd` and makes it non-blocking.
  ClientConnection(int fd, Limits limits);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  int fd() const { return fd_; }
  // Reads what the socket holds. kUnavailable: the client went away or the connection failed.
  Status Receive(Clock::time_point now);
  // The next complete frame, if one has arrived. kDataLoss: the client sent a frame over the
  // protocol's size limit (it is to be dropped).
  Result<std::optional<transport::sim_protocol::Frame>> TakeFrame();
  bool HasCompleteFrame() const;
  // Queues a reply and sends what the socket takes now. kFailedPrecondition: the client has let
  // more than the bound of replies pile up unread (it is to be dropped).
  Status Reply(uint8_t tag, std::span<const uint8_t> payload);
  // Sends queued replies as far as the socket takes them.
  Status Flush();
  bool WantsToSend() const { return sent_ < outbox_.size(); }
  // True when a frame started arriving more than the frame deadline ago and is still incomplete.
  bool FrameOverdue(Clock::time_point now) const;
  // Why the connection is to be dropped, for the log.
  std::string Describe() const;

 private:
  size_t Unread() const { return inbox_.size() - taken_; }

  int fd_;
  Limits limits_;
  std::vector<uint8_t> inbox_;  // bytes received; those before taken_ are already served
  size_t taken_ = 0;
  std::optional<Clock::time_point> frame_started_;
  std::vector<uint8_t> outbox_;
  size_t sent_ = 0;
};

}  // namespace cpo::sim
