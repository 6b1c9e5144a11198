// CMIS conformance of the driver's decoders: every field the HAL reports is checked for offset,
// width, scaling and sign against the table below, written from the CMIS layout
// (shared/reference/cmis-elsfp.md) independently of the driver's constants. The module MCU (the
// plant) writes a distinct pattern into each field; the HAL must read back exactly its decode.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <variant>

#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "cpo/sim/simulated_switch.h"

namespace cpo::sim {
namespace {

// kU16Le: two bytes, low byte first (the pattern capability bitmaps of page 13h).
enum class Kind {
  kU8,
  kU16,
  kU16Le,
  kS16,
  kAscii,
  kLowNibble,
  kHighNibble,
  kBit0,
  kBit1,
  kBit2,
  kBit5,
  kBit6
};

// The bit a kBitN field occupies.
int BitOf(Kind kind) {
  switch (kind) {
    case Kind::kBit0:
      return 0;
    case Kind::kBit1:
      return 1;
    case Kind::kBit2:
      return 2;
    case Kind::kBit5:
      return 5;
    default:
      return 6;
  }
}

// Everything the HAL reports, read once after all fields are written.
struct Reads {
  hal::EngineIdentity identity;
  hal::EngineAdvertising advertising;
  hal::EngineThresholds thresholds;
  hal::ModuleMonitors module;
  std::vector<hal::LaneMonitors> lanes;
  std::vector<hal::LaneDataPath> data_paths;
};

// A bank's control bits as the HAL reports them per lane, packed back into a byte.
double LaneBits(const std::vector<hal::LaneDataPath>& lanes, int bank,
                bool hal::LaneDataPath::*member) {
  int bits = 0;
  for (int i = 0; i < 8; ++i) {
    if (lanes[static_cast<size_t>(bank * 8 + i)].*member) bits |= 1 << i;
  }
  return bits;
}

// Application descriptor `a` (0-based) as the HAL decodes it.
const hal::Application& App(const Reads& r, size_t a) { return r.advertising.applications.at(a); }

using Value = std::variant<double, std::string>;

struct Field {
  const char* name;
  uint8_t page;
  uint8_t bank;
  uint8_t offset;
  int width;  // bytes (ASCII) or 1/2 for numbers
  Kind kind;
  double unit;  // physical value = raw * unit (durations: code -> bound, see below)
  std::function<Value(const Reads&)> hal;
};

template <typename T>
Value Num(T value) {
  return Value{static_cast<double>(value)};
}

double Ms(std::chrono::milliseconds ms) { return static_cast<double>(ms.count()); }

// CMIS duration codes -> upper bound in ms.
double DurationBoundMs(int code) {
  constexpr double kBounds[] = {1,    5,     10,    50,     100,    500,    1000,
                                5000, 10000, 60000, 300000, 600000, 3000000};
  return kBounds[std::min(code, 12)];
}

const std::vector<Field>& Table() {
  static const std::vector<Field> table = {
      // Lower page.
      {"identifier", 0x00, 0, 0, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.identity.identifier); }},
      {"cmis_major", 0x00, 0, 1, 1, Kind::kHighNibble, 1,
       [](const Reads& r) { return Num(r.identity.cmis_major); }},
      {"cmis_minor", 0x00, 0, 1, 1, Kind::kLowNibble, 1,
       [](const Reads& r) { return Num(r.identity.cmis_minor); }},
      {"temperature_c", 0x00, 0, 14, 2, Kind::kS16, 1.0 / 256,
       [](const Reads& r) { return Value(r.module.temperature_c); }},
      {"vcc_v", 0x00, 0, 16, 2, Kind::kU16, 100e-6,
       [](const Reads& r) { return Value(r.module.vcc_v); }},
      {"firmware_major", 0x00, 0, 39, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.identity.firmware_major); }},
      {"firmware_minor", 0x00, 0, 40, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.identity.firmware_minor); }},
      // Page 00h.
      {"vendor_name", 0x00, 0, 129, 16, Kind::kAscii, 0,
       [](const Reads& r) { return Value(r.identity.vendor_name); }},
      {"vendor_oui_0", 0x00, 0, 145, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.identity.vendor_oui[0]); }},
      {"vendor_oui_2", 0x00, 0, 147, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.identity.vendor_oui[2]); }},
      {"part_number", 0x00, 0, 148, 16, Kind::kAscii, 0,
       [](const Reads& r) { return Value(r.identity.part_number); }},
      {"revision", 0x00, 0, 164, 2, Kind::kAscii, 0,
       [](const Reads& r) { return Value(r.identity.revision); }},
      {"serial_number", 0x00, 0, 166, 16, Kind::kAscii, 0,
       [](const Reads& r) { return Value(r.identity.serial_number); }},
      {"date_code", 0x00, 0, 182, 8, Kind::kAscii, 0,
       [](const Reads& r) { return Value(r.identity.date_code); }},
      // Page 01h.
      {"inactive_fw_major", 0x01, 0, 128, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.inactive_firmware_major); }},
      {"inactive_fw_minor", 0x01, 0, 129, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.inactive_firmware_minor); }},
      {"hardware_major", 0x01, 0, 130, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.hardware_major); }},
      {"hardware_minor", 0x01, 0, 131, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.hardware_minor); }},
      {"vdm_supported", 0x01, 0, 142, 1, Kind::kBit6, 1,
       [](const Reads& r) { return Num(r.advertising.vdm_supported); }},
      {"diag_pages", 0x01, 0, 142, 1, Kind::kBit5, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics_pages_supported); }},
      {"dp_init", 0x01, 0, 144, 1, Kind::kLowNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.data_path_init)); }},
      {"dp_deinit", 0x01, 0, 144, 1, Kind::kHighNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.data_path_deinit)); }},
      {"module_pwr_up", 0x01, 0, 167, 1, Kind::kLowNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.module_power_up)); }},
      {"module_pwr_dn", 0x01, 0, 167, 1, Kind::kHighNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.module_power_down)); }},
      {"tx_turn_on", 0x01, 0, 168, 1, Kind::kLowNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.tx_turn_on)); }},
      {"tx_turn_off", 0x01, 0, 168, 1, Kind::kHighNibble, -1,
       [](const Reads& r) { return Value(Ms(r.advertising.durations.tx_turn_off)); }},
      // Page 02h thresholds: high alarm, low alarm, high warning, low warning.
      {"temp_high_alarm", 0x02, 0, 128, 2, Kind::kS16, 1.0 / 256,
       [](const Reads& r) { return Value(r.thresholds.temperature_c.high_alarm); }},
      {"temp_low_alarm", 0x02, 0, 130, 2, Kind::kS16, 1.0 / 256,
       [](const Reads& r) { return Value(r.thresholds.temperature_c.low_alarm); }},
      {"temp_high_warning", 0x02, 0, 132, 2, Kind::kS16, 1.0 / 256,
       [](const Reads& r) { return Value(r.thresholds.temperature_c.high_warning); }},
      {"temp_low_warning", 0x02, 0, 134, 2, Kind::kS16, 1.0 / 256,
       [](const Reads& r) { return Value(r.thresholds.temperature_c.low_warning); }},
      {"vcc_high_alarm", 0x02, 0, 136, 2, Kind::kU16, 100e-6,
       [](const Reads& r) { return Value(r.thresholds.vcc_v.high_alarm); }},
      {"vcc_low_warning", 0x02, 0, 142, 2, Kind::kU16, 100e-6,
       [](const Reads& r) { return Value(r.thresholds.vcc_v.low_warning); }},
      {"tx_power_high_alarm", 0x02, 0, 176, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.thresholds.tx_power_mw.high_alarm); }},
      {"tx_power_low_warning", 0x02, 0, 182, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.thresholds.tx_power_mw.low_warning); }},
      {"tx_bias_low_alarm", 0x02, 0, 186, 2, Kind::kU16, 2e-3,
       [](const Reads& r) { return Value(r.thresholds.tx_bias_ma.low_alarm); }},
      {"tx_bias_high_warning", 0x02, 0, 188, 2, Kind::kU16, 2e-3,
       [](const Reads& r) { return Value(r.thresholds.tx_bias_ma.high_warning); }},
      {"rx_power_high_alarm", 0x02, 0, 192, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.thresholds.rx_power_mw.high_alarm); }},
      {"rx_power_low_warning", 0x02, 0, 198, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.thresholds.rx_power_mw.low_warning); }},
      // Lower page 85-117: media type and application descriptors (host id, media id, lane
      // counts host 7-4 / media 3-0, host lane assignment options).
      {"media_type", 0x00, 0, 85, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.media_type); }},
      {"app1_host_id", 0x00, 0, 86, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 0).host_interface_id); }},
      {"app1_media_id", 0x00, 0, 87, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 0).media_interface_id); }},
      {"app1_host_lanes", 0x00, 0, 88, 1, Kind::kHighNibble, 1,
       [](const Reads& r) { return Num(App(r, 0).host_lanes); }},
      {"app1_media_lanes", 0x00, 0, 88, 1, Kind::kLowNibble, 1,
       [](const Reads& r) { return Num(App(r, 0).media_lanes); }},
      {"app1_options", 0x00, 0, 89, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 0).host_lane_options); }},
      {"app2_host_id", 0x00, 0, 90, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 1).host_interface_id); }},
      {"app3_host_lanes", 0x00, 0, 96, 1, Kind::kHighNibble, 1,
       [](const Reads& r) { return Num(App(r, 2).host_lanes); }},
      {"app4_media_id", 0x00, 0, 99, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 3).media_interface_id); }},
      {"app5_host_id", 0x00, 0, 102, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 4).host_interface_id); }},
      {"app6_host_id", 0x00, 0, 106, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 5).host_interface_id); }},
      {"app7_host_id", 0x00, 0, 110, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 6).host_interface_id); }},
      {"app8_host_id", 0x00, 0, 114, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 7).host_interface_id); }},
      {"app8_media_lanes", 0x00, 0, 116, 1, Kind::kLowNibble, 1,
       [](const Reads& r) { return Num(App(r, 7).media_lanes); }},
      {"app8_options", 0x00, 0, 117, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 7).host_lane_options); }},
      // Page 01h 176+: media lane assignment options, one byte per application.
      {"app1_media_options", 0x01, 0, 176, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 0).media_lane_options); }},
      {"app8_media_options", 0x01, 0, 183, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(App(r, 7).media_lane_options); }},
      // Page 01h 155, 159, 160: what a host may use.
      {"tx_disable_supported", 0x01, 0, 155, 1, Kind::kBit1, 1,
       [](const Reads& r) { return Num(r.advertising.tx_disable_supported); }},
      {"temperature_monitor", 0x01, 0, 159, 1, Kind::kBit0, 1,
       [](const Reads& r) { return Num(r.advertising.temperature_monitor); }},
      {"vcc_monitor", 0x01, 0, 159, 1, Kind::kBit1, 1,
       [](const Reads& r) { return Num(r.advertising.vcc_monitor); }},
      {"tx_bias_monitor", 0x01, 0, 160, 1, Kind::kBit0, 1,
       [](const Reads& r) { return Num(r.advertising.tx_bias_monitor); }},
      {"tx_power_monitor", 0x01, 0, 160, 1, Kind::kBit1, 1,
       [](const Reads& r) { return Num(r.advertising.tx_power_monitor); }},
      {"rx_power_monitor", 0x01, 0, 160, 1, Kind::kBit2, 1,
       [](const Reads& r) { return Num(r.advertising.rx_power_monitor); }},
      // Page 13h: loopback and pattern capabilities (advertised once, bank 0).
      {"loopback_caps", 0x13, 0, 128, 1, Kind::kU8, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics.loopbacks); }},
      {"host_gen_patterns", 0x13, 0, 132, 2, Kind::kU16Le, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics.host_generator_patterns); }},
      {"media_gen_patterns", 0x13, 0, 134, 2, Kind::kU16Le, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics.media_generator_patterns); }},
      {"host_chk_patterns", 0x13, 0, 136, 2, Kind::kU16Le, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics.host_checker_patterns); }},
      {"media_chk_patterns", 0x13, 0, 138, 2, Kind::kU16Le, 1,
       [](const Reads& r) { return Num(r.advertising.diagnostics.media_checker_patterns); }},
      // Page 10h controls of bank 5: DPDeinit (128) and Tx disable (130), bit/lane.
      {"bank5_dp_deinit", 0x10, 5, 128, 1, Kind::kU8, 1,
       [](const Reads&
              r) { return Value(LaneBits(r.data_paths, 5, &hal::LaneDataPath::deinit_requested)); }},
      {"bank5_tx_disable", 0x10, 5, 130, 1, Kind::kU8, 1,
       [](const Reads&
              r) { return Value(LaneBits(r.data_paths, 5, &hal::LaneDataPath::tx_disabled)); }},
      // Page 11h, three banks: Tx power 154 + 2i (0.1 uW), Tx bias 170 + 2i (2 uA), Rx power 186 +
      // 2i.
      {"lane1_tx_power", 0x11, 0, 154, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[0].tx_power_mw); }},
      {"lane1_tx_bias", 0x11, 0, 170, 2, Kind::kU16, 2e-3,
       [](const Reads& r) { return Value(r.lanes[0].tx_bias_ma); }},
      {"lane1_rx_power", 0x11, 0, 186, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[0].rx_power_mw); }},
      {"lane29_tx_power", 0x11, 3, 162, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[28].tx_power_mw); }},
      {"lane29_tx_bias", 0x11, 3, 178, 2, Kind::kU16, 2e-3,
       [](const Reads& r) { return Value(r.lanes[28].tx_bias_ma); }},
      {"lane29_rx_power", 0x11, 3, 194, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[28].rx_power_mw); }},
      {"lane64_tx_power", 0x11, 7, 168, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[63].tx_power_mw); }},
      {"lane64_tx_bias", 0x11, 7, 184, 2, Kind::kU16, 2e-3,
       [](const Reads& r) { return Value(r.lanes[63].tx_bias_ma); }},
      {"lane64_rx_power", 0x11, 7, 200, 2, Kind::kU16, 1e-4,
       [](const Reads& r) { return Value(r.lanes[63].rx_power_mw); }},
  };
  return table;
}

