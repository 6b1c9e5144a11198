// LinkNetwork: the data path of the plant outside the chip. For every switch SerDes lane it traces
// what reaches the lane's receiver: its engine lane's receiver, the front-panel cable (lane i to
// the peer port's lane i) or loopback plug, and at the far end the engine lane that transmits and
// the SerDes lane behind it. A receiver has a source only while that whole optical path carries
// data: both engine lanes' data paths Activated and the transmitting engine lane lit by its laser.
// The RTL's SerDes block then decides what the source's transmitter sends (see serdes_block.sv).
//
// It also carries the light: an engine lane's receiver gets what the far end's engine lane sends
// (its laser light less the modulator loss, while its data path is Activated) less the cable's
// loss, and nothing through a pulled cable. From that the plant writes every lane's Tx power and
// Tx bias (both only while Activated), and the receiving lane's Rx power, eSNR and pre-FEC BER,
// each only when
// its physical value changes: a value a test injects stays until the physics moves.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/sim/fiber_network.h"
#include "cpo/sim/model.h"
#include "cpo/sim/plant.h"
#include "cpo/status.h"

namespace cpo::sim {

class LinkNetwork {
 public:
  // An engine lane transmits data only with at least this much laser light at its input.
  static constexpr double kMinLaserInputDbm = -20.0;
  static constexpr double kCableLossDb = 0.5;
  // eSNR follows the received power (dB for dB below kFullSnrRxMw); pre-FEC BER rises a decade per
  // 1.25 dB of eSNR lost.
  static constexpr double kFullSnrRxMw = 0.5;
  static constexpr double kBerDecadesPerDb = 0.8;

  // engine_targets: the model target of each platform engine.
  LinkNetwork(const platform::Platform& platform, std::vector<int> engine_targets);

  // The received side of a lane with `rx_mw` arriving (0: dark), from its healthy baseline.
  struct Received {
    double rx_power_mw, esnr_db, ber_min, ber_max, ber_average, ber_current;
  };
  static Received ReceivedAt(int engine_index, int lane, double rx_mw);

  // Re-reads the engines whose Activated lanes changed and writes every SerDes receiver whose
  // source changed. Cheap when nothing changed.
  void Propagate(Model& model, Plant& plant, const FiberNetwork& fibers);

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
  // The light an engine lane sends now (mW), 0 when it sends none.
  double TransmittedMw(int engine, int lane, const FiberNetwork& fibers) const;
  void WriteLight(Plant& plant, const FiberNetwork& fibers, bool activated_changed);

  std::vector<int> engine_targets_;
  std::vector<Path> paths_;
  std::vector<int> seen_changes_;
  std::vector<std::vector<uint16_t>> activated_;  // engine -> 16-lane groups
  std::vector<int> source_;                       // per SerDes lane, -2 before the first write
  std::set<std::string> unplugged_;
  std::vector<int> engine_lanes_;                      // per engine
  std::map<std::pair<int, int>, int64_t> tx_written_;  // (engine, lane) -> Tx power code written
  std::map<std::pair<int, int>, int64_t> rx_written_;  // (engine, lane) -> Rx power code written
  std::map<std::pair<int, int>, bool> bias_written_;   // (engine, lane) -> biased when written
};

}  // namespace cpo::sim
