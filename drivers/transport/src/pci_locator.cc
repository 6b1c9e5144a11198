#include "cpo/transport/pci_locator.h"

#include <fmt/format.h>
#include <unistd.h>

#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <vector>

extern "C" {
#include <pci/pci.h>
}

namespace cpo::transport {
namespace {

// libpci reports fatal errors through a callback that must not return; we jump back out of it.
thread_local std::jmp_buf* libpci_escape = nullptr;
thread_local char libpci_error[256];

__attribute__((noreturn)) void LibpciError(char* msg, ...) {  // the type libpci declares
  va_list args;
  va_start(args, msg);
  std::vsnprintf(libpci_error, sizeof(libpci_error), msg, args);
  va_end(args);
  std::longjmp(*libpci_escape, 1);
}

void LibpciQuiet(char* /*msg*/, ...) {}

struct Found {
  std::string address;
  uint16_t vendor_id;
  uint16_t device_id;
};

// Scans the bus; plain C data only between setjmp and longjmp.
Status Scan(const PciScanOptions& options, std::vector<Found>& found) {
  pci_access* access = pci_alloc();
  if (access == nullptr) return {StatusCode::kInternal, "pci_alloc failed"};
  std::jmp_buf escape;
  libpci_escape = &escape;
  access->error = LibpciError;
  access->warning = LibpciQuiet;
  access->debug = LibpciQuiet;
  if (setjmp(escape) != 0) {
    libpci_escape = nullptr;
    pci_cleanup(access);
    return {StatusCode::kUnavailable, fmt::format("libpci: {}", libpci_error)};
  }
  if (!options.dump_file.empty()) {
    access->method = PCI_ACCESS_DUMP;
    pci_set_param(access, const_cast<char*>("dump.name"),
                  const_cast<char*>(options.dump_file.c_str()));
  }
  pci_init(access);
  pci_scan_bus(access);
  for (pci_dev* dev = access->devices; dev != nullptr; dev = dev->next) {
    pci_fill_info(dev, PCI_FILL_IDENT);
    found.push_back(
        {fmt::format("{:04x}:{:02x}:{:02x}.{:x}", dev->domain, dev->bus, dev->dev, dev->func),
         dev->vendor_id, dev->device_id});
  }
  libpci_escape = nullptr;
  pci_cleanup(access);
  return Status::Ok();
}

std::string Describe(const PciMatch& match) {
  std::string out;
  if (!match.address.empty()) out += "address " + match.address + " ";
  if (match.vendor_id) out += fmt::format("vendor 0x{:04x} ", *match.vendor_id);
  if (match.device_id) out += fmt::format("device 0x{:04x} ", *match.device_id);
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace

Result<std::string> FindPciDevice(const PciMatch& match, const PciScanOptions& options) {
  if (match.address.empty() && !match.vendor_id) {
    return Status(StatusCode::kInvalidArgument,
                  "a PCI match needs an address or a vendor id (platform transport.pci)");
  }
  if (!options.dump_file.empty() && access(options.dump_file.c_str(), R_OK) != 0) {
    return Status(StatusCode::kNotFound,
                  fmt::format("PCI dump file {} cannot be read", options.dump_file));
  }
  std::vector<Found> devices;
  CPO_RETURN_IF_ERROR(Scan(options, devices));
  std::vector<std::string> hits;
  for (const Found& dev : devices) {
    if (!match.address.empty() && dev.address != match.address) continue;
    if (match.vendor_id && dev.vendor_id != *match.vendor_id) continue;
    if (match.device_id && dev.device_id != *match.device_id) continue;
    hits.push_back(dev.address);
  }
  if (hits.empty()) {
    return Status(StatusCode::kNotFound,
                  fmt::format("no PCI device with {} among {} scanned; check `lspci -nn` and the "
                              "platform file's transport.pci",
                              Describe(match), devices.size()));
  }
  if (hits.size() > 1) {
    return Status(
        StatusCode::kFailedPrecondition,
        fmt::format("{} PCI devices match {} ({}, ...); name one with transport.pci.address",
                    hits.size(), Describe(match), hits[0]));
  }
  return hits[0];
}

}  // namespace cpo::transport
