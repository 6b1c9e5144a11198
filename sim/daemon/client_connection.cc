#include "client_connection.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace cpo::sim {

using transport::sim_protocol::Frame;
using transport::sim_protocol::kFrameHeaderBytes;
using transport::sim_protocol::kMaxPayloadBytes;
using transport::sim_protocol::PayloadReader;

ClientConnection::ClientConnection(int fd, Limits limits) : fd_(fd), limits_(limits) {
  const int flags = ::fcntl(fd_, F_GETFL, 0);
  ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

ClientConnection::~ClientConnection() { ::close(fd_); }

Status ClientConnection::Receive(Clock::time_point now) {
  std::array<uint8_t, size_t{64} * 1024> chunk{};
  while (true) {
    // A client may not queue more than one frame's worth ahead; what is beyond waits in the
    // kernel until the frames before it are served.
    if (Unread() >= kFrameHeaderBytes + kMaxPayloadBytes) return Status::Ok();
    const ssize_t got = ::recv(fd_, chunk.data(), chunk.size(), 0);
    if (got > 0) {
      if (Unread() == 0) frame_started_ = now;
      inbox_.insert(inbox_.end(), chunk.begin(), chunk.begin() + got);
      continue;
    }
    if (got == 0) return {StatusCode::kUnavailable, "the client closed the connection"};
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Status::Ok();
    return {StatusCode::kUnavailable, fmt::format("recv: {}", std::strerror(errno))};
  }
}

bool ClientConnection::HasCompleteFrame() const {
  if (Unread() < kFrameHeaderBytes) return false;
  PayloadReader header{std::span<const uint8_t>(inbox_).subspan(taken_, kFrameHeaderBytes)};
  const uint32_t length = header.U32();
  return length > kMaxPayloadBytes || Unread() >= kFrameHeaderBytes + length;
}

Result<std::optional<Frame>> ClientConnection::TakeFrame() {
  if (!HasCompleteFrame()) return std::optional<Frame>();
  PayloadReader header{std::span<const uint8_t>(inbox_).subspan(taken_, kFrameHeaderBytes)};
  const uint32_t length = header.U32();
  if (length > kMaxPayloadBytes) {
    return Status(StatusCode::kDataLoss,
                  fmt::format("frame of {} bytes exceeds the limit", length));
  }
  Frame frame;
  frame.tag = header.U8();
  const auto begin = inbox_.begin() + static_cast<ptrdiff_t>(taken_ + kFrameHeaderBytes);
  frame.payload.assign(begin, begin + length);
  taken_ += kFrameHeaderBytes + length;
  // Taken bytes are dropped in bulk, not per frame (a client may have sent thousands at once).
  if (taken_ == inbox_.size()) {
    inbox_.clear();
    taken_ = 0;
  } else if (taken_ > (1u << 20)) {
    inbox_.erase(inbox_.begin(), inbox_.begin() + static_cast<ptrdiff_t>(taken_));
    taken_ = 0;
  }
  // What is left is the start of the next frame, which has been arriving since now at the latest.
  if (Unread() == 0) {
    frame_started_.reset();
  } else {
    frame_started_ = Clock::now();
  }
  return std::optional<Frame>(std::move(frame));
}

bool ClientConnection::FrameOverdue(Clock::time_point now) const {
  return frame_started_ && !HasCompleteFrame() && now - *frame_started_ > limits_.frame_deadline;
}

Status ClientConnection::Reply(uint8_t tag, std::span<const uint8_t> payload) {
  const std::vector<uint8_t> frame = transport::sim_protocol::EncodeFrame(tag, payload);
  outbox_.insert(outbox_.end(), frame.begin(), frame.end());
  CPO_RETURN_IF_ERROR(Flush());
  if (outbox_.size() - sent_ > limits_.max_queued_reply_bytes) {
    return {StatusCode::kFailedPrecondition,
            fmt::format("{} bytes of replies wait unread (the bound is {})", outbox_.size() - sent_,
                        limits_.max_queued_reply_bytes)};
  }
  return Status::Ok();
}

Status ClientConnection::Flush() {
  while (sent_ < outbox_.size()) {
    const ssize_t put =
        ::send(fd_, outbox_.data() + sent_, outbox_.size() - sent_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (put > 0) {
      sent_ += static_cast<size_t>(put);
      continue;
    }
    if (put < 0 && errno == EINTR) continue;
    if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return {StatusCode::kUnavailable, fmt::format("send: {}", std::strerror(errno))};
  }
  // Keep the queue from growing without bound once its front is sent.
  if (sent_ == outbox_.size()) {
    outbox_.clear();
    sent_ = 0;
  } else if (sent_ > (1u << 20)) {
    outbox_.erase(outbox_.begin(), outbox_.begin() + static_cast<ptrdiff_t>(sent_));
    sent_ = 0;
  }
  return Status::Ok();
}

std::string ClientConnection::Describe() const { return fmt::format("client {}", fd_); }

}  // namespace cpo::sim
