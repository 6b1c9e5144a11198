#include "oe_commands.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "exit_codes.h"

namespace cpo::cpoctl {
namespace {

// Applies `action` to each selected engine, then optionally waits for `target` on each.
int ForEachEngine(const GlobalOptions& options, const std::string& id, const char* verb,
                  const std::function<Status(hal::OpticalEngine&)>& action,
                  std::optional<hal::ModuleState> wait_for) {
  auto device = OpenFromOptions(options, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  auto engines = SelectEngines(**device, id);
  if (!engines.ok()) return Fail(engines.status());
  // Act on all first, then wait: engines make their transitions in parallel.
  for (auto* engine : *engines) {
    if (Status status = action(*engine); !status.ok()) return Fail(status);
  }
  nlohmann::json results = nlohmann::json::array();
  int exit_code = kExitOk;
  for (auto* engine : *engines) {
    nlohmann::json result = {{"name", engine->name()}, {"action", verb}, {"error", nullptr}};
    if (wait_for) {
      auto reached = engine->WaitForModuleState(*wait_for);
      if (reached.ok()) {
        result["state"] = std::string(hal::ModuleStateName(reached->state));
        if (!options.json) {
          Print(fmt::format("{}: {}, now {}\n", engine->name(), verb,
                            hal::ModuleStateName(reached->state)));
        }
      } else {
        result["error"] = reached.status().ToString();
        exit_code = kExitFailed;
        if (!options.json) Fail(reached.status());
      }
    } else if (!options.json) {
      Print(fmt::format("{}: {} requested\n", engine->name(), verb));
    }
    results.push_back(result);
  }
  if (options.json) Print(nlohmann::json{{"optical_engines", results}}.dump(2) + "\n");
  return exit_code;
}

}  // namespace

int RunOeLowPower(const GlobalOptions& options, bool low_power, const std::string& id, bool wait) {
  std::optional<hal::ModuleState> target;
  if (wait) target = low_power ? hal::ModuleState::kLowPower : hal::ModuleState::kReady;
  return ForEachEngine(
      options, id, low_power ? "low power on" : "low power off",
      [low_power](hal::OpticalEngine& engine) { return engine.SetLowPower(low_power); }, target);
}

int RunOeReset(const GlobalOptions& options, const std::string& id, bool wait) {
  std::optional<hal::ModuleState> target;
  if (wait) target = hal::ModuleState::kLowPower;
  return ForEachEngine(
      options, id, "reset", [](hal::OpticalEngine& engine) { return engine.Reset(); }, target);
}

std::string HexDump(const std::array<uint8_t, 256>& bytes) {
  std::string out;
  for (size_t row = 0; row < bytes.size(); row += 16) {
    out += fmt::format("{:3d} 0x{:02x}:", row, row);
    for (size_t i = row; i < row + 16; ++i) out += fmt::format(" {:02x}", bytes[i]);
    out += "  ";
    for (size_t i = row; i < row + 16; ++i) {
      out += (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? static_cast<char>(bytes[i]) : '.';
    }
    out += "\n";
  }
  return out;
}

void PrintWindow(const GlobalOptions& options, const std::string& device, int page, int bank,
                 const std::array<uint8_t, 256>& window) {
  if (options.json) {
    nlohmann::json out = {{"device", device},
                          {"page", page},
                          {"bank", bank},
                          {"bytes", std::vector<int>(window.begin(), window.end())}};
    Print(out.dump() + "\n");
  } else {
    Print(fmt::format("{} page {:02X}h bank {} (bytes 0-127 lower page, 128-255 page {:02X}h)\n",
                      device, page, bank, page));
    Print(HexDump(window));
  }
}

int RunDumpOe(const GlobalOptions& options, const std::string& id, int page, int bank) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  auto engine = (*device)->FindOpticalEngine(id);
  if (!engine.ok()) return Fail(engine.status());
  auto window = (*engine)->ReadWindow(static_cast<uint8_t>(page), static_cast<uint8_t>(bank));
  if (!window.ok()) return Fail(window.status());
  PrintWindow(options, (*engine)->name(), page, bank, *window);
  return kExitOk;
}

}  // namespace cpo::cpoctl
