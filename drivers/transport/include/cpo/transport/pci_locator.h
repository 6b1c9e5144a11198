// Finds the switch's management PCI function with libpci.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cpo/status.h"

namespace cpo::transport {

struct PciMatch {
  std::optional<uint16_t> vendor_id;
  std::optional<uint16_t> device_id;
  std::string address;  // "dddd:bb:dd.f"; when set, vendor/device ids are checked if also given
};

struct PciScanOptions {
  // When set, libpci reads this `lspci -x` style dump instead of the live bus (tests, offline use).
  std::string dump_file;
};

// Returns the canonical "dddd:bb:dd.f" address of the one device matching, or kNotFound when none
// does, or kFailedPrecondition when several do (the platform file must then name the address).
Result<std::string> FindPciDevice(const PciMatch& match, const PciScanOptions& options = {});

}  // namespace cpo::transport
