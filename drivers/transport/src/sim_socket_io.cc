#include "cpo/transport/sim_socket_io.h"

#include <fmt/format.h>
#include <unistd.h>

#include "cpo/transport/sim_protocol.h"

namespace cpo::transport {

using sim_protocol::Op;
using sim_protocol::PayloadReader;
using sim_protocol::PayloadWriter;

Result<std::unique_ptr<SimSocketIo>> SimSocketIo::Connect(const std::string& socket_path) {
  CPO_ASSIGN_OR_RETURN(int fd, sim_protocol::ConnectUnixSocket(socket_path));
  auto info = sim_protocol::Call(fd, Op::kInfo, {});
  if (!info.ok()) {
    ::close(fd);
    return info.status().WithContext(socket_path);
  }
  PayloadReader reader(*info);
  uint64_t size_bytes = reader.U64();
  if (reader.failed() || size_bytes == 0) {
    ::close(fd);
    return Status(StatusCode::kDataLoss, fmt::format("{}: malformed INFO reply", socket_path));
  }
  return std::unique_ptr<SimSocketIo>(new SimSocketIo(fd, size_bytes));
}

SimSocketIo::SimSocketIo(int fd, uint64_t size_bytes) : RegisterIo(size_bytes), fd_(fd) {}

Result<SimSocketIo::SimTime> SimSocketIo::ReadSimTime() {
  std::lock_guard lock(mutex_);
  CPO_ASSIGN_OR_RETURN(auto info, sim_protocol::Call(fd_, Op::kInfo, {}));
  PayloadReader reader(info);
  reader.U64();
  SimTime time;
  time.now_ns = reader.U64();
  time.time_scale = reader.F64();
  if (reader.failed()) return Status(StatusCode::kDataLoss, "malformed INFO reply");
  return time;
}

SimSocketIo::~SimSocketIo() { ::close(fd_); }

Result<uint32_t> SimSocketIo::DoRead32(uint64_t offset) {
  std::lock_guard lock(mutex_);
  PayloadWriter request;
  request.U64(offset);
  CPO_ASSIGN_OR_RETURN(auto reply, sim_protocol::Call(fd_, Op::kRead32, request.bytes()));
  PayloadReader reader(reply);
  uint32_t value = reader.U32();
  if (reader.failed()) return Status(StatusCode::kDataLoss, "short READ32 reply");
  return value;
}

Status SimSocketIo::DoWrite32(uint64_t offset, uint32_t value) {
  std::lock_guard lock(mutex_);
  PayloadWriter request;
  request.U64(offset).U32(value);
  return sim_protocol::Call(fd_, Op::kWrite32, request.bytes()).status();
}

Status SimSocketIo::DoReadBurst(uint64_t offset, std::span<uint32_t> words) {
  std::lock_guard lock(mutex_);
  PayloadWriter request;
  request.U64(offset).U32(static_cast<uint32_t>(words.size()));
  CPO_ASSIGN_OR_RETURN(auto reply, sim_protocol::Call(fd_, Op::kReadBurst, request.bytes()));
  PayloadReader reader(reply);
  for (uint32_t& word : words) word = reader.U32();
  if (reader.failed()) return {StatusCode::kDataLoss, "short READ_BURST reply"};
  return Status::Ok();
}

Status SimSocketIo::DoWriteBurst(uint64_t offset, std::span<const uint32_t> words) {
  std::lock_guard lock(mutex_);
  PayloadWriter request;
  request.U64(offset).U32(static_cast<uint32_t>(words.size()));
  for (uint32_t word : words) request.U32(word);
  return sim_protocol::Call(fd_, Op::kWriteBurst, request.bytes()).status();
}

Result<uint32_t> SimSocketIo::DoPollUntil(uint64_t offset, uint32_t mask, uint32_t expected,
                                          std::chrono::nanoseconds timeout) {
  std::lock_guard lock(mutex_);
  PayloadWriter request;
  request.U64(offset).U32(mask).U32(expected).U64(static_cast<uint64_t>(timeout.count()));
  CPO_ASSIGN_OR_RETURN(auto reply, sim_protocol::Call(fd_, Op::kPollUntil, request.bytes()));
  PayloadReader reader(reply);
  uint32_t value = reader.U32();
  if (reader.failed()) return Status(StatusCode::kDataLoss, "short POLL reply");
  return value;
}

Status SimSocketIo::Batch(std::span<BatchOp> ops) {
  if (ops.empty()) return Status::Ok();
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(ops.size()));
  for (const BatchOp& op : ops) {
    if (op.offset % 4 != 0 || op.offset >= size_bytes()) {
      return {StatusCode::kOutOfRange,
              fmt::format("batched access to 0x{:x} is unaligned or outside the space", op.offset)};
    }
    request.U8(op.is_write ? 1 : 0).U64(op.offset).U32(op.value);
  }
  std::lock_guard lock(mutex_);
  CPO_ASSIGN_OR_RETURN(auto reply, sim_protocol::Call(fd_, Op::kBatch, request.bytes()));
  PayloadReader reader(reply);
  for (BatchOp& op : ops) {
    uint32_t value = reader.U32();
    if (!op.is_write) op.value = value;
  }
  if (reader.failed()) return {StatusCode::kDataLoss, "short BATCH reply"};
  return Status::Ok();
}

}  // namespace cpo::transport
