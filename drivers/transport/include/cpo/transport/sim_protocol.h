// The framed binary protocol between SimSocketIo (and the sim control client) and cpo-simd.
//
// Every message is a frame: u32 payload length (little-endian), u8 tag, payload.
// A request's tag is an Op; a response's tag is 0 on success (payload = results) or a StatusCode
// (payload = UTF-8 error message). Requests on one connection are answered in order.
// See docs/sim-protocol.md for each payload.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cpo/status.h"

namespace cpo::transport::sim_protocol {

constexpr uint32_t kMaxPayloadBytes = 1u << 20;

enum class Op : uint8_t {
  // Register plane: the device as the driver sees it.
  kRead32 = 1,      // u64 offset -> u32 value
  kWrite32 = 2,     // u64 offset, u32 value -> (empty)
  kReadBurst = 3,   // u64 offset, u32 count -> u32 value[count]
  kWriteBurst = 4,  // u64 offset, u32 count, u32 value[count] -> (empty)
  kPollUntil = 5,   // u64 offset, u32 mask, u32 expected, u64 timeout_ns -> u32 value
  kBatch = 6,       // u32 n, n x {u8 is_write, u64 offset, u32 value} -> u32 read_value[n]
  kInfo = 16,       // -> u64 register_space_bytes, u64 sim_time_ns, f64 time_scale
  // Control plane: the side channel for time and the analog world (tests, cpoctl sim).
  kPlantSet = 32,      // u32 engine, u32 quantity, i32 lane (-1 = module), f64 value -> (empty)
  kStepTime = 33,      // u64 ns -> u64 sim_time_ns
  kSetTimeScale = 34,  // f64 scale (sim ns per wall ns; 0 = frozen) -> (empty)
  kModuleFault = 35,   // u32 engine, u32 CMIS fault cause (0 clears) -> (empty)
  // Laser sources and fibres, by index in the platform file; lanes and fibres 1-based.
  kLaserPhysics = 36,  // u32 source, i32 lane, f64 threshold_ma, f64 slope_mw_per_ma -> (empty)
  kFiberFault = 37,    // u32 source, i32 fiber, u8 cut, f64 extra_loss_db -> (empty)
  kLaserSourcePresent = 38,  // u32 source, u8 present (0 pull out, 1 plug a fresh one in)
  // Switch side: SerDes lanes 0-based, ports by index in the platform file.
  kSerdesBitErrorRate = 39,  // u32 SerDes lane, f64 bit error rate (0 stops) -> (empty)
  kPortUnplugged = 40,       // u32 port index, u8 unplugged (1 pull the cable/plug, 0 plug back)
  // The plant's truth, read beside the bus (no I2C transfer, no flag cleared): what a test judges
  // the HAL by. u32 source -> u32 lanes, lanes x {u8 enabled, u8 fiber_checked, u32 fiber,
  // f64 output_mw}.
  kLaserTruth = 41,
};

// Little-endian field writer for payloads.
class PayloadWriter {
 public:
  PayloadWriter& U8(uint8_t v);
  PayloadWriter& U32(uint32_t v);
  PayloadWriter& I32(int32_t v);
  PayloadWriter& U64(uint64_t v);
  PayloadWriter& F64(double v);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// Little-endian field reader; any read past the end sets failed() and returns 0.
class PayloadReader {
 public:
  explicit PayloadReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  uint8_t U8();
  uint32_t U32();
  int32_t I32();
  uint64_t U64();
  double F64();
  bool failed() const { return failed_; }
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  bool Take(void* out, size_t n);
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool failed_ = false;
};

struct Frame {
  uint8_t tag = 0;
  std::vector<uint8_t> payload;
};

// A frame on the wire: u32 payload length, u8 tag, then the payload.
constexpr size_t kFrameHeaderBytes = 5;
std::vector<uint8_t> EncodeFrame(uint8_t tag, std::span<const uint8_t> payload);

// Blocking whole-frame send and receive on a stream socket. A peer that closes or sends a frame
// larger than kMaxPayloadBytes yields kUnavailable / kDataLoss.
Status SendFrame(int fd, uint8_t tag, std::span<const uint8_t> payload);
Result<Frame> ReceiveFrame(int fd);

// Sends a request and waits for its response; turns an error response back into its Status.
Result<std::vector<uint8_t>> Call(int fd, Op op, std::span<const uint8_t> payload);

// Connects a stream socket to a UNIX socket path; kUnavailable names the path and the fix.
Result<int> ConnectUnixSocket(const std::string& path);

}  // namespace cpo::transport::sim_protocol
