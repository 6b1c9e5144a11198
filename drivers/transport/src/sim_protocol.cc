#include "cpo/transport/sim_protocol.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cpo::transport::sim_protocol {

PayloadWriter& PayloadWriter::U8(uint8_t v) {
  bytes_.push_back(v);
  return *this;
}
PayloadWriter& PayloadWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
PayloadWriter& PayloadWriter::I32(int32_t v) { return U32(static_cast<uint32_t>(v)); }
PayloadWriter& PayloadWriter::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
PayloadWriter& PayloadWriter::F64(double v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  return U64(bits);
}

bool PayloadReader::Take(void* out, size_t n) {
  if (failed_ || bytes_.size() - pos_ < n) {
    failed_ = true;
    std::memset(out, 0, n);
    return false;
  }
  std::memcpy(out, bytes_.data() + pos_, n);
  pos_ += n;
  return true;
}
uint8_t PayloadReader::U8() {
  uint8_t v = 0;
  Take(&v, 1);
  return v;
}
uint32_t PayloadReader::U32() {
  uint8_t b[4];
  Take(b, 4);
  return static_cast<uint32_t>(b[0]) | static_cast<uint32_t>(b[1]) << 8 |
         static_cast<uint32_t>(b[2]) << 16 | static_cast<uint32_t>(b[3]) << 24;
}
int32_t PayloadReader::I32() { return static_cast<int32_t>(U32()); }
uint64_t PayloadReader::U64() {
  uint64_t lo = U32();
  uint64_t hi = U32();
  return lo | hi << 32;
}
double PayloadReader::F64() {
  uint64_t bits = U64();
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

namespace {

Status WriteAll(int fd, const uint8_t* data, size_t n) {
  while (n > 0) {
    ssize_t done = ::send(fd, data, n, MSG_NOSIGNAL);
    if (done < 0) {
      if (errno == EINTR) continue;
      return {StatusCode::kUnavailable,
              fmt::format("simulator socket send: {}", std::strerror(errno))};
    }
    data += done;
    n -= static_cast<size_t>(done);
  }
  return Status::Ok();
}

Status ReadAll(int fd, uint8_t* data, size_t n) {
  while (n > 0) {
    ssize_t done = ::recv(fd, data, n, 0);
    if (done == 0) return {StatusCode::kUnavailable, "simulator closed the connection"};
    if (done < 0) {
      if (errno == EINTR) continue;
      return {StatusCode::kUnavailable,
              fmt::format("simulator socket recv: {}", std::strerror(errno))};
    }
    data += done;
    n -= static_cast<size_t>(done);
  }
  return Status::Ok();
}

}  // namespace

std::vector<uint8_t> EncodeFrame(uint8_t tag, std::span<const uint8_t> payload) {
  std::vector<uint8_t> frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  PayloadWriter header;
  header.U32(static_cast<uint32_t>(payload.size())).U8(tag);
  frame.insert(frame.end(), header.bytes().begin(), header.bytes().end());
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

Status SendFrame(int fd, uint8_t tag, std::span<const uint8_t> payload) {
  if (payload.size() > kMaxPayloadBytes) {
    return {StatusCode::kInvalidArgument, "frame payload exceeds the protocol limit"};
  }
  const std::vector<uint8_t> frame = EncodeFrame(tag, payload);
  return WriteAll(fd, frame.data(), frame.size());
}

Result<Frame> ReceiveFrame(int fd) {
  uint8_t header[5];
  CPO_RETURN_IF_ERROR(ReadAll(fd, header, sizeof header));
  PayloadReader reader(header);
  uint32_t length = reader.U32();
  Frame frame;
  frame.tag = reader.U8();
  if (length > kMaxPayloadBytes) {
    return Status(StatusCode::kDataLoss,
                  fmt::format("frame of {} bytes exceeds the limit", length));
  }
  frame.payload.resize(length);
  if (length > 0) CPO_RETURN_IF_ERROR(ReadAll(fd, frame.payload.data(), length));
  return frame;
}

Result<std::vector<uint8_t>> Call(int fd, Op op, std::span<const uint8_t> payload) {
  CPO_RETURN_IF_ERROR(SendFrame(fd, static_cast<uint8_t>(op), payload));
  CPO_ASSIGN_OR_RETURN(Frame response, ReceiveFrame(fd));
  if (response.tag != 0) {
    auto code = static_cast<StatusCode>(response.tag);
    return Status(code, std::string(response.payload.begin(), response.payload.end()));
  }
  return std::move(response.payload);
}

Result<int> ConnectUnixSocket(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return Status(StatusCode::kInvalidArgument, fmt::format("socket path too long: {}", path));
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(StatusCode::kInternal, std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    int err = errno;
    ::close(fd);
    return Status(err == EACCES ? StatusCode::kPermissionDenied : StatusCode::kUnavailable,
                  fmt::format("cannot connect to simulator at {}: {} (is cpo-simd running? start "
                              "it with `cpoctl --platform FILE --sim {} sim start`, or "
                              "`cpo-simd --platform FILE --socket {}`)",
                              path, std::strerror(err), path, path));
  }
  return fd;
}

}  // namespace cpo::transport::sim_protocol
