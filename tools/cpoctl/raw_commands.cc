#include "raw_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "cpo/drivers/i2c/cpo_i2c_controller.h"
#include "cpo/drivers/open_device.h"
#include "cpo/platform/loader.h"
#include "exit_codes.h"
#include "write_log.h"

namespace cpo::cpoctl {
namespace {

using nlohmann::json;

// An engine's or a laser source's window, whichever the command names.
struct Window {
  std::string name;
  std::function<Result<std::vector<uint8_t>>(uint8_t page, uint8_t bank, uint8_t offset, int count)>
      read;
  std::function<Status(uint8_t page, uint8_t bank, uint8_t offset, std::span<const uint8_t>)> write;
};

// Engines and laser sources offer the same raw window calls.
template <typename Module>
Window WindowOf(Module* module) {
  return Window{
      module->name(),
      [module](uint8_t page, uint8_t bank, uint8_t offset, int count) {
        return module->ReadWindowBytes(page, bank, offset, count);
      },
      [module](uint8_t page, uint8_t bank, uint8_t offset, std::span<const uint8_t> bytes) {
        return module->WriteWindow(page, bank, offset, bytes);
      }};
}

Result<Window> FindWindow(hal::Device& device, const WindowAddress& address) {
  if (address.kind == "oe") {
    CPO_ASSIGN_OR_RETURN(hal::OpticalEngine * engine, device.FindOpticalEngine(address.id));
    return WindowOf(engine);
  }
  CPO_ASSIGN_OR_RETURN(hal::LaserSource * source, device.FindLaserSource(address.id));
  return WindowOf(source);
}

// Where a window access lands, as every read/write JSON document starts.
json WindowJson(const std::string& device, const std::string& target,
                const WindowAddress& address) {
  return {{"device", device},
          {"target", target},
          {"page", address.page},
          {"bank", address.bank},
          {"offset", address.offset}};
}

std::string HexBytes(const std::vector<uint8_t>& bytes) {
  std::string out;
  for (uint8_t byte : bytes) out += fmt::format("{}{:02x}", out.empty() ? "" : " ", byte);
  return out;
}

// "oe0 page 10h bank 0 byte 130": where a window access lands, for people and for the log.
std::string Where(const std::string& name, const WindowAddress& address) {
  return fmt::format("{} page {:02X}h bank {} byte {}", name, address.page, address.bank,
                     address.offset);
}

Status RefuseWithoutForce(const std::string& what, const std::string& log_path) {
  return Status(StatusCode::kInvalidArgument,
                fmt::format("{} changes the hardware under whatever else drives it (the NOS); "
                            "add --force to make it (it is logged to {})",
                            what, log_path));
}

Result<std::shared_ptr<transport::RegisterIo>> OpenRegisters(const GlobalOptions& options,
                                                             std::string* device_name) {
  CPO_ASSIGN_OR_RETURN(platform::Platform platform,
                       platform::LoadPlatformFile(ResolvePlatformPath(options)));
  *device_name = platform.name;
  OpenOptions open;
  open.sim_socket = options.sim_socket;
  return OpenRegisterSpace(platform, open);
}

}  // namespace

int RunReadWindow(const GlobalOptions& options, const WindowAddress& address, int count) {
  auto device = OpenFromOptions(options);
  if (!device.ok()) return Fail(device.status());
  auto window = FindWindow(**device, address);
  if (!window.ok()) return Fail(window.status());
  auto bytes = window->read(static_cast<uint8_t>(address.page), static_cast<uint8_t>(address.bank),
                            static_cast<uint8_t>(address.offset), count);
  if (!bytes.ok()) return Fail(bytes.status());
  if (options.json) {
    json out = WindowJson((*device)->platform().name, window->name, address);
    out["bytes"] = *bytes;
    Print(out.dump(2) + "\n");
    return kExitOk;
  }
  Print(fmt::format("{} page {:02X}h bank {}, bytes {}..{}\n", window->name, address.page,
                    address.bank, address.offset, address.offset + count - 1));
  for (int row = 0; row < count; row += 16) {
    std::vector<uint8_t> line(bytes->begin() + row, bytes->begin() + std::min(count, row + 16));
    Print(fmt::format("{:3d} 0x{:02x}: {}\n", address.offset + row, address.offset + row,
                      HexBytes(line)));
  }
  return kExitOk;
}

int RunWriteWindow(const GlobalOptions& options, const WindowAddress& address,
                   const std::vector<int>& values, const RawWriteOptions& write) {
  const std::string log_path = ResolveWriteLogPath(write.write_log);
  std::vector<uint8_t> bytes;
  bytes.reserve(values.size());
  for (int value : values) {
    if (value < 0 || value > 0xff) {
      return Fail(
          Status(StatusCode::kInvalidArgument,
                 fmt::format("BYTE {} is not a byte; give values 0..255 or 0x00..0xff", value)));
    }
    bytes.push_back(static_cast<uint8_t>(value));
  }
  if (!write.force) return Fail(RefuseWithoutForce("a raw write", log_path));
  auto log = WriteLog::Open(log_path);
  if (!log.ok()) return Fail(log.status());
  auto device = OpenFromOptions(options, Access::kChange);
  if (!device.ok()) return Fail(device.status());
  auto window = FindWindow(**device, address);
  if (!window.ok()) return Fail(window.status());
  const auto page = static_cast<uint8_t>(address.page);
  const auto bank = static_cast<uint8_t>(address.bank);
  const auto offset = static_cast<uint8_t>(address.offset);
  auto old_bytes = window->read(page, bank, offset, static_cast<int>(bytes.size()));
  if (!old_bytes.ok()) return Fail(old_bytes.status());
  if (auto status = window->write(page, bank, offset, bytes); !status.ok()) return Fail(status);
  auto new_bytes = window->read(page, bank, offset, static_cast<int>(bytes.size()));
  const std::string now = new_bytes.ok() ? HexBytes(*new_bytes) : "unreadable";
  const std::string where = Where(window->name, address);
  if (auto status = (*log)->Append((*device)->platform().name, where, HexBytes(*old_bytes), now);
      !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    json out = WindowJson((*device)->platform().name, window->name, address);
    out["old"] = *old_bytes;
    out["written"] = bytes;
    out["new"] = new_bytes.ok() ? json(*new_bytes) : json(nullptr);
    out["log"] = log_path;
    Print(out.dump(2) + "\n");
  } else {
    Print(fmt::format("{}: {} -> {} (read back {}; logged to {})\n", where, HexBytes(*old_bytes),
                      HexBytes(bytes), now, log_path));
  }
  return kExitOk;
}

int RunReadRegister(const GlobalOptions& options, uint64_t address, int count) {
  std::string device;
  auto registers = OpenRegisters(options, &device);
  if (!registers.ok()) return Fail(registers.status());
  std::vector<uint32_t> words(static_cast<size_t>(count));
  if (auto status = (*registers)->ReadBurst(address, words); !status.ok()) return Fail(status);
  if (options.json) {
    json out = {{"device", device}, {"registers", json::array()}};
    for (size_t i = 0; i < words.size(); ++i) {
      out["registers"].push_back({{"address", address + 4 * i}, {"value", words[i]}});
    }
    Print(out.dump(2) + "\n");
    return kExitOk;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    Print(fmt::format("0x{:08x}: 0x{:08x}\n", address + 4 * i, words[i]));
  }
  return kExitOk;
}

int RunWriteRegister(const GlobalOptions& options, uint64_t address, uint64_t value,
                     const RawWriteOptions& write) {
  const std::string log_path = ResolveWriteLogPath(write.write_log);
  if (value > 0xffffffffULL) {
    return Fail(Status(StatusCode::kInvalidArgument,
                       fmt::format("VALUE 0x{:x} does not fit a 32-bit register", value)));
  }
  using drivers::mgmt_regs::kI2cBase;
  using drivers::mgmt_regs::kI2cStride;
  constexpr uint64_t kI2cControllers = 16;
  if (address >= kI2cBase && address < kI2cBase + kI2cControllers * kI2cStride) {
    // A transfer started here would skip the bus lock and reach a laser source's pages with
    // no fibre check.
    return Fail(Status(
        StatusCode::kFailedPrecondition,
        fmt::format("0x{:x} is in I2C controller {}'s window (0x{:x}-0x{:x}); raw writes there "
                    "bypass the bus lock and laser safety. Use 'cpoctl write oe|els' (locked, "
                    "laser pages refused)",
                    address, (address - kI2cBase) / kI2cStride, kI2cBase,
                    kI2cBase + kI2cControllers * kI2cStride - 1)));
  }
  if (!write.force) return Fail(RefuseWithoutForce("a raw register write", log_path));
  auto log = WriteLog::Open(log_path);
  if (!log.ok()) return Fail(log.status());
  std::string device;
  auto registers = OpenRegisters(options, &device);
  if (!registers.ok()) return Fail(registers.status());
  auto old_value = (*registers)->Read32(address);
  if (!old_value.ok()) return Fail(old_value.status());
  if (auto status = (*registers)->Write32(address, static_cast<uint32_t>(value)); !status.ok()) {
    return Fail(status);
  }
  auto new_value = (*registers)->Read32(address);
  const std::string now = new_value.ok() ? fmt::format("0x{:08x}", *new_value) : "unreadable";
  const std::string where = fmt::format("register 0x{:08x}", address);
  if (auto status = (*log)->Append(device, where, fmt::format("0x{:08x}", *old_value), now);
      !status.ok()) {
    return Fail(status);
  }
  if (options.json) {
    json out = {{"device", device},
                {"address", address},
                {"old", *old_value},
                {"written", value},
                {"new", new_value.ok() ? json(*new_value) : json(nullptr)},
                {"log", log_path}};
    Print(out.dump(2) + "\n");
  } else {
    Print(fmt::format("{}: 0x{:08x} -> 0x{:08x} (read back {}; logged to {})\n", where, *old_value,
                      value, now, log_path));
  }
  return kExitOk;
}

void AddRawCommands(CLI::App& app, const GlobalOptions& options, std::function<int()>& run) {
  auto* read =
      app.add_subcommand("read", "Raw read of CMIS bytes (engines, laser sources) or registers");
  auto* write = app.add_subcommand(
      "write", "Raw write of CMIS bytes or registers: needs --force, and every write is logged");
  read->require_subcommand(1);
  write->require_subcommand(1);
  write->footer(
      "Each write logs who (user, sudo user, pid), what, the old and the new value to\n"
      "--write-log, else $CPO_WRITE_LOG, else /var/log/cpo/cpoctl-writes.log, and to syslog.\n"
      "A write that cannot be logged is not made (exit 4). Laser pages 1Ah/1Bh are refused:\n"
      "light only comes through 'cpoctl laser enable' and its fibre check.");
  auto address = std::make_shared<WindowAddress>();
  auto write_options = std::make_shared<RawWriteOptions>();
  auto count = std::make_shared<int>(1);
  auto values = std::make_shared<std::vector<int>>();
  for (const std::string kind : {"oe", "els"}) {
    const std::string what = kind == "oe" ? "an optical engine" : "a laser source";
    const std::string id = kind == "oe" ? "oe0" : "els0";
    auto* read_window = read->add_subcommand(kind, "Bytes of " + what + "'s register window");
    auto* write_window =
        write->add_subcommand(kind, "Write bytes of " + what + "'s register window");
    for (auto* command : {read_window, write_window}) {
      command->add_option("ID", address->id, "Name or index")->required();
      command
          ->add_option("OFFSET", address->offset,
                       "Byte 0..255 of the window (0-127 lower page, 128-255 the page)")
          ->required()
          ->check(CLI::Range(0, 255));
      command->add_option("--page", address->page, "Upper page, e.g. 0x10 (default 0)")
          ->check(CLI::Range(0, 255));
      command->add_option("--bank", address->bank, "Bank for pages 10h and up (default 0)")
          ->check(CLI::Range(0, 255));
    }
    read_window->add_option("COUNT", *count, "Bytes to read (default 1)")
        ->check(CLI::Range(1, 256));
    read_window->footer(fmt::format(
        "Only the bytes asked for are read (clear-on-read flag bytes elsewhere keep their flags).\n"
        "Examples:\n  cpoctl read {0} {1} 3\n  cpoctl read {0} {1} 128 16 --page 0x{2}\n"
        "  cpoctl read {0} {1} 3 --json",
        kind, id, kind == "oe" ? "10" : "00"));
    write_window->add_option("BYTE", *values, "Bytes to write from OFFSET (1 to 8), e.g. 0x01")
        ->required();
    write_window->add_flag("--force", write_options->force, "Really write (required)");
    write_window->add_option("--write-log", write_options->write_log, "Log file for this write");
    write_window->footer(
        fmt::format("Examples:\n  cpoctl write {0} {1} 130 0xff --page 0x10 --force\n"
                    "  cpoctl write {0} {1} 26 0x10 --force --json",
                    kind, id));
    read_window->callback([&options, &run, address, count, kind] {
      address->kind = kind;
      run = [&options, address, count] { return RunReadWindow(options, *address, *count); };
    });
    write_window->callback([&options, &run, address, values, write_options, kind] {
      address->kind = kind;
      run = [&options, address, values, write_options] {
        return RunWriteWindow(options, *address, *values, *write_options);
      };
    });
  }
  auto register_address = std::make_shared<uint64_t>(0);
  auto register_value = std::make_shared<uint64_t>(0);
  auto* read_register =
      read->add_subcommand("reg", "32-bit registers of the switch's register space (BAR)");
  read_register->add_option("ADDRESS", *register_address, "Byte address, 4-aligned, e.g. 0x40000")
      ->required();
  read_register->add_option("COUNT", *count, "Registers to read (default 1)")
      ->check(CLI::Range(1, 1024));
  read_register->footer(
      "docs/register-map.md lists the registers.\nExamples:\n  cpoctl read reg 0\n"
      "  cpoctl read reg 0x48000 4 --json");
  read_register->callback([&options, &run, register_address, count] {
    run = [&options, register_address, count] {
      return RunReadRegister(options, *register_address, *count);
    };
  });
  auto* write_register = write->add_subcommand("reg", "Write one 32-bit register");
  write_register->add_option("ADDRESS", *register_address, "Byte address, 4-aligned")->required();
  write_register->add_option("VALUE", *register_value, "32-bit value, e.g. 0x1")->required();
  write_register->add_flag("--force", write_options->force, "Really write (required)");
  write_register->add_option("--write-log", write_options->write_log, "Log file for this write");
  write_register->footer("Example:\n  cpoctl write reg 0x48000 0x1 --force");
  write_register->callback([&options, &run, register_address, register_value, write_options] {
    run = [&options, register_address, register_value, write_options] {
      return RunWriteRegister(options, *register_address, *register_value, *write_options);
    };
  });
}

}  // namespace cpo::cpoctl
