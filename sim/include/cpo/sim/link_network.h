// LinkNetwork: the data path of the plant outside the chip. For every switch SerDes lane it traces
// what reaches the lane's receiver: its engine lane's receiver, the front-panel cable (lane i to
// the peer port's lane i) or loopback plug, and at the far end the engine lane that transmits and
// the SerDes lane behind it. A receiver has a source only while that whole optical path carries
// data: both engine lanes' data paths Activated and the transmitting engine lane lit by its laser.
// The RTL's SerDes block then decides what the source's transmitter sends (see serdes_block.sv).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/sim/fiber_network.h"
#include "cpo/sim/model.h"
#include "cpo/status.h"

namespace cpo::sim {

class LinkNetwork {
 public:
  // An engine lane transmits data only with at least this much laser light at its input.
  static constexpr double kMinLaserInputDbm = -20.0;

  // engine_targets: the model target of each platform engine.
  LinkNetwork(const platform::Platform& platform, std::vector<int> engine_targets);

  // Re-reads the engines whose Activated lanes changed and writes every SerDes receiver whose
  // source changed. Cheap when nothing changed.
  void Propagate(Model& model, const FiberNetwork& fibers);

  // Pulls the cable (or plug) out of a front-panel port, or plugs it back.
  Status SetUnplugged(const std::string& port, bool unplugged);

  // The SerDes lane feeding `serdes_lane`'s receiver now, or -1.
  int SourceOf(int serdes_lane) const;

 private:
  // One receiving SerDes lane and the path that could feed it.
  struct Path {
    int rx_serdes = 0;
    int rx_engine = 0;       // platform engine index
    int rx_engine_lane = 0;  // 1-based
    int tx_serdes = 0;
    int tx_engine = 0;
    int tx_engine_lane = 0;
    std::string rx_port, tx_port;
    bool inverted = false;  // the board swaps P/N on the transmit or the receive side (not both)
  };
  bool Activated(int engine, int lane) const;

  std::vector<int> engine_targets_;
  std::vector<Path> paths_;
  std::vector<int> seen_changes_;
  std::vector<std::vector<uint16_t>> activated_;  // engine -> 16-lane groups
  std::vector<int> source_;                       // per SerDes lane, -2 before the first write
  std::set<std::string> unplugged_;
};

}  // namespace cpo::sim
