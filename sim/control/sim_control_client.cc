#include "cpo/sim/sim_control_client.h"

#include <unistd.h>

#include "cpo/transport/sim_protocol.h"

namespace cpo::sim {

using transport::sim_protocol::Call;
using transport::sim_protocol::Op;
using transport::sim_protocol::PayloadReader;
using transport::sim_protocol::PayloadWriter;

Result<std::unique_ptr<SimControlClient>> SimControlClient::Connect(
    const std::string& socket_path) {
  CPO_ASSIGN_OR_RETURN(int fd, transport::sim_protocol::ConnectUnixSocket(socket_path));
  return std::unique_ptr<SimControlClient>(new SimControlClient(fd));
}

SimControlClient::~SimControlClient() { ::close(fd_); }

Result<SimInfo> SimControlClient::Info() {
  CPO_ASSIGN_OR_RETURN(auto reply, Call(fd_, Op::kInfo, {}));
  PayloadReader reader(reply);
  SimInfo info{reader.U64(), reader.U64(), reader.F64()};
  if (reader.failed()) return Status(StatusCode::kDataLoss, "short INFO reply");
  return info;
}

Status SimControlClient::SetPlant(int engine, Quantity quantity, int lane, double value) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(engine))
      .U32(static_cast<uint32_t>(quantity))
      .I32(lane)
      .F64(value);
  return Call(fd_, Op::kPlantSet, request.bytes()).status();
}

Status SimControlClient::SetModuleFault(int engine, uint8_t cause) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(engine)).U32(cause);
  return Call(fd_, Op::kModuleFault, request.bytes()).status();
}

Status SimControlClient::SetLaserPhysics(int source, int lane, double threshold_ma,
                                         double slope_mw_per_ma) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(source)).I32(lane).F64(threshold_ma).F64(slope_mw_per_ma);
  return Call(fd_, Op::kLaserPhysics, request.bytes()).status();
}

Status SimControlClient::SetFiberFault(int source, int fiber, bool cut, double extra_loss_db) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(source)).I32(fiber).U8(cut ? 1 : 0).F64(extra_loss_db);
  return Call(fd_, Op::kFiberFault, request.bytes()).status();
}

Status SimControlClient::SetLaserSourcePresent(int source, bool present) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(source)).U8(present ? 1 : 0);
  return Call(fd_, Op::kLaserSourcePresent, request.bytes()).status();
}

Result<std::vector<LaserLaneSample>> SimControlClient::LaserLanes(int source) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(source));
  CPO_ASSIGN_OR_RETURN(auto reply, Call(fd_, Op::kLaserTruth, request.bytes()));
  PayloadReader reader(reply);
  const uint32_t count = reader.U32();
  std::vector<LaserLaneSample> lanes;
  for (uint32_t lane = 0; lane < count && !reader.failed(); ++lane) {
    LaserLaneSample sample;
    sample.enabled = reader.U8() != 0;
    sample.fiber_checked = reader.U8() != 0;
    sample.fiber = static_cast<int>(reader.U32());
    sample.output_mw = reader.F64();
    lanes.push_back(sample);
  }
  if (reader.failed() || reader.remaining() != 0) {
    return Status(StatusCode::kDataLoss, "malformed LASER_TRUTH reply");
  }
  return lanes;
}

Status SimControlClient::SetSerdesBitErrorRate(int serdes_lane, double ber) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(serdes_lane)).F64(ber);
  return Call(fd_, Op::kSerdesBitErrorRate, request.bytes()).status();
}

Status SimControlClient::SetPortUnplugged(int port_index, bool unplugged) {
  PayloadWriter request;
  request.U32(static_cast<uint32_t>(port_index)).U8(unplugged ? 1 : 0);
  return Call(fd_, Op::kPortUnplugged, request.bytes()).status();
}

Result<uint64_t> SimControlClient::StepTime(uint64_t ns) {
  PayloadWriter request;
  request.U64(ns);
  CPO_ASSIGN_OR_RETURN(auto reply, Call(fd_, Op::kStepTime, request.bytes()));
  PayloadReader reader(reply);
  uint64_t now = reader.U64();
  if (reader.failed()) return Status(StatusCode::kDataLoss, "short STEP reply");
  return now;
}

Status SimControlClient::SetTimeScale(double scale) {
  PayloadWriter request;
  request.F64(scale);
  return Call(fd_, Op::kSetTimeScale, request.bytes()).status();
}

}  // namespace cpo::sim