TEST(CmisConformanceTest, EveryFieldDecodesAtItsOffsetWidthScaleAndSign) {
  auto platform =
      platform::LoadPlatformFile(CPO_SOURCE_DIR "/platform/boards/sim-51t2/platform.yaml");
  ASSERT_TRUE(platform.ok());
  auto sim = SimulatedSwitch::Create(*platform);
  ASSERT_TRUE(sim.ok());
  const int target = *(*sim)->EngineTarget(2);

  // Distinct raw patterns per field; numbers use their full width, with the sign bit set for
  // signed fields, so a wrong offset, width, byte order, scale or sign cannot pass.
  std::map<std::tuple<int, int, int>, uint8_t> bytes;  // (page, bank, offset) -> byte
  std::vector<Value> expected;
  const auto& table = Table();
  for (size_t i = 0; i < table.size(); ++i) {
    const Field& f = table[i];
    auto at = [&](int k) -> uint8_t& { return bytes[{f.page, f.bank, f.offset + k}]; };
    const auto n = static_cast<int>(i);
    switch (f.kind) {
      case Kind::kAscii: {
        std::string text = "F" + std::to_string(n) + "XY";
        text.resize(static_cast<size_t>(f.width), ' ');
        for (int k = 0; k < f.width; ++k) {
          at(k) = static_cast<uint8_t>(text[static_cast<size_t>(k)]);
        }
        std::string trimmed = "F" + std::to_string(n) + "XY";
        trimmed.resize(std::min<size_t>(trimmed.size(), static_cast<size_t>(f.width)));
        expected.emplace_back(trimmed);
        break;
      }
      case Kind::kU8:
        at(0) = static_cast<uint8_t>(0x80 + n);
        expected.emplace_back(static_cast<double>(0x80 + n));
        break;
      case Kind::kU16: {
        const uint16_t raw = static_cast<uint16_t>(0x8001 + 0x0203 * n);
        at(0) = static_cast<uint8_t>(raw >> 8);
        at(1) = static_cast<uint8_t>(raw & 0xff);
        expected.emplace_back(raw * f.unit);
        break;
      }
      case Kind::kU16Le: {
        const uint16_t raw = static_cast<uint16_t>(0x8001 + 0x0203 * n);
        at(0) = static_cast<uint8_t>(raw & 0xff);
        at(1) = static_cast<uint8_t>(raw >> 8);
        expected.emplace_back(raw * f.unit);
        break;
      }
      case Kind::kS16: {
        const int16_t raw = static_cast<int16_t>(-20000 + 37 * n);
        at(0) = static_cast<uint8_t>(static_cast<uint16_t>(raw) >> 8);
        at(1) = static_cast<uint8_t>(static_cast<uint16_t>(raw) & 0xff);
        expected.emplace_back(raw * f.unit);
        break;
      }
      case Kind::kLowNibble:
      case Kind::kHighNibble: {
        const int code = (n % 12) + 1;  // 1..12; the other nibble of the byte gets its own
        at(0) |= static_cast<uint8_t>(f.kind == Kind::kLowNibble ? code : code << 4);
        expected.emplace_back(f.unit < 0 ? DurationBoundMs(code) : static_cast<double>(code));
        break;
      }
      case Kind::kBit0:
      case Kind::kBit1:
      case Kind::kBit2:
      case Kind::kBit5:
      case Kind::kBit6:
        at(0) |= static_cast<uint8_t>(1u << BitOf(f.kind));
        expected.emplace_back(1.0);
        break;
    }
  }
  // The engine keeps advertising its 8 banks (142 bits 1-0 = 3, 174 = 8): the model serves only
  // the banks it advertises, and the table reads fields of banks past 4.
  bytes[{0x01, 0, 142}] |= 0x03;
  bytes[{0x01, 0, 174}] = 8;
  {
    std::lock_guard lock((*sim)->mutex());
    for (const auto& [where, value] : bytes) {
      const auto [page, bank, offset] = where;
      ASSERT_TRUE((*sim)
                      ->plant()
                      .PokeRegister(target, static_cast<uint8_t>(page), static_cast<uint8_t>(bank),
                                    static_cast<uint8_t>(offset), value)
                      .ok());
    }
  }

  OpenOptions options;
  options.register_io = (*sim)->MakeRegisterIo();
  auto device = OpenDevice(*platform, options);
  ASSERT_TRUE(device.ok());
  hal::OpticalEngine* engine = *(*device)->FindOpticalEngine("oe2");
  Reads reads;
  reads.identity = *engine->Identity();
  reads.advertising = *engine->Advertising();
  reads.thresholds = *engine->Thresholds();
  reads.module = *engine->Module();
  reads.lanes = *engine->Lanes();
  reads.data_paths = *engine->DataPaths();

  for (size_t i = 0; i < table.size(); ++i) {
    const Value got = table[i].hal(reads);
    if (std::holds_alternative<std::string>(expected[i])) {
      EXPECT_EQ(std::get<std::string>(got), std::get<std::string>(expected[i])) << table[i].name;
    } else {
      const double want = std::get<double>(expected[i]);
      EXPECT_NEAR(std::get<double>(got), want, std::abs(want) * 1e-12 + 1e-12) << table[i].name;
    }
  }
}

}  // namespace
}  // namespace cpo::sim
